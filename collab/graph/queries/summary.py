"""The counts of a scope's summary (issues, clues, support, units inspected, funds,
rectification), each a facts part with a count tail and a list tail (the drill-down).

Scope parameters as in `figures.py`: prefix, round, department, category, p_from, p_to, as_of.
Villages are counted by the inspected unit's kind `village_branch` (村（社区）党组织).
"""

from __future__ import annotations

from dataclasses import dataclass

from collab.graph.queries import figures as fq
from collab.graph.queries import scope
from collab.graph.query import Fragment, compose
from collab.graph.schema import covering_index
from collab.graph.store import NamedQuery


@dataclass(frozen=True)
class Figure:
    """A counted thing: the query giving its counts and the one listing what it counted."""

    counts: NamedQuery
    rows: NamedQuery


def _figure(name: str, *, cypher: Fragment, sql: Fragment, columns: tuple[str, ...],
            count_cypher: str, count_sql: str, counts: tuple[str, ...],
            cypher_columns: Fragment | None = None) -> Figure:
    """The two queries of a figure. On Neo4j a facts part may keep its node and leave the
    listed properties to `cypher_columns` (the RETURN list), so the counts read only the
    properties they count: over a province's 200,000 issues each extra read shows."""
    listed = ", ".join(columns)
    return Figure(
        counts=NamedQuery(name=name, columns=counts,
                          cypher=compose(count_cypher, facts=cypher),
                          sql=compose(count_sql, facts=sql)),
        rows=NamedQuery(name=name + ": rows", columns=columns,
                        cypher=compose("<<facts>> RETURN <<cols>> ORDER BY <<first>>",
                                       facts=cypher, cols=cypher_columns or compose(listed),
                                       first=compose(columns[0])),
                        sql=compose("<<facts>> SELECT <<cols>> FROM facts ORDER BY <<first>>",
                                    facts=sql, cols=compose(listed),
                                    first=compose(columns[0]))))


ISSUES = _figure(
    "issues found, and problems of the masses solved",
    cypher=compose("""
        MATCH (i:Issue)
        WHERE i.found_on >= $p_from AND i.found_on <= $p_to AND i.found_on <= $as_of
          AND <<in_prefix>>
          AND ($category IS NULL OR i.category = $category)
          AND ($department IS NULL OR EXISTS {
                MATCH (i)-[:FOUND_WITH]->(d:Department) WHERE d.code = $department })
          AND <<in_round>>
        WITH i, (coalesce(i.masses_problem, false) AND coalesce(i.solved, false)) AS solved""",
                   in_prefix=scope.in_prefix_cy(compose("i")), in_round=scope.ISSUE_IN_ROUND_CY),
    cypher_columns=compose("i.no AS no, i.title AS title, i.found_on AS found_on, "
                           "i.region_code AS region_code, solved"),
    sql=compose("""
        WITH facts AS (
          SELECT i.key AS no, json_extract(i.props, '$.title') AS title,
                 json_extract(i.props, '$.found_on') AS found_on,
                 json_extract(i.props, '$.region_code') AS region_code,
                 (coalesce(json_extract(i.props, '$.masses_problem'), 0)
                  AND coalesce(json_extract(i.props, '$.solved'), 0)) AS solved
          FROM nodes i INDEXED BY <<cover>>
          WHERE i.label = 'Issue' AND json_extract(i.props, '$.found_on') >= :p_from
            AND json_extract(i.props, '$.found_on') <= :p_to
            AND json_extract(i.props, '$.found_on') <= :as_of
            AND <<in_prefix>>
            AND (:category IS NULL OR json_extract(i.props, '$.category') = :category)
            AND (:department IS NULL OR EXISTS (
                  SELECT 1 FROM rels w CROSS JOIN nodes d ON d.id = w.dst
                  WHERE w.src = i.id AND w.type = 'FOUND_WITH' AND d.key = :department))
            AND <<in_round>>)""",
                in_prefix=scope.in_prefix_sql(compose("i")), in_round=scope.ISSUE_IN_ROUND_SQL,
                cover=covering_index("Issue", "found_on")),
    columns=("no", "title", "found_on", "region_code", "solved"),
    count_cypher="""<<facts>> RETURN count(*) AS issues,
                    sum(CASE WHEN solved THEN 1 ELSE 0 END) AS problems_solved""",
    count_sql="<<facts>> SELECT count(*), coalesce(sum(solved), 0) FROM facts",
    counts=("issues", "problems_solved"),
)

