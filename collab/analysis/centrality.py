"""Link analysis on a scoped subgraph: who and what is central, communities, ties, recurrence.

The engine does the selecting and joining (named queries, scoped by region subtree so nothing
outside the actor's reach leaves the store); the graph algorithms then run in Python on the
person–unit–clue projection with igraph (measured against networkx and rustworkx: the
figures and the choice are in docs/BENCHMARKS.md). Every result is a `Table` of plain rows
with node uids (the explorer's links), exportable to CSV or xlsx.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collab.access.authz import Authz, Perm
from collab.access.regions import subtree_prefix
from collab.errors import N_, ValidationError
from collab.graph.store import Graph, NamedQuery
from collab.sheets.guard import neutralise

# Above this many nodes, betweenness is estimated from a fixed sample of sources.
EXACT_BETWEENNESS = 5000
_SAMPLE = 500
_SEED = 7

_EDGE_COLUMNS = ("a", "a_label", "a_name", "b", "b_label", "b_name", "kind")

# --- the person–unit–clue projection (every node in the region subtree) --------------------
PROJECTION = NamedQuery(
    "analysis.projection",
    cypher="""
    MATCH (p:Person)-[:WORKS_AT]->(u:Unit)
    WHERE $prefix IS NULL OR (p.region_code STARTS WITH $prefix
                              AND u.region_code STARTS WITH $prefix)
    RETURN p.uid AS a, 'Person' AS a_label, p.name AS a_name, u.uid AS b, 'Unit' AS b_label,
           u.name AS b_name, 'WORKS_AT' AS kind
    UNION ALL
    MATCH (c:Clue)-[:AGAINST]->(p:Person)
    WHERE $prefix IS NULL OR (c.region_code STARTS WITH $prefix
                              AND p.region_code STARTS WITH $prefix)
    RETURN c.uid AS a, 'Clue' AS a_label, coalesce(c.title, c.no) AS a_name, p.uid AS b,
           'Person' AS b_label, p.name AS b_name, 'AGAINST' AS kind
    UNION ALL
    MATCH (c:Clue)-[:FROM_ISSUE]->(i:Issue)-[:CONCERNS]->(u:Unit)
    WHERE $prefix IS NULL OR (c.region_code STARTS WITH $prefix
                              AND i.region_code STARTS WITH $prefix
                              AND u.region_code STARTS WITH $prefix)
    RETURN DISTINCT c.uid AS a, 'Clue' AS a_label, coalesce(c.title, c.no) AS a_name,
           u.uid AS b, 'Unit' AS b_label, u.name AS b_name, 'CONCERNS' AS kind
    UNION ALL
    MATCH (p:Person)-[:RELATED_TO]->(q:Person)
    WHERE $prefix IS NULL OR (p.region_code STARTS WITH $prefix
                              AND q.region_code STARTS WITH $prefix)
    RETURN p.uid AS a, 'Person' AS a_label, p.name AS a_name, q.uid AS b,
           'Person' AS b_label, q.name AS b_name, 'RELATED_TO' AS kind""",
    sql="""
    WITH v AS NOT MATERIALIZED (
      SELECT id, uid, key, label, props FROM nodes
      WHERE label IN ('Person', 'Unit', 'Clue', 'Issue')
        AND (:prefix IS NULL OR substr(json_extract(props, '$.region_code'), 1,
                                       length(:prefix)) = :prefix))
    SELECT p.uid, 'Person', json_extract(p.props, '$.name'), u.uid, 'Unit',
           json_extract(u.props, '$.name'), 'WORKS_AT'
    FROM rels r JOIN v p ON p.id = r.src AND p.label = 'Person'
         JOIN v u ON u.id = r.dst AND u.label = 'Unit'
    WHERE r.type = 'WORKS_AT'
    UNION ALL
    SELECT c.uid, 'Clue', coalesce(json_extract(c.props, '$.title'), c.key), p.uid, 'Person',
           json_extract(p.props, '$.name'), 'AGAINST'
    FROM rels r JOIN v c ON c.id = r.src AND c.label = 'Clue'
         JOIN v p ON p.id = r.dst AND p.label = 'Person'
    WHERE r.type = 'AGAINST'
    UNION ALL
    SELECT DISTINCT c.uid, 'Clue', coalesce(json_extract(c.props, '$.title'), c.key), u.uid,
           'Unit', json_extract(u.props, '$.name'), 'CONCERNS'
    FROM rels f JOIN v c ON c.id = f.src AND c.label = 'Clue'
         JOIN v i ON i.id = f.dst AND i.label = 'Issue'
         JOIN rels k ON k.src = i.id AND k.type = 'CONCERNS'
         JOIN v u ON u.id = k.dst AND u.label = 'Unit'
    WHERE f.type = 'FROM_ISSUE'
    UNION ALL
    SELECT p.uid, 'Person', json_extract(p.props, '$.name'), q.uid, 'Person',
           json_extract(q.props, '$.name'), 'RELATED_TO'
    FROM rels r JOIN v p ON p.id = r.src AND p.label = 'Person'
         JOIN v q ON q.id = r.dst AND q.label = 'Person'
    WHERE r.type = 'RELATED_TO'""",
    columns=_EDGE_COLUMNS)

# The same projection for a region subtree, starting from each label's region_code index (a
# range on the prefix) so a county's analysis reads the county, not the province: the query
# above filters every node of the four labels, which is right only for the whole graph.
PROJECTION_SCOPED = NamedQuery(
    "analysis.projection_scoped",
    cypher="""
    MATCH (p:Person) WHERE p.region_code STARTS WITH $prefix
    MATCH (p)-[:WORKS_AT]->(u:Unit) WHERE u.region_code STARTS WITH $prefix
    RETURN p.uid AS a, 'Person' AS a_label, p.name AS a_name, u.uid AS b, 'Unit' AS b_label,
           u.name AS b_name, 'WORKS_AT' AS kind
    UNION ALL
    MATCH (c:Clue) WHERE c.region_code STARTS WITH $prefix
    MATCH (c)-[:AGAINST]->(p:Person) WHERE p.region_code STARTS WITH $prefix
    RETURN c.uid AS a, 'Clue' AS a_label, coalesce(c.title, c.no) AS a_name, p.uid AS b,
           'Person' AS b_label, p.name AS b_name, 'AGAINST' AS kind
    UNION ALL
    MATCH (c:Clue) WHERE c.region_code STARTS WITH $prefix
    MATCH (c)-[:FROM_ISSUE]->(i:Issue)-[:CONCERNS]->(u:Unit)
    WHERE i.region_code STARTS WITH $prefix AND u.region_code STARTS WITH $prefix
    RETURN DISTINCT c.uid AS a, 'Clue' AS a_label, coalesce(c.title, c.no) AS a_name,
           u.uid AS b, 'Unit' AS b_label, u.name AS b_name, 'CONCERNS' AS kind
    UNION ALL
    MATCH (p:Person) WHERE p.region_code STARTS WITH $prefix
    MATCH (p)-[:RELATED_TO]->(q:Person) WHERE q.region_code STARTS WITH $prefix
    RETURN p.uid AS a, 'Person' AS a_label, p.name AS a_name, q.uid AS b,
           'Person' AS b_label, q.name AS b_name, 'RELATED_TO' AS kind""",
    sql="""
    SELECT p.uid, 'Person', json_extract(p.props, '$.name'), u.uid, 'Unit',
           json_extract(u.props, '$.name'), 'WORKS_AT'
    FROM nodes p INDEXED BY ix__Person__region_code
         CROSS JOIN rels r ON r.src = p.id AND r.type = 'WORKS_AT'
         CROSS JOIN nodes u ON u.id = r.dst AND u.label = 'Unit'
    WHERE p.label = 'Person' AND json_extract(p.props, '$.region_code') >= :prefix
      AND json_extract(p.props, '$.region_code') < :prefix || char(1114111)
      AND substr(json_extract(u.props, '$.region_code'), 1, length(:prefix)) = :prefix
    UNION ALL
    SELECT c.uid, 'Clue', coalesce(json_extract(c.props, '$.title'), c.key), p.uid, 'Person',
           json_extract(p.props, '$.name'), 'AGAINST'
    FROM nodes c INDEXED BY ix__Clue__region_code
         CROSS JOIN rels r ON r.src = c.id AND r.type = 'AGAINST'
         CROSS JOIN nodes p ON p.id = r.dst AND p.label = 'Person'
    WHERE c.label = 'Clue' AND json_extract(c.props, '$.region_code') >= :prefix
      AND json_extract(c.props, '$.region_code') < :prefix || char(1114111)
      AND substr(json_extract(p.props, '$.region_code'), 1, length(:prefix)) = :prefix
    UNION ALL
    SELECT DISTINCT c.uid, 'Clue', coalesce(json_extract(c.props, '$.title'), c.key), u.uid,
           'Unit', json_extract(u.props, '$.name'), 'CONCERNS'
    FROM nodes c INDEXED BY ix__Clue__region_code
         CROSS JOIN rels f ON f.src = c.id AND f.type = 'FROM_ISSUE'
         CROSS JOIN nodes i ON i.id = f.dst AND i.label = 'Issue'
         CROSS JOIN rels k ON k.src = i.id AND k.type = 'CONCERNS'
         CROSS JOIN nodes u ON u.id = k.dst AND u.label = 'Unit'
    WHERE c.label = 'Clue' AND json_extract(c.props, '$.region_code') >= :prefix
      AND json_extract(c.props, '$.region_code') < :prefix || char(1114111)
      AND substr(json_extract(i.props, '$.region_code'), 1, length(:prefix)) = :prefix
      AND substr(json_extract(u.props, '$.region_code'), 1, length(:prefix)) = :prefix
    UNION ALL
    SELECT p.uid, 'Person', json_extract(p.props, '$.name'), q.uid, 'Person',
           json_extract(q.props, '$.name'), 'RELATED_TO'
    FROM nodes p INDEXED BY ix__Person__region_code
         CROSS JOIN rels r ON r.src = p.id AND r.type = 'RELATED_TO'
         CROSS JOIN nodes q ON q.id = r.dst AND q.label = 'Person'
    WHERE p.label = 'Person' AND json_extract(p.props, '$.region_code') >= :prefix
      AND json_extract(p.props, '$.region_code') < :prefix || char(1114111)
      AND substr(json_extract(q.props, '$.region_code'), 1, length(:prefix)) = :prefix""",
    columns=_EDGE_COLUMNS)

# --- people named in several clues, across units -------------------------------------------
MULTI_CLUE = NamedQuery(
    "analysis.multi_clue_people",
    cypher="""
    MATCH (c:Clue)-[:AGAINST]->(p:Person)
    WHERE $prefix IS NULL OR (c.region_code STARTS WITH $prefix
                              AND p.region_code STARTS WITH $prefix)
    OPTIONAL MATCH (c)-[:FROM_ISSUE]->(i:Issue)-[:CONCERNS]->(u:Unit)
    WHERE $prefix IS NULL OR (i.region_code STARTS WITH $prefix
                              AND u.region_code STARTS WITH $prefix)
    WITH p, count(DISTINCT c) AS clues, count(DISTINCT u) AS units
    WHERE clues >= $min_clues AND units >= $min_units
    RETURN p.uid AS uid, p.name AS name, p.region_code AS region_code, clues, units
    ORDER BY clues DESC, units DESC, uid""",
    sql="""
    WITH v AS NOT MATERIALIZED (
      SELECT id, uid, key, label, props FROM nodes
      WHERE label IN ('Person', 'Unit', 'Clue', 'Issue')
        AND (:prefix IS NULL OR substr(json_extract(props, '$.region_code'), 1,
                                       length(:prefix)) = :prefix)),
    cu AS (
      SELECT f.src AS cid, u.id AS uid FROM rels f
      JOIN v i ON i.id = f.dst AND i.label = 'Issue'
      JOIN rels k ON k.src = i.id AND k.type = 'CONCERNS'
      JOIN v u ON u.id = k.dst AND u.label = 'Unit'
      WHERE f.type = 'FROM_ISSUE')
    SELECT p.uid, json_extract(p.props, '$.name'), json_extract(p.props, '$.region_code'),
           count(DISTINCT c.id) AS clues, count(DISTINCT cu.uid) AS units
    FROM rels r JOIN v c ON c.id = r.src AND c.label = 'Clue'
         JOIN v p ON p.id = r.dst AND p.label = 'Person'
         LEFT JOIN cu ON cu.cid = c.id
    WHERE r.type = 'AGAINST'
    GROUP BY p.id
    HAVING clues >= :min_clues AND units >= :min_units
    ORDER BY clues DESC, units DESC, p.uid""",
    columns=("uid", "name", "region_code", "clues", "units"))

# --- kin or business ties between people in a clue and cadres of who handles it ------------
TIES = NamedQuery(
    "analysis.ties",
    cypher="""
    MATCH (c:Clue)-[:AGAINST]->(p:Person)
    WHERE $prefix IS NULL OR (c.region_code STARTS WITH $prefix
                              AND p.region_code STARTS WITH $prefix)
    OPTIONAL MATCH (c)-[:FROM_ISSUE]->(:Issue)-[:CONCERNS]->(u:Unit)
    OPTIONAL MATCH (c)-[:TRANSFERRED]->(:Transfer)-[:TO]->(d:Department)
    WITH c, p, collect(DISTINCT u) + collect(DISTINCT d) AS handlers
    UNWIND handlers AS h
    MATCH (q:Person)-[w:WORKS_AT]->(h)
    WHERE q <> p AND ($prefix IS NULL OR (q.region_code STARTS WITH $prefix
                                          AND h.region_code STARTS WITH $prefix))
    MATCH (p)-[t:RELATED_TO]-(q)
    RETURN DISTINCT c.no AS clue_no, p.uid AS person, p.name AS person_name,
           t.kind AS kind, q.uid AS cadre, q.name AS cadre_name,
           [l IN labels(h) WHERE l <> 'Node'][0] AS place_label, h.name AS place,
           w.position AS position
    ORDER BY clue_no, person, cadre, place""",
    sql="""
    WITH v AS NOT MATERIALIZED (
      SELECT id, uid, key, label, props FROM nodes
      WHERE label IN ('Person', 'Unit', 'Clue', 'Department')
        AND (:prefix IS NULL OR substr(json_extract(props, '$.region_code'), 1,
                                       length(:prefix)) = :prefix)),
    tie AS NOT MATERIALIZED (
      SELECT src AS a, dst AS b, props FROM rels WHERE type = 'RELATED_TO'
      UNION ALL
      SELECT dst, src, props FROM rels WHERE type = 'RELATED_TO')
    SELECT DISTINCT c.key, p.uid, json_extract(p.props, '$.name'),
           json_extract(t.props, '$.kind'), q.uid, json_extract(q.props, '$.name'),
           h.label, json_extract(h.props, '$.name'), json_extract(w.props, '$.position')
    FROM rels a CROSS JOIN v c ON c.id = a.src AND c.label = 'Clue'
         CROSS JOIN v p ON p.id = a.dst AND p.label = 'Person'
         CROSS JOIN tie t ON t.a = p.id
         CROSS JOIN v q ON q.id = t.b AND q.label = 'Person'
         CROSS JOIN rels w ON w.src = q.id AND w.type = 'WORKS_AT'
         CROSS JOIN v h ON h.id = w.dst
    WHERE a.type = 'AGAINST'
      AND (EXISTS (SELECT 1 FROM rels f JOIN rels k ON k.src = f.dst AND k.type = 'CONCERNS'
                   WHERE f.src = c.id AND f.type = 'FROM_ISSUE' AND k.dst = h.id)
           OR EXISTS (SELECT 1 FROM rels x JOIN rels o ON o.src = x.dst AND o.type = 'TO'
                      WHERE x.src = c.id AND x.type = 'TRANSFERRED' AND o.dst = h.id))
    ORDER BY 1, 2, 5, 8""",
    columns=("clue_no", "person", "person_name", "kind", "cadre", "cadre_name", "place_label",
             "place", "position"))

# --- recurrence: one row per (subject, round) ----------------------------------------------
UNIT_ROUNDS = NamedQuery(
    "analysis.unit_rounds",
    cypher="""
    MATCH (i:Issue)-[:CONCERNS]->(u:Unit), (i)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round)
    WHERE i.category IS NOT NULL
      AND ($prefix IS NULL OR (i.region_code STARTS WITH $prefix
                               AND u.region_code STARTS WITH $prefix))
    RETURN u.uid AS uid, u.name AS name, i.category AS category, r.code AS round,
           r.name AS round_name, r.kind AS round_kind, r.start AS round_start,
           count(DISTINCT i) AS issues
    ORDER BY uid, category, round_start, round""",
    sql="""
    SELECT u.uid, json_extract(u.props, '$.name'), json_extract(i.props, '$.category'),
           r.key, json_extract(r.props, '$.name'), json_extract(r.props, '$.kind'),
           json_extract(r.props, '$.start'), count(DISTINCT i.id)
    FROM nodes i
    JOIN rels k ON k.src = i.id AND k.type = 'CONCERNS'
    JOIN nodes u ON u.id = k.dst AND u.label = 'Unit'
    JOIN rels fb ON fb.src = i.id AND fb.type = 'FOUND_BY'
    JOIN rels o ON o.src = fb.dst AND o.type = 'OF_ROUND'
    JOIN nodes r ON r.id = o.dst AND r.label = 'Round'
    WHERE i.label = 'Issue' AND json_extract(i.props, '$.category') IS NOT NULL
      AND (:prefix IS NULL OR (
            substr(json_extract(i.props, '$.region_code'), 1, length(:prefix)) = :prefix
            AND substr(json_extract(u.props, '$.region_code'), 1, length(:prefix)) = :prefix))
    GROUP BY u.id, json_extract(i.props, '$.category'), r.id
    ORDER BY 1, 3, 7, 4""",
    columns=("uid", "name", "category", "round", "round_name", "round_kind", "round_start",
             "issues"))

PERSON_ROUNDS = NamedQuery(
    "analysis.person_rounds",
    cypher="""
    CALL () {
      MATCH (p:Person)<-[:INVOLVES]-(i:Issue)
      WHERE $prefix IS NULL OR (p.region_code STARTS WITH $prefix
                                AND i.region_code STARTS WITH $prefix)
      RETURN p, i
      UNION
      MATCH (p:Person)<-[:AGAINST]-(c:Clue)-[:FROM_ISSUE]->(i:Issue)
      WHERE $prefix IS NULL OR (p.region_code STARTS WITH $prefix
                                AND c.region_code STARTS WITH $prefix
                                AND i.region_code STARTS WITH $prefix)
      RETURN p, i
    }
    MATCH (i)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round)
    RETURN p.uid AS uid, p.name AS name, r.code AS round, r.name AS round_name,
           r.kind AS round_kind, r.start AS round_start, count(DISTINCT i) AS issues
    ORDER BY uid, round_start, round""",
    sql="""
    WITH v AS NOT MATERIALIZED (
      SELECT id, uid, label, props FROM nodes
      WHERE label IN ('Person', 'Clue', 'Issue')
        AND (:prefix IS NULL OR substr(json_extract(props, '$.region_code'), 1,
                                       length(:prefix)) = :prefix)),
    pi AS (
      SELECT r.dst AS pid, r.src AS iid FROM rels r
      JOIN v i ON i.id = r.src AND i.label = 'Issue'
      JOIN v p ON p.id = r.dst AND p.label = 'Person'
      WHERE r.type = 'INVOLVES'
      UNION
      SELECT a.dst, f.dst FROM rels a
      JOIN v c ON c.id = a.src AND c.label = 'Clue'
      JOIN v p ON p.id = a.dst AND p.label = 'Person'
      JOIN rels f ON f.src = c.id AND f.type = 'FROM_ISSUE'
      JOIN v i ON i.id = f.dst AND i.label = 'Issue'
      WHERE a.type = 'AGAINST')
    SELECT p.uid, json_extract(p.props, '$.name'), r.key, json_extract(r.props, '$.name'),
           json_extract(r.props, '$.kind'), json_extract(r.props, '$.start'),
           count(DISTINCT pi.iid)
    FROM pi JOIN nodes p ON p.id = pi.pid
    JOIN rels fb ON fb.src = pi.iid AND fb.type = 'FOUND_BY'
    JOIN rels o ON o.src = fb.dst AND o.type = 'OF_ROUND'
    JOIN nodes r ON r.id = o.dst AND r.label = 'Round'
    GROUP BY p.id, r.id
    ORDER BY 1, 6, 3""",
    columns=("uid", "name", "round", "round_name", "round_kind", "round_start", "issues"))


@dataclass(frozen=True)
class Table:
    """One result: a title, its columns and its rows (plain values, uids for links)."""

    title: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "columns": list(self.columns), "rows": self.rows}

    def write(self, path: str | Path) -> Path:
        """Export as .csv (UTF-8 with BOM, so Excel opens it) or .xlsx; formulas neutralised."""
        path = Path(path)
        cells = [[_safe(row.get(c)) for c in self.columns] for row in self.rows]
        if path.suffix.lower() == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                out = csv.writer(f)
                out.writerow(self.columns)
                out.writerows(cells)
        elif path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook
            from openpyxl.worksheet.worksheet import Worksheet

            book = Workbook()
            sheet = book.active
            assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
            sheet.title = self.title[:31]
            sheet.append(list(self.columns))
            for row in cells:
                sheet.append(row)
            book.save(path)
        else:
            raise ValidationError(N_("%(file)s: export to .csv or .xlsx"), file=path.name)
        return path


def _safe(value: Any) -> Any:
    """A cell that a spreadsheet will not run as a formula."""
    if isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value)
    return neutralise(value)


@contextmanager
def seeded() -> Iterator[None]:
    """igraph's random choices (Louvain's visiting order, layouts) from a fixed seed, so the
    same graph always gives the same communities and the same picture."""
    import igraph

    igraph.set_random_number_generator(random.Random(_SEED))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def _prefix(authz: Authz) -> str | None:
    """The actor's region subtree prefix (None: the whole deployment), after the permission."""
    authz.require(Perm.EXPLORE)
    return subtree_prefix(authz.actor.region) if authz.actor.region else None


