"""The official administrative divisions (统计用区划代码), loaded from a region file.

A region file has one row per region: code (6 digits for county and above, 9 for townships,
12 for villages and communities), name, level (province, prefecture, county, township,
village) and the parent's code. `seeds/regions/yunnan.csv` is 云南省's, drawn from the npm
package china-division (see its `.source.json`); `collab regions load FILE` loads any other.
Loading is idempotent: regions are merged by code, and each is linked to its parent.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from collab.access import regions
from collab.errors import N_, ValidationError
from collab.graph.store import Graph
from collab.sheets.reading import decode

LEVELS = ("province", "prefecture", "county", "township", "village")
YUNNAN = Path(__file__).resolve().parents[2] / "seeds" / "regions" / "yunnan.csv"
_BATCH = 2000


def read(path: str | Path) -> list[dict[str, str]]:
    """The rows of a region file, each checked; a bad row is refused with its line number."""
    text = decode(Path(path).read_bytes())
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or not {"code", "name", "level", "parent"} <= set(rows[0]):
        raise ValidationError(N_("a region file has the columns code, name, level, parent"))
    codes = {r["code"] for r in rows}
    for line, row in enumerate(rows, start=2):
        try:
            regions.check_code(row["code"])
        except ValidationError:
            raise ValidationError(N_("line %(line)d: not a region code: %(code)r"), line=line,
                                  code=row["code"]) from None
        if row["level"] not in LEVELS or not row["name"].strip():
            raise ValidationError(N_("line %(line)d: a region needs a name and one of the "
                                     "levels %(levels)s"), line=line, levels=", ".join(LEVELS))
        if row["parent"] and row["parent"] not in codes and not row["code"].startswith(
                regions.subtree_prefix(row["parent"])):
            raise ValidationError(N_("line %(line)d: %(code)s is not below its parent "
                                     "%(parent)s"), line=line, code=row["code"],
                                  parent=row["parent"])
    return rows


def _batches(rows: list[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    for i in range(0, len(rows), _BATCH):
        yield rows[i:i + _BATCH]


def load(g: Graph, rows: list[dict[str, str]]) -> int:
    """Merge the regions and their PART_OF links; how many regions."""
    for batch in _batches(rows):
        g.upsert_nodes("Region", [{"code": r["code"], "name": r["name"].strip(),
                                   "level": r["level"]} for r in batch])
        g.upsert_rels("PART_OF", [{"src": r["code"], "dst": r["parent"]}
                                  for r in batch if r["parent"]], src="Region", dst="Region")
    return len(rows)
