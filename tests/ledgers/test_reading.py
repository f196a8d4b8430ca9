"""Bad files: each gets a clear report and writes nothing; nothing big is ever read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from ledger_helpers import ACTOR, KEY, UNITS, csv_file, xlsx
from web.test_uploads import entity_bomb, with_macros

from collab.graph.store import Store
from collab.ledgers.importer import import_ledger, read_ledger
from collab.ledgers.report import LedgerRejected
from collab.sheets.reading import MAX_FILE_BYTES, decode


def rejected(store: Store, path: Path, kind: str | None = None) -> str:
    """The English reason a file was refused, after checking nothing was written."""
    before = store.counts()
    ledger = read_ledger(path, kind=kind)
    with pytest.raises(LedgerRejected) as e:
        store.write(lambda tx: import_ledger(tx, actor=ACTOR, ledger=ledger, key=KEY))
    assert store.counts() == before
    return " | ".join(p.en for p in e.value.report.problems)


def test_a_wrong_file_type(graph: Store, tmp_path: Path) -> None:
    path = tmp_path / "台账.pdf"
    path.write_bytes(b"%PDF-1.4\n...")
    assert "unsupported file type" in rejected(graph, path)
    archive = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.jpg", b"jpeg")
    assert "not an .xlsx workbook" in rejected(graph, archive)


def test_a_password_protected_or_corrupt_xlsx(graph: Store, tmp_path: Path) -> None:
    locked = tmp_path / "加密.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    assert "password-protected" in rejected(graph, locked)
    good = xlsx(tmp_path / "good.xlsx", {"单位": UNITS}).read_bytes()
    corrupt = tmp_path / "损坏.xlsx"
    corrupt.write_bytes(good[: len(good) // 2])
    assert "corrupt" in rejected(graph, corrupt)


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_unpacking(graph: Store,
                                                                  tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            block = b"\0" * 2**20
            for _ in range(40):
                f.write(block)
    assert "zip bomb" in rejected(graph, bomb)


def test_an_entity_bomb_or_macros_are_refused_before_parsing(graph: Store,
                                                             tmp_path: Path) -> None:
    bomb, macros = tmp_path / "实体.xlsx", tmp_path / "宏.xlsx"
    bomb.write_bytes(entity_bomb())
    macros.write_bytes(with_macros())
    assert "entity bomb" in rejected(graph, bomb)
    assert "macros" in rejected(graph, macros)


def test_a_csv_in_an_unknown_encoding(graph: Store, tmp_path: Path) -> None:
    path = tmp_path / "单位.csv"
    path.write_bytes("单位编码,单位名称,所属区划代码\nU1,那能村,532628107\n".encode("utf-16-le"))
    assert "unknown encoding" in rejected(graph, path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = csv_file(tmp_path / "u.csv", UNITS, encoding)
    assert decode(path.read_bytes()).splitlines()[1].endswith("中共富宁县那能乡委员会,532628107,")


def test_a_missing_required_column(graph: Store, tmp_path: Path) -> None:
    rows = [[r[1], r[2]] + [r[4]] for r in UNITS]
    assert "required column is missing" in rejected(graph, xlsx(tmp_path / "u.xlsx",
                                                                {"单位": rows}), "units")


def test_zero_data_rows(graph: Store, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "u.xlsx", {"单位": [UNITS[0], ["", "", "", "", ""]]})
    assert "no data rows" in rejected(graph, path)


def test_a_200_mb_file_is_refused_by_its_size_before_reading(graph: Store,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "巨大.csv"
    with path.open("wb") as f:
        f.truncate(200 * 2**20)
    assert path.stat().st_size > MAX_FILE_BYTES
    assert "too large" in rejected(graph, path)


def test_a_ledger_beyond_the_row_limit_is_refused_while_reading(
        graph: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from collab.sheets import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    assert "split it" in rejected(graph, csv_file(tmp_path / "u.csv", UNITS + UNITS, "utf-8"))
    assert "split it" in rejected(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS + UNITS}))
