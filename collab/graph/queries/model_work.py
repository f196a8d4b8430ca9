"""The supervision models over the case-work graph, each one question written for both engines.

Like the data-set models (`model_lists`), each returns one row per piece of evidence, sorted,
with `$prefix` (or null) on the node the hit is about; the model groups rows into hits and
applies the thresholds and date windows in Python. Cut-off dates arrive ready-made (`$cutoff`).
"""

from __future__ import annotations

from collab.graph.queries.scope import in_prefix_cy, in_prefix_sql
from collab.graph.query import compose
from collab.graph.store import NamedQuery

# The clues against each person named in two or more clues in scope, with each clue's issue,
# unit and round (回头看: the same person across rounds or units). Unordered: tens of thousands
# of rows at province scale, sorted in Python (`declare.ordered`) faster than by the engine.
REPEAT_SUBJECT = NamedQuery(
    name="model: a person in clues of several rounds or units",
    cypher=compose("""
        MATCH (c:Clue)-[:AGAINST]->(p:Person)
        WHERE <<scope>>
        WITH p, collect(c) AS clues
        WHERE size(clues) >= 2
        UNWIND clues AS c
        OPTIONAL MATCH (c)-[:FROM_ISSUE]->(i:Issue)
        OPTIONAL MATCH (i)-[:CONCERNS]->(u:Unit)
        OPTIONAL MATCH (i)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round)
        RETURN p.uid AS person, p.name AS name, p.region_code AS person_region,
               c.no AS clue, c.region_code AS region_code, i.no AS issue, u.code AS unit,
               r.code AS round""", scope=in_prefix_cy(compose("c"))),
    sql=compose("""
        WITH named AS (
          SELECT ag.dst AS pid FROM nodes c
          CROSS JOIN rels ag ON ag.src = c.id AND ag.type = 'AGAINST'
          WHERE c.label = 'Clue' AND <<scope>>
          GROUP BY ag.dst HAVING count(*) >= 2)
        SELECT p.uid, json_extract(p.props, '$.name'), json_extract(p.props, '$.region_code'),
               c.key, json_extract(c.props, '$.region_code'), i.key, u.key, r.key
        FROM named
        CROSS JOIN nodes p ON p.id = named.pid
        CROSS JOIN rels ag ON ag.dst = p.id AND ag.type = 'AGAINST'
        CROSS JOIN nodes c ON c.id = ag.src AND c.label = 'Clue'
        LEFT JOIN rels fi ON fi.src = c.id AND fi.type = 'FROM_ISSUE'
        LEFT JOIN nodes i ON i.id = fi.dst AND i.label = 'Issue'
        LEFT JOIN rels cn ON cn.src = i.id AND cn.type = 'CONCERNS'
        LEFT JOIN nodes u ON u.id = cn.dst AND u.label = 'Unit'
        LEFT JOIN rels fb ON fb.src = i.id AND fb.type = 'FOUND_BY'
        LEFT JOIN rels orr ON orr.src = fb.dst AND orr.type = 'OF_ROUND'
        LEFT JOIN nodes r ON r.id = orr.dst AND r.label = 'Round'
        WHERE <<scope>>""", scope=in_prefix_sql(compose("c"))),
    columns=("person", "name", "person_region", "clue", "region_code", "issue", "unit",
             "round"),
)

# Issues found in a unit after a task of an earlier issue of the same category there was closed
# (销号后复发); the model keeps those within its window of months.
RECURRENCE = NamedQuery(
    name="model: an issue returns after its task was closed",
    cypher=compose("""
        MATCH (t:Rectification)<-[:HAS_TASK]-(i:Issue)-[:CONCERNS]->(u:Unit)
              <-[:CONCERNS]-(j:Issue)
        WHERE t.closed_on IS NOT NULL AND j <> i AND j.category = i.category
          AND j.found_on > t.closed_on AND <<scope>>
        RETURN t.no AS task, t.closed_on AS closed_on, i.no AS issue, i.category AS category,
               u.code AS unit, u.name AS unit_name, j.no AS again, j.found_on AS found_on,
               j.region_code AS region_code
        ORDER BY task, again""", scope=in_prefix_cy(compose("j"))),
    sql=compose("""
        SELECT t.key, json_extract(t.props, '$.closed_on'), i.key,
               json_extract(i.props, '$.category'), u.key, json_extract(u.props, '$.name'),
               j.key, json_extract(j.props, '$.found_on'), json_extract(j.props, '$.region_code')
        FROM nodes t
        CROSS JOIN rels ht ON ht.dst = t.id AND ht.type = 'HAS_TASK'
        CROSS JOIN nodes i ON i.id = ht.src AND i.label = 'Issue'
        CROSS JOIN rels ic ON ic.src = i.id AND ic.type = 'CONCERNS'
        CROSS JOIN nodes u ON u.id = ic.dst AND u.label = 'Unit'
        CROSS JOIN rels jc ON jc.dst = u.id AND jc.type = 'CONCERNS'
        CROSS JOIN nodes j ON j.id = jc.src AND j.label = 'Issue'
        WHERE t.label = 'Rectification' AND json_extract(t.props, '$.closed_on') > ''
          AND j.id <> i.id
          AND json_extract(j.props, '$.category') = json_extract(i.props, '$.category')
          AND json_extract(j.props, '$.found_on') > json_extract(t.props, '$.closed_on')
          AND <<scope>>
        ORDER BY 1, 7""", scope=in_prefix_sql(compose("j"))),
    columns=("task", "closed_on", "issue", "category", "unit", "unit_name", "again",
             "found_on", "region_code"),
)

