"""Who may see and do what: the permission object built once per request.

Every page, API call, export and graph view asks this one object, so the rules live in one
place. Roles are those of DOMAIN.md ("Who uses it"); jurisdiction is a region subtree, and a
liaison sees only what was transferred or assigned to its own department. Anything outside
one's reach is answered as `NotFound`, exactly as if it did not exist, so probing ids tells
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from collab.access import regions
from collab.access.actors import Actor
from collab.access.idnumbers import IdKey, redact
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Cond, Direction, Graph, Op, Page


class Role(StrEnum):
    """The roles of DOMAIN.md; the first three are the separated admin roles (三员分立)."""

    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"
    COORDINATOR = "coordinator"
    INSPECTOR = "inspector"
    LEADER = "leader"
    LIAISON = "liaison"
    PENDING = "pending"  # created by the system admin, no role granted yet
    OPERATOR = "operator"  # the command line's actor (COLLAB_USER); never an account's role


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles an account may hold: every role but the command line's own.
ACCOUNT_ROLES = tuple(r for r in Role if r != Role.OPERATOR)


class Perm(StrEnum):
    """What a role may do, beyond seeing the objects in its scope."""

    VIEW_CASES = "view_cases"          # issues, clues, cases, checks, people of its scope
    VIEW_ORG = "view_org"              # regions and departments
    DASHBOARD = "dashboard"            # figures and charts of its scope
    REGISTER = "register"              # register issues and clues
    TRANSFER = "transfer"              # transfer clues
    PLAN_CHECKS = "plan_checks"        # create and assign joint checks
    SEND_LETTERS = "send_letters"      # supervision and reminder letters to units
    RECORD_DISPOSAL = "record_disposal"  # acceptance, disposal, case filing, check findings
    EXPLORE = "explore"                # the graph explorer
    IMPORT = "import"
    EXPORT = "export"
    MANAGE_USERS = "manage_users"      # create and disable users
    MANAGE_DEPARTMENTS = "manage_departments"  # create and edit collaborating departments
    MANAGE_ACCESS = "manage_access"    # roles, jurisdictions, unmasking, unlocking
    READ_AUDIT = "read_audit"          # read and export the audit trail
    OPERATE = "operate"                # the console's own jobs: backfills, accounts with roles
    VIEW_MODELS = "view_models"        # supervision models: hits, runs, per-model figures
    RUN_MODELS = "run_models"          # run supervision models
    TRIAGE = "triage"                  # confirm a hit (register its clue) or dismiss it
    MANAGE_DATASETS = "manage_datasets"  # import reference data sets and set who uses them


_CASEWORK = {Perm.VIEW_CASES, Perm.VIEW_ORG, Perm.DASHBOARD, Perm.EXPLORE}
GRANTS: Mapping[Role, frozenset[Perm]] = {
    Role.SYSTEM_ADMIN: frozenset({Perm.MANAGE_USERS, Perm.MANAGE_DEPARTMENTS, Perm.VIEW_ORG}),
    Role.SECURITY_ADMIN: frozenset({Perm.MANAGE_ACCESS, Perm.VIEW_ORG}),
    Role.AUDIT_ADMIN: frozenset({Perm.READ_AUDIT}),
    Role.COORDINATOR: frozenset(_CASEWORK | {Perm.REGISTER, Perm.TRANSFER, Perm.PLAN_CHECKS,
                                             Perm.SEND_LETTERS, Perm.IMPORT, Perm.EXPORT,
                                             Perm.VIEW_MODELS, Perm.RUN_MODELS, Perm.TRIAGE,
                                             Perm.MANAGE_DATASETS}),
    Role.INSPECTOR: frozenset(_CASEWORK | {Perm.REGISTER, Perm.IMPORT, Perm.VIEW_MODELS}),
    Role.LEADER: frozenset(_CASEWORK | {Perm.EXPORT, Perm.VIEW_MODELS}),
    Role.LIAISON: frozenset({Perm.VIEW_CASES, Perm.DASHBOARD, Perm.RECORD_DISPOSAL}),
    Role.PENDING: frozenset(),
    # The operator at the server's console, trusted with the store anyway: every case-work
    # change of the whole deployment, departments, accounts (created with their role, API
    # tokens) and backfills. Not the security admin's jobs (roles, unmasking, unlocking,
    # two-factor resets: `--as`), and never the audit trail.
    Role.OPERATOR: frozenset(_CASEWORK | {
        Perm.REGISTER, Perm.TRANSFER, Perm.RECORD_DISPOSAL, Perm.PLAN_CHECKS,
        Perm.SEND_LETTERS, Perm.IMPORT, Perm.EXPORT, Perm.MANAGE_USERS,
        Perm.MANAGE_DEPARTMENTS, Perm.OPERATE, Perm.VIEW_MODELS, Perm.RUN_MODELS,
        Perm.TRIAGE, Perm.MANAGE_DATASETS}),
}

# Labels the generic pages may show, per kind of reach.
CASE_LABELS = ("Region", "Unit", "Department", "Round", "Group", "Person", "Issue",
               "Rectification", "Clue", "Transfer", "Case", "JointCheck", "Support", "Letter")
ORG_LABELS = ("Region", "Department")
# Data sets and the models' work: seen by the case-work roles, each data set only by the roles
# and regions it names (and its records and the hits resting on it with it), listed on their
# own pages rather than in the generic lists.
MODEL_LABELS = ("DataSet", "DataRecord", "ModelRun", "ModelHit")
# A liaison's own objects, and how the objects around them are reached from them.
LIAISON_LISTS = ("Clue", "Transfer", "Case", "JointCheck")
_LIAISON_LINKS: Mapping[str, tuple[str, ...]] = {
    "Person": ("AGAINST", "SUBJECT"), "Issue": ("FROM_ISSUE",),
    "Rectification": ("CHECKS",), "Unit": ("CHECKS",)}
# Properties nobody reads through the app: the hashed and encrypted forms of secrets.
SECRET_PROPS = frozenset({"id_hash", "id_enc", "password_hash", "token_hash", "sid_hash",
                          "totp_enc", "totp_pending_enc", "reset_code_hash"})
_MAX_OWN = 10_000


def _not_found() -> NotFound:
    return NotFound("not found")


@dataclass(frozen=True)
class Authz:
    """One actor's permissions and reach; services take it as `authz`.

    `may_unmask`: the security admin allowed this actor to read full ID numbers.
    """

    actor: Actor
    may_unmask: bool = False

    def __post_init__(self) -> None:
        if self.actor.role not in Role.__members__.values():
            raise ValidationError(N_("unknown role %(role)r; roles: %(roles)s"),
                                  role=self.actor.role, roles=", ".join(Role))
        if self.actor.role == Role.LIAISON and not self.actor.department:
            raise ValidationError(N_("a liaison needs its department"))
        if self.actor.region is not None:
            regions.check_code(self.actor.region)

    @property
    def role(self) -> Role:
        return Role(self.actor.role)

    def can(self, perm: Perm) -> bool:
        """Whether the role holds `perm`."""
        return perm in GRANTS[self.role]

    def require(self, perm: Perm) -> None:
        """Refuse, as not found, what the role may not do."""
        if not self.can(perm):
            raise _not_found()

    def labels(self) -> tuple[str, ...]:
        """The labels this actor may see at all."""
        if self.role == Role.LIAISON:
            return (*LIAISON_LISTS, *_LIAISON_LINKS, "Department")
        if self.can(Perm.VIEW_CASES):
            return CASE_LABELS + MODEL_LABELS
        if self.can(Perm.VIEW_ORG):
            return ORG_LABELS
        return ()

    def listable(self) -> tuple[str, ...]:
        """The labels this actor may list."""
        if self.role == Role.LIAISON:
            return LIAISON_LISTS
        return tuple(x for x in self.labels() if x not in MODEL_LABELS)

    # --- region subtree -----------------------------------------------------------------
    def _region_prop(self, label: str) -> str:
        return "code" if label == "Region" else "region_code"

    def in_region(self, node: Node) -> bool:
        """Whether the node lies in the actor's region subtree."""
        if self.actor.region is None:
            return True
        return regions.within(node.get(self._region_prop(node.label)), self.actor.region)

    # --- a liaison's department --------------------------------------------------------
    def _own(self, g: Graph, node: Node) -> bool:
        """Whether a liaison's department holds this clue, transfer, case or check."""
        dept = self.actor.department
        if node.label == "Transfer":
            return node.get("department_code") == dept and _live(node)
        if node.label == "Clue":
            return any(_live(t) for t in g.nodes("Transfer", where={
                "clue_no": node.key, "department_code": dept}))
        if node.label == "Department":
            return node.key == dept
        if node.label in ("Case", "JointCheck"):
            return node.key in own_keys(g, authz=self, label=node.label)
        return False

    def sees_all(self, labels: Sequence[str]) -> bool:
        """Whether every node of these labels is visible (no region, not a liaison, none of
        them a data set's or a model's), so a traversal over them needs no check node by
        node."""
        return self.actor.region is None and self.role != Role.LIAISON \
            and not set(labels) & set(MODEL_LABELS)

    def may_use(self, dataset: Node | None) -> bool:
        """Whether this actor may use a data set: its role is one the set names, and its
        jurisdiction overlaps the regions the set names (or the set's own region); the
        console's operator, trusted with the store, uses every one."""
        if dataset is None:
            return False
        if self.role == Role.OPERATOR:
            return True
        if str(self.role) not in (dataset.get("roles") or []):
            return False
        if self.actor.region is None:
            return True
        mine = self.actor.region
        return any(regions.within(r, mine) or regions.within(mine, r)
                   for r in dataset.get("regions") or [dataset.get("region_code")] if r)

    def _sees_model_work(self, g: Graph, node: Node) -> bool:
        """Data sets by their own permission; records, runs and hits in the region subtree,
        and only when every data set they rest on may be used."""
        if node.label == "DataSet":
            return self.may_use(node)
        if not self.in_region(node):
            return False
        if node.label == "DataRecord":
            sets = [node.get("dataset")]
        elif self.can(Perm.VIEW_MODELS):
            sets = node.get("datasets") or []
        else:
            return False
        return all(self.may_use(g.get("DataSet", code or "")) for code in sets)

    def sees(self, g: Graph, node: Node) -> bool:
        """Whether this actor may see `node`."""
        if node.label not in self.labels():
            return False
        if node.label in MODEL_LABELS:
            return self._sees_model_work(g, node)
        if not self.in_region(node):
            return False
        if self.role != Role.LIAISON:
            return True
        if node.label in _LIAISON_LINKS:
            around = g.expand([node.uid], types=_LIAISON_LINKS[node.label],
                              direction=Direction.IN, limit=500)
            return any(self._own(g, n) for n in around.nodes if n.uid != node.uid)
        return self._own(g, node)


