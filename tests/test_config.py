"""One configuration object: read once from the environment, passed in, documented in full."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest
from web.client import Client, csrf_token, make_app
from web.scenario import add_accounts, build, token_for

from collab.config import Config
from collab.errors import ConfigError
from collab.graph.store import Graph, Store

ROOT = Path(__file__).resolve().parent.parent
ENV_READS = re.compile(r"os\.environ|os\.getenv|\bgetenv\(|envvar=")


def test_only_the_config_module_reads_the_environment() -> None:
    readers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "collab").rglob("*.py")
                     if ENV_READS.search(p.read_text(encoding="utf-8")))
    assert readers == ["collab/config.py"]


def _readme_settings() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`(COLLAB_[A-Z0-9_]+)`",
                                                        row.split("|")[1])}


def test_the_readme_table_lists_exactly_the_settings() -> None:
    declared = {f.metadata["env"] for f in fields(Config)}
    assert _readme_settings() == declared


def test_values_are_parsed_and_bad_ones_refused_at_start_up() -> None:
    config = Config.from_env({"COLLAB_FEEDBACK_DAYS": "12", "COLLAB_2FA_ROLES": "leader，inspector",
                              "COLLAB_SECURE_COOKIES": "yes", "COLLAB_USER": "运维.王"})
    assert (config.feedback_days, config.two_factor_roles, config.secure_cookies, config.user) \
        == (12, ("leader", "inspector"), True, "运维.王")
    assert config.sign_in_policy().two_factor_roles >= {"leader", "inspector", "audit_admin"}
    for env, said in (({"COLLAB_FEEDBACK_DAYS": "三十"}, "COLLAB_FEEDBACK_DAYS"),
                      ({"COLLAB_FEEDBACK_DAYS": "0"}, "COLLAB_FEEDBACK_DAYS"),
                      ({"COLLAB_TIMEZONE": "Mars/Olympus"}, "COLLAB_TIMEZONE"),
                      ({"COLLAB_BACKEND": "mysql"}, "COLLAB_BACKEND"),
                      ({"COLLAB_2FA_ROLES": "mayor"}, "COLLAB_2FA_ROLES"),
                      ({"COLLAB_CONFLICT_HOPS": "9"}, "conflict reach")):
        with pytest.raises(ConfigError, match=said):
            Config.from_env(env)


def test_today_is_a_date_in_the_deployments_time_zone() -> None:
    east, west = Config(timezone="Pacific/Kiritimati"), Config(timezone="Pacific/Pago_Pago")
    assert east.today() - west.today() == timedelta(days=1)  # UTC+14 and UTC-11
    assert Config().timezone == "Asia/Shanghai"


NEW = "WS-2023-0101"


def _scene(g: Graph) -> None:
    build(g)
    g.upsert_nodes("Clue", [{"no": NEW, "title": "某村集体资金去向不明", "status": "registered",
                             "registered_on": date(2023, 11, 1), "region_code": "532628107"},
                            {"no": NEW + "A", "title": "另一条线索", "status": "registered",
                             "registered_on": date(2023, 11, 1), "region_code": "532628107"}])
    add_accounts(g, ("coord",))


def test_feedback_days_hold_for_the_web_form_and_the_api_alike(store: Store) -> None:
    store.write(_scene)
    app = make_app(store, COLLAB_CONFIG=Config.from_env(feedback_days=12))
    web = Client(app)
    web.sign_in("coord")
    page = web.get(f"/clues/{NEW}/trace")
    web.post(f"/clues/{NEW}/transfer", {"csrf_token": csrf_token(page.text), "on": "2023-11-05",
                                        "department": "D532628-JW", "letter_no": "文巡移9号"})
    token = token_for(store, "coord")
    answer = app.test_client().post(f"/api/v1/clues/{NEW}A/transfers",
                                    json={"department": "D532628-JW", "letter_no": "x",
                                          "on": "2023-11-05"},
                                    headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 201
    due = date(2023, 11, 5) + timedelta(days=12)
    assert store.get("Transfer", NEW + "/1").get("feedback_due") == due
    assert store.get("Transfer", NEW + "A/1").get("feedback_due") == due
