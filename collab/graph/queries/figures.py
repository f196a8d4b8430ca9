"""The figures of DOMAIN.md, each one question written for both engines.

Every query takes the same scope parameters: `prefix` (region subtree, or None), `round`,
`department`, `category` (codes, or None), the period `p_from`..`p_to` and `as_of` (ISO dates).
Each figure has a *facts* part (one row per counted thing, with the flags the figure counts)
and two tails made from it with `compose`: the counts, and the list behind them (drill-down).
"""

from __future__ import annotations

from collab.graph.queries import scope
from collab.graph.query import compose
from collab.graph.schema import covering_index
from collab.graph.store import NamedQuery

# --- conversion (成案率): one row per clue, or per (clue, department) when by_department -----
# Two parts, added up: clues with the `sole_*` shortcut (collab/cases/clue_facts.py: one live
# transfer, no other case) read from the Clue alone through the index on sole_transfer_at; every
# other clue is walked through its transfers and cases. Both give c, dept, first_at (first live
# transfer), dept_closed (that department closed it by as_of), case_no and filed_on.
_CONVERSION_CY_TEMPLATE = """
    CALL () {
      MATCH (c:Clue)
      WHERE c.sole_transfer_at >= $p_from AND c.sole_transfer_at <= $p_to
        AND c.sole_transfer_at <= $as_of
        AND ($department IS NULL OR c.sole_transfer_dept = $department)
        AND <<clue_scope>>
      WITH c, c.sole_case_filed_on <= $as_of AS filed
      RETURN c, CASE WHEN $by_department THEN c.sole_transfer_dept END AS dept,
             c.sole_transfer_at AS first_at,
             CASE WHEN c.sole_transfer_closed
                       AND coalesce(c.sole_transfer_closed_on, '') <= $as_of
                  THEN 1 ELSE 0 END AS dept_closed,
             CASE WHEN filed THEN c.sole_case_no END AS case_no,
             CASE WHEN filed THEN c.sole_case_filed_on END AS filed_on
      UNION ALL
      MATCH (c:Clue) USING SCAN c:Clue
      WHERE c.sole_transfer_at IS NULL AND <<clue_scope>>
      MATCH (c)-[:TRANSFERRED]->(t:Transfer)-[:TO]->(d:Department)
      WHERE t.at <= $as_of
        AND NOT (coalesce(t.status, '') = 'returned' AND coalesce(t.status_on, t.at) <= $as_of)
        AND ($department IS NULL OR d.code = $department)
      WITH c, CASE WHEN $by_department THEN d.code END AS dept, min(t.at) AS first_at,
           max(CASE WHEN coalesce(t.status, '') = 'closed'
                         AND coalesce(t.status_on, '') <= $as_of THEN 1 ELSE 0 END) AS dept_closed
      WHERE first_at >= $p_from AND first_at <= $p_to
      WITH c, dept, first_at, dept_closed,
           [(c)-[:BECAME]->(k:Case) WHERE k.filed_on <= $as_of AND (dept IS NULL OR EXISTS {
               MATCH (k)-[:FILED_BY]->(kd:Department) WHERE kd.code = dept })
            | [k.no, k.filed_on]] AS ks
      WITH c, dept, first_at, dept_closed,
           reduce(m = null, x IN ks | CASE WHEN m IS NULL OR x[0] < m[0] THEN x ELSE m END) AS kf
      RETURN c, dept, first_at, dept_closed, kf[0] AS case_no, kf[1] AS filed_on
    }
    <<round_part>>
    WITH c, dept, first_at, round_code, case_no, filed_on, case_no IS NOT NULL AS converted,
         case_no IS NOT NULL OR (dept IS NULL AND coalesce(c.status, '') = 'closed'
                                 AND coalesce(c.status_on, '') <= $as_of)
         OR (dept IS NOT NULL AND dept_closed = 1) AS settled"""

