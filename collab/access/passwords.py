"""Passwords: salted scrypt hashes, and the rules a new password must pass.

Besides length, character classes and the bundled list of common passwords, a password must
be hard to guess by the estimate of zxcvbn (Dropbox's estimator, Python port), which knows
keyboard walks (1qaz@WSX), dates and years, sequences, repeats, common words and names and
their l33t spellings, and is told the person's own words too: their user name, their name
(and its pinyin), their department and region, and the deployment's organisation names
(COLLAB_PASSWORD_WORDS). A refusal says why, in the reader's language.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin
from zxcvbn import zxcvbn

from collab.errors import N_, ValidationError

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
# The 10,000 most common passwords and common Chinese ones (scripts/common-passwords.py).
_COMMON = frozenset(
    line for line in Path(__file__).with_name("common-passwords.txt")
    .read_text(encoding="utf-8").split("\n") if line and not line.startswith("#"))
# zxcvbn's score 4: at least 10^10 guesses, "very unguessable" even offline at a slow hash.
MIN_GUESSES_LOG10 = 10.0
# zxcvbn's work grows with the length; what follows the first 100 characters adds strength
# it does not need to measure.
_ESTIMATED = 100
# Words of the domain and of this product, refused as a password's base everywhere.
DOMAIN_WORDS = ("collab", "xuncha", "jiwei", "jijian", "jianwei", "zuzhibu", "zhengfa",
                "yunnan", "dangwei", "zhengfu", "gongan", "shenji", "caizheng")

# Why a password is easy to guess, by the kind of pattern zxcvbn found in it.
_WHY = {
    "passwords": N_("that password is too easy to guess: it is built on a common password"),
    "user_inputs": N_("that password is too easy to guess: it is built on your own name or "
                      "user name, or your organisation's"),
    "dictionary": N_("that password is too easy to guess: it is built on a common word or "
                     "name"),
    "spatial": N_("that password is too easy to guess: it holds a keyboard pattern (like "
                  "1qaz or asdf)"),
    "repeat": N_("that password is too easy to guess: it repeats characters or words"),
    "sequence": N_("that password is too easy to guess: it holds a sequence (like abc or "
                   "123)"),
    "date": N_("that password is too easy to guess: it holds a date or a year"),
    "regex": N_("that password is too easy to guess: it holds a date or a year"),
}
_SHORT = N_("that password is too easy to guess: make it longer, with words nobody would "
            "link to you")


class WeakPassword(ValidationError):
    """A password the rules refuse."""


def hash_password(password: str) -> str:
    """A salted scrypt hash, with its parameters, as one string."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the stored hash (constant time; False for no hash)."""
    try:
        _, salt, digest = (stored or "scrypt$$").split("$")
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), **_SCRYPT)
    except ValueError:
        return False
    return bool(expected) and hmac.compare_digest(expected, got)


def own_words(texts: Iterable[str | None]) -> list[str]:
    """The words of names as a guesser would try them: as written, its parts, and Chinese in
    pinyin, whole and two syllables at a time (富宁县纪委 → funing, jiwei, …)."""
    words: list[str] = []
    for text in texts:
        if not text:
            continue
        words += [text.lower(), *(part for part in text.lower().replace("-", ".").split(".")
                                  if len(part) > 2)]
        syllables = lazy_pinyin(text)
        if "".join(syllables) != text:
            words += ["".join(syllables),
                      *("".join(pair) for pair in zip(syllables, syllables[1:], strict=False))]
    return list(dict.fromkeys(words))


def _weakest(sequence: list[Mapping[str, Any]]) -> str:
    """The reason of the pattern that gives most of the password away."""
    for match in sorted(sequence, key=lambda m: -len(m.get("token", ""))):
        pattern = match.get("pattern")
        if pattern == "dictionary":
            name = match.get("dictionary_name")
            return _WHY["passwords" if name == "passwords" else
                        "user_inputs" if name == "user_inputs" else "dictionary"]
        if pattern in _WHY:
            return _WHY[pattern]
    return _SHORT


def check_rules(password: str, *, name: str = "", words: Iterable[str] = (),
                min_length: int = 10) -> None:
    """Refuse a password that is short, common, simple, made of the user name, or easy to
    guess with the person's and the organisation's own words; the message says why."""
    lowered = password.lower()
    classes = sum(any(test(c) for c in password)
                  for test in (str.islower, str.isupper, str.isdigit,
                               lambda c: not c.isalnum()))
    if len(password) < min_length:
        raise WeakPassword(N_("a password needs at least %(least)d characters"),
                           least=min_length)
    if lowered in _COMMON or lowered.rstrip("!@#.0123456789") in _COMMON:
        raise WeakPassword(N_("that password is too common"))
    if name and name.lower() in lowered:
        raise WeakPassword(N_("a password may not contain the user name"))
    if classes < 3:
        raise WeakPassword(N_("a password needs three of: lower case, upper case, digits, "
                              "symbols"))
    given = [*own_words([name]), *words, *DOMAIN_WORDS]
    estimate = zxcvbn(password[:_ESTIMATED], user_inputs=given)
    if estimate["guesses_log10"] < MIN_GUESSES_LOG10:
        raise WeakPassword(_weakest(estimate["sequence"]))


def generate_password() -> str:
    """A random password that passes the rules (for accounts created from the console)."""
    while True:
        candidate = "".join((secrets.token_urlsafe(12), "-", secrets.choice("23456789"),
                             secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ"),
                             secrets.choice("abcdefghijkmnpqrstuvwxyz")))
        try:
            check_rules(candidate)
        except WeakPassword:
            continue
        return candidate