def projection(g: Graph, *, authz: Authz) -> Any:
    """The person–unit–clue graph of the actor's scope as an igraph Graph.

    Vertices carry `uid`, `label` and `name`; the engine has already left out every node
    outside the actor's region, so nothing computed from it can reveal one.
    """
    import igraph

    index: dict[str, int] = {}
    labels: list[str] = []
    names: list[str] = []
    edges: set[tuple[int, int]] = set()
    prefix = _prefix(authz)
    query = PROJECTION if prefix is None else PROJECTION_SCOPED
    for row in g.run(query, prefix=prefix):
        ends = []
        for side in ("a", "b"):
            uid = row[side]
            if uid not in index:
                index[uid] = len(index)
                labels.append(row[side + "_label"])
                names.append(str(row[side + "_name"] or uid))
            ends.append(index[uid])
        edges.add((min(ends), max(ends)))
    graph = igraph.Graph(n=len(index), edges=sorted(edges))
    graph.vs["uid"] = list(index)
    graph.vs["label"] = labels
    graph.vs["name"] = names
    return graph


def rank(g: Graph, *, authz: Authz, labels: Sequence[str] = ("Person", "Unit"),
         top: int = 20) -> Table:
    """People and units ranked by PageRank, with degree and betweenness beside it.

    Betweenness is exact up to `EXACT_BETWEENNESS` nodes, and above that estimated from a
    fixed sample of source nodes (scaled up), which keeps a province-wide run in seconds.
    """
    graph = projection(g, authz=authz)
    n = graph.vcount()
    if n == 0:
        return Table("rank", _RANK_COLUMNS, [])
    pagerank = graph.pagerank()
    if n <= EXACT_BETWEENNESS:
        between = graph.betweenness(directed=False)
    else:
        sources = sorted(random.Random(_SEED).sample(range(n), _SAMPLE))
        between = [b * n / _SAMPLE for b in graph.betweenness(directed=False, sources=sources)]
    pairs = (n - 1) * (n - 2) / 2 or 1
    rows = [{"uid": v["uid"], "label": v["label"], "name": v["name"],
             "degree": graph.degree(v.index), "pagerank": round(pagerank[v.index], 6),
             "betweenness": round(between[v.index] / pairs, 6)}
            for v in graph.vs if v["label"] in labels]
    rows.sort(key=lambda r: (-r["pagerank"], -r["degree"], r["uid"]))
    return Table("rank", _RANK_COLUMNS, rows[:top])


