"""`collab dataset …` and `collab models …`: import the 那能乡 lists, run the model, list, show,
confirm, dismiss, export, see the figures; every step leaves its audit record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from collab.cli import main
from collab.graph.sqlite_engine import SqliteStore

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"


@pytest.fixture
def collab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLLAB_ID_KEY", "cd" * 32)
    monkeypatch.setenv("COLLAB_DATABASE", str(tmp_path / "c.sqlite3"))
    monkeypatch.setenv("COLLAB_USER", "wang.fang")
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args))

    return invoke


def lists(collab) -> None:
    for path, kind, code in (("nanneng_roster_60plus.csv", "roster", "NN-R"),
                             ("nanneng_pension_list.xlsx", "payment", "NN-P")):
        done = collab("dataset", "import", str(SEEDS / path), "--kind", kind, "--code", code,
                      "--name", code, "--source", "那能乡", "--as-of", "2023-09-30",
                      "--region", "532628107")
        assert done.exit_code == 0, done.output


def events(tmp_path: Path) -> list[tuple[str, str, str, str]]:
    store = SqliteStore(tmp_path / "c.sqlite3")
    page = store.find("AuditRecord", order_by="seq", limit=100)
    store.close()
    return [(r.get("event"), r.get("kind"), r.get("user"), r.get("outcome"))
            for r in page.items]


def counts(tmp_path: Path, *labels: str) -> list[int]:
    store = SqliteStore(tmp_path / "c.sqlite3")
    found = [store.count(label) for label in labels]
    store.close()
    return found


def test_from_two_lists_to_a_clue_at_the_command_line(collab, tmp_path: Path) -> None:
    lists(collab)
    ran = collab("models", "run", "roster-unpaid", "deceased-paid", "--json")
    results = {r["model"]: r for r in json.loads(ran.output)}
    assert results["roster-unpaid"]["hits"] == 66
    assert "死亡人口名单" in results["deceased-paid"]["skipped"]
    listed = json.loads(collab("models", "hits", "--model", "roster-unpaid", "--json",
                               "--limit", "2").output)
    assert listed["total"] == 66 and "不在发放名单" in listed["hits"][0]["reason"]
    first, second = (h["no"] for h in listed["hits"])
    shown = json.loads(collab("models", "show", first, "--json", "--lang", "en").output)
    assert "is on NN-R but on no payment list" in shown["reason"]
    assert {e["role"] for e in shown["evidence"]} == {"listed", "subject", "dataset",
                                                      "compared_with"}
    assert collab("models", "confirm", first, "--clue-no", "XS-CLI-1").exit_code == 0
    assert collab("models", "dismiss", second, "--reason", "已补发").exit_code == 0
    again = collab("models", "confirm", first, "--clue-no", "XS-CLI-2")
    assert again.exit_code == 1 and "cannot move" in again.output
    trace = json.loads(collab("trace", "XS-CLI-1").output)
    assert trace["hits"][0]["no"] == first and trace["clue"]["source"] == "监督模型"
    figures = {r["model"]: r for r in json.loads(collab("models", "figures", "--json").output)}
    assert (figures["roster-unpaid"]["confirmed"], figures["roster-unpaid"]["dismissed"]) == (1, 1)
    out = tmp_path / "evidence.graphml"
    assert collab("models", "export", first, "-o", str(out)).exit_code == 0
    assert b"********" in out.read_bytes()
    assert events(tmp_path) == [
        ("dataset.import", "import", "wang.fang", "ok"),
        ("dataset.import", "import", "wang.fang", "ok"),
        ("models.run", "change", "wang.fang", "ok"),
        ("model_hit.confirm", "change", "wang.fang", "ok"),
        ("model_hit.dismiss", "change", "wang.fang", "ok"),
        ("model_hit.confirm", "change", "wang.fang", "refused")]


def test_bad_input_is_one_line_and_changes_nothing(collab, tmp_path: Path) -> None:
    lists(collab)
    for args, says in ((("models", "run", "no-such-model"), "no model 'no-such-model'"),
                       (("models", "run", "--param", "dormant-clue.days=x"), "whole number"),
                       (("models", "run", "--param", "days=3"), "MODEL.NAME=VALUE"),
                       (("models", "run", "--dataset", "wrong=NN-R"), "no model takes"),
                       (("models", "run", "roster-unpaid", "--dataset", "payments=NN-R"),
                        "cannot fill payments"),
                       (("models", "run", "--region", "12"), "not a region code"),
                       (("models", "dismiss", "x", "--reason", " "), "not found"),
                       (("dataset", "access", "NN-R", "--roles", "auditor"), "not auditor")):
        done = collab(*args)
        assert done.exit_code == 1 and says in done.output, (args, done.output)
        assert "Traceback" not in done.output
    assert counts(tmp_path, "ModelRun", "ModelHit", "Clue") == [0, 0, 0]
    assert [e for e, *_ in events(tmp_path) if e != "dataset.import"] == [
        *["models.run"] * 5, "model_hit.dismiss", "dataset.access"]
    # each refusal of a command has its record; a malformed option never reaches one


def test_a_list_is_mapped_and_a_refused_one_given_back_marked(collab, tmp_path: Path) -> None:
    dead = tmp_path / "死亡名单.csv"
    dead.write_text("姓名,身份证号,殁日\n黄秀英,,2024-01-15\n农桂花,,昨天\n", encoding="gbk")
    args = ("dataset", "import", str(dead), "--kind", "deceased", "--code", "FN-D",
            "--name", "死亡人口", "--source", "公安局", "--as-of", "2024-06-30",
            "--region", "532628")
    marked = tmp_path / "marked.xlsx"
    refused = collab(*args, "--map", "殁日=died_on", "--errors", str(marked))
    assert refused.exit_code == 1 and "第3行" in refused.output, refused.output
    book = load_workbook(marked)
    assert book.sheetnames[0] == "问题汇总" and book["死亡名单"]["C3"].value == "昨天"
    assert book["死亡名单"]["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert counts(tmp_path, "DataSet", "DataRecord") == [0, 0]
    dead.write_text("姓名,身份证号,殁日\n黄秀英,,2024-01-15\n", encoding="gbk")
    done = collab(*args, "--map", "C=died_on")
    assert done.exit_code == 0 and "1行" in done.output, done.output
    assert counts(tmp_path, "DataSet", "DataRecord") == [1, 1]
