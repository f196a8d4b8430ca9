"""ID numbers: GB 11643 check digit, masking, keyed hash for matching, encryption, the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from collab.access import idnumbers
from collab.access.idnumbers import IdKey
from collab.config import Config
from collab.errors import ConfigError, ValidationError

KEY = IdKey.from_secret(b"id-number-tests-secret-of-32-bytes")


def test_the_check_digit_follows_gb_11643() -> None:
    assert idnumbers.check_digit("11010519491231002") == "X"
    assert idnumbers.validate("11010519491231002x") == "11010519491231002X"
    with pytest.raises(ValidationError, match="check digit"):
        idnumbers.validate("110105194912310021")
    with pytest.raises(ValidationError, match="birth date"):
        idnumbers.validate("110105194913310021")
    with pytest.raises(ValidationError, match="18 characters"):
        idnumbers.validate("11010519491231")


def test_masking_shows_region_and_last_four() -> None:
    assert idnumbers.mask("530102198001011237") == "530102********1237"


def test_the_keyed_hash_matches_equal_numbers_and_depends_on_the_key() -> None:
    other = IdKey.from_secret(b"another-secret-another-secret-32b")
    number = "530102198001011237"
    assert KEY.digest(number) == KEY.digest(number) != other.digest(number)
    fields = idnumbers.person_fields(KEY, number)
    assert fields["uid"] == "P-" + KEY.digest(number)[:24]
    assert number not in str(fields)
    assert KEY.decrypt(fields["id_enc"]) == number


def test_the_key_comes_from_the_environment_or_a_file(tmp_path: Path) -> None:
    assert Config.from_env({"COLLAB_ID_KEY": "ab" * 32}).load_key().digest("1") == \
        IdKey.from_secret(bytes.fromhex("ab" * 32)).digest("1")
    path = tmp_path / "id.key"
    path.write_text("cd" * 32, encoding="ascii")
    assert Config.from_env({"COLLAB_KEY_FILE": str(path)}).load_key().digest("1") == \
        IdKey.from_secret(bytes.fromhex("cd" * 32)).digest("1")
    with pytest.raises(ConfigError, match="missing"):
        Config.from_env({"COLLAB_KEY_FILE": str(tmp_path / "missing")}).load_key()
    with pytest.raises(ConfigError):
        idnumbers.load_key(secret="short")


def test_a_default_key_file_is_created_once_with_private_mode(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = idnumbers.ensure_default_key()
    path = tmp_path / idnumbers.DEFAULT_KEY_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert idnumbers.ensure_default_key().digest("1") == first.digest("1")
