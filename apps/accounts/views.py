"""Pages for invitations, consents, profiles and the clinician's caseload."""

from __future__ import annotations

import json
from collections.abc import Callable

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import access, selectors, services, words
from apps.accounts.access import Role, public, role_required
from apps.accounts.forms import (
    ConsentGrantForm,
    InvitationAcceptForm,
    InviteForm,
    ProfileForm,
    ReassignForm,
    StaffInviteForm,
)
from apps.accounts.models import Invitation, SupervisorConsent, User
from apps.accounts.roles import PRIVILEGED_ROLES
from apps.audit import words as audit_words
from apps.audit.middleware import client_ip
from apps.audit.selectors import disclosure_list_for
from apps.audit.services import audit_read, audit_read_list
from apps.core import ratelimit
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.types import AuthedRequest

ALL_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)


# --- Invitations --------------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    # Tokens are long and random; this stops anyone trying many of them from one address.
    if not ratelimit.allow(scope="invitation_open", key=client_ip(request) or "unknown"):
        return render(request, "accounts/invitation_slow_down.html", status=429)
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    if existing:
        return _invitation_for_existing_account(request, invitation)
    form = InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if user.role in PRIVILEGED_ROLES:
                return _first_sign_in_with_two_factor(request, user)
            messages.success(request, "Your account is ready. Welcome.")
            return HttpResponseRedirect(reverse("core:dashboard"))
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _first_sign_in_with_two_factor(request: HttpRequest, user: User) -> HttpResponse:
    """Clinicians and staff set up two-factor sign-in first: nothing else opens until they do
    (session_rules.py). They typed their new password in this very request, which is what
    allauth's "enter your password again" step proves, so it is recorded as such and they are
    not asked for it a second time before adding the authenticator."""
    record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
    messages.info(
        request,
        "Your account is ready. Before you can see patient records, set up two-factor sign-in "
        "with an authenticator app on your phone.",
    )
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