CLUES = _figure(
    "clues registered",
    cypher=compose("""
        MATCH (c:Clue)
        WHERE c.registered_on >= $p_from AND c.registered_on <= $p_to
          AND c.registered_on <= $as_of
          AND ($department IS NULL OR EXISTS {
                MATCH (c)-[:TRANSFERRED]->(:Transfer)-[:TO]->(d:Department)
                WHERE d.code = $department })
          AND <<clue_scope>>
        WITH c.no AS no, c.title AS title, c.registered_on AS registered_on,
             c.status AS status""", clue_scope=scope.CLUE_CY),
    sql=compose("""
        WITH facts AS (
          SELECT c.key AS no, json_extract(c.props, '$.title') AS title,
                 json_extract(c.props, '$.registered_on') AS registered_on,
                 json_extract(c.props, '$.status') AS status
          FROM nodes c INDEXED BY <<cover>>
          WHERE c.label = 'Clue' AND json_extract(c.props, '$.registered_on') >= :p_from
            AND json_extract(c.props, '$.registered_on') <= :p_to
            AND json_extract(c.props, '$.registered_on') <= :as_of
            AND (:department IS NULL OR EXISTS (
                  SELECT 1 FROM rels tr CROSS JOIN rels tt ON tt.src = tr.dst AND tt.type = 'TO'
                  CROSS JOIN nodes d ON d.id = tt.dst
                  WHERE tr.src = c.id AND tr.type = 'TRANSFERRED' AND d.key = :department))
            AND <<clue_scope>>)""", clue_scope=scope.CLUE_SQL,
                cover=covering_index("Clue", "registered_on")),
    columns=("no", "title", "registered_on", "status"),
    count_cypher="<<facts>> RETURN count(*) AS clues",
    count_sql="<<facts>> SELECT count(*) FROM facts",
    counts=("clues",),
)

SUPPORT_FACTS_CY = compose("""
        MATCH (d:Department)-[:PROVIDED]->(s:Support)
        WHERE s.on >= $p_from AND s.on <= $p_to AND s.on <= $as_of
          AND ($prefix IS NULL OR coalesce(s.region_code, d.region_code) STARTS WITH $prefix)
          AND ($department IS NULL OR d.code = $department)
          AND ($round IS NULL OR EXISTS {
                MATCH (s)-[:FOR]->(r:Round) WHERE r.code = $round })
        WITH s.no AS no, s.kind AS kind, s.on AS on_date, d.code AS dept""")
SUPPORT_FACTS_SQL = compose("""
        WITH facts AS (
          SELECT s.key AS no, json_extract(s.props, '$.kind') AS kind,
                 json_extract(s.props, '$.on') AS on_date, d.key AS dept
          FROM nodes s CROSS JOIN rels p ON p.dst = s.id AND p.type = 'PROVIDED'
          CROSS JOIN nodes d ON d.id = p.src AND d.label = 'Department'
          WHERE s.label = 'Support' AND json_extract(s.props, '$.on') >= :p_from
            AND json_extract(s.props, '$.on') <= :p_to
            AND json_extract(s.props, '$.on') <= :as_of
            AND (:prefix IS NULL OR substr(coalesce(json_extract(s.props, '$.region_code'),
                                                    json_extract(d.props, '$.region_code')),
                                           1, length(:prefix)) = :prefix)
            AND (:department IS NULL OR d.key = :department)
            AND (:round IS NULL OR EXISTS (
                  SELECT 1 FROM rels f CROSS JOIN nodes r ON r.id = f.dst
                  WHERE f.src = s.id AND f.type = 'FOR' AND r.key = :round)))""")