# Tasks closed (销号) with no evidence, or whose first dated evidence line ("[2024-05-01] …")
# comes after the closing. Undated evidence (from a ledger) counts as evidence.
CLOSED_UNEVIDENCED = NamedQuery(
    name="model: a task closed without evidence before its closing",
    cypher=compose("""
        MATCH (t:Rectification)
        WHERE t.closed_on IS NOT NULL AND <<scope>>
          AND (t.evidence IS NULL OR trim(t.evidence) = ''
               OR (t.evidence STARTS WITH '[' AND substring(t.evidence, 1, 10) > t.closed_on))
        OPTIONAL MATCH (t)-[:OWNED_BY]->(u:Unit)
        OPTIONAL MATCH (i:Issue)-[:HAS_TASK]->(t)
        RETURN t.no AS task, t.title AS title, t.closed_on AS closed_on,
               t.region_code AS region_code,
               CASE WHEN t.evidence IS NULL OR trim(t.evidence) = '' THEN null
                    ELSE substring(t.evidence, 1, 10) END AS first_evidence,
               u.code AS unit, u.name AS unit_name, i.no AS issue
        ORDER BY task, unit, issue""", scope=in_prefix_cy(compose("t"))),
    sql=compose("""
        SELECT t.key, json_extract(t.props, '$.title'), json_extract(t.props, '$.closed_on'),
               json_extract(t.props, '$.region_code'),
               CASE WHEN trim(coalesce(json_extract(t.props, '$.evidence'), '')) = '' THEN NULL
                    ELSE substr(json_extract(t.props, '$.evidence'), 2, 10) END,
               u.key, json_extract(u.props, '$.name'), i.key
        FROM nodes t
        LEFT JOIN rels ob ON ob.src = t.id AND ob.type = 'OWNED_BY'
        LEFT JOIN nodes u ON u.id = ob.dst AND u.label = 'Unit'
        LEFT JOIN rels ht ON ht.dst = t.id AND ht.type = 'HAS_TASK'
        LEFT JOIN nodes i ON i.id = ht.src AND i.label = 'Issue'
        WHERE t.label = 'Rectification' AND json_extract(t.props, '$.closed_on') > ''
          AND <<scope>>
          AND (trim(coalesce(json_extract(t.props, '$.evidence'), '')) = ''
               OR (substr(json_extract(t.props, '$.evidence'), 1, 1) = '['
                   AND substr(json_extract(t.props, '$.evidence'), 2, 10)
                       > json_extract(t.props, '$.closed_on')))
        ORDER BY 1, 6, 8""", scope=in_prefix_sql(compose("t"))),
    columns=("task", "title", "closed_on", "region_code", "first_evidence", "unit",
             "unit_name", "issue"),
)

