"""The 监督模型 pages: who sees what, a run and a triage through the forms, the evidence and any
explorer view as graph files with ID numbers masked, the reasons in the reader's language."""

from __future__ import annotations

import io
from datetime import date

import networkx as nx
from flask import Flask
from web.client import Client
from web.scenario import FULL_ID, HIT_DATASET, HIT_WS, XSS

from collab.analysis.models import MODELS
from collab.graph.sqlite_engine import SqliteStore

MASKED = FULL_ID[:6] + "********" + FULL_ID[-4:]


def signed(app: Flask, name: str, lang: str = "zh") -> Client:
    client = Client(app)
    client.sign_in(name)
    if lang != "zh":
        client.post("/language", {"lang": lang, "next": "/"})
    return client


def test_coordinators_run_and_leaders_read_the_figures(signed_in: dict) -> None:
    page = signed_in["coord"].get("/models/").text
    assert all(f'data-model="{code}"' in page for code in MODELS)
    assert 'id="run-form"' in page and "死亡后仍领取" in page and "成案率" in page
    lead = signed_in["lead"].get("/models/").text
    assert 'id="run-form"' not in lead and 'data-figure="hits"' in lead
    assert signed_in["lead"].post("/models/run", {"model": "dormant-clue",
                                                  "as_of": "2024-06-30"}).status_code == 404
    nav = signed_in["insp"].get("/").text
    assert 'id="nav-models"' in nav and 'id="nav-models"' not in signed_in["liaison"].get("/").text


def test_a_hit_on_a_data_set_only_for_those_who_may_use_it(signed_in: dict) -> None:
    coord = signed_in["coord"].get("/models/hits").text
    lead = signed_in["lead"].get("/models/hits").text
    assert HIT_DATASET in coord and HIT_WS in coord and "共 2 条" in coord
    assert HIT_DATASET not in lead and HIT_WS in lead and "共 1 条" in lead
    page = signed_in["coord"].get(f"/models/hits/{HIT_DATASET}").text
    assert "张三于2024-01-15死亡，此后仍被发放2笔，共286.00元" in page
    assert 'data-role="subject"' in page and MASKED in page and FULL_ID not in page


def test_reasons_and_names_in_english_on_request(site_app: Flask) -> None:
    page = signed(site_app, "coord", "en").get(f"/models/hits/{HIT_DATASET}").text
    assert "died on 2024-01-15 and was still paid 2 times after" in page
    assert "Paid after death" in page and "To be checked" in page


def test_markup_in_a_hit_is_text(signed_in: dict) -> None:
    listing = signed_in["zt"].get("/models/hits").text
    assert XSS not in listing and "&lt;img src=x onerror=alert(1)&gt;" in listing


def test_the_evidence_as_graph_files_masks_id_numbers(signed_in: dict) -> None:
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        answer = signed_in["coord"].get(f"/models/hits/{HIT_DATASET}/evidence.{fmt}")
        assert answer.status_code == 200 and FULL_ID not in answer.text
        assert "attachment" in answer.headers["Content-Disposition"]
        graph = read(io.BytesIO(answer.data))
        kinds = sorted(a["kind"] for _, a in graph.nodes(data=True))
        assert kinds == ["DataRecord", "Person"] and graph.number_of_edges() == 1
        assert MASKED in answer.text


def test_any_explorer_view_as_a_graph_file_only_what_one_may_see(signed_in: dict,
                                                                   site: SqliteStore) -> None:
    uids = [site.get(label, key).uid for label, key in (
        ("Person", "P-SYN-0001"), ("Clue", "XS-2023-0001"), ("Case", "WS-CASE-0001"),
        ("Person", "P-SYN-ZT1"))]
    answer = signed_in["coord"].post("/explore/export", {"format": "gexf", "uid": uids})
    assert answer.status_code == 200 and FULL_ID not in answer.text and MASKED in answer.text
    graph = nx.read_gexf(io.BytesIO(answer.data))
    assert sorted(graph.nodes) == sorted(uids[:3])  # 赵六 of Zhaotong is not coord's
    assert graph.number_of_edges() == 3  # AGAINST, BECAME, SUBJECT
    assert signed_in["insp"].post("/explore/export", {"format": "gexf",
                                                      "uid": uids}).status_code == 404
    assert signed_in["coord"].post("/explore/export", {"format": "dot",
                                                       "uid": uids}).status_code == 400


def test_run_and_triage_through_the_forms_audited(fresh: SqliteStore,
                                                  fresh_app: Flask) -> None:
    fresh.upsert_nodes("Clue", [{"no": "WS-2024-0009", "title": "久未移交的线索",
                                 "status": "registered", "registered_on": date(2024, 1, 2),
                                 "region_code": "532628107"}])
    coord = signed(fresh_app, "coord")
    ran = coord.post("/models/run", {"model": "dormant-clue", "as_of": "2024-06-30",
                                     "param-dormant-clue-days": "30"})
    assert ran.status_code == 302 and "/models/hits" in ran.headers["Location"]
    [run] = fresh.find("ModelRun", where={"model": "dormant-clue"}).items
    assert (run.get("actor"), run.get("region_code"), run.get("hits")) == ("coord", "532600", 1)
    [record] = fresh.find("AuditRecord", where={"event": "models.run"}).items
    assert (record.get("user"), record.get("kind"), record.get("outcome")) == \
        ("coord", "change", "ok")
    refused = coord.post(f"/models/hits/{HIT_WS}/dismiss", {"on": "2024-07-01", "reason": ""})
    assert refused.status_code == 302 and fresh.get("ModelHit", HIT_WS).get("status") == \
        "pending"
    done = coord.post(f"/models/hits/{HIT_WS}/confirm", {"on": date.today().isoformat(),
                                                          "clue_no": "XS-WEB-0001"})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/clues/XS-WEB-0001/trace")
    trace = coord.get("/clues/XS-WEB-0001/trace").text
    assert "线索沉睡" in trace and HIT_WS in trace
    assert fresh.get("ModelHit", HIT_WS).get("status") == "confirmed"
    records = {r.get("event"): r.get("outcome") for r in fresh.find(
        "AuditRecord", where={"user": "coord"}, order_by="seq", limit=1000).items}
    assert (records["model_hit.confirm"], records["models.dismiss"]) == ("ok", "refused")
    figures = coord.get("/models/").text
    assert 'data-model="dormant-clue"' in figures
