"""Schemathesis against the live server's /openapi.json: requests generated from the
published schema (valid and deliberately invalid) never get a 5xx, and every answer matches
the schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from fieldkit.domain.ids import new_id
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ

EXAMPLES = int(os.environ.get("HQ_FUZZ_EXAMPLES", "40"))


def test_generated_requests_get_no_server_errors(hq: RunningHQ, enrol: DeviceFactory) -> None:
    device = enrol("Fuzzer")
    device.push([device.change("facility", new_id(), "name", "Planta")])
    headers = {"Authorization": device.http.headers["Authorization"]}
    schema = schemathesis.openapi.from_url(hq.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} == {
        "GET /v1/health",
        "POST /v1/enrol",
        "POST /v1/sync",
        "HEAD /v1/blobs/{sha256}",
        "PATCH /v1/blobs/{sha256}",
        "GET /v1/blobs/{sha256}",
        "GET /v1/directory",
        "GET /v1/device/orders",
        "POST /v1/device/wiped",
        "POST /v1/device/travel/return",
    }
    for operation in operations:
        # Messages parse as pydantic's lax mode does on both sides (`"cursor": "5"` is 5), so
        # some schema-invalid bodies are rightly accepted: only invalid *answers* count here.
        excluded = [negative_data_rejection]
        if operation.method.upper() == "PATCH":
            # A PATCH the schema allows can still be refused for its content (a chunk past
            # its length, bytes that miss their hash): HQ's 400 there is right.
            excluded.append(positive_data_acceptance)
        if operation.label in ("POST /v1/device/wiped", "POST /v1/device/travel/return"):
            # A well-formed nonce or sealed list HQ never issued is refused (400), rightly.
            excluded.append(positive_data_acceptance)
        modes = [GenerationMode.POSITIVE]
        if operation.label != "GET /v1/health":  # nothing in it to make invalid
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            _fuzz(operation, mode, hq.url, headers, excluded)


def _fuzz(
    operation: Any, mode: GenerationMode, url: str, headers: dict[str, str], excluded: list[Any]
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(base_url=url, headers=headers, excluded_checks=excluded)

    try:
        run()
    except Exception as error:
        pytest.fail(f"{operation.label} ({mode.value}): {error}")
