"""Everything in the schema, and every code the services store or record, has a Chinese and an
English name (collab/graph/names.py), or is declared internal and never shown.

A new label, relationship type, property, state, role, event or coded value fails here until
it is named: pages show names, never codes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collab.access.audit import Kind
from collab.access.authz import Role
from collab.access.users import Outcome
from collab.analysis import datasets
from collab.analysis.models import declare, hits
from collab.cases import case_files, checks, clues, departments, letters, rectification
from collab.commands.base import REGISTRY
from collab.graph import names, schema
from collab.ledgers.vocabulary import VOCABULARY

SOURCE = Path(__file__).resolve().parents[2] / "collab"


def named(name: names.Name | None) -> bool:
    return name is not None and bool(name.zh.strip()) and bool(name.en.strip()) \
        and re.search(r"[\u4e00-\u9fff]", name.zh) is not None


def test_every_label_has_both_names() -> None:
    assert [label for label in schema.NODES if not named(names.LABELS.get(label))] == []
    assert set(names.LABELS) == set(schema.NODES)  # and no name for a label that is gone


def test_every_relationship_type_reads_as_a_verb_both_ways() -> None:
    for rel in schema.RELS:
        verb = names.REL_TYPES.get(rel)
        assert verb is not None and named(verb.forward) and named(verb.back), rel
    assert set(names.REL_TYPES) == set(schema.RELS)


def test_every_property_is_named_or_internal() -> None:
    unnamed = []
    for label, node in schema.NODES.items():
        for prop in schema.node_props(node):
            internal = prop in names.INTERNAL["*"] or prop in names.INTERNAL.get(label, ())
            if not internal and not named(names.prop_name(label, prop)):
                unnamed.append(f"{label}.{prop}")
    for rel_type, rel in schema.RELS.items():
        unnamed += [f"{rel_type}.{p}" for p in rel.props
                    if not named(names.prop_name(rel_type, p))]
    assert unnamed == []


def test_internal_properties_are_never_named_for_pages() -> None:
    assert names.prop_name("Clue", "sole_transfer_at") is None
    assert names.prop_name("Person", "id_hash") is None and names.prop_name("Clue", "uid") is None
    assert names.prop_name("Clue", "registered_on").zh == "登记日期"
    assert names.prop_name("Case", "filed_on").zh == "立案日期"


def test_every_lifecycle_state_is_named() -> None:
    for lifecycle in (clues.CLUE, clues.TRANSFER, rectification.LIFECYCLE, checks.LIFECYCLE,
                      hits.LIFECYCLE):
        for state in lifecycle.names:
            assert named(names.state_name(state, lifecycle.label)), (lifecycle.label, state)
    assert names.state_name("in_progress", "Rectification").zh == "整改中"
    assert names.state_name("in_progress", "JointCheck").zh == "检查中"


@pytest.mark.parametrize(("key", "codes"), [
    (("Round", "kind"), set(VOCABULARY["round_kind"])),
    (("Round", "level"), set(VOCABULARY["level"])),
    (("Support", "kind"), set(VOCABULARY["support_kind"])),
    (("Person", "gender"), set(VOCABULARY["gender"])),
    (("Case", "origin"), set(VOCABULARY["case_origin"]) | set(case_files.ORIGINS)),
    (("Department", "kind"), set(departments.KINDS)),
    (("Letter", "kind"), set(letters.KINDS)),
    (("User", "role"), {r.value for r in Role}),
    (("AuditRecord", "kind"), {k.value for k in Kind}),
    (("AuditRecord", "outcome"), {o.value for o in Outcome}),
    (("CHECKS", "finding"), {"verified", "not_verified"}),
    (("DataSet", "kind"), set(datasets.KINDS)),
    (("ModelHit", "severity"), set(declare.SEVERITIES)),
])
def test_every_code_the_services_store_is_named(key: tuple[str, str], codes: set[str]) -> None:
    table = names.VALUES[key]
    assert sorted(c for c in codes if not named(table.get(c))) == []


def test_every_kind_of_lifecycle_event_is_named() -> None:
    recorded = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'record_event\([^)]*?kind="(\w+)"', text, re.S))
    assert recorded and sorted(k for k in recorded if not named(names.EVENT_KINDS.get(k))) == []


def test_every_audit_event_is_named() -> None:
    """Events named in the code (`event="…"`, `name_event("…")`, an event beside its done
    message, `"prefix." + choice` of a route's choices) and every endpoint of the web app (a
    request without its own event name is recorded under its endpoint)."""
    from collab.web import create_app

    app = create_app({"COLLAB_STORE": object(), "SECRET_KEY": "x", "TESTING": True})
    events = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    events |= set(REGISTRY)  # every command's event
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        events |= {e for e in re.findall(r'(?:event=|name_event\()\s*"([\w.]+)"', text)
                   if not e.endswith(".")}
        events |= set(re.findall(r'"([\w]+\.[\w]+)",\s*_\(', text))  # (…, event, done message)
        for found in re.finditer(r'"([\w.]+[._])" \+ (\w+)', text):
            prefix, variable = found.groups()
            events |= {prefix + o for o in _choices(text[:found.start()], variable)}
    assert sorted(e for e in events if not named(names.EVENTS.get(e))) == []


def _choices(before: str, variable: str) -> set[str]:
    """The values the route above (its `any(…)` converter) gives `variable` (accept, dispose)."""
    found = re.findall(r"<any\(([^)]*)\):" + variable + ">", before)
    return {v.strip() for v in found[-1].split(",")} if found else set()


def test_values_read_as_words() -> None:
    assert names.value_name("Clue", "status", "case_filed").zh == "立案"
    assert names.value_name("Issue", "solved", True).zh == "是"
    assert names.value_name("Issue", "solved", False).en == "No"
    assert names.value_name("Region", "level", "prefecture").zh == "市（州）"
    assert names.value_name("AuditRecord", "event", "dashboard.index").zh == "查看工作台"
    assert names.value_name("Clue", "title", "乡村干部") is None  # text is shown as it is
