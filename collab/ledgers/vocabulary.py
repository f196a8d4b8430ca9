"""The words ledgers use for fixed values, per field, in one table.

Each entry maps a stored value to the words clerks write for it, the first being the one
templates and exports write. `collab.ledgers.kinds` builds its parsers from here, and the
templates' 填写说明 sheet lists every word accepted, so adding a synonym is one line here.
An unknown word is refused with the accepted ones named.
"""

from __future__ import annotations

from collections.abc import Mapping

VOCABULARY: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "clue_status": {
        "registered": ("已登记", "登记", "未移交", "待移交"),
        "transferred": ("已移交", "移交", "已移送", "移送", "已转办", "转办"),
        "accepted": ("已接收", "已受理", "接收", "受理", "正在办理", "办理中"),
        "inquiry": ("谈话函询", "函询", "谈话"),
        "verification": ("初步核实", "初核", "核实中", "正在核实"),
        "on_hold": ("暂存待查", "暂存"),
        "closed": ("予以了结", "了结", "已了结", "办结", "已办结", "不予立案"),
        "case_filed": ("立案", "已立案", "立案审查", "立案审查调查"),
        "returned": ("已退回", "退回"),
    },
    "rect_status": {
        "open": ("未整改", "未启动", "未开始", "待整改"),
        "in_progress": ("整改中", "正在整改", "推进中", "持续整改", "整改未完成", "未完成"),
        "done": ("已完成", "已整改", "完成", "整改完成", "已完成整改"),
        "verified": ("已验收", "已销号", "销号", "验收合格", "已验收销号"),
        "reopened": ("再整改", "重新整改"),
    },
    "round_kind": {
        "regular": ("常规巡察", "常规"), "elevated": ("提级巡察", "提级"),
        "linked": ("联动巡察", "联动"), "cross": ("交叉巡察", "交叉", "提级交叉巡察"),
        "special": ("专项巡察", "专项"), "follow_up": ("巡察“回头看”", "回头看"),
    },
    "level": {
        "province": ("省级", "省"), "prefecture": ("州市级", "市级", "州级", "市", "州"),
        "county": ("县级", "县", "县区级"),
    },
    "support_kind": {
        "briefing": ("巡前通报", "情况通报"),
        "secondment": ("选派专业人员", "选派人员", "抽调人员"),
        "consultation": ("问题会商评估", "会商评估", "会商"), "evaluation": ("整改评估",),
        "joint_check": ("联合监督检查", "联合检查"), "special_study": ("专题调研",),
    },
    "gender": {"male": ("男",), "female": ("女",)},
    "case_origin": {
        "inspection_clue": ("巡察移交", "巡察移送", "巡察"), "petition": ("信访举报", "信访"),
        "supervision": ("监督检查",), "audit": ("审计移送", "审计"),
        "self_report": ("主动投案",), "other": ("其他",),
    },
}


def words(name: str) -> dict[str, str]:
    """Every word accepted for the values of `name` → the stored value."""
    return {word: value for value, said in VOCABULARY[name].items() for word in said}


def first_words(name: str) -> dict[str, str]:
    """The stored value → the word templates and exports write."""
    return {value: said[0] for value, said in VOCABULARY[name].items()}