_CONVERSION_SQL_TEMPLATE = """
    WITH pairs AS (
      SELECT c.id AS cid, CASE WHEN :by_department THEN d.key END AS dept,
             min(json_extract(t.props, '$.at')) AS first_at,
             max(coalesce(json_extract(t.props, '$.status'), '') = 'closed'
                 AND coalesce(json_extract(t.props, '$.status_on'), '') <= :as_of)
               AS dept_closed
      FROM nodes c
      CROSS JOIN rels tr ON tr.src = c.id AND tr.type = 'TRANSFERRED'
      CROSS JOIN nodes t ON t.id = tr.dst AND t.label = 'Transfer'
      CROSS JOIN rels tt ON tt.src = t.id AND tt.type = 'TO'
      CROSS JOIN nodes d ON d.id = tt.dst AND d.label = 'Department'
      WHERE c.label = 'Clue' AND json_extract(c.props, '$.sole_transfer_at') IS NULL
        AND json_extract(t.props, '$.at') <= :as_of
        AND NOT (coalesce(json_extract(t.props, '$.status'), '') = 'returned'
                 AND coalesce(json_extract(t.props, '$.status_on'),
                              json_extract(t.props, '$.at')) <= :as_of)
        AND (:department IS NULL OR d.key = :department)
        AND <<clue_scope>>
      GROUP BY c.id, dept
      HAVING first_at >= :p_from AND first_at <= :p_to),
    walked AS MATERIALIZED (
      SELECT p.cid, p.dept, p.first_at, p.dept_closed,
             (SELECT min(k.key) FROM rels b CROSS JOIN nodes k ON k.id = b.dst AND k.label = 'Case'
              WHERE b.src = p.cid AND b.type = 'BECAME'
                AND json_extract(k.props, '$.filed_on') <= :as_of
                AND (p.dept IS NULL OR EXISTS (
                      SELECT 1 FROM rels f CROSS JOIN nodes fd ON fd.id = f.dst
                      WHERE f.src = k.id AND f.type = 'FILED_BY' AND fd.key = p.dept)))
               AS case_no
      FROM pairs p),
    withcase AS (
      SELECT c.id AS cid,
             CASE WHEN :by_department THEN json_extract(c.props, '$.sole_transfer_dept') END
               AS dept,
             json_extract(c.props, '$.sole_transfer_at') AS first_at,
             coalesce(json_extract(c.props, '$.sole_transfer_closed'), 0)
             AND coalesce(json_extract(c.props, '$.sole_transfer_closed_on'), '') <= :as_of
               AS dept_closed,
             CASE WHEN json_extract(c.props, '$.sole_case_filed_on') <= :as_of
                  THEN json_extract(c.props, '$.sole_case_no') END AS case_no,
             CASE WHEN json_extract(c.props, '$.sole_case_filed_on') <= :as_of
                  THEN json_extract(c.props, '$.sole_case_filed_on') END AS filed_on,
             <<clue_columns>>
      FROM nodes c INDEXED BY <<cover>>
      WHERE c.label = 'Clue' AND json_extract(c.props, '$.sole_transfer_at') >= :p_from
        AND json_extract(c.props, '$.sole_transfer_at') <= :p_to
        AND json_extract(c.props, '$.sole_transfer_at') <= :as_of
        AND (:department IS NULL
             OR json_extract(c.props, '$.sole_transfer_dept') = :department)
        AND <<clue_scope>>
      UNION ALL
      SELECT w.cid, w.dept, w.first_at, w.dept_closed, w.case_no,
             (SELECT json_extract(k.props, '$.filed_on') FROM nodes k
              WHERE k.label = 'Case' AND k.key = w.case_no),
             <<clue_columns>>
      FROM walked w CROSS JOIN nodes c ON c.id = w.cid),
    facts AS (
      SELECT c.key AS clue_no, json_extract(c.props, '$.title') AS title, w.dept, w.first_at,
             w.region_code, w.category, <<round_expr>> AS round_code, w.case_no, w.filed_on,
             w.case_no IS NOT NULL AS converted,
             w.case_no IS NOT NULL OR (w.dept IS NULL AND w.clue_closed)
             OR (w.dept IS NOT NULL AND w.dept_closed) AS settled
      FROM withcase w CROSS JOIN nodes c ON c.id = w.cid)"""

# What both parts read from the clue itself (in its covering index, for the shortcut part).
_CLUE_COLUMNS_SQL = compose("""json_extract(c.props, '$.region_code') AS region_code,
             json_extract(c.props, '$.category') AS category,
             coalesce(json_extract(c.props, '$.status'), '') = 'closed'
             AND coalesce(json_extract(c.props, '$.status_on'), '') <= :as_of AS clue_closed""")

