"""The models' hits as people list and count them, for both engines.

Every query takes `$prefix` (region subtree of the reader, or null), `$hidden` (data sets the
reader may not use: a hit resting on one is not theirs to see) and the list filters `$model`
and `$status` (or null).
"""

from __future__ import annotations

from collab.graph.queries.scope import in_prefix_cy, in_prefix_sql
from collab.graph.query import compose
from collab.graph.store import NamedQuery

_VISIBLE_CY = compose("""<<scope>>
          AND NONE(s IN coalesce(h.datasets, []) WHERE s IN $hidden)
          AND ($model IS NULL OR h.model = $model)
          AND ($status IS NULL OR h.status = $status)""", scope=in_prefix_cy(compose("h")))
_VISIBLE_SQL = compose("""<<scope>>
          AND NOT EXISTS (SELECT 1 FROM json_each(coalesce(json_extract(h.props, '$.datasets'),
                                                           '[]')) s
                          WHERE s.value IN (SELECT value FROM json_each(:hidden)))
          AND (:model IS NULL OR json_extract(h.props, '$.model') = :model)
          AND (:status IS NULL OR json_extract(h.props, '$.status') = :status)""",
                       scope=in_prefix_sql(compose("h")))

HIT_COLUMNS = ("no", "model", "subject", "severity", "region_code", "status", "status_on",
               "first_seen", "last_seen", "runs", "clue_no", "facts")

HITS = NamedQuery(
    name="model hits, newest first",
    cypher=compose("""
        MATCH (h:ModelHit) WHERE <<visible>>
        RETURN h.no AS no, h.model AS model, h.subject AS subject, h.severity AS severity,
               h.region_code AS region_code, h.status AS status, h.status_on AS status_on,
               h.first_seen AS first_seen, h.last_seen AS last_seen, h.runs AS runs,
               h.clue_no AS clue_no, h.facts AS facts
        ORDER BY first_seen DESC, no SKIP $skip LIMIT $limit""", visible=_VISIBLE_CY),
    sql=compose("""
        SELECT h.key, json_extract(h.props, '$.model'), json_extract(h.props, '$.subject'),
               json_extract(h.props, '$.severity'), json_extract(h.props, '$.region_code'),
               json_extract(h.props, '$.status'), json_extract(h.props, '$.status_on'),
               json_extract(h.props, '$.first_seen'), json_extract(h.props, '$.last_seen'),
               json_extract(h.props, '$.runs'), json_extract(h.props, '$.clue_no'),
               json_extract(h.props, '$.facts')
        FROM nodes h WHERE h.label = 'ModelHit' AND <<visible>>
        ORDER BY 8 DESC, 1 LIMIT :limit OFFSET :skip""", visible=_VISIBLE_SQL),
    columns=HIT_COLUMNS,
)

HIT_COUNT = NamedQuery(
    name="model hits counted",
    cypher=compose("MATCH (h:ModelHit) WHERE <<visible>> RETURN count(h) AS n",
                   visible=_VISIBLE_CY),
    sql=compose("SELECT count(*) FROM nodes h WHERE h.label = 'ModelHit' AND <<visible>>",
                visible=_VISIBLE_SQL),
    columns=("n",),
)

# Per model: its hits by triage state, the clues registered from them, how many of those were
# transferred (a live transfer) and how many became a case.
FIGURES = NamedQuery(
    name="model figures",
    cypher=compose("""
        MATCH (h:ModelHit) WHERE <<visible>>
        OPTIONAL MATCH (c:Clue)-[:FROM_HIT]->(h)
        WITH h, c,
             CASE WHEN c IS NOT NULL AND EXISTS {
                 MATCH (c)-[:TRANSFERRED]->(t:Transfer)
                 WHERE coalesce(t.status, '') <> 'returned' } THEN 1 ELSE 0 END AS sent,
             CASE WHEN c IS NOT NULL AND EXISTS { MATCH (c)-[:BECAME]->(:Case) }
                  THEN 1 ELSE 0 END AS filed
        RETURN h.model AS model, count(DISTINCT h) AS hits,
               count(DISTINCT CASE WHEN h.status = 'pending' THEN h END) AS pending,
               count(DISTINCT CASE WHEN h.status = 'confirmed' THEN h END) AS confirmed,
               count(DISTINCT CASE WHEN h.status = 'dismissed' THEN h END) AS dismissed,
               count(DISTINCT c) AS clues,
               count(DISTINCT CASE WHEN sent = 1 THEN c END) AS transferred,
               count(DISTINCT CASE WHEN filed = 1 THEN c END) AS cases
        ORDER BY model""", visible=_VISIBLE_CY),
    sql=compose("""
        SELECT json_extract(h.props, '$.model') AS model, count(DISTINCT h.id),
               count(DISTINCT CASE WHEN json_extract(h.props, '$.status') = 'pending'
                                   THEN h.id END),
               count(DISTINCT CASE WHEN json_extract(h.props, '$.status') = 'confirmed'
                                   THEN h.id END),
               count(DISTINCT CASE WHEN json_extract(h.props, '$.status') = 'dismissed'
                                   THEN h.id END),
               count(DISTINCT c.id),
               count(DISTINCT CASE WHEN EXISTS (
                   SELECT 1 FROM rels tr CROSS JOIN nodes t ON t.id = tr.dst
                   WHERE tr.src = c.id AND tr.type = 'TRANSFERRED'
                     AND coalesce(json_extract(t.props, '$.status'), '') <> 'returned')
                   THEN c.id END),
               count(DISTINCT CASE WHEN EXISTS (
                   SELECT 1 FROM rels b WHERE b.src = c.id AND b.type = 'BECAME')
                   THEN c.id END)
        FROM nodes h
        LEFT JOIN rels fh ON fh.dst = h.id AND fh.type = 'FROM_HIT'
        LEFT JOIN nodes c ON c.id = fh.src AND c.label = 'Clue'
        WHERE h.label = 'ModelHit' AND <<visible>>
        GROUP BY model ORDER BY model""", visible=_VISIBLE_SQL),
    columns=("model", "hits", "pending", "confirmed", "dismissed", "clues", "transferred",
             "cases"),
)
