"""What people call everything in the schema and the codes the graph stores, in Chinese and English.

One table beside the schema: labels, relationship types (read as verbs, both ways), properties,
coded values (states, kinds, levels, roles, origins …), audit events, kinds and outcomes. Pages
show a name from here or nothing: a property without a name is not shown (it is internal), a
code without a name would show as itself, which tests/graph/test_names.py and the page crawler
refuse. A new label, relationship type or property therefore needs its names here (or a place
in `INTERNAL`), or the tests fail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Name:
    """One thing's name in Chinese and English (`many`: the English plural, for headings)."""

    zh: str
    en: str
    many: str = ""

    def of(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def plural(self, lang: str) -> str:
        return (self.many or self.en) if lang == "en" else self.zh


@dataclass(frozen=True)
class Verb:
    """A relationship type read from its start node (`forward`) and from its end (`back`)."""

    forward: Name
    back: Name


def _table(rows: Mapping[str, tuple[str, ...]]) -> Mapping[str, Name]:
    return MappingProxyType({k: Name(*v) for k, v in rows.items()})


LABELS = _table({
    "Region": ("行政区划", "Region", "Regions"),
    "Unit": ("被巡察单位", "Unit", "Units"),
    "Department": ("协作部门", "Department", "Departments"),
    "Round": ("巡察轮次", "Round", "Rounds"),
    "Group": ("巡察组", "Group", "Groups"),
    "Person": ("人员", "Person", "People"),
    "Issue": ("问题", "Issue", "Issues"),
    "Rectification": ("整改任务", "Rectification task", "Rectification tasks"),
    "Clue": ("问题线索", "Clue", "Clues"),
    "Transfer": ("移交", "Transfer", "Transfers"),
    "Case": ("案件", "Case", "Cases"),
    "JointCheck": ("联合监督检查", "Joint check", "Joint checks"),
    "Support": ("协作支持", "Support act", "Support acts"),
    "Letter": ("督办函", "Letter", "Letters"),
    "Event": ("办理记录", "Event", "Events"),
    "User": ("用户", "User", "Users"),
    "LoginSession": ("登录会话", "Sign-in session", "Sign-in sessions"),
    "ApiToken": ("接口令牌", "API token", "API tokens"),
    "AddressGuard": ("登录地址限制", "Address guard", "Address guards"),
    "AuditRecord": ("审计记录", "Audit record", "Audit records"),
    "AuditHead": ("审计链头", "Audit chain head", "Audit chain heads"),
    "HealthProbe": ("就绪探测记录", "Readiness probe", "Readiness probes"),
    "IdempotencyKey": ("防重复提交标识", "Idempotency key", "Idempotency keys"),
    "ImportProfile": ("导入方案", "Import profile", "Import profiles"),
    "DataSet": ("数据集", "Data set", "Data sets"),
    "DataRecord": ("数据集记录", "Data set row", "Data set rows"),
    "ModelRun": ("模型运行记录", "Model run", "Model runs"),
    "ModelHit": ("模型疑点", "Model hit", "Model hits"),
})

REL_TYPES: Mapping[str, Verb] = MappingProxyType({t: Verb(Name(*f), Name(*b)) for t, (f, b) in {
    "PART_OF": (("隶属于", "part of"), ("下辖", "contains")),
    "IN_REGION": (("位于", "in"), ("辖内", "has within")),
    "OF_ROUND": (("属于轮次", "of round"), ("下设巡察组", "has group")),
    "INSPECTS": (("巡察", "inspects"), ("接受巡察", "inspected by")),
    "MEMBER_OF": (("任组员于", "member of"), ("组员", "has member")),
    "WORKS_AT": (("任职于", "works at"), ("工作人员", "employs")),
    "RELATED_TO": (("关系人", "related to"), ("关系人", "related to")),
    "FOUND_BY": (("发现于", "found by"), ("发现问题", "found")),
    "CONCERNS": (("涉及单位", "concerns"), ("存在问题", "has issue")),
    "INVOLVES": (("涉及人员", "involves"), ("涉及问题", "involved in")),
    "HAS_TASK": (("整改任务", "has task"), ("源自问题", "task for")),
    "OWNED_BY": (("整改责任单位", "owned by"), ("承担整改", "owns")),
    "FROM_ISSUE": (("来自问题", "from issue"), ("形成线索", "gave clue")),
    "AGAINST": (("反映对象", "against"), ("被反映于", "named in")),
    "TRANSFERRED": (("移交", "transferred as"), ("移交的线索", "transfer of")),
    "TO": (("移交给", "to"), ("接收移交", "received")),
    "BECAME": (("立案为", "became"), ("源自线索", "from clue")),
    "FILED_BY": (("立案单位", "filed by"), ("立案", "filed")),
    "SUBJECT": (("审查调查对象", "subject"), ("涉案", "subject of")),
    "PROVIDED": (("提供协作", "provided"), ("协作单位", "provided by")),
    "FOR": (("服务于", "for"), ("获得协作", "supported by")),
    "FOUND_WITH": (("协助发现单位", "found with"), ("协助发现问题", "helped find")),
    "CHECKS": (("检查", "checks"), ("接受联合检查", "checked by")),
    "ASSIGNED_TO": (("分派给", "assigned to"), ("承担检查", "assigned")),
    "ON_CHECK": (("参加检查", "on check"), ("检查人员", "checked by")),
    "ABOUT": (("督办事项", "about"), ("收到督办", "letter about it")),
    "SENT_TO": (("发往", "sent to"), ("收到函件", "received")),
    "EVENT_OF": (("记录于", "event of"), ("办理记录", "event")),
    "OF_SET": (("属于数据集", "row of"), ("包含记录", "has row")),
    "NAMES": (("记录人员", "names"), ("见于数据集", "named in")),
    "FOUND_IN": (("发现于运行", "found in run"), ("发现疑点", "found")),
    "EVIDENCE": (("依据", "rests on"), ("作为疑点证据", "evidence for")),
    "FROM_HIT": (("源自疑点", "from hit"), ("登记为线索", "became clue")),
}.items()})

# Property names shared by every label that has the property; `PROPS_OF` names a label's own.
PROPS = _table({
    "code": ("代码", "Code"), "name": ("名称", "Name"), "title": ("标题", "Title"),
    "no": ("编号", "Number"),
    "status": ("状态", "Status"), "status_on": ("状态日期", "Status since"),
    "region_code": ("区划代码", "Region code"), "level": ("层级", "Level"),
    "kind": ("类别", "Kind"), "category": ("问题类别", "Category"), "source": ("来源", "Source"),
    "note": ("备注", "Note"), "summary": ("摘要", "Summary"),
    "description": ("问题描述", "Description"), "start": ("开始日期", "Start"),
    "end": ("结束日期", "End"), "year": ("年度", "Year"), "on": ("日期", "Date"),
    "department_code": ("部门代码", "Department code"), "severity": ("严重程度", "Severity"),
    "closed_on": ("办结日期", "Closed on"),
})
PROPS_OF: Mapping[str, Mapping[str, Name]] = MappingProxyType({
    label: _table(rows) for label, rows in {
    "Department": {"feedback_days": ("反馈期限（天）", "Feedback due (days)")},
    "Round": {"kind": ("巡察方式", "Kind of round")},
    "Person": {"name": ("姓名", "Name"), "id_masked": ("身份证号", "ID number"),
               "gender": ("性别", "Gender"), "birth_date": ("出生日期", "Birth date")},
    "Issue": {"found_on": ("发现日期", "Found on"),
              "masses_problem": ("群众急难愁盼问题", "Urgent problem of the masses"),
              "solved": ("已解决", "Solved")},
    "Rectification": {
        "deadline": ("整改期限", "Deadline"), "evidence": ("整改佐证", "Evidence"),
        "files": ("整改佐证文件", "Evidence files"),
        "score": ("评估得分", "Score"), "evaluator": ("评估人", "Evaluated by"),
        "evaluated_on": ("评估日期", "Evaluated on"), "done_on": ("完成日期", "Done on"),
        "verified_on": ("验收日期", "Verified on"), "reopened": ("再整改次数", "Times reopened"),
        "responsible": ("责任人", "Person responsible"), "leader": ("分管领导", "Leader in charge"),
        "principal": ("主要负责人", "Principal"), "signoffs": ("销号签批", "Sign-offs"),
        "closed_on": ("销号日期", "Closed on"), "pilot": ("整改试点", "Pilot")},
    "Clue": {"summary": ("线索摘要", "Summary"), "category": ("线索类别", "Category"),
             "registered_on": ("登记日期", "Registered on")},
    "Transfer": {"clue_no": ("线索编号", "Clue number"),
                 "department_code": ("接收部门代码", "Receiving department"),
                 "at": ("移交日期", "Transferred on"), "letter_no": ("移交函文号", "Letter number"),
                 "by": ("移交单位", "Transferred by"), "received_on": ("接收日期", "Received on"),
                 "feedback_due": ("反馈期限", "Feedback due"),
                 "feedback_on": ("反馈日期", "Feedback on"),
                 "disposal": ("处置方式", "Disposal"), "disposed_on": ("处置日期", "Disposed on")},
    "Case": {"filed_on": ("立案日期", "Filed on"), "closed_on": ("结案日期", "Closed on"),
             "origin": ("案件来源", "Origin"), "outcome": ("处理结果", "Outcome"),
             "sanctions": ("处理处分", "Sanctions"),
             "funds_recovered": ("追回资金（元）", "Funds recovered (yuan)"),
             "party_sanction": ("党纪处分", "Party sanction"),
             "department_code": ("立案部门代码", "Filing department")},
    "Support": {"kind": ("协作方式", "Kind of support"), "category": ("领域", "Field")},
    "Event": {"kind": ("办理事项", "What"), "object_label": ("对象类别", "Object kind"),
              "object_key": ("对象编号", "Object"), "from_status": ("原状态", "From"),
              "to_status": ("新状态", "To"), "at": ("记录时间", "Recorded at"),
              "actor": ("办理人", "By"), "reason": ("理由", "Why"), "role": ("角色", "Role")},
    "Letter": {"no": ("文号", "Letter number"), "kind": ("函件类别", "Kind of letter"),
               "sent_on": ("发出日期", "Sent on"), "seq": ("序号", "Sequence")},
    "User": {"name": ("用户名", "User name"), "display_name": ("姓名", "Full name"),
             "role": ("角色", "Role"), "region_code": ("管辖区划", "Jurisdiction"),
             "department_code": ("所属部门", "Department"),
             "password_set_at": ("密码设置时间", "Password set at"),
             "must_change": ("须修改密码", "Must change password"),
             "disabled": ("已停用", "Disabled"), "failures": ("登录失败次数", "Failed sign-ins"),
             "locked_until": ("锁定至", "Locked until"), "created_at": ("创建时间", "Created at"),
             "may_unmask": ("可查看完整身份证号", "May unmask ID numbers"),
             "totp_enrolled_at": ("启用双因素认证时间", "Two-factor set up at"),
             "reset_by": ("重置人", "Reset by"), "reset_at": ("重置时间", "Reset at"),
             "reset_expires_at": ("一次性重置码有效期至", "Reset code valid until")},
    "DataSet": {"name": ("数据集名称", "Name"), "kind": ("名单类别", "Kind of list"),
                "source": ("来源部门", "Source department"),
                "source_department": ("来源部门代码", "Source department code"),
                "as_of": ("制表日期", "Drawn up on"),
                "roles": ("可使用的角色", "Roles that may use it"),
                "regions": ("可使用的区划", "Regions that may use it"),
                "rows": ("记录数", "Rows"),
                "unmatched": ("无可用身份证号的记录", "Rows without a usable ID number"),
                "file": ("导入文件", "File"), "imported_at": ("导入时间", "Imported at"),
                "imported_by": ("导入人", "Imported by")},
    "DataRecord": {"dataset": ("数据集", "Data set"), "row": ("行号", "Row"),
                   "name": ("姓名", "Name"), "birth_date": ("出生日期", "Birth date"),
                   "gender": ("性别", "Gender"), "place": ("村（社区）", "Village or address"),
                   "id_masked": ("身份证号", "ID number"),
                   "id_problem": ("身份证号问题", "ID number problem"),
                   "benefit": ("发放或救助项目", "Benefit"),
                   "amount": ("金额（元）", "Amount (yuan)"),
                   "paid_on": ("发放日期", "Paid on"), "died_on": ("死亡日期", "Died on"),
                   "employer": ("工作单位", "Employer"), "position": ("职务", "Position"),
                   "since": ("享受起始日期", "Since")},
    "ModelRun": {"model": ("监督模型", "Model"), "model_version": ("模型版本", "Model version"),
                 "datasets": ("使用的数据集", "Data sets used"), "actor": ("运行人", "Run by"),
                 "role": ("角色", "Role"), "as_of": ("研判基准日", "As of"),
                 "started_at": ("运行时间", "Run at"),
                 "duration_ms": ("用时（毫秒）", "Duration (ms)"),
                 "hits": ("疑点数", "Hits"), "new_hits": ("新疑点数", "New hits"),
                 "region_code": ("运行范围（区划代码）", "Region run over")},
    "ModelHit": {"model": ("监督模型", "Model"), "model_version": ("模型版本", "Model version"),
                 "subject": ("疑点对象", "Subject"), "datasets": ("使用的数据集", "Data sets used"),
                 "clue_no": ("线索编号", "Clue number"),
                 "first_run": ("首次发现的运行", "First run"),
                 "last_run": ("最近发现的运行", "Latest run"),
                 "first_seen": ("首次发现时间", "First found"),
                 "last_seen": ("最近发现时间", "Last found"), "runs": ("发现次数", "Times found"),
                 "status_on": ("研判日期", "Checked on")},
    "EVIDENCE": {"role": ("在疑点中的作用", "Part in the hit")},
    "AuditRecord": {"seq": ("序号", "Number"), "at": ("时间", "When"), "user": ("用户", "Who"),
                    "role": ("角色", "Role"), "department": ("部门", "Department"),
                    "address": ("地址", "Address"), "request_id": ("请求编号", "Request id"),
                    "kind": ("类别", "Kind"), "event": ("事项", "Event"),
                    "object_label": ("对象类别", "Object kind"), "object_key": ("对象", "Object"),
                    "outcome": ("结果", "Outcome"), "detail": ("详情", "Details")},
}.items()})
# Properties of relationships (shown beside the relationship on pages and in paths).
REL_PROPS = _table({
    "mode": ("巡察方式", "Mode"), "role": ("组内职务", "Role in the group"),
    "position": ("职务", "Position"),
    "since": ("起始日期", "Since"), "until": ("终止日期", "Until"),
    "kind": ("关系", "Relation"), "finding": ("检查结论", "Finding"),
    "finding_note": ("检查说明", "Finding note"), "finding_on": ("检查日期", "Checked on"),
    "finding_by": ("检查人", "Checked by"),
})

# Properties never shown to people: keys for matching, secrets, counters, the figures'
# shortcut, and the bookkeeping labels that have no pages of their own.
INTERNAL: Mapping[str, frozenset[str]] = MappingProxyType({
    "*": frozenset({"uid", "synthetic", "pinyin", "initials", "version", "id_hash", "id_enc"}),
    "Clue": frozenset({"sole_transfer_at", "sole_transfer_dept", "sole_transfer_closed",
                       "sole_transfer_closed_on", "sole_case_no", "sole_case_filed_on"}),
    "User": frozenset({"password_hash", "first_failure_at", "epoch", "totp_enc",
                       "totp_pending_enc", "totp_step", "reset_code_hash"}),
    "AuditRecord": frozenset({"prev_hash", "hash", "alg"}),
    "LoginSession": frozenset({"sid_hash", "user", "epoch", "created_at", "seen_at", "ended_at",
                               "address", "via_reset"}),
    "ApiToken": frozenset({"token_hash", "user", "name", "created_at", "revoked_at",
                           "expires_at", "revoked_by", "revoked_why"}),
    "HealthProbe": frozenset({"name", "at"}),
    "AddressGuard": frozenset({"address", "failures", "first_failure_at"}),
    "AuditHead": frozenset({"chain", "seq", "hash", "keyed_from"}),
    "IdempotencyKey": frozenset({"key", "user", "event", "status", "result", "at"}),
    "ModelRun": frozenset({"params"}),
    "ModelHit": frozenset({"signature", "facts"}),
    "ImportProfile": frozenset({"key", "name", "owner", "kind", "signature", "mapping",
                                "saved_by", "saved_at"}),
})

ROLES = _table({
    "system_admin": ("系统管理员", "System admin"),
    "security_admin": ("安全管理员", "Security admin"),
    "audit_admin": ("审计管理员", "Audit admin"), "coordinator": ("巡察办协调员", "Coordinator"),
    "inspector": ("巡察组成员", "Inspector"), "leader": ("领导", "Leader"),
    "liaison": ("协作单位联络员", "Liaison"), "pending": ("尚未授予角色", "No role yet"),
    "operator": ("命令行操作员", "Console operator"),
})

# Lifecycle states (clues, transfers, rectification, joint checks); `STATES_OF` names the few
# whose name differs by label.
STATES = _table({
    "registered": ("已登记", "Registered"), "transferred": ("已移交", "Transferred"),
    "accepted": ("已接收", "Accepted"), "inquiry": ("谈话函询", "Inquiry by talk or letter"),
    "verification": ("初步核实", "Preliminary verification"), "on_hold": ("暂存待查", "On hold"),
    "closed": ("予以了结", "Closed"), "case_filed": ("立案", "Case filed"),
    "returned": ("退回", "Returned"), "open": ("未启动", "Not started"),
    "in_progress": ("进行中", "In progress"), "done": ("已完成", "Done"),
    "verified": ("已验收", "Checked and accepted"), "reopened": ("再整改", "Reopened"),
    "planned": ("计划", "Planned"), "reported": ("已报告", "Reported"),
    "pending": ("待研判", "To be checked"), "confirmed": ("已核实", "Confirmed"),
    "dismissed": ("已排除", "Dismissed"),
})
STATES_OF: Mapping[str, Mapping[str, Name]] = MappingProxyType({
    "Rectification": _table({"in_progress": ("整改中", "Being rectified")}),
    "JointCheck": _table({"in_progress": ("检查中", "Under check"),
    "closed": ("已结束", "Finished")}),
})

DEPARTMENT_KINDS = _table({
    "discipline": ("纪检监察", "Discipline inspection and supervision"),
    "organisation": ("组织部门", "Organisation department"), "audit": ("审计", "Audit"),
    "finance": ("财政", "Finance"),
    "human_resources": ("人力资源和社会保障", "Human resources and social security"),
    "petitions": ("信访", "Letters and visits"), "public_security": ("公安", "Public security"),
    "agriculture": ("农业农村", "Agriculture and rural affairs"),
    "rural_revitalisation": ("乡村振兴", "Rural revitalisation"),
    "inspection_office": ("巡察机构", "Inspection office"), "other": ("其他", "Other"),
})
ROUND_KINDS = _table({
    "regular": ("常规巡察", "Regular"), "elevated": ("提级巡察", "Elevated"),
    "linked": ("联动巡察", "Linked"), "cross": ("交叉巡察", "Cross"),
    "special": ("专项巡察", "Special"), "follow_up": ("巡察“回头看”", "Follow-up"),
})
SUPPORT_KINDS = _table({
    "briefing": ("巡前通报", "Pre-round briefing"), "secondment": ("选派专业人员", "Secondment"),
    "consultation": ("问题会商评估", "Consultation"), "evaluation": ("整改评估", "Evaluation"),
    "joint_check": ("联合监督检查", "Joint check"), "special_study": ("专题调研", "Special study"),
})
CASE_ORIGINS = _table({
    "inspection_clue": ("巡察移交", "Inspection clue"), "petition": ("信访举报", "Petition"),
    "supervision": ("监督检查", "Supervision"), "audit": ("审计移送", "Audit"),
    "self_report": ("主动投案", "Self-report"), "other": ("其他", "Other"),
})
# Supervision models (collab/analysis/models): the lists data sets hold, how grave a hit is,
# and the part each node plays in a hit's evidence.
DATASET_KINDS = _table({
    "roster": ("人员花名册", "Roster of residents"),
    "payment": ("补贴/养老金发放名单", "Payment list (subsidies, pensions)"),
    "deceased": ("死亡人口名单", "Deceased persons"),
    "public_servant": ("财政供养人员名单", "Public servants (state-funded)"),
    "low_income": ("低保/特困救助对象名单", "Low-income and assistance recipients"),
})
SEVERITIES = _table({"high": ("高", "High"), "medium": ("中", "Medium"), "low": ("低", "Low")})
EVIDENCE_ROLES = _table({
    "subject": ("对象", "Subject"), "dataset": ("数据集", "Data set"),
    "compared_with": ("比对名单", "Compared with"), "death": ("死亡记录", "Death record"),
    "payment": ("发放记录", "Payment"), "listed": ("花名册记录", "On the roster"),
    "assisted": ("救助记录", "Assistance record"),
    "servant": ("财政供养人员记录", "Public servant record"), "clue": ("问题线索", "Clue"),
    "issue": ("问题", "Issue"), "unit": ("被巡察单位", "Unit"), "round": ("巡察轮次", "Round"),
    "before": ("此前的问题", "Earlier issue"), "closed_task": ("已销号的整改任务", "Closed task"),
    "again": ("再次发现的问题", "Issue again"), "owner": ("责任单位", "Owner unit"),
    "overdue": ("超期未反馈的移交", "Overdue transfer"), "check": ("联合监督检查", "Joint check"),
    "checked": ("被检查对象", "Checked"), "related": ("关系人", "Related person"),
    "against": ("被反映人", "Named in it"),
    "not_converted": ("未成案的移交", "Transfer without a case"),
})
EVENT_KINDS = _table({
    "transition": ("状态变更", "Status change"), "registered": ("登记", "Registered"),
    "transferred": ("移交", "Transferred"), "filed": ("立案", "Case filed"),
    "created": ("创建", "Created"), "evidence": ("提交整改佐证", "Evidence submitted"),
    "evidence_file": ("上传整改佐证文件", "Evidence file attached"),
    "evaluation": ("整改评估", "Evaluated"), "signoff": ("销号签批", "Signed off"),
    "closed": ("销号", "Closed"), "outcome": ("处理结果", "Outcome recorded"),
    "sent": ("发出", "Sent"), "assigned": ("分派", "Assigned"), "finding": ("检查结论", "Finding"),
})
AUDIT_KINDS = _table({
    "auth": ("登录与账户", "Sign-in and account"), "view": ("查看", "View"),
    "change": ("变更", "Change"), "export": ("导出", "Export"), "import": ("导入", "Import"),
    "security": ("安全", "Security"),
})
OUTCOMES = _table({
    "ok": ("成功", "Succeeded"), "refused": ("被拒绝", "Refused"),
    "locked": ("账户已锁定", "Account locked"), "rate_limited": ("请求过多", "Rate limited"),
    "bad_request": ("请求有误", "Bad request"), "unauthenticated": ("未登录", "Not signed in"),
    "not_found": ("未找到或无权查看", "Not found"),
    "method_not_allowed": ("请求方式不允许", "Method not allowed"),
    "conflict": ("冲突", "Conflict"), "unavailable": ("服务暂不可用", "Unavailable"),
    "replayed": ("重复提交，未再执行", "Repeated, not done again"), "failed": ("失败", "Failed"),
})
GENDERS = _table({"male": ("男", "Male"), "female": ("女", "Female")})
# Coded values by the label (or relationship type) and property that hold them.
VALUES: Mapping[tuple[str, str], Mapping[str, Name]] = MappingProxyType({
    ("Region", "level"): _table({
        "province": ("省", "Province"), "prefecture": ("市（州）", "Prefecture"),
        "county": ("县（市、区）", "County"), "township": ("乡（镇、街道）", "Township"),
        "village": ("村（社区）", "Village")}),
    ("Round", "level"): _table({"province": ("省级", "Province"),
                                "prefecture": ("州市级", "Prefecture"),
                                "county": ("县级", "County")}),
    ("Round", "kind"): ROUND_KINDS,
    ("Unit", "kind"): _table({"township_committee": ("乡镇党委", "Township party committee"),
                              "village_branch": ("村（社区）党组织", "Village party branch")}),
    ("Department", "kind"): DEPARTMENT_KINDS,
    ("Support", "kind"): SUPPORT_KINDS,
    ("Letter", "kind"): _table({"supervision": ("督办函", "Supervision letter"),
                                "reminder": ("提示函", "Reminder letter")}),
    ("Case", "origin"): CASE_ORIGINS,
    ("Person", "gender"): GENDERS, ("DataRecord", "gender"): GENDERS,
    ("Event", "kind"): EVENT_KINDS,
    ("Event", "role"): ROLES, ("User", "role"): ROLES, ("AuditRecord", "role"): ROLES,
    ("AuditRecord", "kind"): AUDIT_KINDS, ("AuditRecord", "outcome"): OUTCOMES,
    ("Event", "object_label"): LABELS, ("AuditRecord", "object_label"): LABELS,
    ("INSPECTS", "mode"): _table({"elevated": ("提级巡察", "Elevated"),
                                  "linked": ("联动巡察", "Linked")}),
    ("MEMBER_OF", "role"): _table({"leader": ("组长", "Leader"), "deputy": ("副组长", "Deputy"),
                                   "member": ("组员", "Member")}),
    ("RELATED_TO", "kind"): _table({"spouse": ("配偶", "Spouse"), "kin": ("亲属", "Kin"),
                                    "business_partner": ("生意伙伴", "Business partner")}),
    ("CHECKS", "finding"): _table({"verified": ("通过", "Passed"),
                                   "not_verified": ("未通过", "Not passed")}),
    ("DataSet", "kind"): DATASET_KINDS, ("DataSet", "roles"): ROLES, ("ModelRun", "role"): ROLES,
    ("ModelHit", "severity"): SEVERITIES, ("EVIDENCE", "role"): EVIDENCE_ROLES,
})
# Properties that hold a lifecycle state code (named by `STATES`).
STATE_PROPS = frozenset({"status", "disposal", "from_status", "to_status"})

# Audit events: the request's endpoint, or the name a change gives itself.
EVENTS = _table({
    "dashboard.index": ("查看工作台", "Dashboard viewed"),
    "dashboard.data": ("查看工作台数据", "Dashboard data read"),
    "nodes.index": ("浏览数据", "Browse"), "nodes.listing": ("查看列表", "List viewed"),
    "nodes.detail": ("查看详情", "Details viewed"),
    "nodes.export": ("下载列表", "List downloaded"),
    "nodes.unmask": ("查看完整身份证号", "ID unmasked"),
    "person.unmask": ("查看完整身份证号", "ID unmasked"),
    "units.by_region": ("按区划查看单位", "Units by region viewed"),
    "clues.trace_page": ("查看线索追踪", "Clue trace viewed"),
    "clues.trace_json": ("读取线索追踪", "Clue trace read"),
    "clues.transfer": ("移交线索", "Clue transferred"),
    "clue.transfer": ("移交线索", "Clue transferred"),
    "clues.transfer_step": ("办理移交", "Transfer step"),
    "transfer.accept": ("接收移交", "Transfer accepted"),
    "transfer.dispose": ("记录处置方式", "Disposal recorded"),
    "transfer.return": ("退回线索", "Clue returned"), "transfer.file_case": ("立案", "Case filed"),
    "checks.new": ("新建联合监督检查", "Joint check created"),
    "checks.show": ("查看联合监督检查", "Joint check viewed"),
    "checks.advance": ("推进检查状态", "Joint check moved on"),
    "checks.assign": ("分派检查力量", "Joint check assigned"),
    "checks.finding": ("记录检查结论", "Finding recorded"),
    "check.create": ("新建联合监督检查", "Joint check created"),
    "check.advance": ("推进检查状态", "Joint check moved on"),
    "check.assign": ("分派检查力量", "Joint check assigned"),
    "check.finding": ("记录检查结论", "Finding recorded"),
    "rectification.index": ("查看整改台账", "Rectification ledger viewed"),
    "letters.index": ("查看待发函件", "Letters due viewed"),
    "letters.issue": ("发出督办函", "Letter issued"),
    "letter.issue": ("发出督办函", "Letter issued"),
    "letters.document": ("下载函件", "Letter downloaded"),
    "imports.upload": ("导入台账", "Ledger upload"),
    "imports.confirm": ("确认导入", "Import confirmed"),
    "ledger.import": ("导入台账", "Ledger imported"),
    "ledger.import_check": ("检查台账（试运行）", "Ledger checked (dry run)"),
    "ledger.upload": ("上传台账", "Ledger uploaded"),
    "ledger.profile": ("保存导入方案", "Import profile saved"),
    "imports.check": ("检查台账（试运行）", "Ledger checked (dry run)"),
    "imports.errors": ("下载问题清单", "Problem list downloaded"),
    "imports.progress": ("查看导入进度", "Import progress read"),
    "imports.template": ("下载台账模板", "Ledger template downloaded"),
    "clue.register": ("登记问题线索", "Clue registered"),
    "clues.new": ("登记问题线索", "Clue registration"),
    "issue.register": ("登记问题", "Issue registered"),
    "issues.new": ("登记问题", "Issue registration"),
    "cases.new": ("登记其他来源案件", "Case of another origin"),
    "cases.outcome": ("记录案件结果", "Case outcome"),
    "rectification.task": ("查看整改任务", "Rectification task viewed"),
    "rectification.step": ("办理整改任务", "Rectification task step"),
    "rectification.new": ("新建整改任务", "Rectification task creation"),
    "rectification.closing_ledger": ("下载整改销号台账", "Closing ledger downloaded"),
    "inbox.page": ("查看待办", "Inbox viewed"),
    "pick.choices": ("查询选择列表", "Picker list read"),
    "figures.index": ("查看指标分析", "Figures viewed"),
    "search.results": ("搜索", "Search"),
    "figures.download": ("下载指标表", "Figures table downloaded"),
    "figures.records": ("查看指标明细", "Records behind a figure viewed"),
    "case.file_other": ("登记其他来源案件", "Case of another origin filed"),
    "case.outcome": ("记录案件结果", "Case outcome recorded"),
    "support.record": ("记录协作支持", "Support recorded"),
    "rectification.create": ("新建整改任务", "Rectification task created"),
    "rectification.advance": ("推进整改状态", "Rectification moved on"),
    "rectification.evidence": ("提交整改佐证", "Evidence added"),
    "rectification.signoff": ("整改签字确认", "Rectification signed off"),
    "rectification.close": ("整改销号", "Rectification closed"),
    "rectification.evaluate": ("整改评估", "Rectification evaluated"),
    "rectification.evidence_file": ("上传整改佐证文件", "Evidence file attached"),
    "rectification.attach": ("上传整改佐证文件", "Evidence file upload"),
    "rectification.evidence_download": ("下载整改佐证文件", "Evidence file downloaded"),
    "maintenance.fill_clue_facts": ("补全线索办理摘要", "Clue facts filled in"),
    "maintenance.fill_pinyin": ("补全拼音检索", "Pinyin filled in"),
    "maintenance.load_regions": ("载入行政区划", "Regions loaded"),
    "maintenance.load_scenario": ("载入示例数据", "Scenario loaded"),
    "exports.index": ("查看导出", "Exports viewed"),
    "exports.download": ("导出台账", "Ledger exported"),
    "explorer.page": ("打开关系图谱", "Explorer opened"),
    "explorer.search": ("图谱查找", "Explorer search"),
    "explorer.expand": ("图谱展开", "Explorer expansion"),
    "explorer.paths": ("图谱路径查询", "Explorer paths"),
    "explorer.hit": ("查看疑点证据图谱", "Hit evidence drawn"),
    "explorer.export": ("导出图谱", "Graph exported"),
    "explore.export": ("导出图谱", "Graph exported"),
    "models.index": ("查看监督模型", "Supervision models viewed"),
    "models.run": ("运行监督模型", "Models run"),
    "models.hit_list": ("查看模型疑点", "Model hits viewed"),
    "models.hit": ("查看疑点详情", "Model hit viewed"),
    "models.confirm": ("核实疑点", "Hit confirmed"),
    "models.dismiss": ("排除疑点", "Hit dismissed"),
    "models.evidence_file": ("导出疑点证据", "Hit evidence exported"),
    "models.dataset_list": ("查看数据集", "Data sets viewed"),
    "models.dataset_access": ("设置数据集使用范围", "Data set access changed"),
    "model_hit.confirm": ("核实疑点并登记为问题线索", "Hit confirmed as a clue"),
    "model_hit.dismiss": ("排除疑点", "Hit dismissed"),
    "model_hit.export": ("导出疑点证据", "Hit evidence exported"),
    "dataset.import": ("导入数据集", "Data set imported"),
    "dataset.access": ("设置数据集使用范围", "Data set access changed"),
    "crosscheck.page": ("数据比对", "Cross-check"),
    "crosscheck.compare": ("比对名单", "Lists compared"),
    "crosscheck.raise_issue": ("比对结果登记为问题", "Issue raised from a cross-check"),
    "departments.listing": ("查看协作部门", "Departments viewed"),
    "departments.create": ("新增协作部门", "Department created"),
    "departments.update": ("修改协作部门", "Department changed"),
    "department.create": ("新增协作部门", "Department created"),
    "department.update": ("修改协作部门", "Department changed"),
    "admin.user_list": ("查看用户", "Users viewed"), "admin.create": ("新建用户", "User created"),
    "admin.disable": ("停用或启用用户", "User disabled or enabled"),
    "admin.grant": ("授予角色", "Role granted"), "admin.reset": ("重置密码", "Password reset"),
    "admin.token": ("签发接口令牌", "API token issued"), "admin.unlock": ("解除锁定", "Unlocked"),
    "admin.unmasking": ("设置身份证号查看权限", "Unmasking changed"),
    "admin.reset_two_factor": ("重置双因素认证", "Two-factor reset"),
    "user.add": ("新建用户", "User created"), "user.grant": ("授予角色", "Role granted"),
    "user.disable": ("停用用户", "User disabled"), "user.enable": ("启用用户", "User enabled"),
    "user.reset_password": ("重置密码", "Password reset"), "user.unlock": ("解除锁定", "Unlocked"),
    "user.2fa_reset": ("重置双因素认证", "Two-factor reset"),
    "user.token": ("签发接口令牌", "API token issued"),
    "user.unmask_allow": ("允许查看完整身份证号", "Unmasking allowed"),
    "user.unmask_revoke": ("取消查看完整身份证号", "Unmasking revoked"),
    "auditlog.index": ("查看审计日志", "Audit log viewed"),
    "auditlog.export": ("导出审计日志", "Audit log exported"),
    "auditlog.verify": ("校验审计链", "Audit chain verified"),
    "auth.login": ("登录", "Sign-in"), "auth.sign_in": ("登录", "Sign-in"),
    "auth.logout": ("退出", "Sign-out"), "auth.sign_out": ("退出", "Sign-out"),
    "auth.logout_everywhere": ("退出所有会话", "Signed out everywhere"),
    "auth.sign_out_everywhere": ("退出所有会话", "Signed out everywhere"),
    "auth.password": ("修改密码", "Password change"),
    "auth.password_changed": ("修改密码", "Password changed"),
    "auth.password_chosen": ("凭重置码设置新密码", "New password chosen after a reset"),
    "auth.language": ("切换语言", "Language changed"),
    "auth.console": ("命令行登录", "Console sign-in"),
    "auth.2fa_begin": ("开始设置双因素认证", "Two-factor set-up begun"),
    "auth.2fa_enrolled": ("启用双因素认证", "Two-factor set up"),
    "auth.2fa_off": ("关闭双因素认证", "Two-factor turned off"),
    "twofactor.page": ("查看双因素认证", "Two-factor page viewed"),
    "twofactor.begin": ("开始设置双因素认证", "Two-factor set-up begun"),
    "twofactor.confirm": ("启用双因素认证", "Two-factor set up"),
    "twofactor.turn_off": ("关闭双因素认证", "Two-factor turned off"),
    "help.index": ("查看用户手册", "Manual viewed"), "help.page": ("查看用户手册", "Manual viewed"),
    "help.image": ("查看手册插图", "Manual picture viewed"),
    "api.me": ("接口：当前用户", "API: me"), "api.dashboard": ("接口：工作台", "API: dashboard"),
    "api.node_list": ("接口：列表", "API: list"), "api.node_detail": ("接口：详情", "API: details"),
    "api.transfer": ("接口：移交线索", "API: transfer"),
    "api.file_case": ("接口：立案", "API: case filed"),
    "api.issue_register": ("接口：登记问题", "API: issue registered"),
    "api.clue_register": ("接口：登记问题线索", "API: clue registered"),
    "api.transfer_accept": ("接口：接收移交", "API: transfer accepted"),
    "api.transfer_dispose": ("接口：记录处置方式", "API: disposal recorded"),
    "api.transfer_return": ("接口：退回线索", "API: clue returned"),
    "api.case_outcome": ("接口：记录案件结果", "API: case outcome recorded"),
    "api.rectification_create": ("接口：新建整改任务", "API: rectification task created"),
    "api.rectification_advance": ("接口：推进整改状态", "API: rectification moved on"),
    "api.rectification_evidence": ("接口：添加整改佐证材料", "API: evidence added"),
    "api.rectification_evaluate": ("接口：整改评估", "API: rectification evaluated"),
    "api.rectification_signoff": ("接口：整改签字确认", "API: rectification signed off"),
    "api.rectification_close": ("接口：整改销号", "API: rectification closed"),
    "api.check_create": ("接口：新建联合监督检查", "API: joint check created"),
    "api.check_assign": ("接口：分派检查力量", "API: joint check assigned"),
    "api.check_advance": ("接口：推进检查状态", "API: joint check moved on"),
    "api.check_finding": ("接口：记录检查结论", "API: finding recorded"),
    "api.letter_issue": ("接口：发出督办函", "API: letter issued"),
    "api.ledger_import": ("接口：导入台账", "API: ledger imported"),
    "api.crosscheck_raise_issue": ("接口：数据比对登记问题", "API: cross-check issue raised"),
    "api-docs.openapi_json": ("接口说明", "API description"),
    "security.csrf": ("跨站请求被拒绝", "Cross-site request refused"),
    "security.method": ("请求方式被拒绝", "Method refused"),
    "unknown_url": ("不存在的地址", "Unknown address"),
    "health.healthz": ("健康检查", "Health check"),
    "health.readyz": ("就绪检查", "Readiness check"),
    "health.pool": ("查看连接池", "Connection pool checked"),
    "token.issue": ("签发本人接口令牌", "Own API token issued"),
    "token.revoke": ("吊销接口令牌", "API token revoked"),
    "token.revoke_own": ("吊销本人接口令牌", "Own API token revoked"),
    "token.expire": ("提前接口令牌到期日", "API token's end brought forward"),
    "tokens.own": ("查看本人接口令牌", "Own API tokens viewed"),
    "tokens.every": ("查看全部接口令牌", "All API tokens viewed"),
    "tokens.issue": ("签发本人接口令牌", "Own API token issued"),
    "tokens.revoke": ("吊销接口令牌", "API token revoked"),
    "tokens.revoke_own": ("吊销本人接口令牌", "Own API token revoked"),
    "tokens.expire": ("提前接口令牌到期日", "API token's end brought forward"),
})

# What a joint-check proposal weighs, per department (collab/cases/proposals.py).
PROPOSAL_REASONS = _table({
    "found_with": ("协助发现问题", "issues found with it"), "cases": ("立案", "cases"),
    "transfers": ("接收移交", "transfers"), "checks": ("参加检查", "checks"),
    "support": ("协作支持", "support acts"),
})

# Rectification warnings (红/橙/黄/绿), by colour.
WARNINGS = _table({
    "red": ("红色", "Red"), "orange": ("橙色", "Orange"), "yellow": ("黄色", "Yellow"),
    "green": ("绿色", "Green"),
})

BOOLEANS = {True: Name("是", "Yes"), False: Name("否", "No")}


def prop_name(label: str, prop: str) -> Name | None:
    """The name of a label's (or relationship type's) property; None: it is not shown."""
    if prop in INTERNAL["*"] or prop in INTERNAL.get(label, ()):
        return None
    if label in REL_TYPES:
        return PROPS_OF.get(label, {}).get(prop) or REL_PROPS.get(prop)
    return PROPS_OF.get(label, {}).get(prop) or PROPS.get(prop)


def state_name(code: str, label: str | None = None) -> Name | None:
    """A lifecycle state's name, as the label calls it."""
    return STATES_OF.get(label or "", {}).get(code) or STATES.get(code)


def value_name(label: str, prop: str, code: object) -> Name | None:
    """The name of a coded value, None when the property holds no code or this one is unknown."""
    if isinstance(code, bool):
        return BOOLEANS[code]
    if not isinstance(code, str):
        return None
    if prop in STATE_PROPS:
        return state_name(code, label)
    if label == "AuditRecord" and prop == "event":
        return EVENTS.get(code)
    return VALUES.get((label, prop), {}).get(code)
