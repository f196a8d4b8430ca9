"""Questions the clue services ask of the graph: who a clue names, which transfers await."""

from __future__ import annotations

from collab.graph.store import NamedQuery

AGAINST = NamedQuery(
    name="people a clue is against",
    cypher="""MATCH (:Clue {no: $clue_no})-[:AGAINST]->(p:Person)
              RETURN p.uid AS uid ORDER BY uid""",
    sql="""SELECT p.uid FROM nodes c CROSS JOIN rels r ON r.src = c.id AND r.type = 'AGAINST'
           CROSS JOIN nodes p ON p.id = r.dst
           WHERE c.label = 'Clue' AND c.key = :clue_no ORDER BY p.uid""",
    columns=("uid",),
)

# Transfers whose loop is open as of a date: not returned, no feedback yet. `awaiting` is
# 'receipt' before acceptance, else 'feedback'; `overdue` once the feedback due date has passed.
# A transfer recorded (e.g. imported from a ledger) at a disposal or final status without a
# feedback date has fed back: `$disposed` lists those statuses, dated by the transfer date.
AWAITING = NamedQuery(
    name="transfers awaiting receipt or feedback",
    cypher="""
        MATCH (c:Clue)-[:TRANSFERRED]->(t:Transfer)-[:TO]->(d:Department)
        WHERE t.at <= $as_of
          AND NOT (coalesce(t.status, '') = 'returned'
                   AND coalesce(t.status_on, t.at) <= $as_of)
          AND NOT coalesce(coalesce(t.feedback_on, CASE WHEN t.status IN $disposed
                                                        THEN t.at END) <= $as_of, false)
          AND ($department IS NULL OR d.code = $department)
          AND ($prefix IS NULL OR c.region_code STARTS WITH $prefix)
        RETURN t.no AS transfer_no, c.no AS clue_no, c.title AS title,
               d.code AS department, d.name AS department_name, t.at AS at,
               t.letter_no AS letter_no, t.feedback_due AS feedback_due,
               CASE WHEN coalesce(t.received_on <= $as_of, false) THEN 'feedback'
                    ELSE 'receipt' END AS awaiting,
               coalesce(t.feedback_due < $as_of, false) AS overdue
        ORDER BY feedback_due, transfer_no""",
    sql="""
        SELECT t.key, c.key, json_extract(c.props, '$.title'), d.key,
               json_extract(d.props, '$.name'), json_extract(t.props, '$.at'),
               json_extract(t.props, '$.letter_no'), json_extract(t.props, '$.feedback_due'),
               CASE WHEN coalesce(json_extract(t.props, '$.received_on') <= :as_of, 0)
                    THEN 'feedback' ELSE 'receipt' END,
               coalesce(json_extract(t.props, '$.feedback_due') < :as_of, 0)
        FROM nodes c
        CROSS JOIN rels tr ON tr.src = c.id AND tr.type = 'TRANSFERRED'
        CROSS JOIN nodes t ON t.id = tr.dst AND t.label = 'Transfer'
        CROSS JOIN rels tt ON tt.src = t.id AND tt.type = 'TO'
        CROSS JOIN nodes d ON d.id = tt.dst AND d.label = 'Department'
        WHERE c.label = 'Clue' AND json_extract(t.props, '$.at') <= :as_of
          AND NOT (coalesce(json_extract(t.props, '$.status'), '') = 'returned'
                   AND coalesce(json_extract(t.props, '$.status_on'),
                                json_extract(t.props, '$.at')) <= :as_of)
          AND NOT coalesce(coalesce(json_extract(t.props, '$.feedback_on'),
                                    CASE WHEN json_extract(t.props, '$.status')
                                              IN (SELECT value FROM json_each(:disposed))
                                         THEN json_extract(t.props, '$.at') END) <= :as_of, 0)
          AND (:department IS NULL OR d.key = :department)
          AND (:prefix IS NULL OR substr(json_extract(c.props, '$.region_code'), 1,
                                         length(:prefix)) = :prefix)
        ORDER BY json_extract(t.props, '$.feedback_due') IS NULL,
                 json_extract(t.props, '$.feedback_due'), t.key""",
    columns=("transfer_no", "clue_no", "title", "department", "department_name", "at",
             "letter_no", "feedback_due", "awaiting", "overdue"),
)