# The round a clue's issue was found in costs three hops per clue: only the round grouping and
# the lists look it up; the other groupings leave it empty.
_ROUND_CY = compose("""
    OPTIONAL MATCH (c)-[:FROM_ISSUE]->(:Issue)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round)
    WITH c, dept, first_at, dept_closed, case_no, filed_on, min(r.code) AS round_code""")
_ROUND_SQL = compose("""(SELECT min(r.key) FROM rels a
              CROSS JOIN rels b ON b.src = a.dst AND b.type = 'FOUND_BY'
              CROSS JOIN rels o ON o.src = b.dst AND o.type = 'OF_ROUND'
              CROSS JOIN nodes r ON r.id = o.dst AND r.label = 'Round'
              WHERE a.src = c.id AND a.type = 'FROM_ISSUE')""")
_CONVERSION_CY = compose(_CONVERSION_CY_TEMPLATE, round_part=_ROUND_CY, clue_scope=scope.CLUE_CY)
_CONVERSION_SQL = compose(_CONVERSION_SQL_TEMPLATE, round_expr=_ROUND_SQL,
                          clue_scope=scope.CLUE_SQL, clue_columns=_CLUE_COLUMNS_SQL,
                          cover=covering_index("Clue", "sole_transfer_at"))
_CONVERSION_NO_ROUND_CY = compose(_CONVERSION_CY_TEMPLATE, clue_scope=scope.CLUE_CY,
                                  round_part=compose("WITH c, dept, first_at, dept_closed, "
                                                     "case_no, filed_on, null AS round_code"))
_CONVERSION_NO_ROUND_SQL = compose(_CONVERSION_SQL_TEMPLATE, round_expr=compose("NULL"),
                                   clue_scope=scope.CLUE_SQL, clue_columns=_CLUE_COLUMNS_SQL,
                                   cover=covering_index("Clue", "sole_transfer_at"))

CONVERSION_COLUMNS = ("clue_no", "title", "dept", "first_at", "region_code", "category",
                      "round_code", "case_no", "filed_on", "converted", "settled")

CONVERSION_LIST = NamedQuery(
    name="conversion: the clues counted",
    cypher=compose("""<<facts>>
        RETURN c.no AS clue_no, c.title AS title, dept, first_at, c.region_code AS region_code,
               c.category AS category, round_code, case_no, filed_on, converted, settled
        ORDER BY first_at, clue_no, dept""",
                   facts=_CONVERSION_CY),
    sql=compose("""<<facts>>
        SELECT clue_no, title, dept, first_at, region_code, category, round_code, case_no,
               filed_on, converted, settled FROM facts
        ORDER BY first_at, clue_no, dept""", facts=_CONVERSION_SQL),
    columns=CONVERSION_COLUMNS,
)

# What a conversion table is grouped by: an expression over the facts' columns (on Neo4j, the
# clue's own properties are read only by the grouping that needs them).
_GROUPS_CY = {"all": compose("'all'"), "department": compose("dept"),
              "region": compose("left(c.region_code, $n)"), "round": compose("round_code"),
              "category": compose("c.category")}
_GROUPS_SQL = {"all": compose("'all'"), "department": compose("dept"),
               "region": compose("substr(region_code, 1, :n)"), "round": compose("round_code"),
               "category": compose("category")}


def _conversion_counts(by: str) -> NamedQuery:
    return NamedQuery(
        name="conversion by " + by,
        cypher=compose("""<<facts>>
            WITH <<grp>> AS grp, converted, settled
            RETURN grp, count(*) AS transferred,
                   sum(CASE WHEN converted THEN 1 ELSE 0 END) AS converted,
                   sum(CASE WHEN settled THEN 1 ELSE 0 END) AS settled""",
                       facts=_CONVERSION_CY if by == "round" else _CONVERSION_NO_ROUND_CY,
                       grp=_GROUPS_CY[by]),
        sql=compose("""<<facts>>
            SELECT <<grp>> AS grp, count(*) AS transferred, coalesce(sum(converted), 0),
                   coalesce(sum(settled), 0) FROM facts GROUP BY grp""",
                    facts=_CONVERSION_SQL if by == "round" else _CONVERSION_NO_ROUND_SQL,
                    grp=_GROUPS_SQL[by]),
        columns=("grp", "transferred", "converted", "settled"),
    )


