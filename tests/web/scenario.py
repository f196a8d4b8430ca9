"""A small two-prefecture scenario on top of the Yunnan seed, and one account per role.

Wenshan (532600) and Zhaotong (530600) each hold clues; Wenshan's clues went to two different
departments, each with its own liaison, so a liaison of one must not see the other's. Names
carry markup to prove that pages show it as text.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from keys import AUDIT_KEY

from collab.access import twofactor, users
from collab.access.actors import Actor
from collab.access.audit import Origin
from collab.access.authz import Authz, Role
from collab.access.idnumbers import IdKey
from collab.graph import names
from collab.graph.store import Graph

PASSWORD = "Lan-Cang-2026"
# The deployment key of the web tests (seals the admins' two-factor secrets).
TEST_SECRET = b"web-tests-deployment-key-32bytes"
TEST_KEY = IdKey.from_secret(TEST_SECRET)
XSS = "<img src=x onerror=alert(1)>"
FULL_ID = "53262819800101123X"
# name -> (role, region, department)
ACCOUNTS = {
    "sys": (Role.SYSTEM_ADMIN, None, None),
    "sec": (Role.SECURITY_ADMIN, None, None),
    "aud": (Role.AUDIT_ADMIN, None, None),
    "prov": (Role.COORDINATOR, None, None),
    "coord": (Role.COORDINATOR, "532600", None),
    "insp": (Role.INSPECTOR, "532600", None),
    "lead": (Role.LEADER, "532600", None),
    "zt": (Role.COORDINATOR, "530600", None),
    "liaison": (Role.LIAISON, None, "D532628-JW"),
    "liaison2": (Role.LIAISON, None, "D532600-ZZB"),
    "pend": (Role.PENDING, None, None),  # created, no role granted yet
}
# Clue numbers each account may see.
CLUES_SEEN = {"prov": {"XS-2023-0001", "WS-2023-0002", "ZT-2023-0001"},
              "coord": {"XS-2023-0001", "WS-2023-0002"},
              "insp": {"XS-2023-0001", "WS-2023-0002"},
              "lead": {"XS-2023-0001", "WS-2023-0002"},
              "zt": {"ZT-2023-0001"}, "liaison": {"XS-2023-0001"},
              "liaison2": {"WS-2023-0002"}, "pend": set(),
              "sys": set(), "sec": set(), "aud": set()}


REGIONS = [("530000", "云南省", "province"), ("530600", "昭通市", "prefecture"),
           ("530602", "昭阳区", "county"), ("532600", "文山壮族苗族自治州", "prefecture"),
           ("532622", "砚山县", "county"), ("532628", "富宁县", "county"),
           ("532622100", "江那镇", "township"), ("532628107", "那能乡", "township")]
DEPARTMENTS = [("D532600-ZZB", "文山州委组织部", "532600"),
               ("D532600-SJ", "文山州审计局", "532600"),
               ("D532628-JW", "富宁县纪委监委", "532628"),
               ("D530600-JW", "昭通市纪委监委", "530600")]


def _base(g: Graph) -> None:
    """Regions, departments and the Wenshan clue of the source article (people synthetic)."""
    g.upsert_nodes("Region", [{"code": c, "name": n, "level": lv} for c, n, lv in REGIONS])
    g.upsert_nodes("Department", [{"code": c, "name": n, "region_code": r}
                                  for c, n, r in DEPARTMENTS])
    g.upsert_nodes("Unit", [{"code": "U532628107", "name": "中共富宁县那能乡委员会",
                             "region_code": "532628107"}])
    g.upsert_nodes("Issue", [{"no": "WS-2023-0001", "title": "66名老年人未领取养老金",
                              "found_on": date(2023, 10, 12), "region_code": "532628107"}])
    g.upsert_nodes("Person", [{"uid": "P-SYN-0001", "name": "张三", "region_code": "532628107"},
                              {"uid": "P-SYN-0002", "name": "李四", "region_code": "532628107"}])
    g.upsert_nodes("Clue", [{"no": "XS-2023-0001", "title": "乡村干部未跟进养老金发放",
                             "status": "transferred", "registered_on": date(2023, 10, 20),
                             "region_code": "532628107", "synthetic": True}])
    g.upsert_nodes("Transfer", [{"no": "XS-2023-0001/1", "clue_no": "XS-2023-0001",
                                 "department_code": "D532628-JW", "at": date(2023, 10, 25),
                                 "status": "transferred", "region_code": "532628107"}])
    g.upsert_rels("FROM_ISSUE", [{"src": "XS-2023-0001", "dst": "WS-2023-0001"}],
                  src="Clue", dst="Issue")
    g.upsert_rels("AGAINST", [{"src": "XS-2023-0001", "dst": "P-SYN-0001"}],
                  src="Clue", dst="Person")
    g.upsert_rels("TRANSFERRED", [{"src": "XS-2023-0001", "dst": "XS-2023-0001/1"}],
                  src="Clue", dst="Transfer")
    g.upsert_rels("TO", [{"src": "XS-2023-0001/1", "dst": "D532628-JW"}],
                  src="Transfer", dst="Department")


def build(g: Graph) -> None:
    """Two prefectures, a second department's clue, a case, two checks, a data set and three
    model hits."""
    _base(g)
    g.upsert_nodes("Clue", [
        {"no": "ZT-2023-0001", "title": XSS + "昭阳区某村截留补助", "status": "transferred",
         "registered_on": date(2023, 6, 1), "region_code": "530602", "synthetic": True},
        {"no": "WS-2023-0002", "title": "江那镇某站所吃拿卡要", "status": "transferred",
         "registered_on": date(2023, 10, 21), "region_code": "532622100",
         "synthetic": True}])
    g.upsert_nodes("Transfer", [
        {"no": "ZT-2023-0001/1", "clue_no": "ZT-2023-0001", "department_code": "D530600-JW",
         "at": date(2023, 6, 5), "status": "transferred", "region_code": "530602"},
        {"no": "WS-2023-0002/1", "clue_no": "WS-2023-0002", "department_code": "D532600-ZZB",
         "at": date(2023, 10, 26), "status": "transferred", "region_code": "532622100"}])
    g.upsert_rels("TRANSFERRED", [{"src": "ZT-2023-0001", "dst": "ZT-2023-0001/1"},
                                  {"src": "WS-2023-0002", "dst": "WS-2023-0002/1"}],
                  src="Clue", dst="Transfer")
    g.upsert_rels("TO", [{"src": "ZT-2023-0001/1", "dst": "D530600-JW"},
                         {"src": "WS-2023-0002/1", "dst": "D532600-ZZB"}],
                  src="Transfer", dst="Department")
    g.upsert_nodes("Person", [
        {"uid": "P-SYN-ZT1", "name": "赵六", "region_code": "530602", "synthetic": True,
         "id_masked": "530602********1234", "id_hash": "h" * 64, "id_enc": "secret"},
        {"uid": "P-SYN-0001", "id_masked": FULL_ID[:6] + "********" + FULL_ID[-4:],
         "id_hash": "k" * 64, "id_enc": "sealed", "note": "身份证 " + FULL_ID}])
    g.upsert_rels("AGAINST", [{"src": "ZT-2023-0001", "dst": "P-SYN-ZT1"}],
                  src="Clue", dst="Person")
    g.upsert_nodes("Case", [{"no": "WS-CASE-0001", "title": "富宁县某村干部失职案",
                             "filed_on": date(2024, 1, 10), "origin": "inspection",
                             "region_code": "532628107"}])
    g.upsert_rels("BECAME", [{"src": "XS-2023-0001", "dst": "WS-CASE-0001"}],
                  src="Clue", dst="Case")
    g.upsert_rels("FILED_BY", [{"src": "WS-CASE-0001", "dst": "D532628-JW"}],
                  src="Case", dst="Department")
    g.upsert_rels("SUBJECT", [{"src": "WS-CASE-0001", "dst": "P-SYN-0001"}],
                  src="Case", dst="Person")
    g.upsert_nodes("JointCheck", [
        {"no": "JC-0001", "title": "那能乡养老金整改联合检查", "status": "planned",
         "region_code": "532628"},
        {"no": "JC-0002", "title": "江那镇整改联合检查", "status": "planned",
         "region_code": "532622"}])
    g.upsert_rels("ASSIGNED_TO", [{"src": "JC-0001", "dst": "D532628-JW"},
                                  {"src": "JC-0002", "dst": "D532600-SJ"}],
                  src="JointCheck", dst="Department")
    _models(g)


# The supervision models' work: a data set only coordinators may use, and three hits.
DATASET = "DS-532628-DEATH"
HIT_DATASET = "deceased-paid-000000000001"  # rests on the data set (Wenshan)
HIT_WS = "dormant-clue-000000000002"  # Wenshan, no data set
HIT_ZT = "dormant-clue-000000000003"  # Zhaotong


def _models(g: Graph) -> None:
    g.upsert_nodes("DataSet", [{"code": DATASET, "name": "富宁县死亡人口（合成）",
                                "kind": "deceased", "source": "富宁县公安局",
                                "as_of": date(2024, 6, 30), "region_code": "532628",
                                "roles": ["coordinator"], "regions": ["532628"], "rows": 1,
                                "synthetic": True}])
    g.upsert_nodes("DataRecord", [{"no": DATASET + "/2", "dataset": DATASET, "row": 2,
                                   "name": "张三", "died_on": date(2024, 1, 15),
                                   "region_code": "532628107", "synthetic": True}])
    g.upsert_rels("OF_SET", [{"src": DATASET + "/2", "dst": DATASET}], src="DataRecord",
                  dst="DataSet")
    g.upsert_rels("NAMES", [{"src": DATASET + "/2", "dst": "P-SYN-0001"}], src="DataRecord",
                  dst="Person")
    now = datetime.now(UTC)
    dead = {"name": "张三", "died_on": "2024-01-15", "payments": 2, "amount": "286.00",
            "last": "2024-03-01"}
    hits = [(HIT_DATASET, "deceased-paid", "532628107", [DATASET], "张三", dead,
             [("Person", "P-SYN-0001", "subject"), ("DataRecord", DATASET + "/2", "death")]),
            (HIT_WS, "dormant-clue", "532622100", [], "江那镇某站所吃拿卡要",
             {"clue": "WS-2023-0002", "title": "江那镇某站所吃拿卡要", "since": "2023-10-21",
              "days": 40}, [("Clue", "WS-2023-0002", "subject")]),
            (HIT_ZT, "dormant-clue", "530602", [], XSS + "昭阳区某村截留补助",
             {"clue": "ZT-2023-0001", "title": XSS, "since": "2023-06-01", "days": 40},
             [("Clue", "ZT-2023-0001", "subject")])]
    for no, model, region, sets, subject, facts, evidence in hits:
        g.upsert_nodes("ModelHit", [{"no": no, "model": model, "model_version": 1,
                                     "signature": no, "status": "pending",
                                     "status_on": now.date(), "region_code": region,
                                     "datasets": sets, "subject": subject,
                                     "facts": json.dumps(facts, ensure_ascii=False),
                                     "severity": "low", "first_seen": now, "last_seen": now,
                                     "runs": 1, "version": 0, "synthetic": True}])
        for label, key, role in evidence:
            g.upsert_rels("EVIDENCE", [{"src": no, "dst": key, "role": role}],
                          src="ModelHit", dst=label)


def add_accounts(g: Graph, names: tuple[str, ...] = tuple(ACCOUNTS)) -> None:
    """One account per role, password set and already changed (no forced change); each set
    up two-factor sign-in half a minute ago, as every role must by default (test clients
    compute their codes)."""
    now = datetime.now(UTC)
    for name in names:
        role, region, department = ACCOUNTS[name]
        users.add(g, authz=None, name=name, password=PASSWORD, now=now, role=role,
                  region=region, department=department, display_name=name + "·测试")
        g.upsert_nodes("User", [{"name": name, "must_change": False}])
        enrol(g, name, now - timedelta(seconds=30))


def add_role_accounts(g: Graph, accounts: dict[str, tuple[Role, str | None, str | None]],
                      display: str = "（示例）") -> None:
    """Accounts named in Chinese after their role (巡察办协调员（示例）), password set and
    changed, two-factor sign-in set up (every role needs it): one per role."""
    now = datetime.now(UTC)
    for name, (role, region, department) in accounts.items():
        users.add(g, authz=None, name=name, password=PASSWORD, now=now, role=role,
                  region=region, department=department,
                  display_name=names.ROLES[role].zh + display)
        g.upsert_nodes("User", [{"name": name, "must_change": False}])
        enrol(g, name, now - timedelta(seconds=30))


def enrol(g: Graph, name: str, at: datetime) -> None:
    """Set up a user's authenticator the way the page does: a new secret, then its code."""
    twofactor.begin(g, name=name, key=TEST_KEY)
    phone = twofactor.authenticator(g.get("User", name), TEST_KEY, pending=True)
    twofactor.confirm(g, name=name, key=TEST_KEY, code=phone.at(at), now=at)