_RANK_COLUMNS = ("uid", "label", "name", "degree", "pagerank", "betweenness")


def communities(g: Graph, *, authz: Authz, min_size: int = 3) -> Table:
    """Louvain communities of the person–unit–clue projection, largest first."""
    graph = projection(g, authz=authz)
    if graph.vcount() == 0:
        return Table("communities", _COMMUNITY_COLUMNS, [])
    with seeded():
        found = graph.community_multilevel()
    groups = sorted((sorted(graph.vs[i]["uid"] for i in members) for members in found
                     if len(members) >= min_size), key=lambda c: (-len(c), c[0]))
    by_uid = {v["uid"]: v for v in graph.vs}
    rows = []
    for number, members in enumerate(groups, start=1):
        kinds = [by_uid[u]["label"] for u in members]
        rows.append({"community": number, "size": len(members),
                     "people": kinds.count("Person"), "units": kinds.count("Unit"),
                     "clues": kinds.count("Clue"),
                     "names": sorted(by_uid[u]["name"] for u in members)[:20],
                     "uids": members})
    return Table("communities", _COMMUNITY_COLUMNS, rows)


_COMMUNITY_COLUMNS = ("community", "size", "people", "units", "clues", "names", "uids")


def multi_clue_people(g: Graph, *, authz: Authz, min_clues: int = 2,
                      min_units: int = 2) -> Table:
    """People named in at least `min_clues` clues concerning at least `min_units` units."""
    rows = g.run(MULTI_CLUE, prefix=_prefix(authz), min_clues=min_clues, min_units=min_units)
    return Table("multi_clue_people", MULTI_CLUE.columns, rows)


