"""schemathesis against the app's own OpenAPI document, with a signed-in API token.

The document is read from the app (/api/v1/openapi.json) through schemathesis's WSGI
integration, and every operation is called with generated parameters, valid and invalid:
no answer may be a 5xx, and every answer must match what the document declares (status,
content type, body schema). Bounded (`EXAMPLES` per operation) and derandomized, so a run is
the same every time. A request the document calls well formed may still be refused by a rule a
schema cannot state (a joint check needs a unit or tasks; a step out of order; dates before the
last step): it answers 400 with the reason, so schemathesis's "valid data is accepted" check is
left out; every other check holds.
"""

from __future__ import annotations

from itertools import product

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from web.scenario import token_for

from collab.graph.sqlite_engine import SqliteStore

EXAMPLES = 40


def test_no_operation_of_the_api_breaks_its_document(fresh_app: Flask,
                                                     fresh: SqliteStore) -> None:
    token = token_for(fresh, "prov", "fuzz")
    bearer = {"Authorization": "Bearer " + token}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fresh_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    calls, tried = [], 0
    for operation, mode in product(operations, GenerationMode):
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            response = case.call_and_validate(headers=bearer,
                                              excluded_checks=[positive_data_acceptance])
            calls.append(response.status_code)
            assert response.status_code < 500

        try:
            call()
            tried += 1
        except Unsatisfiable:  # every string is a valid label or key: no invalid call exists
            if mode is GenerationMode.POSITIVE:
                raise
    print(f"API fuzz: {tried} operation × mode runs, {len(calls)} calls, "
          f"statuses {sorted(set(calls))}")
    assert tried > len(operations) and len(calls) >= tried
