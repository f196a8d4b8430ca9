"""The supervision models over data sets (数据集), each one question written for both engines.

Records meet through the Person their rows name (NAMES, by the keyed ID-number hash); lists of
data set codes arrive as parameters (`$deceased`, `$payments` …), the region subtree as
`$prefix` (or null) on the record the hit is about. Each query returns one row per piece of
evidence, sorted, and the model (collab/analysis/models) groups rows into hits, so dates,
sums and thresholds are worked out once, in Python, the same way for both engines.
"""

from __future__ import annotations

from collab.graph.queries.scope import in_prefix_cy, in_prefix_sql
from collab.graph.query import Fragment, compose
from collab.graph.store import NamedQuery


def _same_person_cy(a: Fragment, a_sets: Fragment, b: Fragment, b_sets: Fragment) -> Fragment:
    """Two records naming one person `p`: `a` of the data sets `$a_sets`, `b` of `$b_sets`."""
    return compose("""MATCH (<<a>>:DataRecord)-[:NAMES]->(p:Person)<-[:NAMES]-(<<b>>:DataRecord)
        WHERE <<a>>.dataset IN $<<x>> AND <<b>>.dataset IN $<<y>>""",
                   a=a, b=b, x=a_sets, y=b_sets)


def _same_person_sql(a: Fragment, a_sets: Fragment, b: Fragment, b_sets: Fragment) -> Fragment:
    """The same on SQLite: FROM and the first conditions of WHERE."""
    return compose("""FROM nodes <<a>>
        CROSS JOIN rels <<a>>n ON <<a>>n.src = <<a>>.id AND <<a>>n.type = 'NAMES'
        CROSS JOIN nodes p ON p.id = <<a>>n.dst
        CROSS JOIN rels <<b>>n ON <<b>>n.dst = p.id AND <<b>>n.type = 'NAMES'
        CROSS JOIN nodes <<b>> ON <<b>>.id = <<b>>n.src AND <<b>>.label = 'DataRecord'
        WHERE <<a>>.label = 'DataRecord'
          AND json_extract(<<a>>.props, '$.dataset') IN (SELECT value FROM json_each(:<<x>>))
          AND json_extract(<<b>>.props, '$.dataset') IN (SELECT value FROM json_each(:<<y>>))""",
                   a=a, b=b, x=a_sets, y=b_sets)


_DEATH_AND_PAYMENT = (compose("d"), compose("deceased"), compose("r"), compose("payments"))
_ASSISTED_SERVANT = (compose("a"), compose("assistance"), compose("s"), compose("servants"))
_TWO_PAYMENTS = (compose("a"), compose("payments"), compose("b"), compose("payments"))

# A person on a deceased list, and each payment made to that person after the death date.
DECEASED_PAID = NamedQuery(
    name="model: paid after death",
    cypher=compose("""
        <<pair>> AND d.died_on IS NOT NULL AND r.paid_on > d.died_on AND <<scope>>
        RETURN d.no AS death, d.dataset AS death_set, d.died_on AS died_on,
               d.region_code AS region_code, p.uid AS person, p.name AS name,
               r.no AS payment, r.dataset AS payment_set, r.paid_on AS paid_on,
               r.amount AS amount, r.benefit AS benefit
        ORDER BY death, paid_on, payment""", scope=in_prefix_cy(compose("d")),
        pair=_same_person_cy(*_DEATH_AND_PAYMENT)),
    sql=compose("""
        SELECT d.key, json_extract(d.props, '$.dataset'), json_extract(d.props, '$.died_on'),
               json_extract(d.props, '$.region_code'), p.uid, json_extract(p.props, '$.name'),
               r.key, json_extract(r.props, '$.dataset'), json_extract(r.props, '$.paid_on'),
               json_extract(r.props, '$.amount'), json_extract(r.props, '$.benefit')
        <<pair>>
          AND json_extract(r.props, '$.paid_on') > json_extract(d.props, '$.died_on')
          AND <<scope>>
        ORDER BY 1, 9, 7""", scope=in_prefix_sql(compose("d")),
        pair=_same_person_sql(*_DEATH_AND_PAYMENT)),
    columns=("death", "death_set", "died_on", "region_code", "person", "name", "payment",
             "payment_set", "paid_on", "amount", "benefit"),
)

# A person on an assistance list (低保, 特困 …) who is also on a list of public servants.
SERVANT_ASSISTED = NamedQuery(
    name="model: public servant on assistance",
    cypher=compose("""
        <<pair>> AND <<scope>>
        RETURN a.no AS assisted, a.dataset AS assisted_set, a.benefit AS benefit,
               a.region_code AS region_code, p.uid AS person, p.name AS name,
               s.no AS servant, s.dataset AS servant_set, s.employer AS employer,
               s.position AS position
        ORDER BY assisted, servant""", scope=in_prefix_cy(compose("a")),
        pair=_same_person_cy(*_ASSISTED_SERVANT)),
    sql=compose("""
        SELECT a.key, json_extract(a.props, '$.dataset'), json_extract(a.props, '$.benefit'),
               json_extract(a.props, '$.region_code'), p.uid, json_extract(p.props, '$.name'),
               s.key, json_extract(s.props, '$.dataset'), json_extract(s.props, '$.employer'),
               json_extract(s.props, '$.position')
        <<pair>> AND <<scope>>
        ORDER BY 1, 7""", scope=in_prefix_sql(compose("a")),
        pair=_same_person_sql(*_ASSISTED_SERVANT)),
    columns=("assisted", "assisted_set", "benefit", "region_code", "person", "name", "servant",
             "servant_set", "employer", "position"),
)

