"""The OpenAPI document at /openapi.json. Handlers read raw (possibly compressed) bodies, so
FastAPI cannot see their message types; this module declares them, with the bearer token, so
the document tells devices and test generators what each endpoint takes and gives."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from fieldkit.sync.protocol import SUPPORTED_PROTOCOLS, ErrorBody

REF = "#/components/schemas/{model}"
BEARER: dict[str, Any] = {"security": [{"bearer": []}]}
# SyncRequest: changes and records need a batch id, or HQ could not acknowledge a replay
# (422 otherwise).
BATCH_WITH_CHANGES: dict[str, Any] = {
    "allOf": [
        {
            "if": {"required": [pushed], "properties": {pushed: {"minItems": 1}}},
            "then": {"required": ["batch"], "properties": {"batch": {"type": "string"}}},
        }
        for pushed in ("changes", "records")
    ]
}
ERRORS = {
    400: "protocol_unsupported or bad_request",
    401: "unauthorized",
    403: "device_revoked or enrolment_refused",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    422: "bad_request",
    429: "busy, with Retry-After",
    503: "hq_storage_full or hq_unavailable, with Retry-After",
}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """openapi_extra for a handler whose body is `model` as JSON."""
    schema = {"$ref": REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": ERRORS[status]} for status in statuses}


def install(app: FastAPI, request_models: list[type[BaseModel]]) -> None:
    """Replace app.openapi with one that also publishes `request_models` and the token."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        _, defs = models_json_schema([(m, "validation") for m in request_models], ref_template=REF)
        components = schema.setdefault("components", {})
        found = components.setdefault("schemas", {})
        for name, definition in defs.get("$defs", {}).items():
            found.setdefault(name, definition)
        for model in request_models:
            _only_this_protocol(found[model.__name__])
        if "SyncRequest" in found:
            found["SyncRequest"].update(BATCH_WITH_CHANGES)
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]


def _only_this_protocol(schema: dict[str, Any]) -> None:
    """Messages carry any integer as `protocol`, but this server takes only the versions it
    serves (others get 400 protocol_unsupported): say so, so generated requests expect that."""
    version = schema.get("properties", {}).get("protocol")
    if version is not None:
        version["enum"] = sorted(SUPPORTED_PROTOCOLS)
