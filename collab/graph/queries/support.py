"""Named query of the collaboration record: support acts counted per department and kind."""

from __future__ import annotations

from collab.graph.store import NamedQuery

# Support acts in a region subtree (`prefix`, '' for all), dated in [start, end], optionally
# for one round (`round`, '' for any), per providing department and kind.
SUPPORT_COUNTS = NamedQuery(
    name="support acts per department and kind",
    cypher="""
MATCH (d:Department)-[:PROVIDED]->(s:Support)
WHERE coalesce(s.region_code, '') STARTS WITH $prefix AND s.on >= $start AND s.on <= $end
  AND ($round = '' OR EXISTS { MATCH (s)-[:FOR]->(r:Round) WHERE r.code = $round })
RETURN d.code AS department, d.name AS name, s.kind AS kind, count(s) AS n
ORDER BY department, kind""",
    sql="""
SELECT d.key AS department, json_extract(d.props, '$.name') AS name,
       json_extract(s.props, '$.kind') AS kind, count(*) AS n
FROM nodes d
JOIN rels p ON p.src = d.id AND p.type = 'PROVIDED'
JOIN nodes s ON s.id = p.dst
WHERE d.label = 'Department'
  AND substr(coalesce(json_extract(s.props, '$.region_code'), ''), 1, length(:prefix)) = :prefix
  AND json_extract(s.props, '$.on') >= :start AND json_extract(s.props, '$.on') <= :end
  AND (:round = '' OR EXISTS (
        SELECT 1 FROM rels f JOIN nodes r ON r.id = f.dst
        WHERE f.src = s.id AND f.type = 'FOR' AND r.key = :round))
GROUP BY department, name, kind
ORDER BY department, kind""",
    columns=("department", "name", "kind", "n"),
)
