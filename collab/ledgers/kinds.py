"""The ledgers collab speaks: each kind's columns (Chinese header, English alias, parser).

The first header of each column is what templates and exports write; every header and alias is
accepted on import after normalisation. `ref` names the labels a column refers to (matched by
code/number first, then by name). Kinds are imported in `ORDER`, so one workbook may carry units
and the issues that concern them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from collab.errors import N_, ValidationError
from collab.ledgers.headers import normalise
from collab.sheets import values as v

ROUND_KINDS = {"常规巡察": "regular", "提级巡察": "elevated", "联动巡察": "linked",
               "交叉巡察": "cross", "专项巡察": "special", "巡察“回头看”": "follow_up",
               "回头看": "follow_up"}
LEVELS = {"省级": "province", "省": "province", "州市级": "prefecture", "市级": "prefecture",
          "州级": "prefecture", "县级": "county", "县": "county"}
SUPPORT_KINDS = {"巡前通报": "briefing", "选派专业人员": "secondment",
                 "问题会商评估": "consultation", "整改评估": "evaluation",
                 "联合监督检查": "joint_check", "联合检查": "joint_check",
                 "专题调研": "special_study"}
RECT_STATUS = {"未整改": "open", "整改中": "in_progress", "已完成": "done", "已验收": "verified",
               "再整改": "reopened"}
CLUE_STATUS = {"已登记": "registered", "已移交": "transferred", "已接收": "accepted",
               "已受理": "accepted",
               "谈话函询": "inquiry", "初步核实": "verification", "暂存待查": "on_hold",
               "予以了结": "closed", "立案": "case_filed", "已退回": "returned"}
GENDERS = {"男": "male", "女": "female"}
CASE_ORIGINS = {"巡察移交": "inspection_clue", "信访举报": "petition", "监督检查": "supervision",
                "审计移送": "audit", "主动投案": "self_report", "其他": "other"}


@dataclass(frozen=True)
class Column:
    """One ledger column: field name, template header, English header, parser, aliases."""

    field: str
    zh: str
    en: str
    parse: v.Parser = v.text
    required: bool = False
    aliases: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """One kind of ledger: the label it writes, its columns, and what identifies a row."""

    name: str
    zh: str
    label: str
    columns: tuple[Column, ...]
    row_key: tuple[str, ...] = ("no",)

    def aliases(self) -> dict[str, str]:
        """Normalised header text → field, for every header and alias."""
        out: dict[str, str] = {}
        for c in self.columns:
            for name in (c.zh, c.en, c.field, *c.aliases):
                out.setdefault(normalise(name), c.field)
        return out

    def field_names(self) -> tuple[str, ...]:
        """Every field of the kind, in template order."""
        return tuple(c.field for c in self.columns)

    @cached_property
    def _by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns}

    def column(self, field: str) -> Column:
        """The column holding `field`."""
        return self._by_field[field]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def _person_columns(prefix: str, zh: str, en: str) -> tuple[Column, ...]:
    """Name, ID number and person number of someone a row names (被反映人, 被审查人)."""
    return (Column(prefix, zh, en, v.text, aliases=(zh + "姓名",)),
            Column(prefix + "_id", zh + "身份证号", en + " ID number", v.id_number,
                   aliases=(zh + "身份证号码",)),
            Column(prefix + "_uid", zh + "编号", en + " person no", v.code, ref=("Person",)))


_REGION = Column("region_code", "区划代码", "region code", v.code,
                 aliases=("行政区划代码", "所属区划代码", "所属区划", "行政区划"), ref=("Region",))

KINDS: Mapping[str, Kind] = {k.name: k for k in (
    Kind("units", "被巡察单位台账", "Unit", (
        Column("code", "单位编码", "unit code", v.code, True, ("单位代码", "组织机构代码")),
        Column("name", "单位名称", "unit name", v.text, True, ("党组织名称",)),
        Column("kind", "单位类型", "unit kind", v.text, aliases=("类型",)),
        Column("region_code", _REGION.zh, _REGION.en, v.code, True, _REGION.aliases,
               _REGION.ref),
    ), ("code",)),
    Kind("people", "人员台账", "Person", (
        Column("name", "姓名", "name", v.text, True),
        Column("id_number", "身份证号", "ID number", v.id_number,
               aliases=("身份证号码", "公民身份号码")),
        Column("uid", "人员编号", "person no", v.code, ref=("Person",)),
        Column("gender", "性别", "gender", v.choice(GENDERS)),
        Column("workplace", "工作单位", "workplace", v.text, aliases=("所在单位", "单位"),
               ref=("Unit", "Department")),
        Column("position", "职务", "position", v.text, aliases=("职务职级",)),
        _REGION,
    ), ("uid", "id_number", "name")),
    Kind("rounds", "巡察轮次台账", "Round", (
        Column("code", "轮次编号", "round code", v.code, True),
        Column("name", "轮次名称", "round name", v.text, True, ("巡察轮次",)),
        Column("level", "巡察层级", "level", v.choice(LEVELS)),
        Column("kind", "巡察方式", "round kind", v.choice(ROUND_KINDS)),
        Column("region_code", _REGION.zh, _REGION.en, v.code, True, _REGION.aliases,
               _REGION.ref),
        Column("start", "开始日期", "start", v.day, aliases=("进驻日期",)),
        Column("end", "结束日期", "end", v.day, aliases=("撤离日期",)),
        Column("year", "年度", "year", v.integer),
    ), ("code",)),
    Kind("issues", "问题台账", "Issue", (
        Column("no", "问题编号", "issue no", v.code, True, ("编号",)),
        Column("title", "问题标题", "title", v.text),
        Column("description", "问题描述", "description", v.text, True,
               ("问题表现", "具体问题", "问题内容")),
        Column("category", "问题类别", "category", v.text, aliases=("问题类型",)),
        Column("severity", "严重程度", "severity", v.text),
        Column("source", "问题来源", "source", v.text, aliases=("发现方式",)),
        Column("found_on", "发现日期", "found on", v.day, aliases=("发现时间",)),
        Column("unit", "被巡察单位", "inspected unit", v.text, True, ("被巡察党组织",),
               ("Unit",)),
        Column("group", "巡察组", "group", v.text, ref=("Group",)),
        Column("department", "协作单位", "collaborating department", v.text,
               aliases=("协作部门",), ref=("Department",)),
        Column("masses_problem", "是否群众急难愁盼问题", "masses problem", v.flag,
               aliases=("群众急难愁盼",)),
        Column("solved", "是否解决", "solved", v.flag),
        Column("status", "问题状态", "status", v.text),
    )),
    Kind("rectifications", "整改台账", "Rectification", (
        Column("no", "整改编号", "rectification no", v.code, True),
        Column("issue_no", "问题编号", "issue no", v.code, True, ref=("Issue",)),
        Column("title", "整改任务", "task", v.text, True, ("整改措施", "整改要求")),
        Column("unit", "责任单位", "owner unit", v.text, True,
               ("整改责任单位", "主体责任单位"), ("Unit",)),
        Column("deadline", "整改时限", "deadline", v.day, True, ("完成时限",)),
        Column("status", "整改状态", "status", v.choice(RECT_STATUS), aliases=("整改情况",)),
        Column("done_on", "完成日期", "done on", v.day),
        Column("evidence", "整改佐证", "evidence", v.text, aliases=("整改成效",)),
        Column("pilot", "是否整改试点", "pilot", v.flag, aliases=("整改试点",)),
    )),
    Kind("clues", "问题线索台账", "Clue", (
        Column("no", "线索编号", "clue no", v.code, True),
        Column("title", "线索标题", "title", v.text, True, ("问题线索", "线索名称")),
        Column("summary", "主要问题", "summary", v.text, aliases=("线索摘要",)),
        Column("source", "线索来源", "source", v.text),
        Column("category", "问题类别", "category", v.text, aliases=("问题类型",)),
        Column("registered_on", "登记日期", "registered on", v.day, True, ("受理日期",)),
        Column("issue_no", "问题编号", "issue no", v.code, ref=("Issue",)),
        *_person_columns("subject", "被反映人", "subject"),
        Column("region_code", _REGION.zh, _REGION.en, v.code, False, _REGION.aliases,
               _REGION.ref),
        Column("department", "移交单位", "transferred to", v.text,
               aliases=("移交部门", "承办单位"), ref=("Department",)),
        Column("at", "移交日期", "transferred on", v.day, aliases=("移交时间",)),
        Column("letter_no", "移交文号", "letter no", v.text, aliases=("移交函号",)),
        Column("by", "移交人", "transferred by", v.text),
        Column("status", "线索状态", "status", v.choice(CLUE_STATUS),
               aliases=("办理情况", "处置方式")),
    ), ("no", "department")),
    Kind("cases", "案件台账", "Case", (
        Column("no", "案件编号", "case no", v.code, True),
        Column("title", "案件名称", "title", v.text, aliases=("案由",)),
        Column("filed_on", "立案日期", "filed on", v.day, True, ("立案时间",)),
        Column("department", "立案单位", "filed by", v.text, True, ("立案机关",),
               ("Department",)),
        Column("clue_no", "线索编号", "clue no", v.code, ref=("Clue",)),
        Column("origin", "案件来源", "origin", v.choice(CASE_ORIGINS)),
        *_person_columns("subject", "被审查人", "subject"),
        Column("outcome", "处理结果", "outcome", v.text, aliases=("处理情况",)),
        Column("funds_recovered", "追回资金(元)", "funds recovered", v.amount,
               aliases=("追回资金", "挽回损失")),
        Column("closed_on", "结案日期", "closed on", v.day),
        Column("region_code", _REGION.zh, _REGION.en, v.code, False, _REGION.aliases,
               _REGION.ref),
    )),
    Kind("support", "协作支持台账", "Support", (
        Column("no", "支持编号", "support no", v.code, True),
        Column("department", "协作单位", "department", v.text, True, ("协作部门",),
               ("Department",)),
        Column("kind", "支持方式", "kind", v.choice(SUPPORT_KINDS), True, ("协作方式",)),
        Column("on", "日期", "date", v.day, True, ("时间",)),
        Column("round", "巡察轮次", "round", v.text, aliases=("轮次",), ref=("Round",)),
        Column("title", "事项", "title", v.text, aliases=("内容",)),
    )),
)}

ORDER = ("units", "people", "rounds", "issues", "rectifications", "clues", "cases", "support")


def kind(name: str) -> Kind:
    """The ledger kind called `name`, or a ValidationError listing them."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError(N_("unknown ledger kind %(kind)r; known: %(kinds)s"), kind=name,
                              kinds=", ".join(ORDER)) from None