CONVERSION = {by: _conversion_counts(by) for by in _GROUPS_CY}

# The same counts with each group's name, read in the same statement: the node a group names
# (a department, a region one level down, a round), its name and whether it exists.
_NAMED_BY = {"department": ("Department", compose("grp")),
             "region": ("Region", compose("CASE WHEN size(grp) = 4 THEN grp + '00' ELSE grp END")),
             "round": ("Round", compose("grp"))}
_NAMED_SQL = {"department": compose("grp"), "round": compose("grp"),
              "region": compose("CASE WHEN length(grp) = 4 THEN grp || '00' ELSE grp END")}


def _conversion_named(by: str) -> NamedQuery:
    counts = CONVERSION[by]
    if by not in _NAMED_BY:
        return NamedQuery(
            name=counts.name + ", named",
            cypher=compose("<<q>> , null AS name, false AS named", q=counts.cypher),
            sql=compose("SELECT *, NULL, 0 FROM (<<q>>)", q=counts.sql),
            columns=(*counts.columns, "name", "named"))
    label, code = _NAMED_BY[by]
    return NamedQuery(
        name=counts.name + ", named",
        cypher=compose("""CALL () { <<q>> }
            OPTIONAL MATCH (x:<<label>>) WHERE x.code = <<code>>
            RETURN grp, transferred, converted, settled, x.name AS name, x IS NOT NULL AS named""",
                       q=counts.cypher, label=label, code=code),
        sql=compose("""WITH conv(grp, transferred, converted, settled) AS (<<q>>)
            SELECT grp, transferred, converted, settled, json_extract(x.props, '$.name'),
                   x.id IS NOT NULL
            FROM conv LEFT JOIN nodes x ON x.label = '<<label>>' AND x.key = <<code>>""",
                    q=counts.sql, label=label, code=_NAMED_SQL[by]),
        columns=(*counts.columns, "name", "named"))


CONVERSION_NAMED = {by: _conversion_named(by) for by in _GROUPS_CY}

# --- contribution (贡献率): one row per case filed by a department in the period -------------
_CONTRIBUTION_CY = compose("""
    MATCH (k:Case)-[:FILED_BY]->(d:Department)
    WHERE k.filed_on >= $p_from AND k.filed_on <= $p_to AND k.filed_on <= $as_of
      AND ($department IS NULL OR d.code = $department)
      AND ($prefix IS NULL OR coalesce(k.region_code, d.region_code) STARTS WITH $prefix)
    WITH k.no AS case_no, k.title AS title, d.code AS dept, d.name AS dept_name,
         k.filed_on AS filed_on, k.origin AS origin,
         (EXISTS { MATCH (:Clue)-[:BECAME]->(k) }
          OR coalesce(k.origin, '') = 'inspection_clue') AS from_inspection""")

_CONTRIBUTION_SQL = compose("""
    WITH facts AS (
      SELECT k.key AS case_no, json_extract(k.props, '$.title') AS title, d.key AS dept,
             json_extract(d.props, '$.name') AS dept_name,
             json_extract(k.props, '$.filed_on') AS filed_on,
             json_extract(k.props, '$.origin') AS origin,
             (EXISTS (SELECT 1 FROM rels b WHERE b.dst = k.id AND b.type = 'BECAME')
              OR coalesce(json_extract(k.props, '$.origin'), '') = 'inspection_clue')
               AS from_inspection
      FROM nodes k CROSS JOIN rels f ON f.src = k.id AND f.type = 'FILED_BY'
      CROSS JOIN nodes d ON d.id = f.dst AND d.label = 'Department'
      WHERE k.label = 'Case' AND json_extract(k.props, '$.filed_on') >= :p_from
        AND json_extract(k.props, '$.filed_on') <= :p_to
        AND json_extract(k.props, '$.filed_on') <= :as_of
        AND (:department IS NULL OR d.key = :department)
        AND (:prefix IS NULL OR substr(coalesce(json_extract(k.props, '$.region_code'),
                                                json_extract(d.props, '$.region_code')),
                                       1, length(:prefix)) = :prefix))""")

