"""schemathesis against the app's own OpenAPI document: generated requests (valid and not) to
every /api/v1 operation, made as the demo owner, never get a 5xx, and every answer matches the
documented status codes, content types and response schemas.

One test per operation (the same route table the permission matrix uses, less the live feed);
examples are capped so the whole run stays around a minute per database.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from admin_api.api import PREFIX
from tests.admin_api.conftest import World
from tests.admin_api.test_permissions import ROUTES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 4
#: The live feed never ends by design and schemathesis reads whole responses, so a valid call
#: would hang; its answers are checked by the permission matrix and tests/admin_api/test_live.py.
ENDLESS = {("GET", "/live")}
CHECKED = [route for route in ROUTES if route not in ENDLESS]


@pytest.mark.usefixtures("served")  # the sandbox posts real webhooks to PUBLIC_BASE_URL
@pytest.mark.parametrize(("method", "path"), CHECKED, ids=[f"{m} {p}" for m, p in CHECKED])
def test_operation_conforms_to_its_schema(
    app: FastAPI, world: World, method: str, path: str
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operation = schema[PREFIX + path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=world.headers["owner"], checks=CHECKS)

    check()