SUPPORT = _figure(
    "support acts by collaborating departments",
    cypher=SUPPORT_FACTS_CY,
    sql=SUPPORT_FACTS_SQL,
    columns=("no", "kind", "on_date", "dept"),
    count_cypher="""<<facts>> RETURN count(*) AS support_acts,
                    sum(CASE WHEN kind = 'consultation' THEN 1 ELSE 0 END) AS consultations""",
    count_sql="""<<facts>> SELECT count(*),
                 coalesce(sum(kind = 'consultation'), 0) FROM facts""",
    counts=("support_acts", "consultations"),
)

UNITS = _figure(
    "units inspected by rounds in the period",
    cypher=compose("""
        MATCH (r:Round)<-[:OF_ROUND]-(:Group)-[:INSPECTS]->(u:Unit)
        WHERE r.start <= $p_to AND coalesce(r.end, r.start) >= $p_from AND r.start <= $as_of
          AND ($round IS NULL OR r.code = $round)
          AND <<in_prefix>>
        WITH DISTINCT u
        WITH u.code AS code, u.name AS name, u.kind AS kind,
             coalesce(u.kind, '') = 'village_branch' AS village""",
                   in_prefix=scope.in_prefix_cy(compose("u"))),
    sql=compose("""
        WITH facts AS (
          SELECT DISTINCT u.key AS code, json_extract(u.props, '$.name') AS name,
                 json_extract(u.props, '$.kind') AS kind,
                 coalesce(json_extract(u.props, '$.kind'), '') = 'village_branch' AS village
          FROM nodes r CROSS JOIN rels o ON o.dst = r.id AND o.type = 'OF_ROUND'
          CROSS JOIN rels i ON i.src = o.src AND i.type = 'INSPECTS'
          CROSS JOIN nodes u ON u.id = i.dst AND u.label = 'Unit'
          WHERE r.label = 'Round' AND json_extract(r.props, '$.start') <= :p_to
            AND coalesce(json_extract(r.props, '$.end'), json_extract(r.props, '$.start'))
                >= :p_from
            AND json_extract(r.props, '$.start') <= :as_of
            AND (:round IS NULL OR r.key = :round)
            AND <<in_prefix>>)""", in_prefix=scope.in_prefix_sql(compose("u"))),
    columns=("code", "name", "kind", "village"),
    count_cypher="""<<facts>> RETURN count(*) AS units_inspected,
                    sum(CASE WHEN village THEN 1 ELSE 0 END) AS villages_inspected""",
    count_sql="<<facts>> SELECT count(*), coalesce(sum(village), 0) FROM facts",
    counts=("units_inspected", "villages_inspected"),
)

