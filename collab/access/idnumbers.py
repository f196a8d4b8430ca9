"""Resident ID numbers (身份证号, GB 11643): checked, masked, hashed for matching, encrypted.

The plain number is personal data and never reaches the database or a log: a Person carries
`id_hash` (HMAC-SHA256 under the deployment's key, so the same number always matches the same
person), `id_enc` (AES-GCM, for the roles allowed to unmask it) and `id_masked`
(530102********1234). The key is loaded by `collab.access.keys` (COLLAB_ID_KEY, or a key file
kept apart from the data); no key lives in code.

`redact` is the one masking function for free text: whatever reaches an audit field, a log
line, a page echoing a request, or a file name goes through it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from collab.errors import ConfigError, ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"\d{17}[\dX]")
_AAD = b"collab:id-number:v1"
# An 18-character run shaped like an ID number, anywhere in a text.
_IN_TEXT = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate(text: str) -> str:
    """The ID number in canonical form (upper-case X), or a ValidationError saying why not."""
    number = str(text).strip().upper()
    if not _SHAPE.fullmatch(number):
        raise ValidationError("身份证号应为18位（前17位数字，末位数字或X） / "
                              "an ID number has 18 characters: 17 digits then a digit or X")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期无效 / the birth date inside the ID number "
                              "is not a date") from None
    if check_digit(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位错误 / the ID number's check digit is wrong")
    return number


def birth_date(number: str) -> date:
    """The birth date a valid ID number carries."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def mask(number: str) -> str:
    """The number as everyone may see it: region and last four, 530102********1234."""
    return number[:6] + "*" * 8 + number[-4:]


def is_valid(text: str) -> bool:
    """Whether `text` is a valid ID number (shape, birth date and check digit)."""
    try:
        validate(text)
    except ValidationError:
        return False
    return True


def redact(text: str, alias: Callable[[str], str] | None = None) -> str:
    """`text` with every run shaped like an ID number masked (530102********1234).

    With `alias` (a keyed pseudonym, e.g. the audit key's), a valid number is also tagged
    with it (530102********1234#9f2c41d07a6e53b8), so records about one person can be found
    and told apart without the number itself being kept.
    """
    def one(m: re.Match[str]) -> str:
        masked = m.group(1) + "*" * 8 + m.group(2)
        number = m.group(0).upper()
        return masked + "#" + alias(number) if alias and is_valid(number) else masked
    if len(text) < 18:  # most values (names, codes, dates) are shorter than one number
        return text
    return _IN_TEXT.sub(one, text)


def derived(secret: bytes, what: str, *uses: bytes) -> list[bytes]:
    """One key per use, derived from a deployment's secret (HMAC-SHA256 of the use's name), so
    no two uses ever share a key."""
    if len(secret) < 32:
        raise ConfigError(f"the {what} must be at least 32 bytes")
    return [hmac.new(secret, use, hashlib.sha256).digest() for use in uses]


@dataclass(frozen=True)
class IdKey:
    """The deployment's secret, split into a matching key and an encryption key."""

    hash_key: bytes
    enc_key: bytes

    @classmethod
    def from_secret(cls, secret: bytes) -> IdKey:
        return cls(*derived(secret, "ID-number key", b"hash", b"encrypt"))

    def digest(self, number: str) -> str:
        """The keyed hash of a canonical number: equal numbers, equal hashes."""
        return hmac.new(self.hash_key, number.encode("ascii"), hashlib.sha256).hexdigest()

    def encrypt(self, number: str) -> str:
        """The number encrypted (AES-GCM), as base64 text.

        The nonce is derived from the number under the encryption key (the SIV idea): equal
        numbers encrypt alike, so re-importing a ledger changes nothing, and a nonce is never
        reused for a different number. Equality is already visible through `id_hash`.
        """
        nonce = hmac.new(self.enc_key, number.encode("ascii"), hashlib.sha256).digest()[:12]
        return self._seal(nonce, number, _AAD)

    def decrypt(self, token: str) -> str:
        """The plain number back, for the roles allowed to unmask it."""
        return self.unseal(token, purpose=_AAD)

    def seal(self, text: str, *, purpose: bytes) -> str:
        """Another secret (e.g. a two-factor key) encrypted under the same key, bound to its
        `purpose`; a random nonce, so no two sealings look alike."""
        return self._seal(secrets.token_bytes(12), text, purpose)

    def unseal(self, token: str, *, purpose: bytes) -> str:
        """The text `seal` (or `encrypt`) sealed for `purpose`."""
        raw = base64.b64decode(token)
        return AESGCM(self.enc_key).decrypt(raw[:12], raw[12:], purpose).decode("ascii")

    def _seal(self, nonce: bytes, text: str, purpose: bytes) -> str:
        return base64.b64encode(nonce + AESGCM(self.enc_key).encrypt(
            nonce, text.encode("ascii"), purpose)).decode("ascii")


def person_uid(id_hash: str) -> str:
    """A Person's uid derived from its keyed hash, so re-imports find the same person."""
    return "P-" + id_hash[:24]


def person_fields(key: IdKey, number: str) -> dict[str, str]:
    """The properties a Person stores for a valid ID number (never the number itself)."""
    digest = key.digest(number)
    return {"uid": person_uid(digest), "id_hash": digest, "id_enc": key.encrypt(number),
            "id_masked": mask(number)}
