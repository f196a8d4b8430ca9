"""Names as clerks write them, made comparable: units, places and departments.

A unit is written 中共富宁县那能乡委员会, 那能乡党委 or 富宁县那能乡党委; a village 那能村,
那能村委会 or 那能村民委员会; a department relative to the office that keeps the ledger
(市纪委监委 in 昭通市's ledger is 昭通市纪委监委, 县委组织部 in 富宁县's is 富宁县委组织部).
These functions give the forms compared; `collab.ledgers.resolve` looks them up within the
importer's scope only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_BLANKS = re.compile(r"[\s\u3000]+")
# Party-organisation endings, longest first: what differs between the ways one unit is written.
_UNIT_ENDINGS = ("党总支部委员会", "党支部委员会", "总支部委员会", "支部委员会", "委员会", "党总支",
                 "党支部", "党委", "总支", "支部", "委")
_PLACE_ENDINGS = ("社区居民委员会", "居民委员会", "村民委员会", "社区居委会", "居委会", "村委会")
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+自治(州|县)$")
# The level a relative department name starts with: 市纪委监委, 州委组织部, 县人社局 …
_RELATIVE = {"省": "province", "市": "prefecture", "州": "prefecture", "县": "county",
             "区": "county"}


def plain(name: str) -> str:
    return _BLANKS.sub("", unicodedata.normalize("NFKC", name or ""))


def unit_key(name: str, places: Sequence[str] = ()) -> str:
    """The form units are compared in: no 中共, no party-organisation ending, and none of the
    `places` (the importer's county, prefecture …) it may start with."""
    text = plain(name).removeprefix("中国共产党").removeprefix("中共")
    for place in sorted(places, key=len, reverse=True):
        if text.startswith(place) and len(text) > len(place) + 1:
            text = text[len(place):]
    for ending in _UNIT_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 1:
            return text[:-len(ending)]
    return text


def place_key(name: str) -> str:
    """The form villages and communities are compared in: 那能村委会, 那能村民委员会 → 那能村;
    团结社区居民委员会, 团结社区居委会 → 团结社区."""
    text = plain(name)
    for ending in _PLACE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 1:
            text = text[:-len(ending)]
            kind = "社区" if "居" in ending or ending.startswith("社区") else "村"
            return text if text.endswith(("村", "社区")) else text + kind
    return text


def short_region_name(name: str) -> str:
    """文山壮族苗族自治州 → 文山州, 寻甸回族彝族自治县 → 寻甸县: how departments are named."""
    found = _AUTONOMOUS.match(plain(name))
    return found.group(1) + found.group(2) if found else plain(name)


def department_candidates(name: str, regions: Sequence[tuple[str, str]]) -> list[str]:
    """Full names a department written relative to the importer may have.

    `regions` are (level, name) of the importer's region and those above it, nearest first.
    """
    text = plain(name)
    out: list[str] = []
    level = _RELATIVE.get(text[:1])
    for region_level, region_name in regions:
        prefixes = dict.fromkeys((short_region_name(region_name), plain(region_name)))
        if level is None:  # an unprefixed name is the importer's own region's department
            out += [p + text for p in prefixes if not text.startswith(p)]
            break
        if level == region_level:
            out += [p + text[1:] for p in prefixes]
    return list(dict.fromkeys(out))


_PLACE_TOKEN = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:自治县|自治州|县|市|州|区)")


def places_named(name: str) -> list[str]:
    """The county- and prefecture-level places a unit's name starts with (砚山县, 文山州 …)."""
    text = plain(name).removeprefix("中国共产党").removeprefix("中共")
    found: list[str] = []
    while True:
        token = _PLACE_TOKEN.match(text)
        if token is None or token.group().endswith("社区"):
            return found
        found.append(token.group())
        text = text[token.end():]