def ties(g: Graph, *, authz: Authz) -> Table:
    """Kin or business ties between people in a clue and cadres of the units or departments
    that the clue concerns or was transferred to: the conflicts worth a second look."""
    return Table("ties", TIES.columns, g.run(TIES, prefix=_prefix(authz)))


def recurrence(g: Graph, *, authz: Authz) -> Table:
    """The same kind of problem in the same unit, or the same person, in more than one round.

    A later round that is a follow-up (回头看) finding it again is what rectification that
    did not hold looks like; `follow_up` marks those.
    """
    prefix = _prefix(authz)
    rows = []
    for kind, query, keys in (("unit", UNIT_ROUNDS, ("uid", "category")),
                              ("person", PERSON_ROUNDS, ("uid",))):
        groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for row in g.run(query, prefix=prefix):
            groups.setdefault(tuple(row[k] for k in keys), []).append(row)
        for group in groups.values():
            if len({r["round"] for r in group}) < 2:
                continue
            first = group[0]
            rows.append({"subject": kind, "uid": first["uid"], "name": first["name"],
                         "category": first.get("category"),
                         "rounds": [r["round_name"] or r["round"] for r in group],
                         "issues": sum(r["issues"] for r in group),
                         "follow_up": any(r["round_kind"] == "follow_up" for r in group[1:])})
    rows.sort(key=lambda r: (not r["follow_up"], -len(r["rounds"]), r["subject"], r["uid"],
                             r["category"] or ""))
    return Table("recurrence", ("subject", "uid", "name", "category", "rounds", "issues",
                                "follow_up"), rows)