# Two payments of the same benefit to the same person in the same month (重复享受).
DOUBLE_PAID = NamedQuery(
    name="model: paid twice in a month",
    cypher=compose("""
        <<pair>> AND a.no < b.no
          AND a.paid_on IS NOT NULL AND b.paid_on IS NOT NULL
          AND substring(a.paid_on, 0, 7) = substring(b.paid_on, 0, 7)
          AND coalesce(a.benefit, '') = coalesce(b.benefit, '') AND <<scope>>
        RETURN p.uid AS person, p.name AS name, coalesce(a.benefit, '') AS benefit,
               substring(a.paid_on, 0, 7) AS month, a.region_code AS region_code,
               a.no AS first, a.dataset AS first_set, a.amount AS first_amount,
               b.no AS second, b.dataset AS second_set, b.amount AS second_amount
        ORDER BY person, month, first, second""", scope=in_prefix_cy(compose("a")),
        pair=_same_person_cy(*_TWO_PAYMENTS)),
    sql=compose("""
        SELECT p.uid, json_extract(p.props, '$.name'),
               coalesce(json_extract(a.props, '$.benefit'), ''),
               substr(json_extract(a.props, '$.paid_on'), 1, 7),
               json_extract(a.props, '$.region_code'), a.key, json_extract(a.props, '$.dataset'),
               json_extract(a.props, '$.amount'), b.key, json_extract(b.props, '$.dataset'),
               json_extract(b.props, '$.amount')
        <<pair>>
          AND a.key < b.key
          AND substr(json_extract(a.props, '$.paid_on'), 1, 7)
              = substr(json_extract(b.props, '$.paid_on'), 1, 7)
          AND coalesce(json_extract(a.props, '$.benefit'), '')
              = coalesce(json_extract(b.props, '$.benefit'), '')
          AND <<scope>>
        ORDER BY 1, 4, 6, 9""", scope=in_prefix_sql(compose("a")),
        pair=_same_person_sql(*_TWO_PAYMENTS)),
    columns=("person", "name", "benefit", "month", "region_code", "first", "first_set",
             "first_amount", "second", "second_set", "second_amount"),
)

# Rows of a roster with nobody on the payment lists: not the same person (by ID hash), and
# nobody of the same name and birth date (how lists typed by hand still match).
ROSTER_UNPAID = NamedQuery(
    name="model: on the roster, not on the payment list",
    cypher=compose("""
        MATCH (a:DataRecord)
        WHERE a.dataset IN $roster AND <<scope>>
          AND NOT EXISTS { MATCH (a)-[:NAMES]->(:Person)<-[:NAMES]-(b:DataRecord)
                           WHERE b.dataset IN $payments }
          AND NOT EXISTS { MATCH (b:DataRecord)
                           WHERE b.name = a.name AND b.birth_date = a.birth_date
                             AND b.dataset IN $payments }
        OPTIONAL MATCH (a)-[:NAMES]->(p:Person)
        RETURN a.no AS record, a.dataset AS roster_set, a.name AS name,
               a.birth_date AS birth_date, a.region_code AS region_code,
               a.id_masked AS id_masked, a.id_problem AS id_problem, p.uid AS person
        ORDER BY record""", scope=in_prefix_cy(compose("a"))),
    sql=compose("""
        SELECT a.key, json_extract(a.props, '$.dataset'), json_extract(a.props, '$.name'),
               json_extract(a.props, '$.birth_date'), json_extract(a.props, '$.region_code'),
               json_extract(a.props, '$.id_masked'), json_extract(a.props, '$.id_problem'),
               (SELECT p.uid FROM rels an CROSS JOIN nodes p ON p.id = an.dst
                 WHERE an.src = a.id AND an.type = 'NAMES')
        FROM nodes a
        WHERE a.label = 'DataRecord'
          AND json_extract(a.props, '$.dataset') IN (SELECT value FROM json_each(:roster))
          AND <<scope>>
          AND NOT EXISTS (
              SELECT 1 FROM rels an CROSS JOIN rels bn ON bn.dst = an.dst AND bn.type = 'NAMES'
              CROSS JOIN nodes b ON b.id = bn.src AND b.label = 'DataRecord'
              WHERE an.src = a.id AND an.type = 'NAMES'
                AND json_extract(b.props, '$.dataset') IN (SELECT value FROM json_each(:payments)))
          AND NOT EXISTS (
              SELECT 1 FROM nodes b
              WHERE b.label = 'DataRecord'
                AND json_extract(b.props, '$.name') = json_extract(a.props, '$.name')
                AND json_extract(b.props, '$.birth_date') = json_extract(a.props, '$.birth_date')
                AND json_extract(b.props, '$.dataset') IN (SELECT value FROM json_each(:payments)))
        ORDER BY 1""", scope=in_prefix_sql(compose("a"))),
    columns=("record", "roster_set", "name", "birth_date", "region_code", "id_masked",
             "id_problem", "person"),
)