def authz_for(name: str) -> Authz:
    """The permission object of one of the scenario's accounts."""
    role, region, department = ACCOUNTS[name]
    return Authz(Actor(name, role, region, department))


def code_for(store: Any, name: str, key: IdKey = TEST_KEY) -> str:
    """What the user's authenticator shows now: a code not used yet ("" without one).

    Codes are good once per 30-second step; when this one's step is spent, the next step's
    code (accepted a step early) is used, or this waits for the clock to move on.
    """
    user = store.get("User", name)
    if user is None or not twofactor.enrolled(user):
        return ""
    phone = twofactor.authenticator(user, key)
    step = max(phone.timecode(datetime.now(UTC)), user.get("totp_step", -1) + 1)
    while step > phone.timecode(datetime.now(UTC)) + 1:
        time.sleep(1)
    return phone.generate_otp(step)


def token_for(store: Any, name: str, label: str = "test") -> str:
    """An API token the user makes for themselves: password and authenticator code again."""
    code = code_for(store, name)
    token = store.write(lambda tx: users.issue_token(
        tx, name=name, password=PASSWORD, code=code, key=TEST_KEY, audit_key=AUDIT_KEY,
        origin=Origin(user=name, address="127.0.0.1"), now=datetime.now(UTC), label=label))
    assert token, f"{name} was refused a token"
    return token
