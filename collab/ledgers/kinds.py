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
from collab.ledgers import vocabulary
from collab.ledgers.headers import normalise
from collab.sheets import values as v


@dataclass(frozen=True)
class Column:
    """One ledger field: name, template header, English header, parser, synonyms.

    `vocab` names the words of a fixed set of values (`collab.ledgers.vocabulary`): the
    parser then accepts every one of them and refuses others, naming the accepted ones.
    """

    field: str
    zh: str
    en: str
    parse: v.Parser = v.text
    required: bool = False
    aliases: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()
    vocab: str = ""

    def __post_init__(self) -> None:
        if self.vocab:
            object.__setattr__(self, "parse", v.choice(vocabulary.words(self.vocab),
                                                       shown=vocabulary.first_words(self.vocab)
                                                       .values()))


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
                   aliases=(zh + "身份证号码", zh + "公民身份号码")),
            Column(prefix + "_uid", zh + "编号", en + " person no", v.code, ref=("Person",)))


_REGION = Column("region_code", "区划代码", "region code", v.code,
                 aliases=("行政区划代码", "所属区划代码", "所属区划", "行政区划", "所属乡镇",
                          "乡镇", "所属村（社区）", "村（社区）"), ref=("Region",))


def _region(required: bool = False) -> Column:
    return Column("region_code", _REGION.zh, _REGION.en, v.code, required, _REGION.aliases,
                  _REGION.ref)


_ISSUE_TEXT = ("问题描述", "问题表现", "具体问题", "问题内容", "存在问题", "问题", "反馈问题",
               "巡察发现问题", "问题清单")
_DEPARTMENT = ("Department",)

