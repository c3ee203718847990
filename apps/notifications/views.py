"""The inbox (every role) and notification preferences."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import Role, public, role_required
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.types import AuthedRequest
from apps.notifications import selectors, services
from apps.notifications.forms import PreferenceForm
from apps.notifications.rendering import notification_target

ALL_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)


@role_required(*ALL_ROLES)
@require_http_methods(["GET"])
def inbox(request: AuthedRequest) -> HttpResponse:
    items = selectors.notification_list_for(user=request.user)
    return render(request, "notifications/inbox.html", {"items": items})


@role_required(*ALL_ROLES)
@require_POST
def notification_read(request: AuthedRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get_for(user=request.user, pk=notification_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    if "open" in request.POST:
        target = notification_target(notification, request.user)
        if url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("notifications:inbox"))


@role_required(*ALL_ROLES)
@require_POST
def inbox_read_all(request: AuthedRequest) -> HttpResponse:
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, "All your notifications are marked as read.")
    return HttpResponseRedirect(reverse("notifications:inbox"))


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    current = services.preference_for(request.user)
    initial = {
        name: getattr(current, name)
        for name in (
            "email_enabled",
            "include_details",
            "sms_enabled",
            "sms_number",
            "quiet_start",
            "quiet_end",
        )
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Your notification settings are saved.")
            return HttpResponseRedirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {"form": form})


def _has_health_token(request: HttpRequest) -> bool:
    token: str = settings.HEALTH_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and secrets.compare_digest(given.encode(), f"Bearer {token}".encode())


# Public in the access sense: monitoring has no session. It answers only a bearer token
# (HEALTH_TOKEN) or a signed-in staff member; anyone else gets 401 or 403 and no figures.
@public
@require_GET
@never_cache
def delivery_health(request: HttpRequest) -> HttpResponse:
    """For operators: how the outbox is doing (counts only), 503 past the thresholds."""
    if not _has_health_token(request):
        if not request.user.is_authenticated:
            response = JsonResponse({"detail": "Authentication required."}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="health"'
            return response
        if getattr(request.user, "role", None) != Role.STAFF:
            return JsonResponse({"detail": "Not allowed."}, status=403)
    health = selectors.delivery_health()
    return JsonResponse(health.as_dict(), status=200 if health.healthy else 503)
