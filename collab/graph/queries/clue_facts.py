"""What `collab.cases.clue_facts` reads to keep a clue's figure shortcut: its transfers and
cases, and the clues behind given transfers or cases (`$nos`: a list of keys)."""

from __future__ import annotations

from collab.graph.query import compose
from collab.graph.store import NamedQuery

TRANSFERS = NamedQuery(
    name="clue facts: the transfers of these clues",
    cypher=compose("""
        UNWIND $nos AS no
        MATCH (c:Clue {no: no})-[:TRANSFERRED]->(t:Transfer)
        OPTIONAL MATCH (t)-[:TO]->(d:Department)
        RETURN c.no AS clue_no, t.no AS no, t.at AS at, t.status AS status,
               t.status_on AS status_on, d.code AS dept"""),
    sql=compose("""
        SELECT c.key, t.key, json_extract(t.props, '$.at'), json_extract(t.props, '$.status'),
               json_extract(t.props, '$.status_on'), d.key
        FROM json_each(:nos) j
        CROSS JOIN nodes c ON c.label = 'Clue' AND c.key = j.value
        CROSS JOIN rels tr ON tr.src = c.id AND tr.type = 'TRANSFERRED'
        CROSS JOIN nodes t ON t.id = tr.dst AND t.label = 'Transfer'
        LEFT JOIN rels tt ON tt.src = t.id AND tt.type = 'TO'
        LEFT JOIN nodes d ON d.id = tt.dst AND d.label = 'Department'"""),
    columns=("clue_no", "no", "at", "status", "status_on", "dept"),
)

CASES = NamedQuery(
    name="clue facts: the cases these clues became",
    cypher=compose("""
        UNWIND $nos AS no
        MATCH (c:Clue {no: no})-[:BECAME]->(k:Case)
        OPTIONAL MATCH (k)-[:FILED_BY]->(d:Department)
        RETURN c.no AS clue_no, k.no AS no, k.filed_on AS filed_on, d.code AS dept"""),
    sql=compose("""
        SELECT c.key, k.key, json_extract(k.props, '$.filed_on'), d.key
        FROM json_each(:nos) j
        CROSS JOIN nodes c ON c.label = 'Clue' AND c.key = j.value
        CROSS JOIN rels b ON b.src = c.id AND b.type = 'BECAME'
        CROSS JOIN nodes k ON k.id = b.dst AND k.label = 'Case'
        LEFT JOIN rels f ON f.src = k.id AND f.type = 'FILED_BY'
        LEFT JOIN nodes d ON d.id = f.dst AND d.label = 'Department'"""),
    columns=("clue_no", "no", "filed_on", "dept"),
)

CLUES_OF = NamedQuery(
    name="clue facts: the clues behind these transfers and cases",
    cypher=compose("""
        UNWIND $transfers AS no
        MATCH (c:Clue)-[:TRANSFERRED]->(:Transfer {no: no})
        RETURN c.no AS clue_no
        UNION
        UNWIND $cases AS no
        MATCH (c:Clue)-[:BECAME]->(:Case {no: no})
        RETURN c.no AS clue_no"""),
    sql=compose("""
        SELECT c.key FROM json_each(:transfers) j
        CROSS JOIN nodes t ON t.label = 'Transfer' AND t.key = j.value
        CROSS JOIN rels tr ON tr.dst = t.id AND tr.type = 'TRANSFERRED'
        CROSS JOIN nodes c ON c.id = tr.src
        UNION
        SELECT c.key FROM json_each(:cases) j
        CROSS JOIN nodes k ON k.label = 'Case' AND k.key = j.value
        CROSS JOIN rels b ON b.dst = k.id AND b.type = 'BECAME'
        CROSS JOIN nodes c ON c.id = b.src"""),
    columns=("clue_no",),
)