def own_keys(g: Graph, *, authz: Authz, label: str) -> list[str]:
    """The keys of a liaison department's own clues, transfers, cases or checks."""
    dept = authz.actor.department
    if label == "Transfer":
        return [t.key for t in _transfers(g, dept)]
    if label == "Clue":
        return sorted({t.get("clue_no") for t in _transfers(g, dept)})
    department = g.get("Department", dept or "")
    if department is None:
        return []
    rel = {"Case": "FILED_BY", "JointCheck": "ASSIGNED_TO"}[label]
    around = g.expand([department.uid], types=[rel], labels=[label], direction=Direction.IN,
                      limit=_MAX_OWN)
    return sorted(n.key for n in around.nodes if n.label == label)


def _live(transfer: Node) -> bool:
    """A returned (revoked) transfer is no longer the department's: it sees none of it."""
    return bool(transfer.get("status") != "returned")


def _transfers(g: Graph, dept: str | None) -> list[Node]:
    """A department's live transfers."""
    return [t for t in g.nodes("Transfer", where={"department_code": dept}) if _live(t)]


def get(g: Graph, *, authz: Authz, label: str, key: str, lock: bool = False) -> Node:
    """The node of `label` with `key` if this actor may see it, else NotFound; under its
    write lock with `lock` (a change reads what it changes once, locked)."""
    if label not in authz.labels():
        raise _not_found()
    node = g.lock(label, key) if lock else g.get(label, key)
    if node is None or not authz.sees(g, node):
        raise _not_found()
    return node


