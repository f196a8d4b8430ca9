"""The limit each product read is measured against: the best single hand-written query.

For every read the product serves, each engine gets one statement written by hand for the
benchmark's question (`Reference.sqlite` / `.cypher`), run straight through the driver with no
port, codec or Python assembly around it. `answer` turns what either side returns into the
same plain form, so the harness can first check, on sample inputs, that product and reference
answer alike, and then time them interleaved (bench/latency.py).

Where the product is already one statement over an aggregation (conversion, contribution, the
summary) the reference is that statement with the rest the product adds (names, sums) done in
the engine too, so the ratio is what the port and Python cost. The proposal is a ranking
algorithm over several queries and a conflict search: its reference is its own statements
replayed back to back with nothing between them (`replay`), and it has no answer to compare.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from collab.graph.queries import figures as fq
from collab.graph.queries import summary as sq
from collab.graph.query import compose

# --- the clue trace: the whole chain -------------------------------------------------------
TRACE_SQL = """
    WITH c AS (SELECT id FROM nodes WHERE label = 'Clue' AND key = :no),
    l1(rid, nid) AS (
      SELECT r.id, r.dst FROM c JOIN rels r ON r.src = c.id
      WHERE r.type IN ('FROM_ISSUE', 'TRANSFERRED', 'AGAINST', 'BECAME')
      UNION ALL
      SELECT r.id, r.src FROM c JOIN rels r ON r.dst = c.id AND r.type = 'EVENT_OF'),
    l2(rid, nid) AS (
      SELECT r.id, r.dst FROM l1 JOIN rels r ON r.src = l1.nid
      WHERE r.type IN ('FOUND_BY', 'CONCERNS', 'FOUND_WITH', 'TO', 'FILED_BY', 'SUBJECT')
      UNION ALL
      SELECT r.id, r.src FROM l1 JOIN rels r ON r.dst = l1.nid AND r.type = 'EVENT_OF'),
    l3(rid, nid) AS (
      SELECT r.id, r.dst FROM l2 JOIN rels r ON r.src = l2.nid AND r.type = 'OF_ROUND'),
    reached(rid, nid) AS (SELECT * FROM l1 UNION SELECT * FROM l2 UNION SELECT * FROM l3)
    SELECT n.uid, n.label, n.props, NULL, NULL, NULL FROM c JOIN nodes n ON n.id = c.id
    UNION ALL
    SELECT n.uid, n.label, n.props, r.type, s.uid, d.uid
    FROM reached x JOIN rels r ON r.id = x.rid JOIN nodes n ON n.id = x.nid
         JOIN nodes s ON s.id = r.src JOIN nodes d ON d.id = r.dst"""

TRACE_CYPHER = """
    MATCH (c:Clue {no: $no})
    RETURN properties(c) AS clue,
      [(e:Event)-[:EVENT_OF]->(c) | properties(e)] AS steps,
      [(c)-[:FROM_ISSUE]->(i) | {issue: properties(i),
         units: [(i)-[:CONCERNS]->(u) | properties(u)],
         groups: [(i)-[:FOUND_BY]->(g) | {group: properties(g),
                  rounds: [(g)-[:OF_ROUND]->(r) | properties(r)]}],
         found_with: [(i)-[:FOUND_WITH]->(d) | d.name]}] AS issues,
      [(c)-[:AGAINST]->(p) | p.uid] AS against,
      [(c)-[:TRANSFERRED]->(t) | {transfer: properties(t),
         to: [(t)-[:TO]->(d) | d.name],
         steps: [(e:Event)-[:EVENT_OF]->(t) | properties(e)]}] AS transfers,
      [(c)-[:BECAME]->(k) | {case: properties(k),
         filed_by: [(k)-[:FILED_BY]->(d) | d.name],
         subjects: [(k)-[:SUBJECT]->(p) | p.uid],
         steps: [(e:Event)-[:EVENT_OF]->(k) | properties(e)]}] AS cases"""


def _steps(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((str(e.get("on")), str(e.get("to_status")), str(e.get("kind")))
                  for e in events)


def trace_of_product(t: dict[str, Any]) -> dict[str, Any]:
    """A trace (collab.cases.trace) in the plain form both sides are compared in."""
    issues = t["issues"]
    return {"clue": t["clue"]["no"], "steps": _steps(t["steps"]),
            "issues": sorted(i["no"] for i in issues),
            "units": sorted({u["code"] for i in issues for u in i["units"]}),
            "groups": sorted({g["code"] for i in issues for g in i["groups"]}),
            "rounds": sorted({r["code"] for i in issues for g in i["groups"]
                              for r in g["rounds"]}),
            "found_with": sorted({d for i in issues for d in i["found_with"]}),
            "against": sorted(p["uid"] for p in t["against"]),
            "transfers": sorted((x["no"], tuple(sorted(x["to"])), tuple(_steps(x["steps"])))
                                for x in t["transfers"]),
            "cases": sorted((k["no"], tuple(sorted(k["filed_by"])),
                             tuple(sorted(p["uid"] for p in k["subjects"])),
                             tuple(_steps(k["steps"]))) for k in t["cases"])}


def trace_of_sql(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The SQLite reference's rows in the plain form."""
    nodes = {uid: (label, json.loads(props)) for uid, label, props, *_ in rows}
    rels = {(t, s, d) for *_, t, s, d in rows if t is not None}
    clue = rows[0][0]

    def out(src: str, type_: str) -> list[str]:
        return sorted(d for t, s, d in rels if s == src and t == type_)

    def events(uid: str) -> list[tuple[Any, ...]]:
        return _steps([nodes[s][1] for t, s, d in rels if t == "EVENT_OF" and d == uid])

    def prop(uid: str, name: str) -> Any:
        return nodes[uid][1].get(name)

    issues = out(clue, "FROM_ISSUE")
    groups = {g for i in issues for g in out(i, "FOUND_BY")}
    return {"clue": prop(clue, "no"), "steps": events(clue),
            "issues": sorted(prop(i, "no") for i in issues),
            "units": sorted({prop(u, "code") for i in issues for u in out(i, "CONCERNS")}),
            "groups": sorted({prop(g, "code") for g in groups}),
            "rounds": sorted({prop(r, "code") for g in groups for r in out(g, "OF_ROUND")}),
            "found_with": sorted({prop(d, "name") for i in issues
                                  for d in out(i, "FOUND_WITH")}),
            "against": out(clue, "AGAINST"),
            "transfers": sorted((prop(t, "no"), tuple(sorted(prop(d, "name")
                                                             for d in out(t, "TO"))),
                                 tuple(events(t))) for t in out(clue, "TRANSFERRED")),
            "cases": sorted((prop(k, "no"), tuple(sorted(prop(d, "name")
                                                        for d in out(k, "FILED_BY"))),
                             tuple(out(k, "SUBJECT")), tuple(events(k)))
                            for k in out(clue, "BECAME"))}


