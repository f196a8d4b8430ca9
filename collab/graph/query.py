"""The one place where query text is put together.

Cypher and SQL cannot take labels, types or property names as parameters, so they are written
into the text, through `compose` only: its slots take names the schema declares (or the
engines' own fixed names), whole numbers, and `Fragment`s that `compose` itself made. Values
never pass through here: they travel as query parameters.
"""

from __future__ import annotations

import re

from collab.errors import SchemaError
from collab.graph import schema

_SLOT = re.compile(r"<<(\w+)>>")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names the engines use besides the schema's own: the common node label and index names.
_ENGINE_NAMES = frozenset({"Node", "uid"})


def _vocabulary() -> frozenset[str]:
    names = set(_ENGINE_NAMES) | set(schema.NODES) | set(schema.RELS) | set(schema.COMMON_PROPS)
    for node in schema.NODES.values():
        names.update(node.props)
    for rel in schema.RELS.values():
        names.update(rel.props)
    return frozenset(names)


VOCABULARY = _vocabulary()


def identifier(name: str) -> str:
    """`name` if it is a schema name (or an index name built from them), else a SchemaError."""
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise SchemaError(f"not an identifier: {name!r}")
    parts = name.split("__")
    if name not in VOCABULARY and not (len(parts) > 1 and all(p in VOCABULARY for p in parts[1:])):
        raise SchemaError(f"{name!r} is not a name the schema declares")
    return name


class Fragment(str):
    """Query text made only from literal templates, checked names, numbers and fragments."""


def _slot_text(value: str | int | Fragment) -> str:
    if isinstance(value, Fragment):
        return value
    if isinstance(value, bool):
        raise SchemaError(f"a query slot takes a name, a whole number or a fragment, not "
                          f"{value!r}")
    if isinstance(value, int):
        return str(value)
    return identifier(value)


def compose(template: str, **slots: str | int | Fragment) -> Fragment:
    """Fill the `<<slot>>`s of a literal query template."""
    checked = {slot: _slot_text(value) for slot, value in slots.items()}

    def fill(match: re.Match[str]) -> str:
        try:
            return checked[match.group(1)]
        except KeyError:
            raise SchemaError(f"query template slot {match.group(1)!r} was not given") from None

    return Fragment(_SLOT.sub(fill, template))


def join(separator: str, fragments: list[Fragment]) -> Fragment:
    """Fragments joined by a literal separator (" AND ", "|")."""
    if not all(isinstance(f, Fragment) for f in fragments):
        raise SchemaError("only composed fragments can be joined into a query")
    return Fragment(separator.join(fragments))


def index_name(prefix: str, *names: str) -> str:
    """A fixed, readable index or constraint name such as `ix__Issue__category`."""
    return identifier("__".join((prefix, *names)))
