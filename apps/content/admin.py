"""Staff edit help content and publish safety messages here. Every change goes through the
services, so it is audited and each published FAQ wording is kept. Acknowledgements, kept
versions and card issues are records: read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts import access
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.audit.admin_mixins import AuditedReadsAdmin
from apps.content import selectors, services
from apps.content.forms import FaqEntryAdminForm, SafetyVersionForm
from apps.content.models import (
    AlertCardIssue,
    FaqCategory,
    FaqEntry,
    FaqEntryVersion,
    SafetyAcknowledgement,
    SafetyMessageVersion,
)
from apps.core.exceptions import ServiceError


def _is_staff(request: HttpRequest) -> bool:
    return access.is_staff_member(request.user)


class StaffAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Clinic staff (the staff role) manage content; there are no per-model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # unpublish instead: patients may have read it


class RecordAdmin(StaffAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _save_through_service(
    request: HttpRequest, form: ModelForm[Any], call: Any, obj: Any, change: bool
) -> None:
    try:
        saved = call(
            actor=request.user,
            **{
                name: form.cleaned_data[name]
                for name in (form.changed_data if change else form.cleaned_data)
            },
        )
    except ServiceError as exc:
        # The admin has already validated the form; a rule refused it. Say why, change nothing.
        messages.error(request, exc.message)
        raise PermissionDenied(exc.message) from None
    obj.pk = saved.pk
    obj.refresh_from_db()


@admin.register(FaqCategory)
class FaqCategoryAdmin(StaffAdmin):
    list_display = ("title", "slug", "audience", "language", "order")
    list_filter = ("audience", "language")
    fields = ("title", "slug", "audience", "language", "order")

    def save_model(
        self, request: HttpRequest, obj: FaqCategory, form: ModelForm[FaqCategory], change: bool
    ) -> None:
        existing = FaqCategory.objects.get(pk=obj.pk) if change else None
        _save_through_service(
            request,
            form,
            lambda **kw: services.faq_category_save(category=existing, **kw),
            obj,
            change,
        )


class FaqEntryVersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FaqEntryVersion
    fk_name = "entry"
    extra = 0
    can_delete = False
    fields = ("version", "published_at", "published_by", "question", "reviewed_by", "reviewed_at")
    readonly_fields = fields
    verbose_name_plural = _("Published versions (kept for the record)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff(request)


@admin.register(FaqEntry)
class FaqEntryAdmin(StaffAdmin):
    form = FaqEntryAdminForm
    list_display = (
        "question",
        "category",
        "audience",
        "language",
        "status",
        "version",
        "next_review_due",
    )
    list_filter = ("status", "audience", "language", "category")
    list_select_related = ("category",)
    search_fields = ("question", "answer", "slug")
    inlines = (FaqEntryVersionInline,)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "reviewed_by":
            kwargs["queryset"] = User.objects.filter(
                role__in=[Role.CLINICIAN, Role.STAFF], is_active=True
            ).order_by("full_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: FaqEntry, form: ModelForm[FaqEntry], change: bool
    ) -> None:
        existing = FaqEntry.objects.get(pk=obj.pk) if change else None
        _save_through_service(
            request,
            form,
            lambda **kw: services.faq_entry_save(entry=existing, **kw),
            obj,
            change,
        )


@admin.register(SafetyMessageVersion)
class SafetyMessageVersionAdmin(StaffAdmin):
    """Published versions are never edited. "Add" writes and publishes a new version."""

    list_display = ("version", "language", "is_published", "published_at")
    readonly_fields = ("version", "language", "messages", "is_published", "published_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not _is_staff(request):
            raise PermissionDenied
        current = selectors.safety_version_current()
        form = SafetyVersionForm(
            request.POST or None, initial_messages=current.messages if current else None
        )
        if request.method == "POST" and form.is_valid():
            try:
                row = services.safety_version_publish(
                    actor=request.user,  # type: ignore[arg-type]
                    version=form.cleaned_data["version"],
                    messages=form.messages(),
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Version %(version)s is published. Patients will be asked to read it at their next sign-in."
                    )
                    % {"version": row.version},
                )
                return HttpResponseRedirect(
                    reverse("admin:content_safetymessageversion_changelist")
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish new safety messages"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/content/safety_version_publish.html", context)


@admin.register(SafetyAcknowledgement)
class SafetyAcknowledgementAdmin(AuditedReadsAdmin, RecordAdmin):
    list_display = ("patient_name", "version", "acknowledged_at")
    list_select_related = ("version", "patient")
    list_filter = ("version",)
    search_fields = ("patient__full_name",)

    @admin.display(description=_("Patient"), ordering="patient__full_name")
    def patient_name(self, obj: SafetyAcknowledgement) -> str:
        return obj.patient.full_name


@admin.register(AlertCardIssue)
class AlertCardIssueAdmin(AuditedReadsAdmin, RecordAdmin):
    list_display = ("patient_name", "issued_at", "format")
    list_select_related = ("patient",)
    list_filter = ("format",)
    search_fields = ("patient__full_name",)

    @admin.display(description=_("Patient"), ordering="patient__full_name")
    def patient_name(self, obj: AlertCardIssue) -> str:
        return obj.patient.full_name
