"""Password hashes and rules: short, common, simple and easy-to-guess passwords are refused
with the reason (item 8 of issue 16: `Aa123456789`, `1qaz@WSX3edc`, `Huawei@123` and
`Passw0rd!x` passed before)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collab.access import passwords, users
from collab.access.authz import Role
from collab.access.passwords import WeakPassword
from collab.graph.store import Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
GOOD = "Lan-Cang-2026"


@pytest.mark.parametrize("password", ["12345678", "Admin@123", "Abc-123", "wang.fang-2026X",
                                      "Password123!", "abcdefghijkl", "P@ssw0rd",
                                      # long and mixed enough, refused only by the bundled list
                                      "1Qaz2wsx3edc", "1Q2w3e4r5t6y", "123456789Qwerty"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        passwords.check_rules(password, name="wang.fang")


# What the probe found accepted, each with the reason the estimator now gives.
GUESSABLE = {
    "Aa123456789": "built on a common password",
    "1qaz@WSX3edc": "built on a common password",  # a keyboard walk every cracker tries
    "Huawei@123": "built on a common word or name",
    "Passw0rd!x": "built on a common password",
    "Qwerty#Asdf9": "built on a common password",
    "Yhnujm,Ki8": "keyboard pattern",
    "Abcdefg!2345": "sequence",
    "Jiwei@2026abc": "your own name or user name, or your organisation's",
}


@pytest.mark.parametrize(("password", "why"), GUESSABLE.items())
def test_guessable_passwords_are_refused_and_the_message_says_why(password: str,
                                                                  why: str) -> None:
    with pytest.raises(WeakPassword) as refused:
        passwords.check_rules(password, name="wang.fang")
    assert why in str(refused.value)
    assert password not in str(refused.value)  # the reason, never the password back


def test_the_persons_and_organisations_names_are_words_a_guesser_tries(
        store: Store) -> None:
    """`Funing#Jiwei9` is strong for a stranger, weak for the 富宁县纪委监委 liaison."""
    store.upsert_nodes("Region", [{"code": "532628", "name": "富宁县", "level": "county"}])
    store.upsert_nodes("Department", [{"code": "D532628-JW", "name": "富宁县纪委监委",
                                       "region_code": "532628"}])
    passwords.check_rules("Funing#Jiwei9", name="someone.else")
    with pytest.raises(WeakPassword, match="organisation"):
        store.write(lambda tx: users.add(tx, authz=None, name="li.lian", password="Funing#Jiwei9",
                                         now=T0, role=Role.LIAISON, department="D532628-JW",
                                         display_name="李联"))
    with pytest.raises(WeakPassword, match="own name"):
        store.write(lambda tx: users.add(tx, authz=None, name="li.lian", password="Lilian@2026x",
                                         now=T0, role=Role.LIAISON, department="D532628-JW",
                                         display_name="李莲"))
    assert store.get("User", "li.lian") is None
    store.write(lambda tx: users.add(tx, authz=None, name="li.lian", password=GOOD, now=T0,
                                     role=Role.LIAISON, department="D532628-JW",
                                     display_name="李联"))


def test_the_deployments_own_words_count_too() -> None:
    passwords.check_rules("Kunyu@2026x", name="x.y")
    with pytest.raises(WeakPassword, match="organisation"):
        passwords.check_rules("Kunyu@2026x", name="x.y",
                              words=passwords.own_words(["昆玉"]))


def test_generated_passwords_pass() -> None:
    for _ in range(50):
        passwords.check_rules(passwords.generate_password(), name="wang.fang")


def test_hashes_are_salted_and_checked() -> None:
    a, b = passwords.hash_password(GOOD), passwords.hash_password(GOOD)
    assert a != b and GOOD not in a
    assert passwords.check_password(a, GOOD) and not passwords.check_password(a, GOOD + "x")
    assert not passwords.check_password(None, GOOD)
    assert not passwords.check_password("junk", GOOD)
