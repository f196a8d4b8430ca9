"""Named queries of joint checks: what a check targets, and who could take part in it.

`check` is a JointCheck number. A check targets units directly or through the rectification
tasks it checks (their owner units). Category lists arrive as `categories`; the check itself
is left out of every experience and load count.
"""

from __future__ import annotations

from collab.graph.store import NamedQuery

# The units a check is about: those it checks directly and the owners of the tasks it checks.
CHECK_UNITS = NamedQuery(
    name="units of a check",
    cypher="""
MATCH (j:JointCheck {no: $check})-[:CHECKS]->(t)
OPTIONAL MATCH (t)-[:OWNED_BY]->(o:Unit)
WITH CASE WHEN t:Unit THEN t ELSE o END AS u
WHERE u IS NOT NULL
RETURN DISTINCT u.uid AS uid, u.code AS code, u.name AS name, u.region_code AS region_code
ORDER BY code""",
    sql="""
SELECT DISTINCT u.uid AS uid, json_extract(u.props, '$.code') AS code,
       json_extract(u.props, '$.name') AS name,
       json_extract(u.props, '$.region_code') AS region_code
FROM nodes j
JOIN rels c ON c.src = j.id AND c.type = 'CHECKS'
LEFT JOIN rels o ON o.src = c.dst AND o.type = 'OWNED_BY'
JOIN nodes u ON u.id = coalesce(o.dst, c.dst) AND u.label = 'Unit'
WHERE j.label = 'JointCheck' AND j.key = :check
ORDER BY code""",
    columns=("uid", "code", "name", "region_code"),
)

# The issue categories a check is about: of the tasks it checks and of the units it checks.
CHECK_CATEGORIES = NamedQuery(
    name="issue categories of a check",
    cypher="""
MATCH (j:JointCheck {no: $check})-[:CHECKS]->(t)<-[:HAS_TASK|CONCERNS]-(i:Issue)
WHERE i.category IS NOT NULL
RETURN i.category AS category, count(DISTINCT i) AS n
ORDER BY n DESC, category""",
    sql="""
SELECT json_extract(i.props, '$.category') AS category, count(DISTINCT i.id) AS n
FROM nodes j
JOIN rels c ON c.src = j.id AND c.type = 'CHECKS'
JOIN rels h ON h.dst = c.dst AND h.type IN ('HAS_TASK', 'CONCERNS')
JOIN nodes i ON i.id = h.src AND i.label = 'Issue'
WHERE j.label = 'JointCheck' AND j.key = :check
  AND json_extract(i.props, '$.category') IS NOT NULL
GROUP BY category
ORDER BY n DESC, category""",
    columns=("category", "n"),
)

# People named in the issues (INVOLVES) or clues (AGAINST) of the units `units` (codes).
NAMED_PEOPLE = NamedQuery(
    name="people named in the issues and clues of units",
    cypher="""
MATCH (u:Unit)<-[:CONCERNS]-(i:Issue)-[:INVOLVES]->(p:Person)
WHERE u.code IN $units
RETURN DISTINCT p.uid AS uid, p.name AS name, 'issue' AS how, i.no AS item, u.uid AS unit
UNION
MATCH (u:Unit)<-[:CONCERNS]-(:Issue)<-[:FROM_ISSUE]-(c:Clue)-[:AGAINST]->(p:Person)
WHERE u.code IN $units
RETURN DISTINCT p.uid AS uid, p.name AS name, 'clue' AS how, c.no AS item, u.uid AS unit""",
    sql="""
SELECT DISTINCT p.uid AS uid, json_extract(p.props, '$.name') AS name, 'issue' AS how,
       i.key AS item, u.uid AS unit
FROM nodes u
JOIN rels cn ON cn.dst = u.id AND cn.type = 'CONCERNS'
JOIN nodes i ON i.id = cn.src
JOIN rels iv ON iv.src = i.id AND iv.type = 'INVOLVES'
JOIN nodes p ON p.id = iv.dst
WHERE u.label = 'Unit' AND u.key IN (SELECT value FROM json_each(:units))
UNION
SELECT DISTINCT p.uid, json_extract(p.props, '$.name'), 'clue', c.key, u.uid
FROM nodes u
JOIN rels cn ON cn.dst = u.id AND cn.type = 'CONCERNS'
JOIN rels fi ON fi.dst = cn.src AND fi.type = 'FROM_ISSUE'
JOIN nodes c ON c.id = fi.src
JOIN rels ag ON ag.src = c.id AND ag.type = 'AGAINST'
JOIN nodes p ON p.id = ag.dst
WHERE u.label = 'Unit' AND u.key IN (SELECT value FROM json_each(:units))""",
    columns=("uid", "name", "how", "item", "unit"),
)