def trace_of_cypher(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The Neo4j reference's row in the plain form."""
    r = rows[0]
    issues = r["issues"]
    return {"clue": r["clue"]["no"], "steps": _steps(r["steps"]),
            "issues": sorted(i["issue"]["no"] for i in issues),
            "units": sorted({u["code"] for i in issues for u in i["units"]}),
            "groups": sorted({g["group"]["code"] for i in issues for g in i["groups"]}),
            "rounds": sorted({x["code"] for i in issues for g in i["groups"]
                              for x in g["rounds"]}),
            "found_with": sorted({d for i in issues for d in i["found_with"]}),
            "against": sorted(r["against"]),
            "transfers": sorted((t["transfer"]["no"], tuple(sorted(t["to"])),
                                 tuple(_steps(t["steps"]))) for t in r["transfers"]),
            "cases": sorted((k["case"]["no"], tuple(sorted(k["filed_by"])),
                             tuple(sorted(k["subjects"])), tuple(_steps(k["steps"])))
                            for k in r["cases"])}


# --- the capped 2-hop expansion (cap 300, every label the explorer shows) ------------------
# One hop: the relationships of the nodes in <<f>> and the shown nodes at their other ends.
_EXPAND_HOP = """
    a<<i>>(rid, mid) AS MATERIALIZED (
      SELECT r.id, r.dst FROM <<f>> JOIN rels r ON r.src = <<f>>.id
      UNION ALL SELECT r.id, r.src FROM <<f>> JOIN rels r ON r.dst = <<f>>.id),
    m<<i>>(rid, mid, uid, label) AS MATERIALIZED (
      SELECT a<<i>>.rid, a<<i>>.mid, m.uid, m.label FROM a<<i>> JOIN nodes m ON m.id = a<<i>>.mid
      WHERE m.label IN ('Region', 'Unit', 'Department', 'Round', 'Group', 'Person', 'Issue',
                        'Rectification', 'Clue', 'Transfer', 'Case', 'JointCheck', 'Support',
                        'Letter')),"""
EXPAND_SQL = compose("""
    WITH s(id) AS (SELECT id FROM nodes WHERE uid = :uid),<<hop1>>
    h1(id, uid) AS MATERIALIZED (
      SELECT DISTINCT mid, uid FROM m1 WHERE mid NOT IN s ORDER BY uid LIMIT 299),
    k1(id) AS MATERIALIZED (SELECT id FROM s UNION ALL SELECT id FROM h1),<<hop2>>
    h2(id, uid) AS MATERIALIZED (
      SELECT DISTINCT mid, uid FROM m2 WHERE mid NOT IN k1 ORDER BY uid
      LIMIT max(0, 300 - (SELECT count(*) FROM k1))),
    k2(id) AS MATERIALIZED (SELECT id FROM k1 UNION ALL SELECT id FROM h2)
    SELECT 'n', n.uid, n.label, n.props, NULL FROM k2 JOIN nodes n ON n.id = k2.id
    UNION ALL
    SELECT 'r', r.type, s.uid, d.uid, r.props FROM rels r
      JOIN nodes s ON s.id = r.src JOIN nodes d ON d.id = r.dst
    WHERE r.id IN (SELECT rid FROM m1 WHERE mid IN k1 UNION SELECT rid FROM m2 WHERE mid IN k2)
    UNION ALL
    SELECT 'o', label, count(*), NULL, NULL FROM (
      SELECT mid, label FROM m1 UNION SELECT mid, label FROM m2)
    WHERE (SELECT count(*) FROM k2) >= 300 AND mid NOT IN k2 GROUP BY label""",
                     hop1=compose(_EXPAND_HOP, i=1, f=compose("s")),
                     hop2=compose(_EXPAND_HOP, i=2, f=compose("h1")))

EXPAND_CYPHER = """
    MATCH (s:Node {uid: $uid})
    CALL (s) {
      MATCH (s)--(m) WHERE NOT m:Event AND m <> s
      WITH DISTINCT m ORDER BY m.uid LIMIT 299 RETURN collect(m) AS h1 }
    WITH s, h1, [s] + h1 AS k1
    CALL (h1, k1) {
      UNWIND h1 AS n MATCH (n)--(m) WHERE NOT m:Event AND NOT m IN k1
      WITH DISTINCT m ORDER BY m.uid
      WITH collect(m) AS met RETURN met[..(300 - size(k1))] AS h2 }
    WITH s, h1, k1, k1 + h2 AS k2
    CALL (s, h1, k1, k2) {
      MATCH (s)-[r]-(m) WHERE m IN k1 RETURN r
      UNION
      UNWIND h1 AS n MATCH (n)-[r]-(m) WHERE m IN k2 RETURN r }
    WITH s, h1, k2, collect(DISTINCT r) AS rs
    CALL (s, h1, k2) {
      WITH s, h1, k2 WHERE size(k2) >= 300
      UNWIND [s] + h1 AS n MATCH (n)--(m) WHERE NOT m:Event AND NOT m IN k2
      WITH DISTINCT m
      RETURN collect(m) AS left }
    RETURN [x IN k2 | [x.uid, properties(x)]] AS nodes,
           [r IN rs | [type(r), startNode(r).uid, endNode(r).uid, properties(r)]] AS rels,
           [x IN left | [l IN labels(x) WHERE l <> 'Node'][0]] AS omitted"""


def expansion_of_product(sub: Any) -> dict[str, Any]:
    return {"nodes": sorted(n.uid for n in sub.nodes),
            "rels": sorted((r.type, r.src, r.dst) for r in sub.rels),
            "omitted": dict(sorted(sub.omitted.items()))}


def expansion_of_sql(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return {"nodes": sorted(r[1] for r in rows if r[0] == "n"),
            "rels": sorted((r[1], r[2], r[3]) for r in rows if r[0] == "r"),
            "omitted": dict(sorted((r[1], r[2]) for r in rows if r[0] == "o"))}


def expansion_of_cypher(rows: list[dict[str, Any]]) -> dict[str, Any]:
    r = rows[0]
    omitted: dict[str, int] = {}
    for label in r["omitted"]:
        omitted[label] = omitted.get(label, 0) + 1
    return {"nodes": sorted(n[0] for n in r["nodes"]),
            "rels": sorted((x[0], x[1], x[2]) for x in r["rels"]),
            "omitted": dict(sorted(omitted.items()))}


# --- all shortest paths, at most 6 hops, at most 10 of them --------------------------------
# SQLite: distances from each end to 3 hops, the length where they meet, then every walk of
# that length from a whose nodes sit at the right distance from both ends.
# From one end (<<x>>, starting at :<<end>>): every node within three hops, with its distance.
_PATH_REACH = """
    <<x>>(id, d) AS (
      SELECT id, 0 FROM nodes WHERE uid = :<<end>>
      UNION SELECT r.dst, <<x>>.d + 1 FROM <<x>> JOIN rels r ON r.src = <<x>>.id
        JOIN nodes m ON m.id = r.dst AND m.label <> 'Event' WHERE <<x>>.d < 3
      UNION SELECT r.src, <<x>>.d + 1 FROM <<x>> JOIN rels r ON r.dst = <<x>>.id
        JOIN nodes m ON m.id = r.src AND m.label <> 'Event' WHERE <<x>>.d < 3),"""
# One step of a walk, along a relationship from its <<near>> end to its <<far>> end.
_PATH_STEP = """
      SELECT w.pos + 1, m.id, m.uid, w.uids || char(1) || m.uid,
             w.keys || char(1) || r.type || char(2) || <<s>>.uid || char(2) || <<d>>.uid
      FROM walk w JOIN len JOIN rels r ON r.<<near>> = w.id JOIN nodes m ON m.id = r.<<far>>
      WHERE w.pos < len.n
        AND (w.pos + 1 > 3 OR m.id IN (SELECT id FROM da WHERE da.d = w.pos + 1))
        AND (len.n - w.pos - 1 > 3 OR m.id IN (SELECT id FROM db WHERE db.d = len.n - w.pos - 1))
        AND (m.label <> 'Event' OR m.uid = :b)"""
PATH_SQL = compose("""
    WITH RECURSIVE<<from_a>><<from_b>>
    da(id, d) AS MATERIALIZED (SELECT id, min(d) FROM fa GROUP BY id),
    db(id, d) AS MATERIALIZED (SELECT id, min(d) FROM fb GROUP BY id),
    len(n) AS MATERIALIZED (SELECT min(da.d + db.d) FROM da JOIN db ON db.id = da.id),
    walk(pos, id, uid, uids, keys) AS (
      SELECT 0, id, uid, uid, '' FROM nodes WHERE uid = :a
      UNION ALL<<out>>
      UNION ALL<<into>>)
    SELECT uids, keys FROM walk JOIN len
    WHERE pos = len.n AND id = (SELECT id FROM nodes WHERE uid = :b)
    ORDER BY uids, keys LIMIT 10""",
    from_a=compose(_PATH_REACH, x=compose("fa"), end=compose("a")),
    from_b=compose(_PATH_REACH, x=compose("fb"), end=compose("b")),
    out=compose(_PATH_STEP, near=compose("src"), far=compose("dst"), s=compose("w"),
                d=compose("m")),
    into=compose(_PATH_STEP, near=compose("dst"), far=compose("src"), s=compose("m"),
                 d=compose("w")))

PATH_CYPHER = """
    MATCH (a:Node {uid: $a}), (b:Node {uid: $b})
    MATCH p = allShortestPaths((a)-[*..6]-(b))
    WHERE none(x IN nodes(p)[1..-1] WHERE x:Event)
    WITH p, [x IN nodes(p) | x.uid] AS uids,
         [r IN relationships(p) | [type(r), startNode(r).uid, endNode(r).uid]] AS keys
    ORDER BY uids, keys LIMIT 10
    RETURN [x IN nodes(p) | [x.uid, properties(x)]] AS nodes, keys"""


def paths_of_product(routes: list[Any]) -> list[Any]:
    return [([n.uid for n in r.nodes], [[x.type, x.src, x.dst] for x in r.rels])
            for r in routes]


def paths_of_sql(rows: list[tuple[Any, ...]]) -> list[Any]:
    return [(uids.split("\x01"), [k.split("\x02") for k in keys.split("\x01")[1:]])
            for uids, keys in rows]


def paths_of_cypher(rows: list[dict[str, Any]]) -> list[Any]:
    return [([n[0] for n in r["nodes"]], [list(k) for k in r["keys"]]) for r in rows]


# --- conversion by department, with the departments' names -------------------------------
CONVERSION_SQL = compose("""
    WITH conv(grp, transferred, converted, settled) AS (<<conv>>)
    SELECT grp, json_extract(d.props, '$.name'), transferred, converted, settled
    FROM conv LEFT JOIN nodes d ON d.label = 'Department' AND d.key = conv.grp""",
                         conv=fq.CONVERSION["department"].sql)
CONVERSION_CYPHER = compose("""
    CALL () { <<conv>> }
    OPTIONAL MATCH (d:Department {code: grp})
    RETURN grp, d.name AS name, transferred, converted, settled""",
                            conv=fq.CONVERSION["department"].cypher)


def conversion_of_product(rows: list[dict[str, Any]]) -> list[Any]:
    return sorted((r["group"], r["name"], r["transferred"], r["converted"], r["settled"])
                  for r in rows)


def conversion_of_rows(rows: list[Any]) -> list[Any]:
    return sorted(tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows)


def contribution_of_product(rows: list[dict[str, Any]]) -> list[Any]:
    return sorted((r["department"], r["name"], r["cases"], r["from_inspection"]) for r in rows)


def summary_of_product(s: dict[str, Any]) -> list[Any]:
    return [s["issues"], s["problems_solved"], s["clues"], s["clues_transferred"],
            s["cases_from_clues"], s["clues_settled"], s["support_acts"], s["consultations"],
            s["units_inspected"], s["villages_inspected"], round(s["funds_recovered_yuan"], 2),
            s["rectifications_due"], s["rectifications_done"], s["overdue"]]


def summary_of_rows(rows: list[Any]) -> list[Any]:
    r = rows[0] if isinstance(rows[0], dict) else dict(zip(sq.SUMMARY.columns, rows[0],
                                                           strict=True))
    return [r["issues"], r["problems_solved"], r["clues"], r["clues_transferred"] or 0,
            r["cases_from_clues"] or 0, r["clues_settled"] or 0, r["support_acts"],
            r["consultations"], r["units_inspected"], r["villages_inspected"],
            round(float(r["funds_recovered_yuan"] or 0.0), 2), r["due"], r["done"],
            r["overdue"]]


@dataclass(frozen=True)
class Reference:
    """One read's hand-written limit: its text per engine and how each side's answer reads."""

    sqlite: str
    cypher: str
    of_product: Callable[[Any], Any] | None
    of_sql: Callable[[Any], Any] | None
    of_cypher: Callable[[Any], Any] | None


REFERENCES = {
    "trace": Reference(TRACE_SQL, TRACE_CYPHER, trace_of_product, trace_of_sql,
                       trace_of_cypher),
    "expand": Reference(EXPAND_SQL, EXPAND_CYPHER, expansion_of_product, expansion_of_sql,
                        expansion_of_cypher),
    "path": Reference(PATH_SQL, PATH_CYPHER, paths_of_product, paths_of_sql, paths_of_cypher),
    "conversion": Reference(CONVERSION_SQL, CONVERSION_CYPHER, conversion_of_product,
                            conversion_of_rows, conversion_of_rows),
    "contribution": Reference(fq.CONTRIBUTION.sql, fq.CONTRIBUTION.cypher,
                              contribution_of_product, conversion_of_rows, conversion_of_rows),
    "summary": Reference(sq.SUMMARY.sql, sq.SUMMARY.cypher, summary_of_product,
                         summary_of_rows, summary_of_rows),
}