CONTRIBUTION_LIST = NamedQuery(
    name="contribution: the cases counted",
    cypher=compose("""<<facts>>
        RETURN case_no, title, dept, dept_name, filed_on, origin, from_inspection
        ORDER BY dept, filed_on, case_no""", facts=_CONTRIBUTION_CY),
    sql=compose("""<<facts>>
        SELECT case_no, title, dept, dept_name, filed_on, origin, from_inspection FROM facts
        ORDER BY dept, filed_on, case_no""", facts=_CONTRIBUTION_SQL),
    columns=("case_no", "title", "dept", "dept_name", "filed_on", "origin", "from_inspection"),
)

CONTRIBUTION = NamedQuery(
    name="contribution rate per department",
    cypher=compose("""<<facts>>
        RETURN dept, dept_name, count(*) AS cases,
               sum(CASE WHEN from_inspection THEN 1 ELSE 0 END) AS from_inspection
        ORDER BY dept""", facts=_CONTRIBUTION_CY),
    sql=compose("""<<facts>>
        SELECT dept, dept_name, count(*), sum(from_inspection) FROM facts
        GROUP BY dept, dept_name ORDER BY dept""", facts=_CONTRIBUTION_SQL),
    columns=("dept", "dept_name", "cases", "from_inspection"),
)

# --- transfers: lead times and the funnel, one row per transfer -----------------------------
# Disposed: by `disposed_on`; a transfer recorded at a disposal or final status without that
# date (a ledger import) counts as disposed from its transfer date (`$disposed`: the statuses).
_TRANSFERS_CY = compose("""
    MATCH (c:Clue)-[:TRANSFERRED]->(t:Transfer)-[:TO]->(d:Department)
    WHERE t.at >= $p_from AND t.at <= $p_to AND t.at <= $as_of
      AND ($department IS NULL OR d.code = $department)
      AND <<clue_scope>>
    OPTIONAL MATCH (c)-[:BECAME]->(k:Case)-[:FILED_BY]->(d)
    WHERE k.filed_on <= $as_of
    WITH c, t, d, min(k.filed_on) AS filed_on,
         min(CASE WHEN k.closed_on <= $as_of THEN k.closed_on END) AS concluded_on
    WITH t.no AS transfer_no, c.no AS clue_no, d.code AS dept, t.at AS at,
         CASE WHEN t.received_on <= $as_of THEN t.received_on END AS received_on,
         CASE WHEN coalesce(t.disposed_on, CASE WHEN t.status IN $disposed THEN t.at END)
                   <= $as_of
              THEN coalesce(t.disposed_on, t.at) END AS disposed_on,
         filed_on, concluded_on""", clue_scope=scope.CLUE_CY)

_TRANSFERS_SQL = compose("""
    WITH base AS (
      SELECT t.key AS transfer_no, c.key AS clue_no, d.key AS dept, c.id AS cid, d.id AS did,
             json_extract(t.props, '$.at') AS at,
             CASE WHEN json_extract(t.props, '$.received_on') <= :as_of
                  THEN json_extract(t.props, '$.received_on') END AS received_on,
             CASE WHEN coalesce(json_extract(t.props, '$.disposed_on'),
                               CASE WHEN json_extract(t.props, '$.status')
                                         IN (SELECT value FROM json_each(:disposed))
                                    THEN json_extract(t.props, '$.at') END) <= :as_of
                  THEN coalesce(json_extract(t.props, '$.disposed_on'),
                                json_extract(t.props, '$.at')) END AS disposed_on
      FROM nodes c
      CROSS JOIN rels tr ON tr.src = c.id AND tr.type = 'TRANSFERRED'
      CROSS JOIN nodes t ON t.id = tr.dst AND t.label = 'Transfer'
      CROSS JOIN rels tt ON tt.src = t.id AND tt.type = 'TO'
      CROSS JOIN nodes d ON d.id = tt.dst AND d.label = 'Department'
      WHERE c.label = 'Clue' AND json_extract(t.props, '$.at') >= :p_from
        AND json_extract(t.props, '$.at') <= :p_to AND json_extract(t.props, '$.at') <= :as_of
        AND (:department IS NULL OR d.key = :department)
        AND <<clue_scope>>),
    cases AS (
      SELECT b.src AS cid, f.dst AS did, json_extract(k.props, '$.filed_on') AS filed_on,
             json_extract(k.props, '$.closed_on') AS closed_on
      FROM rels b CROSS JOIN nodes k ON k.id = b.dst AND k.label = 'Case'
      CROSS JOIN rels f ON f.src = k.id AND f.type = 'FILED_BY'
      WHERE b.type = 'BECAME' AND json_extract(k.props, '$.filed_on') <= :as_of
        AND b.src IN (SELECT cid FROM base)),
    facts AS (
      SELECT transfer_no, clue_no, dept, at, received_on, disposed_on,
             (SELECT min(filed_on) FROM cases k WHERE k.cid = base.cid AND k.did = base.did)
               AS filed_on,
             (SELECT min(closed_on) FROM cases k WHERE k.cid = base.cid AND k.did = base.did
                AND closed_on <= :as_of) AS concluded_on
      FROM base)""", clue_scope=scope.CLUE_SQL)