FUNDS = _figure(
    "funds recovered in cases filed in the period",
    cypher=compose("""
        MATCH (k:Case)
        WHERE k.filed_on >= $p_from AND k.filed_on <= $p_to AND k.filed_on <= $as_of
          AND <<in_prefix>>
          AND ($department IS NULL OR EXISTS {
                MATCH (k)-[:FILED_BY]->(d:Department) WHERE d.code = $department })
          AND ($round IS NULL OR EXISTS {
                MATCH (k)<-[:BECAME]-(:Clue)-[:FROM_ISSUE]->(:Issue)-[:FOUND_BY]->(:Group)
                      -[:OF_ROUND]->(r:Round) WHERE r.code = $round })
        WITH k.no AS no, k.title AS title, k.filed_on AS filed_on,
             coalesce(k.funds_recovered, 0.0) AS funds""",
                   in_prefix=scope.in_prefix_cy(compose("k"))),
    sql=compose("""
        WITH facts AS (
          SELECT k.key AS no, json_extract(k.props, '$.title') AS title,
                 json_extract(k.props, '$.filed_on') AS filed_on,
                 coalesce(json_extract(k.props, '$.funds_recovered'), 0.0) AS funds
          FROM nodes k
          WHERE k.label = 'Case' AND json_extract(k.props, '$.filed_on') >= :p_from
            AND json_extract(k.props, '$.filed_on') <= :p_to
            AND json_extract(k.props, '$.filed_on') <= :as_of
            AND <<in_prefix>>
            AND (:department IS NULL OR EXISTS (
                  SELECT 1 FROM rels f CROSS JOIN nodes d ON d.id = f.dst
                  WHERE f.src = k.id AND f.type = 'FILED_BY' AND d.key = :department))
            AND (:round IS NULL OR EXISTS (
                  SELECT 1 FROM rels bc
                  CROSS JOIN rels a ON a.src = bc.src AND a.type = 'FROM_ISSUE'
                  CROSS JOIN rels b ON b.src = a.dst AND b.type = 'FOUND_BY'
                  CROSS JOIN rels o ON o.src = b.dst AND o.type = 'OF_ROUND'
                  CROSS JOIN nodes r ON r.id = o.dst
                  WHERE bc.dst = k.id AND bc.type = 'BECAME' AND r.key = :round)))""",
                in_prefix=scope.in_prefix_sql(compose("k"))),
    columns=("no", "title", "filed_on", "funds"),
    count_cypher="<<facts>> RETURN count(*) AS cases, sum(funds) AS funds_recovered_yuan",
    count_sql="<<facts>> SELECT count(*), coalesce(sum(funds), 0.0) FROM facts",
    counts=("cases", "funds_recovered_yuan"),
)

# Rectification due in the period by the as-of date; done = done or verified by then.
RECTIFICATION = _figure(
    "rectification: due, done, on time, overdue, reopened",
    cypher=compose("""
        MATCH (x:Rectification)
        WHERE x.deadline >= $p_from AND x.deadline <= $p_to AND x.deadline <= $as_of
          AND <<in_prefix>>
          AND ($category IS NULL OR EXISTS {
                MATCH (i:Issue)-[:HAS_TASK]->(x) WHERE i.category = $category })
          AND ($round IS NULL OR EXISTS {
                MATCH (x)<-[:HAS_TASK]-(:Issue)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round)
                WHERE r.code = $round })
        WITH x, coalesce(x.status IN ['done', 'verified']
                         AND coalesce(x.done_on, x.verified_on, '') <= $as_of, false) AS done
        WITH x, done,
             coalesce(done AND coalesce(x.done_on, x.verified_on) <= x.deadline, false)
               AS on_time,
             NOT done AND x.deadline < $as_of AS overdue,
             coalesce(x.reopened, 0) > 0 AS reopened,
             CASE WHEN NOT done AND x.deadline < $as_of
                  THEN duration.inDays(date(x.deadline), date($as_of)).days END AS age""",
                   in_prefix=scope.in_prefix_cy(compose("x"))),
    cypher_columns=compose("x.no AS no, x.title AS title, x.deadline AS deadline, "
                           "x.status AS status, done, on_time, overdue, reopened, age"),
    sql=compose("""
        WITH base AS (
          SELECT x.key AS no, json_extract(x.props, '$.title') AS title,
                 json_extract(x.props, '$.deadline') AS deadline,
                 json_extract(x.props, '$.status') AS status,
                 coalesce(json_extract(x.props, '$.status') IN ('done', 'verified')
                          AND coalesce(json_extract(x.props, '$.done_on'),
                                       json_extract(x.props, '$.verified_on'), '') <= :as_of,
                          0) AS done,
                 coalesce(json_extract(x.props, '$.done_on'),
                          json_extract(x.props, '$.verified_on')) AS done_on,
                 coalesce(json_extract(x.props, '$.reopened'), 0) > 0 AS reopened
          FROM nodes x INDEXED BY <<cover>>
          WHERE x.label = 'Rectification' AND json_extract(x.props, '$.deadline') >= :p_from
            AND json_extract(x.props, '$.deadline') <= :p_to
            AND json_extract(x.props, '$.deadline') <= :as_of
            AND <<in_prefix>>
            AND (:category IS NULL OR EXISTS (
                  SELECT 1 FROM rels h CROSS JOIN nodes i ON i.id = h.src
                  WHERE h.dst = x.id AND h.type = 'HAS_TASK'
                    AND json_extract(i.props, '$.category') = :category))
            AND (:round IS NULL OR EXISTS (
                  SELECT 1 FROM rels h CROSS JOIN rels b ON b.src = h.src AND b.type = 'FOUND_BY'
                  CROSS JOIN rels o ON o.src = b.dst AND o.type = 'OF_ROUND'
                  CROSS JOIN nodes r ON r.id = o.dst
                  WHERE h.dst = x.id AND h.type = 'HAS_TASK' AND r.key = :round))),
        facts AS (
          SELECT no, title, deadline, status, done,
                 coalesce(done AND done_on <= deadline, 0) AS on_time,
                 NOT done AND deadline < :as_of AS overdue, reopened,
                 CASE WHEN NOT done AND deadline < :as_of
                      THEN CAST(julianday(:as_of) - julianday(deadline) AS INTEGER) END AS age
          FROM base)""", in_prefix=scope.in_prefix_sql(compose("x")),
                cover=covering_index("Rectification", "deadline")),
    columns=("no", "title", "deadline", "status", "done", "on_time", "overdue", "reopened",
             "age"),
    count_cypher="""<<facts>> RETURN count(*) AS due,
        sum(CASE WHEN done THEN 1 ELSE 0 END) AS done,
        sum(CASE WHEN on_time THEN 1 ELSE 0 END) AS on_time,
        sum(CASE WHEN overdue THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN reopened THEN 1 ELSE 0 END) AS reopened,
        max(age) AS oldest_overdue_days, avg(age) AS mean_overdue_days""",
    count_sql="""<<facts>> SELECT count(*), coalesce(sum(done), 0), coalesce(sum(on_time), 0),
        coalesce(sum(overdue), 0), coalesce(sum(reopened), 0), max(age), avg(age) FROM facts""",
    counts=("due", "done", "on_time", "overdue", "reopened", "oldest_overdue_days",
            "mean_overdue_days"),
)

