"""那能乡's two lists for the pension cross-check (synthetic people, generated deterministically).

The seed article: comparing the roster of residents aged 60 and over with the pension payment
list found 66 elderly people without their pension. This script writes both lists the way a
township keeps them — the roster as a GBK CSV under a title row, the payment list as xlsx — with
the usual mess: full-width digits, stray blanks, a lower-case check letter, birth dates in mixed
formats, roster rows without an ID number, payment rows whose ID number was mistyped (matched by
name and birth date instead), name variants under the same ID number, and a few people paid but
not on the roster. Comparing them finds exactly 66 people only on the roster.

Run: python -m seeds.crosscheck_lists  (rewrites seeds/crosscheck/)
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "crosscheck"
ROSTER = OUT / "nanneng_roster_60plus.csv"
PENSION = OUT / "nanneng_pension_list.xlsx"
WITHOUT_PENSION = 66
ROSTER_SIZE = 640
PAID_NOT_ON_ROSTER = 4
COUNTY = "532628"  # 富宁县
VILLAGES = ("那能村", "者宏村", "百合村", "那拉村", "坡荷村", "龙门村")  # synthetic names
SURNAMES = "黄农陆韦李王梁罗杨邓班陈沈卢覃蒙岑廖何周"
GIVEN = "秀英兰芳桂花金凤玉梅春明国华文德志光建忠成福贵元安平发美丽珍琼"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(born: date, seq: int) -> str:
    """A synthetic 18-digit ID number of 富宁县 with its GB 11643 check digit."""
    body = f"{COUNTY}{born:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def people(rng: random.Random, n: int) -> list[dict]:
    """`n` synthetic elderly people, unique by ID number and by (name, birth date)."""
    out, names, ids = [], set(), set()
    while len(out) < n:
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 33 * 365))
        male = rng.random() < 0.48
        seq = rng.randrange(1, 500) * 2 - (1 if male else 0)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        number = id_number(born, seq)
        if number in ids or (name, born) in names:
            continue
        ids.add(number)
        names.add((name, born))
        out.append({"name": name, "id": number, "born": born,
                    "gender": "男" if male else "女", "village": rng.choice(VILLAGES)})
    return out


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _date_text(born: date, style: int) -> str:
    return (born.isoformat(), f"{born.year}/{born.month}/{born.day}",
            f"{born.year}年{born.month}月{born.day}日", f"{born:%Y%m%d}")[style % 4]


def _mistype(number: str) -> str:
    """The ID number with two neighbouring digits swapped (the check digit then fails)."""
    i = 10 if number[10] != number[11] else 8
    return number[:i] + number[i + 1] + number[i] + number[i + 2:]


def build(seed: int = 20231012) -> tuple[list[list[str]], list[list[object]]]:
    """The roster rows (with title and header) and the payment-list rows (with header)."""
    rng = random.Random(seed)
    everyone = people(rng, ROSTER_SIZE + PAID_NOT_ON_ROSTER)
    roster, extra = everyone[:ROSTER_SIZE], everyone[ROSTER_SIZE:]
    unpaid = set(rng.sample(range(ROSTER_SIZE), WITHOUT_PENSION))
    paid = [i for i in range(ROSTER_SIZE) if i not in unpaid]
    no_id = set(rng.sample(paid, 8))
    mistyped = set(rng.sample([i for i in paid if i not in no_id], 6))
    renamed = set(rng.sample([i for i in paid if i not in no_id | mistyped], 3))
    title = ["那能乡60周岁及以上人员花名册（合成数据，2023年9月）"]
    a = [title, ["序号", "村委会", "姓 名", "性别", "公民身份号码", "出生日期"]]
    for n, (i, p) in enumerate(enumerate(roster), start=1):
        number = "" if i in no_id else p["id"].lower() if i % 7 == 0 else p["id"]
        if i % 11 == 0:
            number = _full_width(number)
        name = " ".join(p["name"]) if i % 13 == 0 else p["name"] + (" " if i % 5 == 0 else "")
        a.append([str(n), p["village"], name, p["gender"], number, _date_text(p["born"], i)])
    b: list[list[object]] = [
        ["序号", "姓名", "身份证号码", "出生日期", "发放金额（元）", "发放月份"]]
    for n, i in enumerate(paid + list(range(ROSTER_SIZE, ROSTER_SIZE + len(extra))), start=1):
        p = roster[i] if i < ROSTER_SIZE else extra[i - ROSTER_SIZE]
        number = _mistype(p["id"]) if i in mistyped else p["id"]
        name = p["name"]
        if i in renamed:  # a variant character under the same ID number
            name = name[:-1] + {"英": "瑛"}.get(name[-1], "英")
        b.append([n, f" {name}" if n % 17 == 0 else name, number,
                  datetime(p["born"].year, p["born"].month, p["born"].day), 143.0, "2023-09"])
    return a, b


def write(out: Path = OUT) -> tuple[Path, Path]:
    """Write both files (byte-identical on every run)."""
    from openpyxl import Workbook

    a, b = build()
    out.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(a)
    (out / ROSTER.name).write_bytes(text.getvalue().encode("gbk"))
    book = Workbook()
    sheet = book.active
    sheet.title = "养老金发放名单"
    for row in b:
        sheet.append(row)
    for cell in sheet["C"]:
        cell.number_format = "@"
    book.properties.created = datetime(2023, 10, 1)
    raw = io.BytesIO()
    book.save(raw)
    _freeze_zip(raw.getvalue(), out / PENSION.name)
    return out / ROSTER.name, out / PENSION.name


def _freeze_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed timestamps (entries and the saved-at property): same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            frozen = zipfile.ZipInfo(info.filename, date_time=(2023, 10, 1, 0, 0, 0))
            frozen.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2023-10-01T00:00:00Z",
                                 content)
            dst.writestr(frozen, content)


if __name__ == "__main__":
    for written in write():
        print(written)
