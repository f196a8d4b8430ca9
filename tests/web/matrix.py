"""The access matrix: what every account of the scenario may reach, declared per endpoint.

`VISIBLE` is the oracle, worked out by hand from `scenario.build` (not asked of `authz`, the
code under test): for each account, the keys of every object it may see, by label. `PROBES`
holds requests for every endpoint of the app (`test_access.py` fails when the app has an
endpoint, or an endpoint a method, that no probe tries), each with the accounts that get the
allowed answer; every other account gets 404 (an API request without a token, 401). Requests
that would change something aim at guessed or out-of-scope objects, or send an incomplete
form, so the shared store stays as built and the allowed answer is the one a refusal gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from web.scenario import ACCOUNTS, DATASET, DEPARTMENTS, HIT_DATASET, HIT_WS, HIT_ZT, REGIONS

EVERYONE = frozenset(ACCOUNTS)
ADMINS = frozenset({"sys", "sec", "aud"})  # no API token for them
CASEWORK = frozenset({"prov", "coord", "insp", "lead", "zt"})
LIAISONS = frozenset({"liaison", "liaison2"})
WENSHAN = frozenset({"prov", "coord", "insp", "lead"})

_ALL_REGIONS = frozenset(code for code, _, _ in REGIONS)
_ALL_DEPARTMENTS = frozenset(code for code, _, _ in DEPARTMENTS)
_WS: dict[str, frozenset[str]] = {
    "Region": frozenset(c for c in _ALL_REGIONS if c.startswith("5326")),
    "Department": frozenset({"D532600-ZZB", "D532600-SJ", "D532628-JW"}),
    "Unit": frozenset({"U532628107"}), "Issue": frozenset({"WS-2023-0001"}),
    "Person": frozenset({"P-SYN-0001", "P-SYN-0002"}),
    "Clue": frozenset({"XS-2023-0001", "WS-2023-0002"}),
    "Transfer": frozenset({"XS-2023-0001/1", "WS-2023-0002/1"}),
    "Case": frozenset({"WS-CASE-0001"}), "JointCheck": frozenset({"JC-0001", "JC-0002"})}
_ZT: dict[str, frozenset[str]] = {
    "Region": frozenset({"530600", "530602"}), "Department": frozenset({"D530600-JW"}),
    "Person": frozenset({"P-SYN-ZT1"}), "Clue": frozenset({"ZT-2023-0001"}),
    "Transfer": frozenset({"ZT-2023-0001/1"})}
_ORG = {"Region": _ALL_REGIONS, "Department": _ALL_DEPARTMENTS}
# The models' work: the Wenshan hit without a data set for every case-work account of Wenshan;
# the data set (coordinators only), its row and the hit resting on it for its coordinators.
_WS_HITS = {**_WS, "ModelHit": frozenset({HIT_WS})}
_COORDINATED = {**_WS, "ModelHit": frozenset({HIT_WS, HIT_DATASET}),
                "DataSet": frozenset({DATASET}), "DataRecord": frozenset({DATASET + "/2"})}
_ZT_HITS = {**_ZT, "ModelHit": frozenset({HIT_ZT})}
# account -> label -> the keys it may see
VISIBLE: Mapping[str, Mapping[str, frozenset[str]]] = {
    "prov": {label: _COORDINATED.get(label, frozenset()) | _ZT_HITS.get(label, frozenset())
             for label in _COORDINATED.keys() | _ZT_HITS.keys()} | _ORG,
    "coord": _COORDINATED, "insp": _WS_HITS, "lead": _WS_HITS, "zt": _ZT_HITS,
    "sys": _ORG, "sec": _ORG, "aud": {}, "pend": {},
    "liaison": {"Clue": frozenset({"XS-2023-0001"}), "Transfer": frozenset({"XS-2023-0001/1"}),
                "Case": frozenset({"WS-CASE-0001"}), "JointCheck": frozenset({"JC-0001"}),
                "Department": frozenset({"D532628-JW"}), "Person": frozenset({"P-SYN-0001"}),
                "Issue": frozenset({"WS-2023-0001"})},
    "liaison2": {"Clue": frozenset({"WS-2023-0002"}),
                 "Transfer": frozenset({"WS-2023-0002/1"}),
                 "Department": frozenset({"D532600-ZZB"})},
}
CASE_LABELS = ("Region", "Unit", "Department", "Round", "Group", "Person", "Issue",
               "Rectification", "Clue", "Transfer", "Case", "JointCheck", "Support", "Letter")
# account -> the labels it may list (a liaison lists only its own work)
LISTS: Mapping[str, frozenset[str]] = {
    **{name: frozenset(CASE_LABELS) for name in CASEWORK},
    "sys": frozenset(_ORG), "sec": frozenset(_ORG), "aud": frozenset(), "pend": frozenset(),
    **{name: frozenset({"Clue", "Transfer", "Case", "JointCheck"}) for name in LIAISONS}}
# Labels and keys nobody reaches through a page: accounts, sessions, the audit trail, guesses.
NEVER = (("User", "sys"), ("User", "coord"), ("AuditRecord", "000000000001"),
         ("AuditHead", "main"), ("LoginSession", "x"), ("ApiToken", "x"),
         ("Clue", "XS-2023-0003"), ("Clue", "ZT-2023-0002"), ("Person", "P-SYN-0003"),
         ("Case", "WS-CASE-0002"), ("Transfer", "XS-2023-0001/2"), ("Nonsense", "1"))
OBJECTS = sorted({(label, key) for name in VISIBLE for label, keys in VISIBLE[name].items()
                  for key in keys})


def sees(name: str, label: str, key: str) -> bool:
    return key in VISIBLE[name].get(label, frozenset())


def seers(label: str, key: str) -> frozenset[str]:
    """The accounts that may see one object."""
    return frozenset(n for n in EVERYONE if sees(n, label, key))


@dataclass(frozen=True)
class Probe:
    """One request, the accounts that get the allowed answer, and that answer's status.

    `data` is a form (POST; the session's CSRF token is added unless `csrf` is False); `api`
    sends the account's bearer token instead of its session cookie.
    """

    endpoint: str
    method: str
    url: str
    allowed: frozenset[str]
    ok: int = 200
    data: Mapping[str, str] = field(default_factory=dict)
    csrf: bool = True
    api: bool = False
    about: tuple[str, str] = ("", "")

    def expected(self, name: str) -> int:
        if self.api and name in ADMINS and self.endpoint != "api-docs.openapi_json":
            return 401  # the admin roles get no API token
        return self.ok if name in self.allowed else 404

    @property
    def id(self) -> str:
        return f"{self.method} {self.url}"


def _get(endpoint: str, url: str, allowed: frozenset[str], ok: int = 200,
         about: tuple[str, str] = ("", "")) -> Probe:
    return Probe(endpoint, "GET", url, allowed, ok, about=about)


def _post(endpoint: str, url: str, allowed: frozenset[str], ok: int,
          data: Mapping[str, str] | None = None, csrf: bool = True) -> Probe:
    return Probe(endpoint, "POST", url, allowed, ok, data or {}, csrf)


def _api(endpoint: str, url: str, allowed: frozenset[str],
         about: tuple[str, str] = ("", "")) -> Probe:
    return Probe(endpoint, "GET", "/api/v1" + url, allowed, api=True, about=about)


NOBODY: frozenset[str] = frozenset()
PLANNERS = frozenset({"prov", "coord", "zt"})
REGISTRARS = frozenset({"prov", "coord", "insp", "zt"})
EXPORTERS = frozenset({"prov", "coord", "lead", "zt"})
TRANSFER = {"department": "D530600-JW", "letter_no": "文纪移〔2024〕1号", "on": "2024-02-01"}
STEP = {"on": "2024-02-01", "reason": "核查"}
LABELS = (*CASE_LABELS, "User", "AuditRecord", "Event", "Nonsense")
API_CHANGES = (
    ("api.issue_register", "/issues", REGISTRARS),
    ("api.clue_register", "/clues", REGISTRARS),
    ("api.transfer_accept", "/transfers/XS-2023-0001/1/accept", LIAISONS),
    ("api.transfer_dispose", "/transfers/XS-2023-0001/1/dispose", LIAISONS),
    ("api.transfer_return", "/transfers/XS-2023-0001/1/return", LIAISONS),
    ("api.case_outcome", "/cases/WS-CASE-0002/outcome", NOBODY),  # an empty body is valid
    ("api.rectification_create", "/rectifications", REGISTRARS),
    ("api.rectification_advance", "/rectifications/R-0001/advance", REGISTRARS),
    ("api.rectification_evidence", "/rectifications/R-0001/evidence", REGISTRARS),
    ("api.rectification_evaluate", "/rectifications/R-0001/evaluate", PLANNERS),
    ("api.rectification_signoff", "/rectifications/R-0001/signoff", PLANNERS),
    ("api.rectification_close", "/rectifications/R-0001/close", PLANNERS),
    ("api.check_create", "/checks", PLANNERS),
    ("api.check_assign", "/checks/JC-0003/assign", NOBODY),  # an empty body is valid
    ("api.check_advance", "/checks/JC-0003/advance", PLANNERS),
    ("api.check_finding", "/checks/JC-0003/findings", PLANNERS | LIAISONS),
    ("api.letter_issue", "/letters", PLANNERS),
    ("api.ledger_import", "/imports", REGISTRARS),
    ("api.crosscheck_raise_issue", "/crosscheck/issues", REGISTRARS),
)


def _objects() -> list[Probe]:
    """Every object of the scenario, and the guessed ones, as a page and through the API."""
    probes = []
    for label, key in [*OBJECTS, *NEVER]:
        allowed = seers(label, key)
        probes.append(_get("nodes.detail", f"/browse/{label}/{key}", allowed,
                           about=(label, key)))
        probes.append(_api("api.node_detail", f"/nodes/{label}/{key}", allowed,
                           about=(label, key)))
    for label in LABELS:
        allowed = frozenset(n for n in EVERYONE if label in LISTS[n])
        probes.append(_get("nodes.listing", f"/browse/{label}", allowed))
        probes.append(_api("api.node_list", f"/nodes/{label}", allowed))
    for no in ("XS-2023-0001", "WS-2023-0002", "ZT-2023-0001", "XS-2023-0003"):
        allowed = seers("Clue", no)
        probes.append(_get("clues.trace_page", f"/clues/{no}/trace", allowed))
        probes.append(_get("clues.trace_json", f"/clues/{no}/trace.json", allowed))
    for no in ("JC-0001", "JC-0002", "JC-0003"):
        probes.append(_get("checks.show", f"/checks/{no}", seers("JointCheck", no)))
    return probes


PROBES: tuple[Probe, ...] = (
    # --- signing in and out (logout without its CSRF token: refused, the session lives on)
    _get("auth.login", "/login", EVERYONE, 302),
    _post("auth.login", "/login", EVERYONE, 200, {"name": "", "password": ""}),
    _post("auth.language", "/language", EVERYONE, 302, {"lang": "zh", "next": "/"}),
    _post("auth.logout", "/logout", EVERYONE, 400, csrf=False),
    _post("auth.logout_everywhere", "/logout/everywhere", EVERYONE, 400, csrf=False),
    _get("auth.password", "/password", EVERYONE),
    _post("auth.password", "/password", EVERYONE, 200, {"current": "", "new": ""}),
    # --- dashboard
    _get("dashboard.index", "/", EVERYONE),
    _get("dashboard.data", "/dashboard/data.json", CASEWORK | LIAISONS),
    _get("dashboard.data", "/dashboard/data.json?region=532600", WENSHAN),
    _get("dashboard.data", "/dashboard/data.json?region=530600", frozenset({"prov", "zt"})),
    # --- browsing
    _get("nodes.index", "/browse/", EVERYONE - {"aud", "pend"}),
    *_objects(),
    _post("nodes.unmask", "/browse/Person/P-SYN-0001/unmask", NOBODY, 404, {}),
    _post("nodes.unmask", "/browse/Person/P-SYN-ZT1/unmask", NOBODY, 404, {}),
    # --- clues: an incomplete form is refused (400) only for those with the right; a
    # complete one for a clue or transfer out of reach is not found
    _post("clues.transfer", "/clues/XS-2023-0001/transfer", PLANNERS & WENSHAN, 400, {}),
    _post("clues.transfer", "/clues/XS-2023-0003/transfer", NOBODY, 404, TRANSFER),
    _post("clues.transfer_step", "/clues/transfers/ZT-2023-0001/1/accept", LIAISONS, 400, {}),
    _post("clues.transfer_step", "/clues/transfers/ZT-2023-0001/1/accept", NOBODY, 404, STEP),
    _post("clues.transfer_step", "/clues/transfers/ZT-2023-0001/1/file_case", NOBODY, 404,
          {**STEP, "case_no": "X"}),
    # its own department's transfer: in reach, but a case before acceptance is refused
    _post("clues.transfer_step", "/clues/transfers/XS-2023-0001/1/file_case",
          frozenset({"liaison"}), 302, {**STEP, "case_no": "X"}),
    # registering: an incomplete form is shown again (400) to those who may register
    _get("issues.new", "/issues/new", REGISTRARS),
    _post("issues.new", "/issues/new", REGISTRARS, 400, {}),
    _get("clues.new", "/clues/new", REGISTRARS),
    _post("clues.new", "/clues/new", REGISTRARS, 400, {}),
    _get("cases.new", "/cases/new", LIAISONS),
    _post("cases.new", "/cases/new", LIAISONS, 400, {}),
    # an outcome that is not a number: said on the trace it came from, nothing recorded
    _post("cases.outcome", "/cases/WS-CASE-0001/outcome", LIAISONS, 302,
          {"funds_recovered": "x"}),
    _get("inbox.page", "/inbox/", LIAISONS),
    _get("figures.index", "/figures/", CASEWORK),
    _get("search.results", "/search/?q=XS-2023", EVERYONE - {"aud", "pend"}),
    _get("figures.download", "/figures/conversion.xlsx", CASEWORK),
    _get("figures.records", "/figures/records/contribution", CASEWORK),
    _get("figures.records", "/figures/records/nonsense", NOBODY),
    _get("pick.choices", "/pick/department.json?q=纪委", EVERYONE - {"aud", "pend"}),
    _get("pick.choices", "/pick/user.json?q=s", NOBODY),
    # --- joint checks
    _get("checks.new", "/checks/new", PLANNERS),
    _post("checks.new", "/checks/new", PLANNERS, 200, {}),
    _post("checks.assign", "/checks/JC-0003/assign", NOBODY, 404, {}),
    _post("checks.advance", "/checks/JC-0001/advance", PLANNERS, 302, {}),
    _post("checks.advance", "/checks/JC-0003/advance", NOBODY, 404, {"to": "in_progress"}),
    _post("checks.finding", "/checks/JC-0003/finding", NOBODY, 404,
          {"rectification": "R-0001", "note": "x"}),
    # --- rectification, letters
    _get("rectification.index", "/rectification/", CASEWORK),
    _get("nodes.export", "/browse/Clue/export.xlsx", CASEWORK | LIAISONS),
    _get("nodes.export", "/browse/User/export.xlsx", NOBODY),
    _get("rectification.new", "/rectification/new", REGISTRARS),
    _get("rectification.closing_ledger", "/rectification/closing-ledger.xlsx", CASEWORK),
    _post("rectification.new", "/rectification/new", REGISTRARS, 400, {}),
    _get("rectification.task", "/rectification/R-0001", NOBODY),
    _post("rectification.step", "/rectification/R-0001/move", NOBODY, 404, {}),
    _post("rectification.attach", "/rectification/R-0001/attach", NOBODY, 404, {}),
    _get("rectification.evidence_download", "/rectification/R-0001/files/" + "a" * 64, NOBODY),
    _get("letters.index", "/letters/", CASEWORK),
    _post("letters.issue", "/letters/issue", NOBODY, 404,
          {"kind": "supervision", "rectification": "R-NONE"}),
    _get("letters.document", "/letters/L-2024-0001.docx", NOBODY),
    # --- import, export, cross-check
    _get("imports.upload", "/import/", REGISTRARS),
    _post("imports.upload", "/import/", REGISTRARS, 200, {}),
    _post("imports.check", "/import/check", REGISTRARS, 302, {}),
    _post("imports.confirm", "/import/confirm", REGISTRARS, 302, {}),
    _get("imports.template", "/import/template/clues.xlsx", REGISTRARS),
    _get("imports.progress", "/import/progress", REGISTRARS),
    _get("imports.errors", "/import/errors.xlsx", REGISTRARS, 404),
    _get("exports.index", "/export/", EXPORTERS),
    _get("exports.download", "/export/clues.csv", EXPORTERS),
    _get("exports.download", "/export/people.xlsx", EXPORTERS),
    _get("exports.download", "/export/nonsense.csv", NOBODY),
    _get("crosscheck.page", "/crosscheck/", REGISTRARS),
    _post("crosscheck.page", "/crosscheck/", REGISTRARS, 200, {}),
    _post("crosscheck.raise_issue", "/crosscheck/issue", REGISTRARS, 302, {}),
    # --- the explorer: search and expansion only inside one's reach
    _get("explorer.page", "/explore/", CASEWORK),
    _get("explorer.search", "/explore/api/search?q=赵六", CASEWORK),
    _get("explorer.expand", "/explore/api/expand?uid=P-SYN-ZT1&depth=3",
         frozenset({"prov", "zt"})),
    _get("explorer.expand", "/explore/api/expand?uid=P-SYN-0001&depth=3", WENSHAN),
    _get("explorer.expand", "/explore/api/expand?uid=P-SYN-0003", NOBODY),
    _get("explorer.paths", "/explore/api/paths?a=P-SYN-0001&b=P-SYN-0002", WENSHAN),
    _get("explorer.paths", "/explore/api/paths?a=P-SYN-0001&b=P-SYN-ZT1",
         frozenset({"prov"})),
    # --- supervision models: pages for the case-work roles, runs for the coordinators; hits
    # in and out of reach (one resting on a data set only coordinators may use); triage and
    # access forms left incomplete, so nothing changes
    _get("models.index", "/models/", CASEWORK),
    _post("models.run", "/models/run", PLANNERS, 302, {}),
    _get("models.hit_list", "/models/hits", CASEWORK),
    *[_get("models.hit", f"/models/hits/{no}", seers("ModelHit", no), about=("ModelHit", no))
      for no in (HIT_DATASET, HIT_WS, HIT_ZT, "dormant-clue-000000000009")],
    _post("models.confirm", f"/models/hits/{HIT_WS}/confirm", frozenset({"prov", "coord"}),
          302, {}),
    _post("models.confirm", f"/models/hits/{HIT_ZT}/confirm", frozenset({"prov", "zt"}), 302,
          {}),
    _post("models.dismiss", f"/models/hits/{HIT_DATASET}/dismiss",
          frozenset({"prov", "coord"}), 302, {}),
    _post("models.dismiss", "/models/hits/dormant-clue-000000000009/dismiss", NOBODY, 404,
          {"reason": "无", "on": "2024-02-01"}),
    _get("models.evidence_file", f"/models/hits/{HIT_WS}/evidence.graphml",
         frozenset({"prov", "coord", "lead"})),
    _get("models.evidence_file", f"/models/hits/{HIT_DATASET}/evidence.gexf",
         frozenset({"prov", "coord"})),
    _get("models.dataset_list", "/models/datasets", CASEWORK),
    _post("models.dataset_list", "/models/datasets", PLANNERS, 200, {}),
    _post("models.dataset_access", f"/models/datasets/{DATASET}/access",
          frozenset({"prov", "coord"}), 302, {}),
    _post("models.dataset_access", "/models/datasets/DS-NONE/access", NOBODY, 404,
          {"roles": "leader"}),
    _get("explorer.hit", f"/explore/api/hit?no={HIT_WS}", WENSHAN, about=("ModelHit", HIT_WS)),
    _get("explorer.hit", f"/explore/api/hit?no={HIT_DATASET}", frozenset({"prov", "coord"})),
    _get("explorer.hit", f"/explore/api/hit?no={HIT_ZT}", frozenset({"prov", "zt"})),
    _post("explorer.export", "/explore/export", EXPORTERS, 400, {}),
    # --- accounts (guessed names: not found even for the admins)
    _get("admin.user_list", "/admin/users", frozenset({"sys", "sec"})),
    _post("admin.create", "/admin/users", frozenset({"sys", "sec"}), 302, {}),
    _post("admin.grant", "/admin/users/coord/grant", frozenset({"sys", "sec"}), 302,
          {"role": "nonsense"}),
    _post("admin.disable", "/admin/users/nobody/disable", NOBODY, 404, {}),
    _post("admin.unmasking", "/admin/users/nobody/unmask/allow", NOBODY, 404, {}),
    _post("admin.unlock", "/admin/users/nobody/unlock", NOBODY, 404, {}),
    _post("admin.reset", "/admin/users/nobody/reset", NOBODY, 404, {}),
    _post("admin.reset_two_factor", "/admin/users/nobody/2fa-reset", NOBODY, 404, {}),
    # --- departments: the system admin's (incomplete forms are refused, nothing changes)
    _get("departments.listing", "/admin/departments/", frozenset({"sys"})),
    _post("departments.create", "/admin/departments/", frozenset({"sys"}), 302, {}),
    _post("departments.update", "/admin/departments/D530600-JW", frozenset({"sys"}), 302, {}),
    # --- units by region tree, inside one's region
    _get("units.by_region", "/units/", CASEWORK),
    _get("units.by_region", "/units/?region=530600", frozenset({"prov", "zt"})),
    # --- one's own two-factor sign-in (without the form's token: refused, nothing changes)
    _get("twofactor.page", "/account/2fa", EVERYONE),
    _post("twofactor.begin", "/account/2fa/begin", EVERYONE, 400, csrf=False),
    _post("twofactor.confirm", "/account/2fa/confirm", EVERYONE, 302, {}),
    _post("twofactor.turn_off", "/account/2fa/off", EVERYONE, 400, csrf=False),
    # --- API tokens: one's own (incomplete request: refused), and the security admin's list
    _get("tokens.own", "/account/tokens", EVERYONE),
    _post("tokens.issue", "/account/tokens", EVERYONE, 302, {}),
    _post("tokens.revoke_own", "/account/tokens/nonsense/revoke", NOBODY, 404, {}),
    _get("tokens.every", "/admin/tokens", frozenset({"sec"})),
    _post("tokens.revoke", "/admin/tokens/nonsense/revoke", NOBODY, 404, {}),
    _post("tokens.expire", "/admin/tokens/nonsense/expire", frozenset({"sec"}), 302, {}),
    # --- the audit trail: its admin only
    _get("auditlog.index", "/audit/", frozenset({"aud"})),
    _get("auditlog.export", "/audit/export.csv", frozenset({"aud"})),
    _get("auditlog.verify", "/audit/verify", frozenset({"aud"})),
    # --- the user manual: every signed-in account; no page or picture it does not have
    _get("help.index", "/help/", EVERYONE),
    _get("help.page", "/help/coordinator", EVERYONE),
    _get("help.page", "/help/pending", EVERYONE, 302),
    _get("help.page", "/help/no_such_page", NOBODY),
    _get("help.page", "/help/..%2Fsecret", NOBODY),
    _get("help.image", "/help/img/sign-in.png", EVERYONE),
    _get("help.image", "/help/img/..%2F..%2FREADME.md", NOBODY),
    # --- the JSON API
    _api("api.me", "/me", EVERYONE - ADMINS),
    _api("api.dashboard", "/dashboard", CASEWORK | LIAISONS),
    _api("api.dashboard", "/dashboard?region=530600", frozenset({"prov", "zt"})),
    # changes aimed at a clue and a transfer out of everyone's reach
    Probe("api.transfer", "POST", "/api/v1/clues/XS-2023-0003/transfers", NOBODY,
          data=TRANSFER, api=True),
    Probe("api.file_case", "POST", "/api/v1/transfers/XS-2023-0001/2/case", NOBODY,
          data={"case_no": "X", "on": "2024-02-01"}, api=True),
    # every other change: an empty body is refused (422) for the roles that may make it
    *(Probe(endpoint, "POST", "/api/v1" + url, allowed, 422, api=True)
      for endpoint, url, allowed in API_CHANGES),
    Probe("api-docs.openapi_json", "GET", "/api/v1/openapi.json", EVERYONE, api=True),
    # --- no such page
    _get("", "/no/such/page", NOBODY),
)
