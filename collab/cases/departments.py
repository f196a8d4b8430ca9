"""Collaborating departments (协作单位): the system admin lists, creates and edits them.

A department's `feedback_days` is its own term for feeding back on a transferred clue; left
empty, the deployment's default applies (`clues.DEFAULT_FEEDBACK_DAYS`, or the CLI's
`COLLAB_FEEDBACK_DAYS`), and `clues.transfer` reads it when it sets a transfer's
`feedback_due`. A department's region is fixed at creation: it places the department in
everyone's jurisdiction, so moving it is not an edit.
"""

from __future__ import annotations

import re

from collab.access import regions
from collab.access.authz import Authz, Perm
from collab.cases import pinyin
from collab.errors import N_, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Cond, Graph, Op, Page

# The kinds of department the seeds and ledgers know, in the order a form offers them.
KINDS = ("discipline", "organisation", "audit", "finance", "human_resources", "petitions",
         "public_security", "agriculture", "rural_revitalisation", "inspection_office",
         "other")
MAX_FEEDBACK_DAYS = 365
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{1,31}")


def listing(g: Graph, *, authz: Authz, region: str | None = None, limit: int = 50,
            offset: int = 0) -> Page:
    """One page of departments, by code; `region` narrows to a region's subtree."""
    authz.require(Perm.MANAGE_DEPARTMENTS)
    where = {"region_code": Cond(Op.PREFIX, regions.subtree_prefix(region))} if region else None
    return g.find("Department", where=where, order_by="code", limit=limit, offset=offset)


def _checked(name: str, kind: str | None, feedback_days: int | None) -> dict[str, object]:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError(N_("a department needs a name of at most 100 characters"))
    if kind is not None and kind not in KINDS:
        raise ValidationError(N_("unknown department kind %(kind)r"), kind=kind)
    if feedback_days is not None and not 1 <= feedback_days <= MAX_FEEDBACK_DAYS:
        raise ValidationError(N_("feedback days must be between 1 and %(most)d, or empty for "
                                 "the default"), most=MAX_FEEDBACK_DAYS)
    # Pinyin from the new name, so search by pinyin finds a renamed department too.
    return {"name": name, "kind": kind, "feedback_days": feedback_days,
            **pinyin.pinyin_of(name)}


def create(g: Graph, *, authz: Authz, code: str, name: str, kind: str | None, region_code: str,
           feedback_days: int | None = None) -> Node:
    """Add a department in a region; refuses a taken code or a region that does not exist."""
    authz.require(Perm.MANAGE_DEPARTMENTS)
    code = (code or "").strip()
    if not _CODE.fullmatch(code):
        raise ValidationError(N_("a department code is 2-32 letters, digits, '-' or '_': "
                                 "%(code)r"), code=code)
    row = _checked(name, kind, feedback_days)
    regions.check_code(region_code)
    if g.get("Region", region_code) is None:
        raise ValidationError(N_("no region with the code %(code)s"), code=region_code)
    if g.get("Department", code) is not None:
        raise ConflictError(N_("department %(code)s exists already"), code=code)
    g.upsert_nodes("Department", [{**row, "code": code, "region_code": region_code}])
    g.upsert_rels("IN_REGION", [{"src": code, "dst": region_code}], src="Department",
                  dst="Region")
    return _department(g, code)


def update(g: Graph, *, authz: Authz, code: str, name: str, kind: str | None,
           feedback_days: int | None) -> Node:
    """Change a department's name, kind and feedback term (empty: the default applies)."""
    authz.require(Perm.MANAGE_DEPARTMENTS)
    if g.lock("Department", code) is None:
        raise NotFound(N_("no department %(code)s"), code=code)
    g.upsert_nodes("Department", [{**_checked(name, kind, feedback_days), "code": code}])
    return _department(g, code)


def _department(g: Graph, code: str) -> Node:
    node = g.get("Department", code)
    if node is None:
        raise NotFound(N_("no department %(code)s"), code=code)
    return node