SUPPORT_BY_KIND = NamedQuery(
    name="support acts by kind",
    cypher=compose("<<facts>> RETURN kind, count(*) AS n ORDER BY kind", facts=SUPPORT_FACTS_CY),
    sql=compose("<<facts>> SELECT kind, count(*) FROM facts GROUP BY kind ORDER BY kind",
                facts=SUPPORT_FACTS_SQL),
    columns=("kind", "n"),
)

# Clues from the issues in scope (found in the period; with `department`, found with it), and
# the cases they became by the as-of date: a collaborator's share of the scope's clue work.
ISSUE_CLUES = _figure(
    "clues and cases from the issues in scope",
    cypher=compose("""
        MATCH (c:Clue)-[:FROM_ISSUE]->(i:Issue)
        WHERE i.found_on >= $p_from AND i.found_on <= $p_to AND i.found_on <= $as_of
          AND <<in_prefix>>
          AND ($department IS NULL OR EXISTS {
                MATCH (i)-[:FOUND_WITH]->(d:Department) WHERE d.code = $department })
          AND <<in_round>>
        WITH DISTINCT c
        OPTIONAL MATCH (c)-[:BECAME]->(k:Case) WHERE k.filed_on <= $as_of
        WITH c.no AS no, min(k.no) AS case_no""",
                   in_prefix=scope.in_prefix_cy(compose("i")), in_round=scope.ISSUE_IN_ROUND_CY),
    sql=compose("""
        WITH facts AS (
          SELECT c.key AS no,
                 (SELECT min(k.key) FROM rels b
                  CROSS JOIN nodes k ON k.id = b.dst AND k.label = 'Case'
                  WHERE b.src = c.id AND b.type = 'BECAME'
                    AND json_extract(k.props, '$.filed_on') <= :as_of) AS case_no
          FROM nodes c
          WHERE c.label = 'Clue' AND EXISTS (
            SELECT 1 FROM rels a CROSS JOIN nodes i ON i.id = a.dst AND i.label = 'Issue'
            WHERE a.src = c.id AND a.type = 'FROM_ISSUE'
              AND json_extract(i.props, '$.found_on') >= :p_from
              AND json_extract(i.props, '$.found_on') <= :p_to
              AND json_extract(i.props, '$.found_on') <= :as_of
              AND <<in_prefix>>
              AND (:department IS NULL OR EXISTS (
                    SELECT 1 FROM rels w CROSS JOIN nodes d ON d.id = w.dst
                    WHERE w.src = i.id AND w.type = 'FOUND_WITH' AND d.key = :department))
              AND <<in_round>>))""",
                in_prefix=scope.in_prefix_sql(compose("i")), in_round=scope.ISSUE_IN_ROUND_SQL),
    columns=("no", "case_no"),
    count_cypher="<<facts>> RETURN count(*) AS clues, count(case_no) AS cases",
    count_sql="<<facts>> SELECT count(*), count(case_no) FROM facts",
    counts=("clues", "cases"),
)

