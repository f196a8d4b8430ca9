"""The graph's schema, declared once: labels, relationship types, keys, properties, indexes.

It is also the whitelist: a label, type or property name reaches a query only after one of
the `label()`, `rel_type()` or `prop()` checks here has accepted it. Both engines generate
their constraints, tables and indexes from these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from collab.errors import SchemaError

# The version of what a store holds. A new store is made at this version; `collab init` brings
# an older one up to it, step by step (`collab.commands.migrations`), and collab refuses to run
# on a store of another version until then. 1: stores made before versions were kept.
# 2: every clue carries its figure shortcut and every named node its pinyin.
# 3: titles and summaries are in each engine's full-text index (`NodeType.text`).
VERSION = 3


class T(StrEnum):
    """Property value types, stored the same way on both engines (dates as ISO strings)."""

    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    STRS = "list[str]"


@dataclass(frozen=True)
class NodeType:
    """A node label: its natural key, its properties and which of them are indexed."""

    label: str
    key: str
    props: Mapping[str, T]
    indexed: tuple[str, ...] = ()
    doc: str = ""
    # per aggregation over the label, the properties it reads, leading with its range filter:
    # SQLite keeps each set in one index and answers from it without parsing each row's JSON
    covering: tuple[tuple[str, ...], ...] = ()
    # the properties searched for the words a person types (`Op.WORDS`): each engine keeps
    # them in its full-text index (SQLite FTS5 trigrams, a Neo4j CJK full-text index)
    text: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelType:
    """A relationship type: the (from, to) label pairs it may join and its properties."""

    type: str
    pairs: tuple[tuple[str, str], ...]
    props: Mapping[str, T] = field(default_factory=dict)
    doc: str = ""


# Properties every node has. `uid` is stable for the node's life; `synthetic` marks demo data.
COMMON_PROPS: Mapping[str, T] = {"uid": T.STR, "synthetic": T.BOOL, "note": T.STR}

_S, _I, _F, _B, _D, _DT, _L = T.STR, T.INT, T.FLOAT, T.BOOL, T.DATE, T.DATETIME, T.STRS

# Who may use collab and what they did: kept in the graph so both engines hold them and an
# audit record commits in the same transaction as the change it records.
_ACCESS_NODES = (
    NodeType("User", "name", {"name": _S, "display_name": _S, "role": _S, "region_code": _S,
                              "department_code": _S, "password_hash": _S,
                              "password_set_at": _DT, "must_change": _B, "disabled": _B,
                              "failures": _I, "first_failure_at": _DT, "locked_until": _DT,
                              "epoch": _I, "created_at": _DT, "may_unmask": _B,
                              "totp_enc": _S, "totp_pending_enc": _S, "totp_step": _I,
                              "totp_enrolled_at": _DT, "reset_code_hash": _S,
                              "reset_expires_at": _DT, "reset_by": _S, "reset_at": _DT},
             ("role", "department_code"), "a person who signs in; role and jurisdiction"),
    NodeType("LoginSession", "sid_hash", {"sid_hash": _S, "user": _S, "epoch": _I,
                                          "created_at": _DT, "seen_at": _DT,
                                          "ended_at": _DT, "address": _S,
                                          "via_reset": _B},
             ("user",), "a server-side web session (the cookie holds only its id)"),
    NodeType("ApiToken", "token_hash", {"token_hash": _S, "user": _S, "name": _S,
                                        "created_at": _DT, "expires_at": _DT,
                                        "revoked_at": _DT, "revoked_by": _S,
                                        "revoked_why": _S},
             ("user",), "an API client's bearer token, stored as its hash"),
    NodeType("AddressGuard", "address", {"address": _S, "failures": _I,
                                         "first_failure_at": _DT},
             (), "failed sign-ins from one network address, for rate limiting"),
    NodeType("AuditRecord", "no", {"no": _S, "seq": _I, "at": _DT, "user": _S, "role": _S,
                                   "department": _S, "address": _S, "request_id": _S,
                                   "kind": _S, "event": _S, "object_label": _S,
                                   "object_key": _S, "outcome": _S, "detail": _S,
                                   "prev_hash": _S, "hash": _S, "alg": _S},
             ("seq", "at", "user", "kind", "event", "object_key"),
             "one append-only, hash-chained audit record"),
    NodeType("AuditHead", "chain", {"chain": _S, "seq": _I, "hash": _S, "keyed_from": _I},
             (), "the audit chain's head: appends lock it, so they happen one at a time"),
    NodeType("HealthProbe", "name", {"name": _S, "at": _DT},
             (), "the readiness probe's own row: writing it proves the store takes a write"),
    NodeType("IdempotencyKey", "key", {"key": _S, "user": _S, "event": _S, "result": _S,
                                       "at": _DT},
             (), "a client's key for one change: a retry with it gets the first answer"),
    NodeType("ImportProfile", "key", {"key": _S, "name": _S, "owner": _S, "kind": _S,
                                      "signature": _S, "mapping": _S, "saved_by": _S,
                                      "saved_at": _DT},
             ("owner", "signature"), "a ledger's column mapping saved under a name, per "
                                     "department, reused when the same headers come again"),
)

# Reference data sets (数据集) and the supervision models (监督模型) run over them and the graph:
# a data set's records name people by the keyed hash of their ID number only (NAMES); a run
# records who ran which model how; a hit keeps its evidence (EVIDENCE) and its triage state.
_MODEL_NODES = (
    NodeType("DataSet", "code", {"code": _S, "name": _S, "kind": _S, "source": _S,
                                 "source_department": _S, "as_of": _D, "region_code": _S,
                                 "roles": _L, "regions": _L, "rows": _I, "unmatched": _I,
                                 "file": _S, "imported_at": _DT, "imported_by": _S},
             ("kind", "region_code"),
             "数据集: a list a department shares, with its source, date and who may use it"),
    NodeType("DataRecord", "no", {"no": _S, "dataset": _S, "row": _I, "name": _S,
                                  "birth_date": _D, "gender": _S, "region_code": _S,
                                  "place": _S, "id_masked": _S, "id_problem": _S,
                                  "benefit": _S, "amount": _F, "paid_on": _D, "died_on": _D,
                                  "employer": _S, "position": _S, "since": _D},
             ("dataset", "region_code", "name"),
             "one row of a data set (its person linked by NAMES, never by the plain number)"),
    NodeType("ModelRun", "no", {"no": _S, "model": _S, "model_version": _I, "params": _S,
                                "datasets": _L, "region_code": _S, "actor": _S, "role": _S,
                                "as_of": _D, "started_at": _DT, "duration_ms": _I,
                                "hits": _I, "new_hits": _I},
             ("model", "started_at", "region_code"),
             "one run of one model: who, when, version, parameters, data sets, hits"),
    NodeType("ModelHit", "no", {"no": _S, "model": _S, "model_version": _I, "signature": _S,
                                "facts": _S, "subject": _S, "severity": _S,
                                "region_code": _S, "datasets": _L, "status": _S,
                                "status_on": _D, "version": _I, "clue_no": _S,
                                "first_run": _S, "last_run": _S, "first_seen": _DT,
                                "last_seen": _DT, "runs": _I},
             ("model", "status", "region_code", "first_seen"),
             "a model's finding (疑点): its evidence, the runs that found it, its triage"),
)
_EVIDENCE = ("Person", "DataRecord", "DataSet", "Unit", "Department", "Round", "Group",
             "Issue", "Rectification", "Clue", "Transfer", "Case", "JointCheck")

_NODES = (
    *_ACCESS_NODES,
    *_MODEL_NODES,
    NodeType("Region", "code", {"code": _S, "name": _S, "level": _S, "pinyin": _S,
                                "initials": _S},
             ("name", "level"),
             "行政区划; county and above by GB/T 2260 codes, below by statistical codes"),
    NodeType("Unit", "code", {"code": _S, "name": _S, "kind": _S, "region_code": _S,
                              "pinyin": _S, "initials": _S},
             ("name", "region_code", "kind"), "被巡察单位 / 党组织"),
    NodeType("Department", "code", {"code": _S, "name": _S, "kind": _S, "region_code": _S,
                                    "feedback_days": _I, "pinyin": _S, "initials": _S},
             ("name", "region_code", "kind"), "协作部门 / 协作单位"),
    NodeType("Round", "code", {"code": _S, "name": _S, "level": _S, "kind": _S,
                               "region_code": _S, "start": _D, "end": _D, "year": _I},
             ("name", "region_code", "year"), "巡察轮次"),
    NodeType("Group", "code", {"code": _S, "name": _S, "region_code": _S},
             ("name", "region_code"), "巡察组"),
    NodeType("Person", "uid", {"name": _S, "pinyin": _S, "initials": _S, "id_hash": _S,
                               "id_enc": _S, "id_masked": _S, "gender": _S,
                               "birth_date": _D, "region_code": _S},
             ("name", "id_hash", "pinyin", "initials", "region_code"), "人员"),
    NodeType("Issue", "no", {"no": _S, "title": _S, "description": _S, "category": _S,
                             "severity": _S, "source": _S, "found_on": _D,
                             "region_code": _S, "status": _S, "masses_problem": _B,
                             "solved": _B},
             ("category", "region_code", "found_on", "status"), "问题",
             covering=(("found_on", "region_code", "category", "masses_problem", "solved"),),
             text=("title", "description")),
    NodeType("Rectification", "no", {"no": _S, "title": _S, "deadline": _D, "status": _S,
                                     "status_on": _D,
                                     "evidence": _S, "score": _F, "evaluator": _S,
                                     "evaluated_on": _D, "done_on": _D, "verified_on": _D,
                                     "reopened": _I, "region_code": _S, "version": _I,
                                     "responsible": _S, "leader": _S, "principal": _S,
                                     "signoffs": _L, "closed_on": _D, "pilot": _B,
                                     "files": _L},
             ("deadline", "status", "region_code", "closed_on"), "整改任务",
             covering=(("deadline", "region_code", "status", "done_on", "verified_on",
                        "reopened"),), text=("title",)),
    NodeType("Clue", "no", {"no": _S, "title": _S, "summary": _S, "status": _S,
                            "status_on": _D,
                            "source": _S, "category": _S, "registered_on": _D,
                            "region_code": _S, "version": _I,
                            # the figures' shortcut (collab/cases/clue_facts.py): set only
                            # while the clue has one live transfer and no other case links
                            "sole_transfer_at": _D, "sole_transfer_dept": _S,
                            "sole_transfer_closed": _B, "sole_transfer_closed_on": _D,
                            "sole_case_no": _S, "sole_case_filed_on": _D},
             ("status", "region_code", "registered_on", "category", "sole_transfer_at"),
             "问题线索",
             covering=(("sole_transfer_at", "sole_transfer_dept", "sole_case_filed_on",
                        "sole_case_no", "sole_transfer_closed", "sole_transfer_closed_on",
                        "region_code", "category", "status", "status_on"),
                       ("registered_on", "region_code", "category")),
             text=("title", "summary")),
    NodeType("Transfer", "no", {"no": _S, "clue_no": _S, "department_code": _S, "at": _D,
                                "letter_no": _S, "by": _S, "status": _S, "status_on": _D,
                                "received_on": _D, "feedback_due": _D, "feedback_on": _D,
                                "disposal": _S, "disposed_on": _D,
                                "region_code": _S, "version": _I},
             ("clue_no", "department_code", "at", "status", "region_code"),
             "移交: one clue handed to one department, with its own receipt and disposal"),
    NodeType("Case", "no", {"no": _S, "title": _S, "filed_on": _D, "closed_on": _D,
                            "origin": _S, "outcome": _S, "sanctions": _L,
                            "funds_recovered": _F, "region_code": _S,
                            "party_sanction": _S, "department_code": _S},
             ("filed_on", "region_code", "origin"), "案件", text=("title",)),
    NodeType("JointCheck", "no", {"no": _S, "title": _S, "status": _S, "start": _D,
                                  "status_on": _D,
                                  "end": _D, "region_code": _S, "version": _I},
             ("status", "region_code"), "联合监督检查"),
    NodeType("Support", "no", {"no": _S, "kind": _S, "on": _D, "region_code": _S,
                               "title": _S, "category": _S},
             ("kind", "on", "region_code"), "协作支持"),
    NodeType("Event", "uid", {"kind": _S, "object_label": _S, "object_key": _S,
                              "from_status": _S, "to_status": _S, "on": _D, "at": _DT,
                              "actor": _S, "reason": _S, "role": _S},
             ("object_key", "on", "kind"), "a lifecycle step: what moved, when, who, why"),
    NodeType("Letter", "no", {"no": _S, "kind": _S, "title": _S, "sent_on": _D,
                              "region_code": _S, "year": _I, "seq": _I},
             ("kind", "sent_on"), "督办函 / 提示函"),
)

_WORK = (("Person", "Unit"), ("Person", "Department"))
# Labels whose lifecycle steps are recorded as Event nodes.
_TRACKED = ("Clue", "Transfer", "Case", "Rectification", "JointCheck", "Issue", "Letter",
            "ModelHit")
_RELS = (
    RelType("PART_OF", (("Region", "Region"),)),
    RelType("IN_REGION", (("Unit", "Region"), ("Department", "Region"))),
    RelType("OF_ROUND", (("Group", "Round"),)),
    RelType("INSPECTS", (("Group", "Unit"),), {"mode": _S},
            "mode: how the unit was inspected in linked/elevated rounds (elevated, linked)"),
    RelType("MEMBER_OF", (("Person", "Group"),), {"role": _S}),
    RelType("WORKS_AT", _WORK, {"position": _S, "since": _D, "until": _D}),
    RelType("RELATED_TO", (("Person", "Person"),), {"kind": _S}),
    RelType("FOUND_BY", (("Issue", "Group"),)),
    RelType("CONCERNS", (("Issue", "Unit"),)),
    RelType("INVOLVES", (("Issue", "Person"),)),
    RelType("HAS_TASK", (("Issue", "Rectification"),)),
    RelType("OWNED_BY", (("Rectification", "Unit"),)),
    RelType("FROM_ISSUE", (("Clue", "Issue"),)),
    RelType("AGAINST", (("Clue", "Person"),)),
    RelType("TRANSFERRED", (("Clue", "Transfer"),)),
    RelType("TO", (("Transfer", "Department"),)),
    RelType("BECAME", (("Clue", "Case"),)),
    RelType("FILED_BY", (("Case", "Department"),)),
    RelType("SUBJECT", (("Case", "Person"),)),
    RelType("PROVIDED", (("Department", "Support"),)),
    RelType("FOR", (("Support", "Round"),)),
    RelType("FOUND_WITH", (("Issue", "Department"),)),
    RelType("CHECKS", (("JointCheck", "Rectification"), ("JointCheck", "Unit")),
            {"finding": _S, "finding_note": _S, "finding_on": _D, "finding_by": _S}),
    RelType("ASSIGNED_TO", (("JointCheck", "Department"),)),
    RelType("ON_CHECK", (("Person", "JointCheck"),)),
    RelType("ABOUT", (("Letter", "Rectification"),)),
    RelType("SENT_TO", (("Letter", "Unit"),)),
    RelType("EVENT_OF", tuple(("Event", x) for x in _TRACKED)),
    RelType("OF_SET", (("DataRecord", "DataSet"),)),
    RelType("NAMES", (("DataRecord", "Person"),),
            doc="the person a data set's row names, matched by the keyed ID-number hash"),
    RelType("FOUND_IN", (("ModelHit", "ModelRun"),)),
    RelType("EVIDENCE", tuple(("ModelHit", x) for x in _EVIDENCE), {"role": _S},
            "what a hit rests on; role: the part it plays in the model's pattern"),
    RelType("FROM_HIT", (("Clue", "ModelHit"),), doc="a clue registered from a model's hit"),
)

NODES: Mapping[str, NodeType] = MappingProxyType({n.label: n for n in _NODES})
RELS: Mapping[str, RelType] = MappingProxyType({r.type: r for r in _RELS})
# Sign-in, sessions and the audit trail: written on nearly every request, read by no figure,
# so writes to them change no write version (`Graph.versions`).
ACCESS_LABELS = frozenset(n.label for n in _ACCESS_NODES)


def label(name: str) -> NodeType:
    """The declared node type called `name`, or a SchemaError naming the known ones."""
    try:
        return NODES[name]
    except (KeyError, TypeError):
        raise SchemaError(
            f"unknown label {name!r}; known labels: {', '.join(NODES)}"
        ) from None


def rel_type(name: str) -> RelType:
    """The declared relationship type called `name`, or a SchemaError."""
    try:
        return RELS[name]
    except (KeyError, TypeError):
        raise SchemaError(
            f"unknown relationship type {name!r}; known types: {', '.join(RELS)}"
        ) from None


_ALL_PROPS: Mapping[str, Mapping[str, T]] = MappingProxyType(
    {n.label: MappingProxyType({**COMMON_PROPS, **n.props}) for n in _NODES})


def node_props(node: NodeType) -> Mapping[str, T]:
    """All properties a node of this label may carry, the common ones included."""
    return _ALL_PROPS[node.label]


def prop(node: NodeType, name: str) -> T:
    """The type of property `name` on `node`, or a SchemaError."""
    props = _ALL_PROPS[node.label]
    if not isinstance(name, str) or name not in props:
        raise SchemaError(
            f"unknown property {name!r} on {node.label}; known: {', '.join(sorted(props))}"
        )
    return props[name]


def rel_prop(rel: RelType, name: str) -> T:
    """The type of property `name` on relationship `rel`, or a SchemaError."""
    if not isinstance(name, str) or name not in rel.props:
        known = ", ".join(sorted(rel.props)) or "none"
        raise SchemaError(f"unknown property {name!r} on {rel.type}; known: {known}")
    return rel.props[name]


def check_pair(rel: RelType, src: str, dst: str) -> None:
    """Refuse a relationship between labels that its type does not join."""
    if (src, dst) not in rel.pairs:
        allowed = ", ".join(f"({a})->({b})" for a, b in rel.pairs)
        raise SchemaError(f"{rel.type} cannot join ({src})->({dst}); it joins {allowed}")


def covering_index(label_: str, lead: str) -> str:
    """The name of the label's covering index led by `lead` (SQLite), for `INDEXED BY` in a
    figure query."""
    node = label(label_)
    if not any(props[0] == lead for props in node.covering):
        raise SchemaError(f"{label_} declares no covering index led by {lead!r}")
    return "__".join(("cover", node.label, lead))


def indexed_props(node: NodeType) -> tuple[str, ...]:
    """The properties to index for lookups, beyond the key and uid."""
    return tuple(p for p in node.indexed if p not in (node.key, "uid"))


def text_columns() -> tuple[str, ...]:
    """Every property some label searches as words: the columns of SQLite's one full-text
    table (a label leaves the others empty)."""
    return tuple(sorted({p for n in NODES.values() for p in n.text}))
