"""Values in and out of the store: checked against the schema, stored alike on both engines.

Dates and datetimes travel as ISO strings (so both engines compare them the same way) and come
back as `date` / `datetime`. Every property name is checked against the schema here, before any
engine builds a query with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, NoReturn

from collab.errors import ValidationError
from collab.graph import schema
from collab.graph.schema import NodeType, RelType, T

_UID_NAMESPACE = uuid.UUID("6f1d8a52-4f0e-4a53-9a43-2f1c0b7c4e11")


@dataclass(frozen=True)
class Node:
    """A node as the store returns it: uid, label and its properties (uid not repeated)."""

    uid: str
    label: str
    props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The node's natural key value (its uid where the label has none)."""
        key = schema.label(self.label).key
        return self.uid if key == "uid" else self.props[key]

    def get(self, name: str, default: Any = None) -> Any:
        """A property value, or `default`."""
        return self.props.get(name, default)


@dataclass(frozen=True)
class Rel:
    """A relationship as the store returns it, between two uids."""

    type: str
    src: str
    dst: str
    props: Mapping[str, Any] = field(default_factory=dict)


class NodeRow(NamedTuple):
    """One node ready for an engine: key value, uid to use on create, encoded properties.

    A tuple rather than a frozen dataclass: bulk writes build one per row, and a tuple is made
    several times faster."""

    key: str
    uid: str
    props: dict[str, Any]
    explicit_uid: bool


class RelRow(NamedTuple):
    """One relationship ready for an engine: end keys and encoded properties."""

    src: str
    dst: str
    props: dict[str, Any]


def derive_uid(label: str, key: str) -> str:
    """The uid a node gets on creation when none is given: stable for (label, key)."""
    return str(uuid.uuid5(_UID_NAMESPACE, label + "\x1f" + key))


def encode_value(kind: T, name: str, value: Any) -> Any:
    """One property value in its stored form, or a ValidationError naming the property."""
    if value is None:
        return None
    ok = _ENCODERS[kind](value)
    if ok is _BAD:
        raise ValidationError(f"property {name!r} expects {kind.value}, got {value!r}")
    return ok


_BAD = object()


def _enc_str(v: Any) -> Any:
    return v if isinstance(v, str) else _BAD


def _enc_int(v: Any) -> Any:
    return v if isinstance(v, int) and not isinstance(v, bool) else _BAD


