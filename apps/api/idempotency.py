"""`Idempotency-Key` for every POST: an app on a weak signal may send the same request again and
gets the first answer back, with nothing done twice.

The first request stores a row keyed by (user, key) *in the same transaction* as the work it
does, so the work and the remembered answer commit together or not at all. A second request with
the same key waits on the unique index while the first is in flight, then replays the stored
answer. Refusals (4xx) change nothing and are not remembered, so a corrected retry can succeed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A value unique to this action, chosen by the app (a UUID works well). Sending the same "
        "request again with the same key returns the first answer and changes nothing twice."
    ),
)

F = TypeVar("F", bound=Callable[..., Response])


class KeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used for a different request."


class _Refused(Exception):  # noqa: N818 (a control-flow signal, not an error)
    def __init__(self, response: Response) -> None:
        self.response = response


def fingerprint(request: Request) -> str:
    """The request as sent: method, path and body bytes (the parsed body when a form was
    already read, for example by the CSRF check of a browser session)."""
    try:
        body: bytes = request.body
    except RawPostDataException:
        body = json.dumps(request.data, sort_keys=True, default=str).encode()
    digest = hashlib.sha256(f"{request.method}\n{request.path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _replay(stored: IdempotentRequest, fp: str) -> Response:
    if stored.fingerprint != fp or stored.status_code is None:
        raise KeyReused()
    response = Response(stored.body, status=stored.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler: F) -> F:
    """Wrap an APIView's `post`. Without the header the request runs as usual."""

    @wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise exceptions.ValidationError(
                {HEADER: [f"Use at most {MAX_KEY_LENGTH} printable characters."]}
            )
        fp = fingerprint(request)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotentRequest.objects.create(
                            user=request.user, key=key, fingerprint=fp
                        )
                except IntegrityError:
                    stored = IdempotentRequest.objects.get(user=request.user, key=key)
                    return _replay(stored, fp)
                response = handler(view, request, *args, **kwargs)
                if response.status_code >= 400:
                    raise _Refused(response)
                record.status_code = response.status_code
                record.body = response.data
                record.save(update_fields=["status_code", "body", "updated_at"])
        except _Refused as refused:
            return refused.response
        return response

    wrapper.is_idempotent = True  # type: ignore[attr-defined]
    return cast(F, wrapper)
