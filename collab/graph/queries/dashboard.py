"""The dashboard's counts, each a part of one statement: whatever parts a page needs (and has
not kept) are asked for together, as one UNION of rows `(part, key, name, n)`.

- a label's count per region one level below the scope (`key`: the first `$n` digits of the
  region code), in the scope (`$prefix`, or everything) and, when given, one year (`$y0`..`$y1`,
  ISO text bounds) of its date: the totals are the sum of the groups;
- the clues per status in the scope;
- the regions one level below (`$child_prefix`, `$child_level`), and the prefectures of the
  actor's reach (`$own_prefix`), by code, at most 100 each;
- whether the region asked about exists (`$region`).

Each part names the index it is answered from on SQLite (a date's, else the region code's), so
a province's 200,000 issues are counted from an index without reading their rows.
"""

from __future__ import annotations

from functools import cache

from collab.graph import schema
from collab.graph.query import Fragment, compose, index_name, join
from collab.graph.store import NamedQuery

COLUMNS = ("part", "key", "name", "n")
# What is counted, and the date that places each in a year.
FIGURES = (("Issue", "found_on"), ("Clue", "registered_on"), ("Transfer", "at"),
           ("Case", "filed_on"), ("JointCheck", "start"))
DATES = dict(FIGURES)

# The region codes are taken from the index first (MATERIALIZED), then grouped: grouping them
# where they are read makes SQLite 3.40 read every row's JSON instead (ten times slower).
_FIGURE_SQL = """
    SELECT * FROM (
      WITH x(rc) AS MATERIALIZED (
        SELECT json_extract(props, '$.region_code') FROM nodes <<hint>>
        WHERE label = '<<label>>' <<cond>>)
      SELECT '<<label>>', substr(rc, 1, :n), NULL, count(*) FROM x GROUP BY 2)"""
_FIGURE_CY = """
    MATCH (x:<<label>>) WHERE true <<cond>>
    RETURN '<<label>>' AS part, left(x.region_code, $n) AS key, null AS name, count(*) AS n"""
_IN_YEAR_SQL = """AND json_extract(props, '$.<<date>>') >= :y0
    AND json_extract(props, '$.<<date>>') < :y1"""
_IN_YEAR_CY = "AND x.<<date>> >= $y0 AND x.<<date>> < $y1"
_IN_SCOPE_SQL = """AND json_extract(props, '$.region_code') >= :prefix
    AND json_extract(props, '$.region_code') < :prefix || char(1114111)"""
_IN_SCOPE_CY = "AND x.region_code STARTS WITH $prefix"

_STATUS_SQL = """
    SELECT 'status', json_extract(props, '$.status'), NULL, count(*)
    FROM nodes <<hint>> WHERE label = 'Clue' <<cond>> GROUP BY 2"""
_STATUS_CY = """
    MATCH (x:Clue) WHERE true <<cond>>
    RETURN 'status' AS part, x.status AS key, null AS name, count(*) AS n"""

# the regions one level below the scope, and the prefectures of the actor's reach
_CHILDREN_SQL = """
    SELECT * FROM (SELECT 'children', key, json_extract(props, '$.name'), NULL FROM nodes
        WHERE label = 'Region' AND key >= :child_prefix
          AND key < :child_prefix || char(1114111)
          AND json_extract(props, '$.level') = :child_level
        ORDER BY key LIMIT 100)"""
_CHILDREN_CY = """
    CALL () {
      MATCH (x:Region) WHERE x.code STARTS WITH $child_prefix AND x.level = $child_level
      RETURN x ORDER BY x.code LIMIT 100 }
    RETURN 'children' AS part, x.code AS key, x.name AS name, null AS n"""
_PREFECTURES_SQL = """
    SELECT * FROM (SELECT 'prefectures', key, json_extract(props, '$.name'), NULL FROM nodes
        WHERE label = 'Region' AND key >= :own_prefix AND key < :own_prefix || char(1114111)
          AND json_extract(props, '$.level') = 'prefecture'
        ORDER BY key LIMIT 100)"""
_PREFECTURES_CY = """
    CALL () {
      MATCH (x:Region) WHERE x.code STARTS WITH $own_prefix AND x.level = 'prefecture'
      RETURN x ORDER BY x.code LIMIT 100 }
    RETURN 'prefectures' AS part, x.code AS key, x.name AS name, null AS n"""

_EXISTS_SQL = """
    SELECT 'exists', key, NULL, NULL FROM nodes WHERE label = 'Region' AND key = :region"""
_EXISTS_CY = """
    MATCH (x:Region {code: $region}) RETURN 'exists' AS part, x.code AS key, null AS name,
    null AS n"""


def _figure(label: str, in_year: bool, in_scope: bool) -> tuple[Fragment, Fragment]:
    """One label's counts per region below, in the year and scope when they are given."""
    node = schema.label(label)
    date = DATES[label]
    if in_year:
        covered = [props for props in node.covering if props[0] == date]
        hint = compose("INDEXED BY <<i>>", i=schema.covering_index(label, date)) if covered \
            else compose("INDEXED BY <<i>>", i=index_name("ix", label, date)) \
            if date in schema.indexed_props(node) else compose("")
    else:
        hint = compose("INDEXED BY <<i>>", i=index_name("ix", label, "region_code"))
    conds_sql = [compose(_IN_YEAR_SQL, date=date)] if in_year else []
    conds_cy = [compose(_IN_YEAR_CY, date=date)] if in_year else []
    if in_scope:
        conds_sql.append(compose(_IN_SCOPE_SQL))
        conds_cy.append(compose(_IN_SCOPE_CY))
    return (compose(_FIGURE_SQL, label=label, hint=hint, cond=join(" ", conds_sql)),
            compose(_FIGURE_CY, label=label, cond=join(" ", conds_cy)))


def _status(in_scope: bool) -> tuple[Fragment, Fragment]:
    if in_scope:
        return (compose(_STATUS_SQL, hint=compose("INDEXED BY <<i>>", i=index_name(
                    "ix", "Clue", "region_code")), cond=compose(_IN_SCOPE_SQL)),
                compose(_STATUS_CY, cond=compose(_IN_SCOPE_CY)))
    return (compose(_STATUS_SQL, hint=compose("INDEXED BY <<i>>", i=index_name(
                "ix", "Clue", "status")), cond=compose("")),
            compose(_STATUS_CY, cond=compose("")))


# A part: ("figure", label), ("status",), ("children",), ("prefectures",) or ("exists",).
Part = tuple[str, ...]


@cache
def counts(parts: tuple[Part, ...], in_year: bool, in_scope: bool) -> NamedQuery:
    """The statement asking for `parts` (a figure or the statuses read `$prefix` only when
    `in_scope`, a figure its year only when `in_year`)."""
    texts = []
    for part in parts:
        if part[0] == "figure":
            texts.append(_figure(part[1], in_year, in_scope))
        elif part[0] == "status":
            texts.append(_status(in_scope))
        elif part[0] == "children":
            texts.append((compose(_CHILDREN_SQL), compose(_CHILDREN_CY)))
        elif part[0] == "prefectures":
            texts.append((compose(_PREFECTURES_SQL), compose(_PREFECTURES_CY)))
        else:
            texts.append((compose(_EXISTS_SQL), compose(_EXISTS_CY)))
    return NamedQuery(name="dashboard counts: " + ", ".join("/".join(p) for p in parts),
                      sql=join(" UNION ALL ", [sql for sql, _ in texts]),
                      cypher=join(" UNION ALL ", [cy for _, cy in texts]), columns=COLUMNS)
