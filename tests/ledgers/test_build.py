"""Whatever a plan writes (imports, seeds, the generator) carries its names' pinyin."""

from __future__ import annotations

from collab.graph.store import Store
from collab.ledgers.build import Plan


def test_names_are_written_with_their_pinyin(store: Store) -> None:
    plan = Plan()
    plan.node("Person", "P-1", {"uid": "P-1", "name": "张三"})
    plan.node("Unit", "U-1", {"code": "U-1", "name": "那能乡党委"})
    plan.node("Person", "P-2", {"uid": "P-2", "name": "李四", "pinyin": "lisi-given"})
    plan.write(store)
    person = store.get("Person", "P-1")
    assert person is not None
    assert (person.get("pinyin"), person.get("initials")) == ("zhangsan", "zs")
    unit = store.get("Unit", "U-1")
    assert unit is not None and unit.get("initials") == "nnxdw"
    kept = store.get("Person", "P-2")
    assert kept is not None and kept.get("pinyin") == "lisi-given"
