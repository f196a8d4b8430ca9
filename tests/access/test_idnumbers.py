"""ID numbers: GB 11643 check digit, masking, keyed hash for matching, encryption, the key."""

from __future__ import annotations

import pytest

from collab.access import idnumbers
from collab.access.idnumbers import IdKey
from collab.errors import ValidationError

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