# Departments of the regions `regions` (codes), with what they have dealt with in the
# categories before, and their load: open (not closed) checks assigned to them.
DEPARTMENTS = NamedQuery(
    name="department relevance and load",
    cypher="""
MATCH (d:Department)
WHERE d.region_code IN $regions
RETURN d.code AS code, d.name AS name, d.region_code AS region_code,
  COUNT { MATCH (i:Issue)-[:FOUND_WITH]->(d) WHERE i.category IN $categories } AS found_with,
  COUNT { MATCH (c:Case)-[:FILED_BY]->(d)
          WHERE EXISTS { MATCH (c)<-[:BECAME]-(cl:Clue)
                         WHERE cl.category IN $categories
                            OR EXISTS { MATCH (cl)-[:FROM_ISSUE]->(i:Issue)
                                        WHERE i.category IN $categories } } } AS cases,
  COUNT { MATCH (t:Transfer)-[:TO]->(d)
          WHERE EXISTS { MATCH (t)<-[:TRANSFERRED]-(cl:Clue)
                         WHERE cl.category IN $categories
                            OR EXISTS { MATCH (cl)-[:FROM_ISSUE]->(i:Issue)
                                        WHERE i.category IN $categories } } } AS transfers,
  COUNT { MATCH (d)-[:PROVIDED]->(s:Support) WHERE s.category IN $categories } AS support,
  COUNT { MATCH (j:JointCheck)-[:ASSIGNED_TO]->(d)
          WHERE j.no <> $check
            AND EXISTS { MATCH (j)-[:CHECKS]->(:Rectification)<-[:HAS_TASK]-(i:Issue)
                         WHERE i.category IN $categories } } AS checks,
  COUNT { MATCH (j:JointCheck)-[:ASSIGNED_TO]->(d)
          WHERE j.no <> $check AND coalesce(j.status, 'planned') <> 'closed' } AS load
ORDER BY code""",
    sql="""
SELECT json_extract(d.props, '$.code') AS code, json_extract(d.props, '$.name') AS name,
  json_extract(d.props, '$.region_code') AS region_code,
  (SELECT count(*) FROM rels f JOIN nodes i ON i.id = f.src
    WHERE f.dst = d.id AND f.type = 'FOUND_WITH'
      AND json_extract(i.props, '$.category') IN (SELECT value FROM json_each(:categories))
  ) AS found_with,
  (SELECT count(*) FROM rels fb
    WHERE fb.dst = d.id AND fb.type = 'FILED_BY' AND EXISTS (
      SELECT 1 FROM rels b JOIN nodes cl ON cl.id = b.src
      WHERE b.dst = fb.src AND b.type = 'BECAME' AND (
        json_extract(cl.props, '$.category') IN (SELECT value FROM json_each(:categories))
        OR EXISTS (SELECT 1 FROM rels fi JOIN nodes i ON i.id = fi.dst
                   WHERE fi.src = cl.id AND fi.type = 'FROM_ISSUE'
                     AND json_extract(i.props, '$.category')
                         IN (SELECT value FROM json_each(:categories)))))
  ) AS cases,
  (SELECT count(*) FROM rels tt
    WHERE tt.dst = d.id AND tt.type = 'TO' AND EXISTS (
      SELECT 1 FROM rels tr JOIN nodes cl ON cl.id = tr.src
      WHERE tr.dst = tt.src AND tr.type = 'TRANSFERRED' AND (
        json_extract(cl.props, '$.category') IN (SELECT value FROM json_each(:categories))
        OR EXISTS (SELECT 1 FROM rels fi JOIN nodes i ON i.id = fi.dst
                   WHERE fi.src = cl.id AND fi.type = 'FROM_ISSUE'
                     AND json_extract(i.props, '$.category')
                         IN (SELECT value FROM json_each(:categories)))))
  ) AS transfers,
  (SELECT count(*) FROM rels pv JOIN nodes s ON s.id = pv.dst
    WHERE pv.src = d.id AND pv.type = 'PROVIDED'
      AND json_extract(s.props, '$.category') IN (SELECT value FROM json_each(:categories))
  ) AS support,
  (SELECT count(*) FROM rels a JOIN nodes j ON j.id = a.src
    WHERE a.dst = d.id AND a.type = 'ASSIGNED_TO' AND j.key <> :check AND EXISTS (
      SELECT 1 FROM rels ck JOIN nodes r ON r.id = ck.dst AND r.label = 'Rectification'
      JOIN rels ht ON ht.dst = r.id AND ht.type = 'HAS_TASK'
      JOIN nodes i ON i.id = ht.src
      WHERE ck.src = j.id AND ck.type = 'CHECKS'
        AND json_extract(i.props, '$.category') IN (SELECT value FROM json_each(:categories)))
  ) AS checks,
  (SELECT count(*) FROM rels a JOIN nodes j ON j.id = a.src
    WHERE a.dst = d.id AND a.type = 'ASSIGNED_TO' AND j.key <> :check
      AND coalesce(json_extract(j.props, '$.status'), 'planned') <> 'closed'
  ) AS load
FROM nodes d
WHERE d.label = 'Department'
  AND json_extract(d.props, '$.region_code') IN (SELECT value FROM json_each(:regions))
ORDER BY code""",
    columns=("code", "name", "region_code", "found_with", "cases", "transfers", "support",
             "checks", "load"),
)

