"""One shape for every API error: {"code", "message", "fields"?}.

`code` is a stable machine-readable word, `message` plain English to show a person, and `fields`
(validation errors only) names each field with what is wrong with it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.core.exceptions import ServiceError

MESSAGES = {
    "not_authenticated": "Sign in to continue.",
    "authentication_failed": "Your sign-in has ended. Please sign in again.",
    "permission_denied": "You do not have permission to do that.",
    "not_found": "Not found.",
    "method_not_allowed": "This address does not accept that request.",
    "not_acceptable": "This address answers in JSON only.",
    "unsupported_media_type": "Send JSON.",
    "throttled": "Too many requests. Please wait a moment and try again.",
    "parse_error": "The request body could not be read.",
    "invalid": "Some of the details are not right.",
}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub": [messages]}."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            found[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                found.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        found[prefix or "non_field_errors"] = [str(detail)]
    return found


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, then the portal's shape. A ServiceError (a rule refused the action) is a 400
    with the service's own message, naming the field when the service did."""
    if isinstance(exc, ServiceError):
        fields = {exc.field: [exc.message]} if exc.field else None
        return Response(error_body("refused", exc.message, fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 handling and logging take over
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        general = fields.pop("non_field_errors", None)
        message = general[0] if general else MESSAGES["invalid"]
        response.data = error_body("invalid", message, fields)
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    if isinstance(exc, exceptions.APIException):
        code = exc.default_code if isinstance(exc.default_code, str) else "error"
        # A reason given where the error was raised (the session rules: two-factor sign-in,
        # the safety messages, an ended session) is kept; DRF's stock wording is replaced.
        detail = str(exc.detail)
        custom = detail != str(exc.default_detail)
        message = detail if custom else (MESSAGES.get(code) or detail)
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            message = f"{MESSAGES['throttled']} Try again in {int(wait) + 1} seconds."
        response.data = error_body(code, message)
    return response
