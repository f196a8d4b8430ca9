"""Region subtrees are code prefixes."""

import pytest

from collab.access.regions import subtree_prefix, within
from collab.errors import ValidationError


@pytest.mark.parametrize("code, prefix", [
    ("530000", "53"), ("532600", "5326"), ("530100", "5301"), ("532628", "532628"),
    ("530102", "530102"), ("532628107", "532628107"), ("532628107000", "532628107"),
    ("532628107201", "532628107201"),
])
def test_subtree_prefix(code: str, prefix: str) -> None:
    assert subtree_prefix(code) == prefix


def test_within() -> None:
    assert within("532628107201", "532600")
    assert within("532600", "532600")
    assert not within("530600", "532600")
    assert not within(None, "530000")
    for bad in ("5326", "云南", "53260a", ""):
        with pytest.raises(ValidationError):
            subtree_prefix(bad)