# --- the whole summary in one statement ----------------------------------------------------
# Each part's counts (one row each, also over nothing) side by side: the issues, clues,
# conversion (over every group), support, units, funds and rectification counts above. Takes
# the conversion's own parameters too (`n`, `by_department`).
_CONVERSION_ALL = fq.CONVERSION["all"]
SUMMARY = NamedQuery(
    name="summary: every count of a scope",
    cypher=compose("""
        CALL () { <<issues>> }
        CALL () { <<clues>> }
        CALL () { CALL () { <<conversion>> }
                  RETURN sum(transferred) AS clues_transferred,
                         sum(converted) AS cases_from_clues, sum(settled) AS clues_settled }
        CALL () { <<support>> }
        CALL () { <<units>> }
        CALL () { <<funds>> }
        CALL () { <<rectification>> }
        RETURN *""", issues=ISSUES.counts.cypher, clues=CLUES.counts.cypher,
                   conversion=_CONVERSION_ALL.cypher, support=SUPPORT.counts.cypher,
                   units=UNITS.counts.cypher, funds=FUNDS.counts.cypher,
                   rectification=RECTIFICATION.counts.cypher),
    sql=compose("""
        WITH conversion(grp, transferred, converted, settled) AS (<<conversion>>)
        SELECT * FROM (<<issues>>) CROSS JOIN (<<clues>>)
        CROSS JOIN (SELECT sum(transferred), sum(converted), sum(settled) FROM conversion)
        CROSS JOIN (<<support>>) CROSS JOIN (<<units>>) CROSS JOIN (<<funds>>)
        CROSS JOIN (<<rectification>>)""", issues=ISSUES.counts.sql, clues=CLUES.counts.sql,
                conversion=_CONVERSION_ALL.sql, support=SUPPORT.counts.sql,
                units=UNITS.counts.sql, funds=FUNDS.counts.sql,
                rectification=RECTIFICATION.counts.sql),
    columns=(*ISSUES.counts.columns, *CLUES.counts.columns,
             "clues_transferred", "cases_from_clues", "clues_settled",
             *SUPPORT.counts.columns, *UNITS.counts.columns, *FUNDS.counts.columns,
             *RECTIFICATION.counts.columns),
)
# What the summary reads: a result kept under these versions is exact (collab/graph/kept.py).
SUMMARY_READS = ("Issue", "Clue", "Transfer", "Case", "Department", "Support", "Round", "Group",
                 "Unit", "Rectification", "FOUND_BY", "OF_ROUND", "INSPECTS", "FROM_ISSUE",
                 "TRANSFERRED", "TO", "BECAME", "FILED_BY", "PROVIDED", "FOR", "HAS_TASK",
                 "FOUND_WITH")