def require_not_foreign(g: Graph, *, authz: Authz, label: str, key: str) -> None:
    """Refuse, as not found (exactly as for an unknown number), a new record's number that a
    record outside the actor's reach holds, so a create can neither overwrite nor reveal it.
    A taken number the actor sees is left to the service (its own conflict message)."""
    node = g.get(label, key)
    if node is not None and not authz.sees(g, node):
        raise _not_found()


def _scoped(g: Graph, authz: Authz, label: str,
            where: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """`where` narrowed to the actor's reach; None when nothing can match."""
    if label not in authz.listable():
        raise _not_found()
    scoped = dict(where or {})
    prop = authz._region_prop(label)
    if authz.actor.region is not None:
        mine = regions.subtree_prefix(authz.actor.region)
        asked = scoped.get(prop)
        narrowed: str | None = mine
        if isinstance(asked, Cond) and asked.op == Op.PREFIX:
            if str(asked.value).startswith(mine):
                narrowed = str(asked.value)
            elif not mine.startswith(str(asked.value)):
                return None
        elif asked is not None and not regions.within(str(asked), authz.actor.region):
            return None
        elif asked is not None:
            narrowed = None
        if narrowed is not None:
            scoped[prop] = Cond(Op.PREFIX, narrowed)
    if authz.role == Role.LIAISON:
        if "no" in scoped:
            raise ValidationError(N_("filtering a liaison's list by number is not supported"))
        scoped["no"] = own_keys(g, authz=authz, label=label)
    return scoped


def find(g: Graph, *, authz: Authz, label: str, where: Mapping[str, Any] | None = None,
         order_by: str | None = None, descending: bool = False, limit: int = 50,
         offset: int = 0) -> Page:
    """One page of the nodes of `label` this actor may see; the total counts only those."""
    scoped = _scoped(g, authz, label, where)
    if scoped is None:
        return Page([], 0, limit, offset)
    return g.find(label, where=scoped, order_by=order_by, descending=descending, limit=limit,
                  offset=offset)


def count(g: Graph, *, authz: Authz, label: str,
          where: Mapping[str, Any] | None = None) -> int:
    """How many nodes of `label` matching `where` this actor may see."""
    scoped = _scoped(g, authz, label, where)
    return 0 if scoped is None else g.count(label, scoped)


def may_unmask(authz: Authz) -> bool:
    """Whether this actor may read full ID numbers (of the people in its reach)."""
    return authz.may_unmask and authz.can(Perm.VIEW_CASES)


def unmask_id(g: Graph, *, authz: Authz, uid: str, key: IdKey) -> str:
    """A person's full ID number, for an actor allowed to unmask (the caller audits it)."""
    if not may_unmask(authz):
        raise _not_found()
    person = get(g, authz=authz, label="Person", key=uid)
    sealed = person.get("id_enc")
    if not sealed:
        raise NotFound(N_("no ID number is on record for this person"))
    return key.decrypt(sealed)


def visible_props(node: Node) -> dict[str, Any]:
    """The node's properties as every page shows them: secrets dropped, ID numbers masked.

    A full number is only ever shown through `unmask_id`, one person at a time, audited.
    """
    return {k: redact(v) if isinstance(v, str) else v
            for k, v in node.props.items() if k not in SECRET_PROPS}


def neighbours(g: Graph, *, authz: Authz, node: Node, limit: int = 100) -> list[tuple[Any, Node]]:
    """The relationships of a visible node to the neighbours this actor may also see."""
    around = g.expand([node.uid], labels=list(authz.labels()), limit=limit + 1)
    by_uid = {n.uid: n for n in around.nodes if n.uid != node.uid}
    out = []
    for rel in around.rels:
        other = by_uid.get(rel.dst if rel.src == node.uid else rel.src)
        if other is not None and authz.sees(g, other):
            out.append((rel, other))
    return out[:limit]