KINDS: Mapping[str, Kind] = {k.name: k for k in (
    Kind("units", "被巡察单位台账", "Unit", (
        Column("code", "单位编码", "unit code", v.code, True, ("单位代码", "组织机构代码")),
        Column("name", "单位名称", "unit name", v.text, True, ("党组织名称", "被巡察单位")),
        Column("kind", "单位类型", "unit kind", v.text, aliases=("类型",)),
        _region(True),
    ), ("code",)),
    Kind("people", "人员台账", "Person", (
        Column("name", "姓名", "name", v.text, True),
        Column("id_number", "身份证号", "ID number", v.id_number,
               aliases=("身份证号码", "公民身份号码", "身份证")),
        Column("uid", "人员编号", "person no", v.code, ref=("Person",)),
        Column("gender", "性别", "gender", vocab="gender"),
        Column("workplace", "工作单位", "workplace", v.text, aliases=("所在单位", "单位"),
               ref=("Unit", "Department")),
        Column("position", "职务", "position", v.text, aliases=("职务职级",)),
        _REGION,
    ), ("uid", "id_number", "name", "workplace")),
    Kind("rounds", "巡察轮次台账", "Round", (
        Column("code", "轮次编号", "round code", v.code, True),
        Column("name", "轮次名称", "round name", v.text, True, ("巡察轮次",)),
        Column("level", "巡察层级", "level", vocab="level"),
        Column("kind", "巡察方式", "round kind", vocab="round_kind"),
        _region(True),
        Column("start", "开始日期", "start", v.day, aliases=("进驻日期",)),
        Column("end", "结束日期", "end", v.day, aliases=("撤离日期",)),
        Column("year", "年度", "year", v.integer),
    ), ("code",)),
    Kind("issues", "问题台账", "Issue", (
        Column("no", "问题编号", "issue no", v.code, True, ("编号",)),
        Column("title", "问题标题", "title", v.text),
        Column("description", "问题描述", "description", v.text, True, _ISSUE_TEXT[1:]),
        Column("category", "问题类别", "category", v.text, aliases=("问题类型", "问题分类")),
        Column("severity", "严重程度", "severity", v.text),
        Column("source", "问题来源", "source", v.text, aliases=("发现方式", "发现途径")),
        Column("found_on", "发现日期", "found on", v.day, aliases=("发现时间",)),
        Column("unit", "被巡察单位", "inspected unit", v.text, True,
               ("被巡察党组织", "被巡察单位（党组织）", "所在单位"), ("Unit",)),
        Column("group", "巡察组", "group", v.text, ref=("Group",)),
        Column("department", "协作单位", "collaborating department", v.text,
               aliases=("协作部门",), ref=_DEPARTMENT),
        Column("masses_problem", "是否群众急难愁盼问题", "masses problem", v.flag,
               aliases=("群众急难愁盼", "群众急难愁盼问题")),
        Column("solved", "是否解决", "solved", v.flag, aliases=("是否已解决",)),
        Column("status", "问题状态", "status", v.text),
    )),
    Kind("rectifications", "整改台账", "Rectification", (
        Column("no", "整改编号", "rectification no", v.code, aliases=("任务编号",)),
        Column("issue_no", "问题编号", "issue no", v.code, ref=("Issue",)),
        Column("description", "问题描述", "issue", v.text, aliases=_ISSUE_TEXT[1:]),
        Column("title", "整改措施", "measures", v.text, True, ("整改任务", "整改要求",
                                                              "整改举措", "具体措施")),
        Column("unit", "责任单位", "owner unit", v.text, True,
               ("整改责任单位", "主体责任单位", "责任主体"), ("Unit",)),
        Column("responsible", "责任人", "responsible", v.text,
               aliases=("整改责任人", "具体责任人")),
        Column("responsible_id", "责任人身份证号", "responsible's ID number", v.id_number,
               aliases=("责任人身份证号码", "身份证号", "身份证号码")),
        Column("deadline", "整改时限", "deadline", v.day, True, ("完成时限", "整改期限",
                                                             "时限要求")),
        Column("status", "整改状态", "status", aliases=("整改情况", "完成情况", "是否完成",
                                                     "整改进度"), vocab="rect_status"),
        Column("done_on", "完成日期", "done on", v.day, aliases=("完成时间",)),
        Column("evidence", "整改佐证", "evidence", v.text, aliases=("整改成效", "整改进展情况",
                                                                "进展情况", "整改进展")),
        Column("pilot", "是否整改试点", "pilot", v.flag, aliases=("整改试点",)),
    )),
    Kind("clues", "问题线索台账", "Clue", (
        Column("no", "线索编号", "clue no", v.code, True, ("编号", "线索号")),
        Column("title", "线索标题", "title", v.text, True, ("问题线索", "线索名称", "线索内容",
                                                          "线索")),
        Column("summary", "主要问题", "summary", v.text, aliases=("线索摘要", "反映问题",
                                                              "主要内容")),
        Column("source", "线索来源", "source", v.text, aliases=("来源",)),
        Column("category", "问题类别", "category", v.text, aliases=("问题类型", "问题分类")),
        Column("registered_on", "登记日期", "registered on", v.day, True,
               ("受理日期", "收到日期", "登记时间", "收到时间", "发现日期")),
        Column("issue_no", "问题编号", "issue no", v.code, ref=("Issue",)),
        *_person_columns("subject", "被反映人", "subject"),
        _region(),
        Column("department", "移交单位", "transferred to", v.text,
               aliases=("移交部门", "承办单位", "移送单位", "移交对象", "承办部门"),
               ref=_DEPARTMENT),
        Column("at", "移交日期", "transferred on", v.day, aliases=("移交时间", "移送日期",
                                                                 "移送时间")),
        Column("letter_no", "移交文号", "letter no", v.text, aliases=("移交函号", "移送文号")),
        Column("by", "移交人", "transferred by", v.text),
        Column("status", "线索状态", "status", aliases=("办理情况", "处置方式", "办理状态",
                                                    "处置情况", "办理结果"),
               vocab="clue_status"),
        Column("case_no", "案件编号", "case no", v.code, aliases=("立案编号",)),
        Column("filed_on", "立案日期", "filed on", v.day, aliases=("立案时间",)),
        Column("funds_recovered", "追回资金(元)", "funds recovered", v.amount,
               aliases=("追回资金", "挽回损失", "追缴资金")),
    ), ("no", "department")),
    Kind("cases", "案件台账", "Case", (
        Column("no", "案件编号", "case no", v.code, True, ("立案编号",)),
        Column("title", "案件名称", "title", v.text, aliases=("案由",)),
        Column("filed_on", "立案日期", "filed on", v.day, True, ("立案时间",)),
        Column("department", "立案单位", "filed by", v.text, True, ("立案机关",),
               _DEPARTMENT),
        Column("clue_no", "线索编号", "clue no", v.code, ref=("Clue",)),
        Column("origin", "案件来源", "origin", vocab="case_origin"),
        *_person_columns("subject", "被审查人", "subject"),
        Column("outcome", "处理结果", "outcome", v.text, aliases=("处理情况",)),
        Column("funds_recovered", "追回资金(元)", "funds recovered", v.amount,
               aliases=("追回资金", "挽回损失", "追缴资金")),
        Column("closed_on", "结案日期", "closed on", v.day),
        _region(),
    )),
    Kind("support", "协作支持台账", "Support", (
        Column("no", "支持编号", "support no", v.code, True),
        Column("department", "协作单位", "department", v.text, True, ("协作部门",),
               _DEPARTMENT),
        Column("kind", "支持方式", "kind", required=True, aliases=("协作方式",),
               vocab="support_kind"),
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