def _enc_float(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return _BAD
    return float(v)


def _enc_bool(v: Any) -> Any:
    return v if isinstance(v, bool) else _BAD


def _enc_date(v: Any) -> Any:
    if isinstance(v, datetime):
        return _BAD
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        try:
            return date.fromisoformat(v).isoformat()
        except ValueError:
            return _BAD
    return _BAD


def _enc_datetime(v: Any) -> Any:
    if isinstance(v, str):
        try:
            v = datetime.fromisoformat(v)
        except ValueError:
            return _BAD
    if not isinstance(v, datetime):
        return _BAD
    if v.tzinfo is None:
        v = v.replace(tzinfo=UTC)
    return v.astimezone(UTC).isoformat(timespec="microseconds")


def _enc_strs(v: Any) -> Any:
    if isinstance(v, list | tuple) and all(isinstance(x, str) for x in v):
        return list(v)
    return _BAD


_ENCODERS = {T.STR: _enc_str, T.INT: _enc_int, T.FLOAT: _enc_float, T.BOOL: _enc_bool,
             T.DATE: _enc_date, T.DATETIME: _enc_datetime, T.STRS: _enc_strs}


def decode_value(kind: T, value: Any) -> Any:
    """A stored value back in its Python form."""
    if value is None:
        return None
    if kind is T.DATE:
        return date.fromisoformat(value)
    if kind is T.DATETIME:
        return datetime.fromisoformat(value)
    if kind is T.FLOAT:
        return float(value)
    return value


def _encoders(props: Mapping[str, T]) -> dict[str, Any]:
    return {name: _ENCODERS[kind] for name, kind in props.items()}


_NODE_ENCODERS = {label: _encoders(schema.node_props(n)) for label, n in schema.NODES.items()}
_REL_ENCODERS = {type_: _encoders(rel.props) for type_, rel in schema.RELS.items()}


def _encode_props(encoders: Mapping[str, Any], row: Mapping[str, Any], skip: tuple[str, ...],
                  unknown: Callable[[str], NoReturn]) -> dict[str, Any]:
    """A row's properties in stored form, one dict lookup per value (bulk writes call this
    per row, so it avoids re-checking names and types through the generic path)."""
    props = {}
    for name, value in row.items():
        if name in skip:
            continue
        encode = encoders.get(name)
        if encode is None:
            unknown(name)
        if value is not None:
            ok = encode(value)
            if ok is _BAD:
                raise ValidationError(f"property {name!r} expects "
                                      f"{_KIND_OF[encode].value}, got {value!r}")
            value = ok
        props[name] = value
    return props


_KIND_OF = {fn: kind for kind, fn in _ENCODERS.items()}


def encode_node_rows(node: NodeType, rows: Iterable[Mapping[str, Any]]) -> list[NodeRow]:
    """Check and encode node rows; several rows for one key collapse to the last one."""
    out: dict[str, NodeRow] = {}
    encoders, keyed_by_uid = _NODE_ENCODERS[node.label], node.key == "uid"

    def unknown(name: str) -> NoReturn:
        schema.prop(node, name)
        raise AssertionError(name)

    for row in rows:
        props = _encode_props(encoders, row, ("uid",), unknown)
        uid = row.get("uid")
        if uid is not None and (not isinstance(uid, str) or not uid.strip()):
            raise ValidationError(f"{node.label}: uid must be a non-empty string, got {uid!r}")
        key = uid if keyed_by_uid else props.get(node.key)
        if not isinstance(key, str) or not key.strip():
            raise ValidationError(f"{node.label}: key {node.key!r} is missing or empty")
        if keyed_by_uid and uid is None:
            raise ValidationError(f"{node.label}: rows must carry a uid (the label's key)")
        out[key] = NodeRow(key, uid or derive_uid(node.label, key), props, uid is not None)
    return list(out.values())


def encode_rel_rows(rel: RelType, rows: Iterable[Mapping[str, Any]]) -> list[RelRow]:
    """Check and encode relationship rows ({"src": key, "dst": key, **props})."""
    out: dict[tuple[str, str], RelRow] = {}
    encoders = _REL_ENCODERS[rel.type]

    def unknown(name: str) -> NoReturn:
        schema.rel_prop(rel, name)
        raise AssertionError(name)

    for row in rows:
        src, dst = row.get("src"), row.get("dst")
        if not isinstance(src, str) or not isinstance(dst, str) or not src or not dst:
            raise ValidationError(f"{rel.type}: each row needs 'src' and 'dst' keys, got {row!r}")
        out[(src, dst)] = RelRow(src, dst, _encode_props(encoders, row, ("src", "dst"), unknown))
    return list(out.values())


def decode_node(label: str, uid: str, stored: Mapping[str, Any]) -> Node:
    """A stored node back as a Node with Python values; unknown stored keys are dropped."""
    node = schema.label(label)
    types = schema.node_props(node)
    props = {k: decode_value(types[k], v) for k, v in stored.items()
             if k in types and k != "uid" and v is not None}
    return Node(uid, label, props)


def updated(node: Node, changes: Mapping[str, Any]) -> Node:
    """`node` as the store will return it once `changes` are upserted on it (None removes a
    property), so a writer holding the node need not read it back."""
    kind = schema.label(node.label)
    key = node.uid if kind.key == "uid" else node.props.get(kind.key)
    [row] = encode_node_rows(kind, [{**({kind.key: key} if key is not None else {}),
                                     **changes}])
    kept = {k: v for k, v in node.props.items() if k not in row.props}
    return Node(node.uid, node.label, {**kept, **decode_node(node.label, node.uid,
                                                             row.props).props})


def decode_rel(type_: str, src: str, dst: str, stored: Mapping[str, Any]) -> Rel:
    """A stored relationship back as a Rel with Python values."""
    types = schema.rel_type(type_).props
    props = {k: decode_value(types[k], v) for k, v in stored.items()
             if k in types and v is not None}
    return Rel(type_, src, dst, props)
