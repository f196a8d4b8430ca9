"""The scope filters the figure queries share, written once for each engine.

Every figure takes `$prefix` (region subtree, or null), `$round` and `$category` (codes, or
null); these fragments say "in scope" for a node variable, so a figure's own text only says what
it counts. A filter given null lets everything through.
"""

from __future__ import annotations

from collab.graph.query import Fragment, compose


def in_prefix_cy(var: Fragment) -> Fragment:
    """The node `var` (a composed name) has its region code in the `$prefix` subtree."""
    return compose("($prefix IS NULL OR <<v>>.region_code STARTS WITH $prefix)", v=var)


def in_prefix_sql(var: Fragment) -> Fragment:
    """The node row `var` (a composed name) has its region code in the `:prefix` subtree."""
    return compose("(:prefix IS NULL OR substr(json_extract(<<v>>.props, '$.region_code'), 1, "
                   "length(:prefix)) = :prefix)", v=var)


# the clue `c` came from an issue found in round `$round`
CLUE_IN_ROUND_CY = compose("""($round IS NULL OR EXISTS {
            MATCH (c)-[:FROM_ISSUE]->(:Issue)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round)
            WHERE r.code = $round })""")
CLUE_IN_ROUND_SQL = compose("""(:round IS NULL OR EXISTS (
              SELECT 1 FROM rels a CROSS JOIN rels b ON b.src = a.dst AND b.type = 'FOUND_BY'
              CROSS JOIN rels o ON o.src = b.dst AND o.type = 'OF_ROUND'
              CROSS JOIN nodes r ON r.id = o.dst AND r.label = 'Round'
              WHERE a.src = c.id AND a.type = 'FROM_ISSUE' AND r.key = :round))""")

# the clue `c` is in the region subtree, of the category and from the round
CLUE_CY = compose("""<<prefix>>
      AND ($category IS NULL OR c.category = $category)
      AND <<round>>""", prefix=in_prefix_cy(compose("c")), round=CLUE_IN_ROUND_CY)
CLUE_SQL = compose("""<<prefix>>
        AND (:category IS NULL OR json_extract(c.props, '$.category') = :category)
        AND <<round>>""", prefix=in_prefix_sql(compose("c")), round=CLUE_IN_ROUND_SQL)

# the issue `i` was found in round `$round`
ISSUE_IN_ROUND_CY = compose("""($round IS NULL OR EXISTS {
                MATCH (i)-[:FOUND_BY]->(:Group)-[:OF_ROUND]->(r:Round) WHERE r.code = $round })""")
ISSUE_IN_ROUND_SQL = compose("""(:round IS NULL OR EXISTS (
                  SELECT 1 FROM rels b CROSS JOIN rels o ON o.src = b.dst AND o.type = 'OF_ROUND'
                  CROSS JOIN nodes r ON r.id = o.dst
                  WHERE b.src = i.id AND b.type = 'FOUND_BY' AND r.key = :round))""")