TRANSFER_COLUMNS = ("transfer_no", "clue_no", "dept", "at", "received_on", "disposed_on",
                    "filed_on", "concluded_on")

TRANSFERS_LIST = NamedQuery(
    name="transfers: the rows behind the funnel and the lead times",
    cypher=compose("""<<facts>>
        RETURN transfer_no, clue_no, dept, at, received_on, disposed_on, filed_on, concluded_on
        ORDER BY at, transfer_no""", facts=_TRANSFERS_CY),
    sql=compose("""<<facts>>
        SELECT transfer_no, clue_no, dept, at, received_on, disposed_on, filed_on, concluded_on
        FROM facts ORDER BY at, transfer_no""", facts=_TRANSFERS_SQL),
    columns=TRANSFER_COLUMNS,
)

FUNNEL = NamedQuery(
    name="funnel: transferred, accepted, disposed, filed, concluded",
    cypher=compose("""<<facts>>
        RETURN count(*) AS transferred, count(received_on) AS accepted,
               count(disposed_on) AS disposed, count(filed_on) AS filed,
               count(concluded_on) AS concluded""", facts=_TRANSFERS_CY),
    sql=compose("""<<facts>>
        SELECT count(*), count(received_on), count(disposed_on), count(filed_on),
               count(concluded_on) FROM facts""", facts=_TRANSFERS_SQL),
    columns=("transferred", "accepted", "disposed", "filed", "concluded"),
)

# Nearest-rank percentiles: the k-th smallest with k = ceil(p * n), in whole numbers
# (median: (n + 1) / 2, p90: (9n + 9) / 10), so both engines pick the same value.
LEAD_TIMES = NamedQuery(
    name="lead times in days: transfer to acceptance, transfer to case",
    cypher=compose("""<<facts>>
        UNWIND [['accept', CASE WHEN received_on IS NOT NULL
                      THEN duration.inDays(date(at), date(received_on)).days END],
                ['case', CASE WHEN filed_on IS NOT NULL
                      THEN duration.inDays(date(at), date(filed_on)).days END]] AS kv
        WITH kv[0] AS kind, kv[1] AS days WHERE days IS NOT NULL
        WITH kind, days ORDER BY days
        WITH kind, collect(days) AS s
        RETURN kind, size(s) AS n, s[(size(s) + 1) / 2 - 1] AS median,
               s[(9 * size(s) + 9) / 10 - 1] AS p90""", facts=_TRANSFERS_CY),
    sql=compose("""<<facts>>,
        kv AS (
          SELECT 'accept' AS kind,
                 CAST(julianday(received_on) - julianday(at) AS INTEGER) AS days
          FROM facts WHERE received_on IS NOT NULL
          UNION ALL
          SELECT 'case', CAST(julianday(filed_on) - julianday(at) AS INTEGER)
          FROM facts WHERE filed_on IS NOT NULL),
        ranked AS (
          SELECT kind, days, row_number() OVER (PARTITION BY kind ORDER BY days) AS rn,
                 count(*) OVER (PARTITION BY kind) AS n FROM kv)
        SELECT kind, max(n), max(CASE WHEN rn = (n + 1) / 2 THEN days END),
               max(CASE WHEN rn = (9 * n + 9) / 10 THEN days END)
        FROM ranked GROUP BY kind""", facts=_TRANSFERS_SQL),
    columns=("kind", "n", "median", "p90"),
)