# Joint-check members who work at a unit the check inspects (directly or as owner of a task
# it checks), or, within `$hops` = 2, are related to someone who does.
CHECK_CONFLICT = NamedQuery(
    name="model: a joint-check member tied to the inspected unit",
    cypher=compose("""
        MATCH (p:Person)-[:ON_CHECK]->(j:JointCheck)-[:CHECKS]->(t)
        WHERE <<scope>>
        OPTIONAL MATCH (t)-[:OWNED_BY]->(o:Unit)
        WITH DISTINCT p, j, t, CASE WHEN t:Unit THEN t ELSE o END AS u
        WHERE u IS NOT NULL
        CALL (p, u) {
          MATCH (p)-[w:WORKS_AT]->(u)
          RETURN null AS via, null AS via_name, 'works_at' AS how, w.position AS detail
          UNION
          MATCH (p)-[k:RELATED_TO]-(q:Person)-[:WORKS_AT]->(u)
          WHERE $hops >= 2 AND q <> p
          RETURN q.uid AS via, q.name AS via_name, 'related' AS how, k.kind AS detail
        }
        RETURN j.no AS check_no, j.title AS title, j.region_code AS region_code,
               p.uid AS person, p.name AS name,
               CASE WHEN t:Unit THEN 'Unit' ELSE 'Rectification' END AS target_label,
               CASE WHEN t:Unit THEN t.code ELSE t.no END AS target,
               u.code AS unit, u.name AS unit_name, via, via_name, how, detail
        ORDER BY check_no, person, target, how, via""", scope=in_prefix_cy(compose("j"))),
    sql=compose("""
        WITH targets AS (
          SELECT j.id AS jid, p.id AS pid, t.label AS target_label, t.key AS target,
                 coalesce(o.dst, CASE WHEN t.label = 'Unit' THEN t.id END) AS uid_
          FROM nodes j
          CROSS JOIN rels oc ON oc.dst = j.id AND oc.type = 'ON_CHECK'
          CROSS JOIN nodes p ON p.id = oc.src AND p.label = 'Person'
          CROSS JOIN rels ck ON ck.src = j.id AND ck.type = 'CHECKS'
          CROSS JOIN nodes t ON t.id = ck.dst
          LEFT JOIN rels o ON o.src = t.id AND o.type = 'OWNED_BY' AND t.label <> 'Unit'
          WHERE j.label = 'JointCheck' AND <<scope>>),
        ties AS (
          SELECT tg.*, NULL AS via, 'works_at' AS how,
                 json_extract(w.props, '$.position') AS detail
          FROM targets tg
          CROSS JOIN rels w ON w.src = tg.pid AND w.dst = tg.uid_ AND w.type = 'WORKS_AT'
          UNION
          SELECT tg.*, k.dst, 'related', json_extract(k.props, '$.kind')
          FROM targets tg
          CROSS JOIN rels k ON k.src = tg.pid AND k.type = 'RELATED_TO'
          CROSS JOIN rels w ON w.src = k.dst AND w.dst = tg.uid_ AND w.type = 'WORKS_AT'
          WHERE :hops >= 2
          UNION
          SELECT tg.*, k.src, 'related', json_extract(k.props, '$.kind')
          FROM targets tg
          CROSS JOIN rels k ON k.dst = tg.pid AND k.type = 'RELATED_TO'
          CROSS JOIN rels w ON w.src = k.src AND w.dst = tg.uid_ AND w.type = 'WORKS_AT'
          WHERE :hops >= 2)
        SELECT j.key, json_extract(j.props, '$.title'), json_extract(j.props, '$.region_code'),
               p.uid, json_extract(p.props, '$.name'), ties.target_label, ties.target,
               u.key, json_extract(u.props, '$.name'), q.uid, json_extract(q.props, '$.name'),
               ties.how, ties.detail
        FROM ties
        CROSS JOIN nodes j ON j.id = ties.jid
        CROSS JOIN nodes p ON p.id = ties.pid
        CROSS JOIN nodes u ON u.id = ties.uid_ AND u.label = 'Unit'
        LEFT JOIN nodes q ON q.id = ties.via
        ORDER BY 1, 4, 7, 12, 10""", scope=in_prefix_sql(compose("j"))),
    columns=("check_no", "title", "region_code", "person", "name", "target_label", "target",
             "unit", "unit_name", "via", "via_name", "how", "detail"),
)