def _invitation_for_existing_account(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    user = request.user
    if not user.is_authenticated or user.email.lower() != invitation.email.lower():
        return render(request, "accounts/invitation_sign_in.html", {"invitation": invitation})
    if user.role != Role.SUPERVISOR:
        # The patient who asked was answered as for any address; the clash is explained here,
        # to the address's owner only.
        return render(request, "accounts/invitation_clash.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.invitation_accept_existing(actor=user, invitation=invitation)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Thank you. The clinic will confirm you as a supervisor.")
        return HttpResponseRedirect(reverse("core:dashboard"))
    return render(request, "accounts/invitation_existing.html", {"invitation": invitation})


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(actor=request.user, role=Role.PATIENT, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return HttpResponseRedirect(reverse("accounts:caseload"))
    return render(request, "accounts/patient_invite.html", {"form": form})


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def staff_invite(request: AuthedRequest) -> HttpResponse:
    """Staff invite clinicians (optionally as clinical leads) and other staff. The new account
    sets up two-factor sign-in before it sees anything else (session_rules.py)."""
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=Role(form.cleaned_data["role"]),
                is_clinical_lead=form.cleaned_data["is_clinical_lead"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return HttpResponseRedirect(reverse("accounts:staff-invite"))
    invitations = selectors.invitations_sent_by(user=request.user)
    return render(
        request,
        "accounts/staff_invite.html",
        {
            "form": form,
            "invitations": invitations,
            "expiry_days": settings.INVITATION_EXPIRY_DAYS,
        },
    )


# --- Clinician: caseload and patient ------------------------------------------------------------


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def caseload(request: AuthedRequest) -> HttpResponse:
    patients = list(selectors.caseload_list_for(user=request.user))
    to_confirm = list(selectors.consents_to_confirm_for(user=request.user))
    invitations = selectors.invitations_sent_by(user=request.user)
    audit_read_list(
        actor=request.user,
        patient_ids=[p.pk for p in patients] + [c.patient_id for c in to_confirm],
        what="caseload",
    )
    return render(
        request,
        "accounts/caseload_list.html",
        {"patients": patients, "to_confirm": to_confirm, "invitations": invitations},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient_detail(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = selectors.patient_with_consents(user=request.user, pk=patient_id)
    audit_read(actor=request.user, patient_id=patient.pk, what="summary")
    return render(request, "accounts/patient_detail.html", {"patient": patient})


@role_required(Role.CLINICIAN)
@require_POST
def consent_confirm(request: AuthedRequest, consent_id: int) -> HttpResponse:
    consent = selectors.consent_get_for(user=request.user, pk=consent_id)
    try:
        services.consent_confirm(actor=request.user, consent=consent)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{consent.supervisor_name} is now a confirmed supervisor.")
    return HttpResponseRedirect(reverse("accounts:patient-detail", args=[consent.patient_id]))


# --- Patient: supervisors and consent -----------------------------------------------------------


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def consent_list(request: AuthedRequest) -> HttpResponse:
    consents = selectors.consent_list_for_patient(user=request.user)
    return render(request, "accounts/consent_list.html", {"consents": consents})


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def consent_grant(request: AuthedRequest) -> HttpResponse:
    """Two steps: fill in who, then read the exact consent text and sign it."""
    form = ConsentGrantForm(request.POST or None)
    preview = None
    sign_error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "sign" in request.POST:
            try:
                services.consent_grant(
                    actor=request.user,
                    supervisor_name=data["supervisor_name"],
                    supervisor_email=data["supervisor_email"],
                    relationship=data["relationship"],
                    expires_at=form.expires_at(),
                    signed=request.POST.get("signed") == "on",
                )
            except ServiceError as exc:
                if exc.field == "signed":
                    sign_error = exc.message
                else:
                    apply_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Consent signed. We have e-mailed {data['supervisor_name']} an invitation.",
                )
                return HttpResponseRedirect(reverse("accounts:consent-list"))
        if form.is_valid():
            preview = services.consent_text_render(
                patient=request.user,
                supervisor_name=data["supervisor_name"],
                supervisor_email=data["supervisor_email"],
                relationship=data["relationship"],
                expires_at=form.expires_at(),
                signed_at=None,
            )
    return render(
        request,
        "accounts/consent_grant.html",
        {"form": form, "preview": preview, "sign_error": sign_error},
    )


def _consent_or_ended(request: AuthedRequest, consent_id: int) -> SupervisorConsent | HttpResponse:
    """The consent, or for a supervisor whose consent has ended a plain page that says so (410),
    without the record; 404 for anyone else's."""
    try:
        return selectors.consent_get_for(user=request.user, pk=consent_id)
    except Http404:
        if access.consent_has_ended_for(request.user, consent_id):
            return render(request, "accounts/consent_ended.html", status=410)
        raise


@role_required(Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN)
@require_http_methods(["GET"])
def consent_detail(request: AuthedRequest, consent_id: int) -> HttpResponse:
    consent = _consent_or_ended(request, consent_id)
    if isinstance(consent, HttpResponse):
        return consent
    if request.user.pk != consent.patient_id:
        audit_read(actor=request.user, patient_id=consent.patient_id, what="consent")
    return render(
        request,
        "accounts/consent_detail.html",
        {
            "consent": consent,
            "status": words.consent_status_words(consent, request.user),
            "scope": words.consent_scope_words(consent, request.user),
        },
    )


@role_required(Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN)
@require_http_methods(["GET"])
def consent_download(request: AuthedRequest, consent_id: int) -> HttpResponse:
    consent = _consent_or_ended(request, consent_id)
    if isinstance(consent, HttpResponse):
        return consent
    if request.user.pk != consent.patient_id:
        audit_read(actor=request.user, patient_id=consent.patient_id, what="consent_text")
    response = HttpResponse(consent.consent_text + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supervisor-consent-{consent.pk}.txt"'
    return response


@role_required(Role.PATIENT, Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def consent_revoke(request: AuthedRequest, consent_id: int) -> HttpResponse:
    """A page that says what ending means, then the end itself: a POST from that page, with its
    confirmation, ends the consent (never one stray click). Works without JavaScript."""
    consent = selectors.consent_get_for(user=request.user, pk=consent_id)
    is_clinician = request.user.role == Role.CLINICIAN
    back = (
        reverse("accounts:patient-detail", args=[consent.patient_id])
        if is_clinician
        else reverse("accounts:consent-detail", args=[consent.pk])
    )
    if not consent.is_live:
        messages.info(request, "This arrangement has already ended.")
        return HttpResponseRedirect(back)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "end":
            error = 'Choose "Yes, end this arrangement" to end it, or go back.'
        else:
            try:
                services.consent_revoke(actor=request.user, consent=consent)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                who = "your" if not is_clinician else f"{consent.patient.full_name}'s"
                messages.success(
                    request,
                    f"Arrangement ended. {consent.supervisor_name} can no longer see {who} doses.",
                )
            if is_clinician:
                return HttpResponseRedirect(back)
            return HttpResponseRedirect(reverse("accounts:consent-list"))
    return render(
        request,
        "accounts/consent_revoke.html",
        {"consent": consent, "back": back, "is_clinician": is_clinician, "error": error},
        status=400 if error else 200,
    )


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def disclosure_list(request: AuthedRequest) -> HttpResponse:
    events = [
        {"event": event, "words": audit_words.event_words(event)}
        for event in disclosure_list_for(user=request.user)
    ]
    return render(request, "accounts/disclosure_list.html", {"events": events})


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def record(request: AuthedRequest) -> HttpResponse:
    """Everything held about the patient, to read: summary lists by section, beside the PDF and
    the data file. Reading it is audited like the download."""
    from apps.accounts.exports import patient_export
    from apps.accounts.record import record_sections

    data = patient_export(patient=request.user, form="page")
    sections = record_sections(data, time_zone=request.user.time_zone)
    return render(request, "accounts/record.html", {"sections": sections})


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def record_pdf(request: AuthedRequest) -> HttpResponse:
    from apps.accounts.exports import patient_export
    from apps.accounts.record import record_pdf as build_pdf
    from apps.accounts.record import record_sections, value_words
    from apps.clinic.selectors import clinic_settings_cached

    data = patient_export(patient=request.user, form="pdf")
    sections = record_sections(data, time_zone=request.user.time_zone)
    made = value_words(timezone.now(), timezone.get_current_timezone())
    pdf = build_pdf(
        sections,
        patient_name=request.user.full_name,
        clinic_name=clinic_settings_cached().name,
        made_at=made,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-record-{stamp}.pdf"'
    return response


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def data_export(request: AuthedRequest) -> HttpResponse:
    from apps.accounts.exports import patient_export

    payload = patient_export(patient=request.user)
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-record-{stamp}.json"'
    return response


# --- Supervisor ---------------------------------------------------------------------------------


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def consent_respond(request: AuthedRequest, consent_id: int) -> HttpResponse:
    consent = _consent_or_ended(request, consent_id)
    if isinstance(consent, HttpResponse):
        return consent
    if request.method == "POST":
        if request.POST.get("answer") != "decline":
            raise PermissionDenied  # accepting happens through the invitation link
        try:
            services.consent_decline(actor=request.user, consent=consent)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "You have said no. The person who asked will see this.")
        return HttpResponseRedirect(reverse("core:dashboard"))
    audit_read(actor=request.user, patient_id=consent.patient_id, what="consent_request")
    return render(
        request,
        "accounts/consent_respond.html",
        {
            "consent": consent,
            "status": words.consent_status_words(consent, request.user),
            "next": words.supervisor_next_step(consent) if consent.is_live else "",
        },
    )


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET"])
def supervised_patient_detail(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = selectors.patient_get_for(user=request.user, pk=patient_id)
    audit_read(actor=request.user, patient_id=patient.pk, what="dose_schedule")
    if SUPERVISED_PATIENT_PAGE:
        page: Callable[[AuthedRequest, User], HttpResponse] = import_string(SUPERVISED_PATIENT_PAGE)
        return page(request, patient)
    return render(request, "accounts/supervised_patient_detail.html", {"patient": patient})


# Dotted path of `(request, patient) -> HttpResponse` that renders a supervised person's dose page
# (set by the dosing app in its AppConfig.ready, so this ground app never imports it). Access and
# the audit of the read are checked above, before it is called.
SUPERVISED_PATIENT_PAGE: str | None = None


# --- Everyone -----------------------------------------------------------------------------------


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "preferred_name": user.preferred_name,
            "time_zone": user.time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=user, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Your details have been saved.")
            return HttpResponseRedirect(reverse("accounts:profile"))
    return render(request, "accounts/profile_edit.html", {"form": form})


# --- Staff --------------------------------------------------------------------------------------


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def patient_reassign(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = selectors.patient_for_staff(user=request.user, pk=patient_id)
    if request.method == "GET":
        audit_read(actor=request.user, patient_id=patient.pk, what="care_team")
    form = ReassignForm(request.POST or None, clinicians=selectors.clinician_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_reassign_clinician(
                actor=request.user, patient=patient, clinician=form.cleaned_data["clinician"]
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "The patient has a new responsible clinician.")
            return HttpResponseRedirect(reverse("admin:accounts_patientprofile_changelist"))
    return render(request, "accounts/patient_reassign.html", {"patient": patient, "form": form})
