"""Staff browse the audit log read-only, filtered by patient, actor, action and date."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.audit.models import AuditEvent


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
        return bool(request.user.is_active and request.user.is_staff)
