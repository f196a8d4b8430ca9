"""Named queries of rectification: the ledger listing and the letters sent about tasks.

The ledger takes `prefix` (a region subtree prefix, '' for everything) and compares dates as
the ISO text they are stored as; a task's status defaults to `open` when it has none.
"""

from __future__ import annotations

from collab.graph.store import NamedQuery

_LEDGER_COLUMNS = ("no", "title", "status", "deadline", "unit_code", "unit_name", "issue_no",
                   "issue_title", "responsible", "leader", "principal", "evidence", "score",
                   "reopened", "done_on", "verified_on", "closed_on", "version")

# One row per task in scope with one of `statuses` and a deadline in [start, end]; only the
# tasks numbered `nos` unless that list is empty.
LEDGER = NamedQuery(
    name="rectification ledger",
    cypher="""
MATCH (r:Rectification)
WHERE coalesce(r.region_code, '') STARTS WITH $prefix
  AND coalesce(r.status, 'open') IN $statuses
  AND r.deadline >= $start AND r.deadline <= $end
  AND (size($nos) = 0 OR r.no IN $nos)
OPTIONAL MATCH (r)-[:OWNED_BY]->(u:Unit)
OPTIONAL MATCH (i:Issue)-[:HAS_TASK]->(r)
RETURN r.no AS no, r.title AS title, coalesce(r.status, 'open') AS status,
       r.deadline AS deadline, u.code AS unit_code, u.name AS unit_name, i.no AS issue_no,
       i.title AS issue_title, r.responsible AS responsible, r.leader AS leader,
       r.principal AS principal, r.evidence AS evidence, r.score AS score,
       coalesce(r.reopened, 0) AS reopened, r.done_on AS done_on,
       r.verified_on AS verified_on, r.closed_on AS closed_on,
       coalesce(r.version, 0) AS version
ORDER BY deadline, no""",
    sql="""
SELECT json_extract(r.props, '$.no') AS no, json_extract(r.props, '$.title') AS title,
       coalesce(json_extract(r.props, '$.status'), 'open') AS status,
       json_extract(r.props, '$.deadline') AS deadline,
       json_extract(u.props, '$.code') AS unit_code, json_extract(u.props, '$.name') AS unit_name,
       json_extract(i.props, '$.no') AS issue_no, json_extract(i.props, '$.title') AS issue_title,
       json_extract(r.props, '$.responsible') AS responsible,
       json_extract(r.props, '$.leader') AS leader,
       json_extract(r.props, '$.principal') AS principal,
       json_extract(r.props, '$.evidence') AS evidence, json_extract(r.props, '$.score') AS score,
       coalesce(json_extract(r.props, '$.reopened'), 0) AS reopened,
       json_extract(r.props, '$.done_on') AS done_on,
       json_extract(r.props, '$.verified_on') AS verified_on,
       json_extract(r.props, '$.closed_on') AS closed_on,
       coalesce(json_extract(r.props, '$.version'), 0) AS version
FROM nodes r
LEFT JOIN rels o ON o.src = r.id AND o.type = 'OWNED_BY'
LEFT JOIN nodes u ON u.id = o.dst AND u.label = 'Unit'
LEFT JOIN rels h ON h.dst = r.id AND h.type = 'HAS_TASK'
LEFT JOIN nodes i ON i.id = h.src AND i.label = 'Issue'
WHERE r.label = 'Rectification'
  AND substr(coalesce(json_extract(r.props, '$.region_code'), ''), 1, length(:prefix)) = :prefix
  AND coalesce(json_extract(r.props, '$.status'), 'open')
      IN (SELECT value FROM json_each(:statuses))
  AND json_extract(r.props, '$.deadline') >= :start
  AND json_extract(r.props, '$.deadline') <= :end
  AND (json_array_length(:nos) = 0 OR r.key IN (SELECT value FROM json_each(:nos)))
ORDER BY deadline, no""",
    columns=_LEDGER_COLUMNS,
)

# The last letter of each kind sent about each of the tasks `nos`.
LAST_LETTERS = NamedQuery(
    name="last letter per task and kind",
    cypher="""
MATCH (l:Letter)-[:ABOUT]->(r:Rectification)
WHERE r.no IN $nos
RETURN r.no AS no, l.kind AS kind, max(l.sent_on) AS last
ORDER BY no, kind""",
    sql="""
SELECT r.key AS no, json_extract(l.props, '$.kind') AS kind,
       max(json_extract(l.props, '$.sent_on')) AS last
FROM nodes r
JOIN rels a ON a.dst = r.id AND a.type = 'ABOUT'
JOIN nodes l ON l.id = a.src
WHERE r.label = 'Rectification' AND r.key IN (SELECT value FROM json_each(:nos))
GROUP BY no, kind
ORDER BY no, kind""",
    columns=("no", "kind", "last"),
)
