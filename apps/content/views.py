"""Help pages (public and in each role's portal), the safety messages a patient acknowledges,
the naltrexone alert card, and the staff list of content due for review."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.access import Role, public, role_required
from apps.audit.services import audit_read
from apps.content import selectors, services
from apps.content.cards import EMERGENCY_ADVICE, alert_card_build
from apps.content.cards import alert_card_pdf as build_pdf
from apps.content.forms import FaqSearchForm, SafetyAcknowledgeForm
from apps.content.models import Audience, CardFormat
from apps.content.safety_gate import clear_acknowledgement_due
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.types import AuthedRequest

ALL_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)
LAYOUTS = {
    Role.PATIENT: "layouts/patient.html",
    Role.SUPERVISOR: "layouts/supervisor.html",
    Role.CLINICIAN: "layouts/clinician.html",
    Role.STAFF: "base.html",
}


def _faq_context(request: HttpRequest, audiences: list[str]) -> dict[str, object]:
    form = FaqSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    sections_html, section_count = selectors.faq_sections_html(audiences=audiences, query=query)
    return {
        "form": form,
        "query": query,
        "sections_html": sections_html,
        "section_count": section_count,
    }


# --- Help pages ---------------------------------------------------------------------------------


@public
@require_GET
def faq_public(request: HttpRequest) -> HttpResponse:
    context = _faq_context(request, [Audience.EVERYONE])
    return render(request, "content/faq_list.html", {**context, "layout": "layouts/public.html"})


@public
@require_GET
def faq_supervisors_public(request: HttpRequest) -> HttpResponse:
    context = _faq_context(request, [Audience.SUPERVISORS])
    return render(
        request,
        "content/faq_list.html",
        {**context, "layout": "layouts/public.html", "supervisors_page": True},
    )


@role_required(*ALL_ROLES)
@require_GET
def faq_portal(request: AuthedRequest) -> HttpResponse:
    context = _faq_context(request, selectors.faq_audiences_for(request.user))
    layout = LAYOUTS[Role(request.user.role)]
    return render(
        request, "content/faq_list.html", {**context, "layout": layout, "in_portal": True}
    )


@role_required(Role.STAFF)
@require_GET
def faq_review_list(request: AuthedRequest) -> HttpResponse:
    entries = selectors.faq_review_list(user=request.user)
    return render(
        request, "content/faq_review_list.html", {"entries": entries, "today": timezone.localdate()}
    )


# --- Safety messages ----------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:patient-dashboard")


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def safety_acknowledge(request: AuthedRequest) -> HttpResponse:
    status = selectors.safety_status_for(patient_id=request.user.pk)
    if status is None:
        clear_acknowledgement_due(request)
        return HttpResponseRedirect(_next_url(request))
    form = SafetyAcknowledgeForm(request.POST or None, initial={"version": status.version.version})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != status.version.version:
            # The clinic published new wording while the page was open: show it.
            messages.info(
                request, _("The safety messages have just been updated. Please read them again.")
            )
            return HttpResponseRedirect(request.get_full_path())
        try:
            services.safety_acknowledge(actor=request.user, version=status.version)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            clear_acknowledgement_due(request)
            messages.success(request, _("Thank you. You have acknowledged the safety messages."))
            return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "content/safety_acknowledge.html",
        {"status": status, "form": form, "next": _next_url(request)},
    )


# --- Alert card ---------------------------------------------------------------------------------


@role_required(Role.PATIENT)
@require_GET
def alert_card_mine(request: AuthedRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("content:alert-card", args=[request.user.pk]))


@role_required(Role.PATIENT, Role.CLINICIAN)
@require_GET
def alert_card(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = selectors.card_patient_get_for(user=request.user, pk=patient_id)
    audit_read(actor=request.user, patient_id=patient.pk, what="alert_card")
    issue = services.alert_card_issue(
        actor=request.user, patient=patient, card_format=CardFormat.PAGE
    )
    card = alert_card_build(patient=patient, issued_at=issue.issued_at)
    return render(
        request,
        "content/alert_card.html",
        {
            "card": card,
            "patient_id": patient.pk,
            "advice": EMERGENCY_ADVICE,
            "layout": LAYOUTS[Role(request.user.role)],
            "is_own_card": patient.pk == request.user.pk,
        },
    )


@role_required(Role.PATIENT, Role.CLINICIAN)
@require_GET
def alert_card_pdf(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = selectors.card_patient_get_for(user=request.user, pk=patient_id)
    audit_read(actor=request.user, patient_id=patient.pk, what="alert_card")
    issue = services.alert_card_issue(
        actor=request.user, patient=patient, card_format=CardFormat.PDF
    )
    pdf = build_pdf(alert_card_build(patient=patient, issued_at=issue.issued_at))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="naltrexone-alert-card.pdf"'
    response["Cache-Control"] = "no-store"
    return response
