"""OpenAPI additions: the error shape on every operation that can answer with it.

drf-spectacular describes each view's success answer from its serializers; this hook adds the
answers that come from the API's shared machinery (sign-in, permissions, 404s, throttling,
validation and Idempotency-Key refusals), all in the one `Error` shape of `apps.api.errors`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer: a stable code, a message to show, and for validation "
    "errors the fields at fault.",
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "Some of the details are not right."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Validation errors only: each field with what is wrong with it.",
        },
    },
    "required": ["code", "message"],
}

DESCRIPTIONS = {
    "400": "The request is not valid: `fields` names what to correct.",
    "401": "Not signed in, or the session has ended.",
    "403": "This role may not use this endpoint.",
    "404": "Not found, or not visible to you (another patient's record is not found).",
    "422": "The Idempotency-Key was already used for a different request.",
    "429": "Too many requests: wait and try again.",
}


def _error(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            is_public = {} in operation.get("security", [])
            params = operation.get("parameters", [])
            codes = ["429"]
            if not is_public:
                codes += ["401", "403"]
            if "{" in path or any(p.get("name") == "page" for p in params):
                codes.append("404")
            if params or "requestBody" in operation or method != "get":
                codes.append("400")
            if method == "post":
                codes.append("422")
            for code in codes:
                responses.setdefault(code, _error(code))
    return result


class ErrorSerializer(serializers.Serializer[Any]):
    """For `extend_schema(responses={404: NOT_FOUND_IN_BODY})`: an error an operation answers
    beyond the shared ones. Its component is replaced by ERROR_SCHEMA above (same shape)."""

    code = serializers.CharField()
    message = serializers.CharField()


# A POST whose body names an object (a patient) that is not the caller's to see: 404, as for a
# path, so an app cannot tell another patient's id from one that does not exist.
NOT_FOUND_IN_BODY = OpenApiResponse(
    ErrorSerializer,
    description="The patient named in the body is not one you may see (or does not exist).",
)
