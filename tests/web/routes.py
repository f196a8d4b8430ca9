"""Every route of the app as a concrete URL, and every parameter the app reads.

Tests that try something on "every route" or "every parameter" take them from here, so a new
route or a new parameter is tried without anyone remembering to add it: routes come from the
app's URL map, query parameters from the views' source, form fields from the form classes and
API arguments from the OpenAPI document.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter
from wtforms.fields.core import UnboundField

from collab.graph import schema
from collab.graph.store import Store
from collab.web import forms

WEB = Path(__file__).resolve().parents[2] / "collab" / "web"
# A value for each path argument that names something in the scenario (tests/web/scenario.py).
SAMPLE = {"label": "Clue", "key": "XS-2023-0001", "no": "XS-2023-0001", "name": "coord",
          "transfer_no": "XS-2023-0001/1", "filename": "css/collab.css", "fmt": "csv",
          "code": "D532628-JW", "uid": "no-such-token", "kind": "clues",
          "figure": "clues_transferred", "sha256": "a" * 64}
BY_ENDPOINT = {"exports.download": {"name": "clues"}, "checks.show": {"no": "JC-0001"},
               "checks.advance": {"no": "JC-0001"}, "checks.assign": {"no": "JC-0001"},
               "checks.finding": {"no": "JC-0001"}, "api.file_case": {"no": "XS-2023-0001/1"},
               "pick.choices": {"kind": "department"}}
# Where the code lives: an answer naming these paths leaks the deployment's layout.
ROOT_MARKERS = (str(WEB.parents[1]), "/collab/web/", "/collab/graph/")
# Bookkeeping that any request may write (audit, sessions, guards); everything else is data.
BOOKKEEPING = frozenset({"User", "LoginSession", "ApiToken", "AddressGuard", "AuditRecord",
                         "AuditHead", "HealthProbe"})
_READS = re.compile(r"""(?:args\.get(?:list)?|_number|_names|asked)\(\s*["'](\w+)["']""")


def rules(app: Flask, method: str) -> list[Rule]:
    """The app's rules answering `method`, static files included."""
    return sorted((r for r in app.url_map.iter_rules() if method in (r.methods or ())),
                  key=lambda r: r.rule)


def free_args(rule: Rule) -> list[str]:
    """The path arguments of `rule` that take any text (not a fixed choice)."""
    return [a for a in sorted(rule.arguments)
            if not isinstance(rule._converters[a], AnyConverter)]


def url(app: Flask, rule: Rule, query: dict[str, str] | None = None, **values: str) -> str:
    """`rule` as a URL: scenario values for its path, `values` overriding them, then `query`."""
    filled = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        default = sorted(converter.items)[0] if isinstance(converter, AnyConverter) else \
            BY_ENDPOINT.get(rule.endpoint, {}).get(arg, SAMPLE[arg])
        filled[arg] = values.get(arg, default)
    method = "POST" if "POST" in (rule.methods or ()) else "GET"
    path = app.url_map.bind("localhost").build(rule.endpoint, filled, method=method)
    return path + ("?" + urlencode(query) if query else "")


def query_params(app: Flask) -> list[str]:
    """Every query parameter a view or the API reads."""
    names = set()
    for source in list(WEB.glob("*.py")) + list((WEB / "templates").rglob("*.html")):
        names.update(_READS.findall(source.read_text(encoding="utf-8")))
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path in spec["paths"].values():
        for operation in (op for method, op in path.items() if method != "parameters"):
            names.update(p["name"] for p in operation.get("parameters", [])
                         if p["in"] == "query")
    return sorted(names)


def form_fields() -> list[str]:
    """Every field of every form the app accepts (file fields included)."""
    names = set()
    for cls in vars(forms).values():
        if isinstance(cls, type) and issubclass(cls, forms.FlaskForm):
            for klass in cls.__mro__:
                names.update(k for k, v in vars(klass).items() if isinstance(v, UnboundField))
    return sorted(names)


def data_counts(store: Store) -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type, leaving out the bookkeeping."""
    counts = store.counts()
    kept = {t for t, rel in schema.RELS.items()
            if not any({a, b} & BOOKKEEPING for a, b in rel.pairs)}
    return {"nodes": {k: v for k, v in counts["nodes"].items() if k not in BOOKKEEPING},
            "rels": {k: v for k, v in counts["rels"].items() if k in kept}}
