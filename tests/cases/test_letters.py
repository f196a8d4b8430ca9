"""Letters: what is due today, numbering and recording, and the .docx text itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from collab.access.actors import Actor
from collab.cases import letters
from collab.cases import rectification as rect
from collab.errors import NotFound, ValidationError
from collab.graph.store import Store

COORD = Actor("王协调")
TODAY = date(2024, 5, 1)


@pytest.fixture
def scene(store: Store) -> Store:
    store.upsert_nodes("Unit", [{"code": "U1", "name": "中共富宁县那能乡委员会",
                                 "region_code": "532628107"},
                                {"code": "U2", "name": "中共砚山县江那镇委员会",
                                 "region_code": "532622100"}])
    store.upsert_nodes("Issue", [{"no": "WT-1", "title": "66名老年人未领取养老金"},
                                 {"no": "WT-2", "title": "集体资金管理不规范"}])
    for no, unit, issue, deadline in (("ZG-1", "U1", "WT-1", date(2024, 4, 21)),
                                      ("ZG-2", "U1", "WT-1", date(2024, 5, 8)),
                                      ("ZG-3", "U2", "WT-2", date(2024, 9, 30)),
                                      ("ZG-4", "U2", "WT-2", date(2024, 5, 20))):
        store.write(lambda tx, no=no, unit=unit, issue=issue, deadline=deadline: rect.create(
            tx, actor=COORD, no=no, issue=issue, unit=unit, title=f"整改任务{no}",
            deadline=deadline, on=date(2024, 1, 5)))
    store.write(lambda tx: rect.advance(tx, actor=COORD, no="ZG-3", to="done",
                                        on=date(2024, 3, 1), evidence="已建立三资台账"))
    store.write(lambda tx: rect.advance(tx, actor=COORD, no="ZG-3", to="reopened",
                                        on=date(2024, 4, 1), reason="抽查不合格"))
    return store


def test_due_lists_overdue_failing_and_near_tasks(scene: Store) -> None:
    got = [(d.rectification, d.kind, d.reason) for d in letters.due(scene, as_of=TODAY)]
    assert got == [("ZG-1", "supervision", "已超期10天"),
                   ("ZG-2", "reminder", "距整改时限还有7天"),
                   ("ZG-3", "supervision", "整改不力，已退回再整改")]
    assert [d.rectification for d in letters.due(scene, as_of=TODAY, region="532622")] == [
        "ZG-3"]


def test_a_supervision_letter_is_numbered_recorded_and_readable(scene: Store,
                                                                tmp_path: Path) -> None:
    content = scene.write(lambda tx: letters.issue(tx, actor=COORD, kind="supervision",
                                                   rectifications=["ZG-1", "ZG-2"], on=TODAY))
    assert content.no == "巡督〔2024〕1号" and content.unit == "中共富宁县那能乡委员会"
    node = scene.get("Letter", content.no)
    assert node is not None and node.get("kind") == "supervision"
    assert scene.counts()["rels"]["ABOUT"] == 2 and scene.counts()["rels"]["SENT_TO"] == 1
    path = letters.render(content, tmp_path / "函件")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "关于督促加快整改进度的督办函" in text and "巡督〔2024〕1号" in text
    assert "中共富宁县那能乡委员会：" in text and "2024年5月1日" in text
    assert "现予督办" in text and "15日内" in text
    assert "66名老年人未领取养老金" in cells and "整改任务ZG-1" in cells
    row_one = next(c for c in cells if "已超期10天" in c)
    assert "当前状态：未启动" in row_one and "尚缺：整改佐证材料、责任单位领导签字" in row_one
    assert "2024年4月21日" in cells
    # Sent today: no longer due (a 督办函 covers a 提示函 too); the next takes the next number.
    assert [d.rectification for d in letters.due(scene, as_of=TODAY)] == ["ZG-3"]
    later = [(d.rectification, d.kind) for d in letters.due(scene, as_of=date(2024, 5, 31))]
    assert ("ZG-1", "supervision") in later and ("ZG-2", "supervision") in later
    second = scene.write(lambda tx: letters.issue(tx, actor=COORD, kind="supervision",
                                                  rectifications=["ZG-3"], on=TODAY))
    assert second.no == "巡督〔2024〕2号"
    reminder = scene.write(lambda tx: letters.issue(tx, actor=COORD, kind="reminder",
                                                    rectifications=["ZG-4"], on=TODAY))
    assert reminder.no == "巡提〔2024〕1号"
    text = "\n".join(p.text for p in Document(str(letters.render(reminder, tmp_path)))
                     .paragraphs)
    assert "关于按期完成整改任务的提示函" in text and "即将到期" in text


def test_bad_letters_are_refused_and_write_nothing(scene: Store) -> None:
    with pytest.raises(ValidationError, match="one unit"):
        scene.write(lambda tx: letters.issue(tx, actor=COORD, kind="supervision",
                                             rectifications=["ZG-1", "ZG-3"], on=TODAY))
    with pytest.raises(NotFound, match="ZG-404"):
        scene.write(lambda tx: letters.issue(tx, actor=COORD, kind="reminder",
                                             rectifications=["ZG-404"], on=TODAY))
    with pytest.raises(ValidationError, match="unknown letter kind"):
        scene.write(lambda tx: letters.issue(tx, actor=COORD, kind="praise",
                                             rectifications=["ZG-1"], on=TODAY))
    assert scene.count("Letter") == 0
