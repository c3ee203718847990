"""Staff reading a patient's rows in the admin is a disclosure like any other: it is written to
the audit log and shows on the patient's "who has seen my record" page."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from apps.audit.services import audit_read, audit_read_list, audit_record


def patient_id_of(obj: models.Model) -> int | None:
    """The patient a row is about: its `patient_id`, a patient's own user row, or the profile
    keyed by the patient."""
    patient_id = getattr(obj, "patient_id", None)
    if isinstance(patient_id, int):
        return patient_id
    label = obj._meta.label
    if label == "accounts.User" and getattr(obj, "role", None) == "patient":
        return int(obj.pk)
    if label == "accounts.PatientProfile":
        return int(obj.pk)
    return None


class AuditedReadsAdmin:
    """Mix into a ModelAdmin whose rows are about patients. Opening one row records a read of
    that patient's record; opening the list records that staff looked at the list."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response: HttpResponse = super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )
        obj = getattr(response, "context_data", {}) or {}
        original = obj.get("original") if isinstance(obj, dict) else None
        if request.method == "GET" and response.status_code == 200 and original is not None:
            patient_id = patient_id_of(original)
            if patient_id is not None:
                audit_read(
                    actor=request.user,  # type: ignore[arg-type]
                    patient_id=patient_id,
                    what=f"admin:{original._meta.model_name}",
                )
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response: HttpResponse = super().changelist_view(  # type: ignore[misc]
            request, extra_context
        )
        if request.method == "GET" and response.status_code == 200:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="audit.admin_list_viewed",
                detail={"model": self.model._meta.label_lower},  # type: ignore[attr-defined]
            )
            audit_read_list(
                actor=request.user,  # type: ignore[arg-type]
                patient_ids=shown_patient_ids(response),
                what=f"admin:{self.model._meta.model_name}",  # type: ignore[attr-defined]
            )
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response: HttpResponse = super().history_view(  # type: ignore[misc]
            request, object_id, extra_context
        )
        data = getattr(response, "context_data", None) or {}
        obj = data.get("object") if isinstance(data, dict) else None
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            patient_id = patient_id_of(obj)
            if patient_id is not None:
                audit_read(
                    actor=request.user,  # type: ignore[arg-type]
                    patient_id=patient_id,
                    what=f"admin_history:{obj._meta.model_name}",
                )
        return response


def shown_patient_ids(response: HttpResponse) -> list[int]:
    """The patients whose rows an admin list page shows (its change list's current page)."""
    data = getattr(response, "context_data", None) or {}
    change_list = data.get("cl") if isinstance(data, dict) else None
    rows = getattr(change_list, "result_list", None) or []
    return [pid for pid in (patient_id_of(row) for row in rows) if pid is not None]
