"""Staff manage accounts and care teams here. Care links change through the portal's services
(invitations, consents, reassignment), so those models are read-only in the admin."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from apps.accounts import access, services
from apps.accounts.models import Invitation, PatientProfile, SupervisorConsent, User
from apps.audit.admin_mixins import AuditedReadsAdmin
from apps.core.exceptions import ServiceError


def _is_staff_role(request: HttpRequest) -> bool:
    # The role question is access.py's; is_staff is Django's own gate to the admin site.
    return bool(access.is_staff_member(request.user) and request.user.is_staff)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff (the role, not Django's model permissions) may look; nobody edits here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff_role(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_role(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedReadsAdmin, ReadOnlyAdmin):
    list_display = ("email", "full_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    fields = (
        "email",
        "full_name",
        "preferred_name",
        "role",
        "time_zone",
        "is_clinical_lead",
        "is_active",
        "last_login",
        "date_joined",
    )
    actions = ("make_clinical_lead", "remove_clinical_lead")

    def _set_lead(self, request: HttpRequest, queryset: QuerySet[User], is_lead: bool) -> None:
        done = 0
        for user in queryset:
            try:
                services.clinical_lead_set(
                    actor=request.user,  # type: ignore[arg-type]
                    user=user,
                    is_lead=is_lead,
                )
            except ServiceError as exc:
                self.message_user(request, f"{user.email}: {exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"Updated {done} account(s).", messages.SUCCESS)

    @admin.action(description="Make clinical lead (may change clinical thresholds)")
    def make_clinical_lead(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_lead(request, queryset, True)

    @admin.action(description="Remove clinical lead")
    def remove_clinical_lead(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_lead(request, queryset, False)


@admin.register(PatientProfile)
class PatientProfileAdmin(AuditedReadsAdmin, ReadOnlyAdmin):
    list_display = ("patient_name", "responsible_clinician_name", "reassign")
    list_select_related = ("user", "responsible_clinician")
    search_fields = ("user__full_name", "user__email")

    @admin.display(description="Patient")
    def patient_name(self, obj: PatientProfile) -> str:
        return obj.user.full_name

    @admin.display(description="Responsible clinician")
    def responsible_clinician_name(self, obj: PatientProfile) -> str:
        return obj.responsible_clinician.full_name

    @admin.display(description="")
    def reassign(self, obj: PatientProfile) -> str:
        url = reverse("accounts:patient-reassign", args=[obj.pk])
        return format_html('<a href="{}">Change clinician</a>', url)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "email", "role", "status", "expires_at", "created_at")
    list_filter = ("role", "status")
    search_fields = ("email", "full_name")
    exclude = ("nonce",)


@admin.register(SupervisorConsent)
class SupervisorConsentAdmin(AuditedReadsAdmin, ReadOnlyAdmin):
    list_display = (
        "patient_name",
        "supervisor_name",
        "status",
        "starts_at",
        "expires_at",
        "confirmed_at",
        "revoked_at",
    )
    list_filter = ("status",)
    list_select_related = ("patient",)
    search_fields = ("patient__full_name", "supervisor_name")

    @admin.display(description="Patient")
    def patient_name(self, obj: SupervisorConsent) -> str:
        return obj.patient.full_name


@admin.register(AccessAttempt)
class LockoutAdmin(ReadOnlyAdmin):
    """Sign-in lockouts (after repeated wrong passwords). Staff can lift one when the person has
    been checked, for example by phone."""

    list_display = ("username", "ip_address", "failures_since_start", "attempt_time")
    search_fields = ("username", "ip_address")
    fields = ("username", "ip_address", "failures_since_start", "attempt_time")
    actions = ("unlock",)

    @admin.action(description="Lift the lockout for the selected sign-ins")
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        count = services.lockouts_clear(
            actor=request.user,  # type: ignore[arg-type]
            attempt_ids=list(queryset.values_list("pk", flat=True)),
        )
        messages.success(request, f"{count} lockout(s) lifted.")