# People working at one of `departments` (codes) as of `as_of`, with their own experience in
# the categories (checks taken part in, issues found by their inspection groups) and load.
PEOPLE = NamedQuery(
    name="department staff experience and load",
    cypher="""
MATCH (p:Person)-[w:WORKS_AT]->(d:Department)
WHERE d.code IN $departments
  AND (w.since IS NULL OR w.since <= $as_of) AND (w.until IS NULL OR w.until >= $as_of)
RETURN p.uid AS uid, p.name AS name, d.code AS department, w.position AS position,
  COUNT { MATCH (p)-[:ON_CHECK]->(j:JointCheck)
          WHERE j.no <> $check
            AND EXISTS { MATCH (j)-[:CHECKS]->(:Rectification)<-[:HAS_TASK]-(i:Issue)
                         WHERE i.category IN $categories } } AS checks,
  COUNT { MATCH (p)-[:MEMBER_OF]->(:Group)<-[:FOUND_BY]-(i:Issue)
          WHERE i.category IN $categories } AS found,
  COUNT { MATCH (p)-[:ON_CHECK]->(j:JointCheck)
          WHERE j.no <> $check AND coalesce(j.status, 'planned') <> 'closed' } AS load
ORDER BY department, uid""",
    sql="""
SELECT p.uid AS uid, json_extract(p.props, '$.name') AS name, d.key AS department,
  json_extract(w.props, '$.position') AS position,
  (SELECT count(*) FROM rels oc JOIN nodes j ON j.id = oc.dst
    WHERE oc.src = p.id AND oc.type = 'ON_CHECK' AND j.key <> :check AND EXISTS (
      SELECT 1 FROM rels ck JOIN nodes r ON r.id = ck.dst AND r.label = 'Rectification'
      JOIN rels ht ON ht.dst = r.id AND ht.type = 'HAS_TASK'
      JOIN nodes i ON i.id = ht.src
      WHERE ck.src = j.id AND ck.type = 'CHECKS'
        AND json_extract(i.props, '$.category') IN (SELECT value FROM json_each(:categories)))
  ) AS checks,
  (SELECT count(*) FROM rels m
    JOIN rels fb ON fb.dst = m.dst AND fb.type = 'FOUND_BY'
    JOIN nodes i ON i.id = fb.src
    WHERE m.src = p.id AND m.type = 'MEMBER_OF'
      AND json_extract(i.props, '$.category') IN (SELECT value FROM json_each(:categories))
  ) AS found,
  (SELECT count(*) FROM rels oc JOIN nodes j ON j.id = oc.dst
    WHERE oc.src = p.id AND oc.type = 'ON_CHECK' AND j.key <> :check
      AND coalesce(json_extract(j.props, '$.status'), 'planned') <> 'closed'
  ) AS load
FROM nodes d
JOIN rels w ON w.dst = d.id AND w.type = 'WORKS_AT'
JOIN nodes p ON p.id = w.src
WHERE d.label = 'Department' AND d.key IN (SELECT value FROM json_each(:departments))
  AND coalesce(json_extract(w.props, '$.since') <= :as_of, 1)
  AND coalesce(json_extract(w.props, '$.until') >= :as_of, 1)
ORDER BY department, uid""",
    columns=("uid", "name", "department", "position", "checks", "found", "load"),
)
