"""The public home page and each role's dashboard."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts import selectors as account_selectors
from apps.accounts import words as account_words
from apps.accounts.access import Role, public, role_required
from apps.audit.services import audit_read_list
from apps.core.panels import LATER, panels_for
from apps.core.types import AuthedRequest

DASHBOARDS = {
    Role.PATIENT: "core:patient-dashboard",
    Role.SUPERVISOR: "core:supervisor-dashboard",
    Role.CLINICIAN: "core:clinician-dashboard",
    Role.STAFF: "admin:index",
}


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@public
@require_GET
def theme(request: HttpRequest) -> HttpResponse:
    """The clinic's colours as CSS custom properties (a file, so the CSP needs no inline styles)."""
    from apps.clinic.selectors import clinic_settings_cached

    clinic = clinic_settings_cached()
    css = f":root {{ --brand: {clinic.brand_colour}; --accent: {clinic.accent_colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, so the portal can be added to a phone's home screen under the
    clinic's name and colour. It opens on each person's own dashboard."""
    from apps.clinic.selectors import clinic_settings_cached

    clinic = clinic_settings_cached()
    data = {
        "name": clinic.name,
        "short_name": (clinic.short_name or clinic.name)[:12],
        "start_url": reverse("core:dashboard"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": clinic.brand_colour,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@role_required(Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    """Send each person to their own dashboard."""
    return HttpResponseRedirect(reverse(DASHBOARDS[Role(request.user.role)]))


@role_required(Role.PATIENT)
@require_GET
def patient_dashboard(request: AuthedRequest) -> HttpResponse:
    consents = account_selectors.consent_list_for_patient(user=request.user)
    return render(
        request,
        "core/patient_dashboard.html",
        {"consents": consents, "panels": panels_for(request.user)},
    )


@role_required(Role.SUPERVISOR)
@require_GET
def supervisor_dashboard(request: AuthedRequest) -> HttpResponse:
    patients = list(account_selectors.supervised_patient_list_for(user=request.user))
    consents = list(account_selectors.consent_requests_for_supervisor(user=request.user))
    requests = [
        {
            "consent": consent,
            "status": account_words.consent_status_words(consent, request.user),
            "next": account_words.supervisor_next_step(consent),
        }
        for consent in consents
    ]
    audit_read_list(
        actor=request.user,
        patient_ids=[p.pk for p in patients] + [c.patient_id for c in consents],
        what="supervisor_dashboard",
    )
    return render(
        request,
        "core/supervisor_dashboard.html",
        {"patients": patients, "requests": requests, "panels": panels_for(request.user)},
    )


@role_required(Role.CLINICIAN)
@require_GET
def clinician_dashboard(request: AuthedRequest) -> HttpResponse:
    """The day's worklist first (urgent tasks, intake reviews, unprotected patients, overdue
    counselling, tests due), then the caseload."""
    to_confirm = account_selectors.consents_to_confirm_for(user=request.user)
    panels = panels_for(request.user)
    return render(
        request,
        "core/clinician_dashboard.html",
        {
            "to_confirm": to_confirm,
            "today_panels": [p for p in panels if p.order < LATER],
            "later_panels": [p for p in panels if p.order >= LATER],
        },
    )
