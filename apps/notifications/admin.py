"""Staff see every delivery, filter the failed ones, and send them again. Content is never shown
here (rows hold ids only); sending again goes through the service, which audits it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.exceptions import ServiceError
from apps.notifications import services
from apps.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = (
        "pk",
        "kind",
        "channel",
        "status",
        "attempts",
        "last_error",
        "not_before",
        "sent_at",
        "created_at",
    )
    list_filter = ("status", "channel", "notification__kind")
    list_select_related = ("notification",)
    search_fields = ("=notification__event_key", "=pk")
    readonly_fields = tuple(f.name for f in Delivery._meta.fields)
    actions = ("retry",)
    show_full_result_count = False

    @admin.display(description="Kind")
    def kind(self, obj: Delivery) -> str:
        return obj.notification.kind

    @admin.action(description="Send the selected failed deliveries again")
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        done = 0
        for delivery in queryset.filter(status=Delivery.Status.FAILED):
            try:
                services.delivery_retry(actor=request.user, delivery=delivery)  # type: ignore[arg-type]
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} deliveries queued to send again.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)