# Clues registered (again, after a return) on or before the cut-off and never handed on since:
# no live transfer (线索沉睡).
DORMANT_CLUE = NamedQuery(
    name="model: a clue registered and not transferred",
    cypher=compose("""
        MATCH (c:Clue)
        WHERE c.status = 'registered' AND coalesce(c.status_on, c.registered_on) <= $cutoff
          AND <<scope>>
          AND NOT EXISTS { MATCH (c)-[:TRANSFERRED]->(t:Transfer)
                           WHERE coalesce(t.status, '') <> 'returned' }
        OPTIONAL MATCH (c)-[:FROM_ISSUE]->(i:Issue)
        OPTIONAL MATCH (i)-[:CONCERNS]->(u:Unit)
        OPTIONAL MATCH (c)-[:AGAINST]->(p:Person)
        RETURN c.no AS clue, c.title AS title, coalesce(c.status_on, c.registered_on) AS since,
               c.region_code AS region_code, i.no AS issue, u.code AS unit, p.uid AS person
        ORDER BY clue, issue, unit, person""", scope=in_prefix_cy(compose("c"))),
    sql=compose("""
        SELECT c.key, json_extract(c.props, '$.title'),
               coalesce(json_extract(c.props, '$.status_on'),
                        json_extract(c.props, '$.registered_on')),
               json_extract(c.props, '$.region_code'), i.key, u.key, p.uid
        FROM nodes c
        LEFT JOIN rels fi ON fi.src = c.id AND fi.type = 'FROM_ISSUE'
        LEFT JOIN nodes i ON i.id = fi.dst AND i.label = 'Issue'
        LEFT JOIN rels cn ON cn.src = i.id AND cn.type = 'CONCERNS'
        LEFT JOIN nodes u ON u.id = cn.dst AND u.label = 'Unit'
        LEFT JOIN rels ag ON ag.src = c.id AND ag.type = 'AGAINST'
        LEFT JOIN nodes p ON p.id = ag.dst AND p.label = 'Person'
        WHERE c.label = 'Clue' AND json_extract(c.props, '$.status') = 'registered'
          AND coalesce(json_extract(c.props, '$.status_on'),
                       json_extract(c.props, '$.registered_on')) <= :cutoff
          AND <<scope>>
          AND NOT EXISTS (
              SELECT 1 FROM rels tr CROSS JOIN nodes t ON t.id = tr.dst
              WHERE tr.src = c.id AND tr.type = 'TRANSFERRED'
                AND coalesce(json_extract(t.props, '$.status'), '') <> 'returned')
        ORDER BY 1, 5, 6, 7""", scope=in_prefix_sql(compose("c"))),
    columns=("clue", "title", "since", "region_code", "issue", "unit", "person"),
)

# Each unit's issues of each round, for the units with at least `$min_issues` issues in a
# round and not one clue registered from them (possible under-reporting).
SILENT_UNIT = NamedQuery(
    name="model: many issues and no clue",
    cypher=compose("""
        MATCH (i:Issue)-[:CONCERNS]->(u:Unit), (i)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round)
        WHERE <<scope>>
        WITH u, r, collect(DISTINCT i) AS issues
        WHERE size(issues) >= $min_issues
          AND NONE(x IN issues WHERE EXISTS { MATCH (x)<-[:FROM_ISSUE]-(:Clue) })
        UNWIND issues AS i
        RETURN u.code AS unit, u.name AS unit_name, u.region_code AS region_code,
               r.code AS round, r.name AS round_name, size(issues) AS issues, i.no AS issue
        ORDER BY unit, round, issue""", scope=in_prefix_cy(compose("u"))),
    sql=compose("""
        WITH found AS (
          SELECT DISTINCT u.id AS uid_, o.dst AS rid, i.id AS iid
          FROM nodes u
          CROSS JOIN rels cn ON cn.dst = u.id AND cn.type = 'CONCERNS'
          CROSS JOIN nodes i ON i.id = cn.src AND i.label = 'Issue'
          CROSS JOIN rels fb ON fb.src = i.id AND fb.type = 'FOUND_BY'
          CROSS JOIN rels o ON o.src = fb.dst AND o.type = 'OF_ROUND'
          WHERE u.label = 'Unit' AND <<scope>>),
        silent AS (
          SELECT uid_, rid, count(*) AS n FROM found
          GROUP BY uid_, rid
          HAVING count(*) >= :min_issues
             AND max(EXISTS (SELECT 1 FROM rels f WHERE f.dst = found.iid
                                                    AND f.type = 'FROM_ISSUE')) = 0)
        SELECT u.key, json_extract(u.props, '$.name'), json_extract(u.props, '$.region_code'),
               r.key, json_extract(r.props, '$.name'), silent.n, i.key
        FROM silent
        CROSS JOIN found ON found.uid_ = silent.uid_ AND found.rid = silent.rid
        CROSS JOIN nodes u ON u.id = silent.uid_
        CROSS JOIN nodes r ON r.id = silent.rid AND r.label = 'Round'
        CROSS JOIN nodes i ON i.id = found.iid
        ORDER BY 1, 4, 7""", scope=in_prefix_sql(compose("u"))),
    columns=("unit", "unit_name", "region_code", "round", "round_name", "issues", "issue"),
)
