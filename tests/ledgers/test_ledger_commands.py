"""`collab import / export / template`: reports on stdout, exit 1 on any problem."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from ledger_helpers import UNITS, base, xlsx

from collab.cli import main
from collab.graph.sqlite_engine import SqliteStore


def test_import_export_and_template_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    store = SqliteStore(db)
    store.write(base)
    store.close()
    units = xlsx(tmp_path / "单位.xlsx", {"单位": UNITS})
    dry = runner.invoke(main, ["import", str(units), "--dry-run", "--database", db])
    assert dry.exit_code == 0 and "试运行" in dry.output and "新增3" in dry.output
    done = runner.invoke(main, ["import", str(units), "--kind", "units", "--lang", "en",
                                "--database", db])
    assert done.exit_code == 0 and "Units ledger: 3 rows, 3 new" in done.output
    bad = xlsx(tmp_path / "bad.xlsx", {"单位": [UNITS[0], [1, "U9", "某单位", "999999", ""]]})
    refused = runner.invoke(main, ["import", str(bad), "--lang", "en", "--database", db])
    assert refused.exit_code == 1
    assert "row 2 column '所属区划代码'" in refused.output
    assert "nothing was written" in refused.output
    out = tmp_path / "单位导出.csv"
    exported = runner.invoke(main, ["export", "units", "--format", "csv", "-o", str(out),
                                    "--scope", "532628", "--database", db])
    assert exported.exit_code == 0 and "exported 2 rows" in exported.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "单位编码,单位名称,单位类型,区划代码"
    template = tmp_path / "模板.xlsx"
    made = runner.invoke(main, ["template", "clues", "-o", str(template)])
    assert made.exit_code == 0 and template.exists()
