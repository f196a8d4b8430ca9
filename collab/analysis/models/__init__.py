"""Supervision models (监督模型): standing rules over the graph and the data sets that raise
hits (疑点) with their evidence, for people to check (研判) and turn into clues.

`declare` says what a model is; `lists` and `work` declare the models; `runner` runs them
and records each run and its hits (deduplicated across runs); `hits` lists and shows hits
and their evidence and takes triage decisions; `figures` counts what became of each model's
hits (hits, confirmed, transferred, cases: each model's own 成案率).
"""

from __future__ import annotations

from collections.abc import Mapping

from collab.analysis.models import lists, work
from collab.analysis.models.declare import Model
from collab.errors import N_, NotFound

MODELS: Mapping[str, Model] = {m.code: m for m in (*lists.MODELS, *work.MODELS)}


def model(code: str) -> Model:
    """The model with this code, or NotFound naming the models."""
    try:
        return MODELS[code]
    except KeyError:
        raise NotFound(N_("no model %(code)r; models: %(codes)s"), code=code,
                       codes=", ".join(MODELS)) from None
