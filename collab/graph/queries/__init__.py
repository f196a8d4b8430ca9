"""Named queries (a Cypher and an SQL text for one question), grouped by the area that asks."""
