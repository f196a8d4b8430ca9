"""What became of each model's hits: the figures leaders read to see which models earn their
keep.

Per model, within the reader's region and over the hits it may see: hits, pending, confirmed
(已核实, a clue registered), dismissed (已排除); of the clues registered from them, how many were
transferred and how many became a case. Each model's own 成案率 is DOMAIN.md's conversion rate
over its clues: cases ÷ clues transferred (empty, not 0, when none was transferred); its
confirmation rate is confirmed ÷ decided (confirmed or dismissed).
"""

from __future__ import annotations

from typing import Any

from collab.access.authz import Authz
from collab.analysis.figures import rate
from collab.analysis.models import MODELS
from collab.analysis.models.hits import scope_params
from collab.graph.queries import model_hits as q
from collab.graph.store import Graph

_COUNTS = ("hits", "pending", "confirmed", "dismissed", "clues", "transferred", "cases")


def per_model(g: Graph, *, authz: Authz) -> list[dict[str, Any]]:
    """One row per declared model (those without hits too), in declaration order."""
    rows = {r["model"]: r for r in g.run(q.FIGURES, **scope_params(g, authz, None, None))}
    out = []
    for code, m in MODELS.items():
        counts = {k: (rows.get(code) or {}).get(k) or 0 for k in _COUNTS}
        out.append({"model": code, "name": m.zh, "name_en": m.en, "severity": m.severity,
                    **counts, "conversion_rate": rate(counts["cases"], counts["transferred"]),
                    "confirmation_rate": rate(counts["confirmed"],
                                              counts["confirmed"] + counts["dismissed"])})
    return out
