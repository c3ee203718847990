"""Staff browse the audit log read-only, filtered by patient, actor, action and date."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from apps.accounts import access
from apps.audit.admin_mixins import shown_patient_ids
from apps.audit.models import AuditEvent
from apps.audit.services import audit_read_list, audit_record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = (
        "at",
        "action",
        "actor",
        "actor_role",
        "patient",
        "target_type",
        "target_id",
        "ip",
    )
    list_filter = ("action", "actor_role", ("at", admin.DateFieldListFilter))
    search_fields = ("action", "actor__email", "patient__email", "target_id", "request_id")
    list_select_related = ("actor", "patient")
    date_hierarchy = "at"
    readonly_fields = tuple(f.name for f in AuditEvent._meta.fields)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(access.is_staff_member(request.user) and request.user.is_staff)

    # Reading the log is itself logged: who opened it, and which patients' rows were shown.
    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(actor=request.user, action="audit.log_viewed")  # type: ignore[arg-type]
            audit_read_list(
                actor=request.user,  # type: ignore[arg-type]
                patient_ids=shown_patient_ids(response),
                what="audit_log",
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        data = getattr(response, "context_data", None) or {}
        event = data.get("original") if isinstance(data, dict) else None
        if request.method == "GET" and response.status_code == 200 and event is not None:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="audit.log_viewed",
                patient=event.patient_id,
                detail={"event": event.pk},
            )
        return response
