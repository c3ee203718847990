"""Every write about people and care links: invitations, consents, profiles, reassignment.

Each service checks permission, runs in a transaction, writes an audit event, and queues
background work only after commit.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.accounts import access
from apps.accounts.models import (
    ConsentScope,
    Invitation,
    PatientProfile,
    SupervisorConsent,
    User,
)
from apps.accounts.roles import Role
from apps.audit.services import DetailValue, audit_record
from apps.core import ratelimit
from apps.core.exceptions import ServiceError

# Bump when the wording changes: a signed consent keeps the text and version it was signed with.
# 2026-11.2: "What will be shared" in the patient's own voice ("My dose schedule").
CONSENT_TEXT_VERSION = "2026-11.2"
_TOKEN_SALT = "apps.accounts.invitation"  # noqa: S105  # nosec B105 - an HMAC salt, not a secret

# Who may invite whom. Patients invite supervisors through `consent_grant`.
_MAY_INVITE: dict[str, set[str]] = {
    Role.CLINICIAN: {Role.PATIENT},
    Role.STAFF: {Role.CLINICIAN, Role.STAFF},
}

RATE_LIMITED = "You have sent several invitations in a short time. Please try again later."


# --- Invitations --------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """The secret part of an invitation link: an HMAC of the row id and its nonce."""
    digest = salted_hmac(_TOKEN_SALT, f"{invitation.pk}:{invitation.nonce}", algorithm="sha256")
    return f"{invitation.pk}-{digest.hexdigest()[:40]}"


def invitation_url(invitation: Invitation) -> str:
    return f"{settings.SITE_URL}/invite/{invitation_token(invitation)}/"


def invitation_from_token(token: str) -> Invitation | None:
    """The pending, unexpired invitation this token opens, or None (never says which check failed)."""
    pk_text, _, _digest = token.partition("-")
    if not pk_text.isdigit():
        return None
    invitation = (
        Invitation.objects.filter(pk=int(pk_text)).select_related("consent__patient").first()
    )
    if invitation is None or not hmac.compare_digest(invitation_token(invitation), token):
        return None
    if invitation.status != Invitation.Status.PENDING or invitation.expires_at <= timezone.now():
        return None
    return invitation


def _queue_invitation_email(invitation: Invitation) -> None:
    """Through the notification outbox: sent after commit, retried, never twice. The link's
    token is recomputed from the invitation id at send time, never stored or queued."""
    from apps.notifications.services import notification_queue

    notification_queue(
        to_address=invitation.email,
        kind="invitation",
        event_key=f"invitation:{invitation.pk}",
        context_ids={"invitation": invitation.pk},
    )


def _new_invitation(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: Role,
    is_clinical_lead: bool = False,
    **links: object,
) -> Invitation:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists() and role != Role.SUPERVISOR:
        raise ServiceError("There is already an account with this e-mail address.", field="email")
    # A newer invitation replaces an older open one for the same address and role.
    for old in Invitation.objects.select_for_update().filter(
        email__iexact=email, role=role, status=Invitation.Status.PENDING
    ):
        old.status = Invitation.Status.CANCELLED
        old.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="accounts.invitation_replaced", target=old)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        role=role,
        invited_by=actor,
        nonce=secrets.token_hex(16),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_EXPIRY_DAYS),
        is_clinical_lead=is_clinical_lead,
        **links,
    )
    detail: dict[str, DetailValue] = {"role": role}
    if is_clinical_lead:
        detail["is_lead"] = True
    audit_record(actor=actor, action="accounts.invitation_sent", target=invitation, detail=detail)
    _queue_invitation_email(invitation)
    return invitation


@transaction.atomic
def invitation_create(
    *, actor: User, email: str, full_name: str, role: Role, is_clinical_lead: bool = False
) -> Invitation:
    """Clinicians invite patients (who join their caseload); staff invite clinicians and staff,
    and may name an invited clinician a clinical lead (only staff, only for a clinician)."""
    access.ensure(role in _MAY_INVITE.get(actor.role, set()))
    if is_clinical_lead:
        access.ensure(actor.role == Role.STAFF)
        if role != Role.CLINICIAN:
            raise ServiceError("Only a clinician can be a clinical lead.", field="is_clinical_lead")
    if not ratelimit.allow(scope="invitation_send", key=str(actor.pk)):
        raise ServiceError(RATE_LIMITED, field="email")
    links: dict[str, object] = {"clinician": actor} if role == Role.PATIENT else {}
    return _new_invitation(
        actor=actor,
        email=email,
        full_name=full_name,
        role=role,
        is_clinical_lead=is_clinical_lead,
        **links,
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, password: str, full_name: str, time_zone: str = "Europe/London"
) -> User:
    """Create the invited person's account. Single use: the row is locked and must still be open.
    The address is verified by the act of opening the link sent to it."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING or invitation.expires_at <= timezone.now():
        raise ServiceError("This invitation has already been used or has expired.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ServiceError("There is already an account for this address. Sign in instead.")
    user = User(
        email=invitation.email,
        full_name=full_name.strip() or invitation.full_name,
        role=invitation.role,
        time_zone=time_zone,
        is_staff=invitation.role == Role.STAFF,
        is_clinical_lead=invitation.is_clinical_lead and invitation.role == Role.CLINICIAN,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="password1") from None
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if invitation.role == Role.PATIENT:
        if invitation.clinician is None:  # a check constraint rules this out
            raise ServiceError("This invitation has no clinician. Ask the clinic for a new one.")
        PatientProfile.objects.create(user=user, responsible_clinician=invitation.clinician)
    _mark_accepted(invitation, user)
    audit_record(
        actor=user,
        action="accounts.account_created",
        target=user,
        detail={"role": user.role, "is_lead": True} if user.is_clinical_lead else None,
    )
    if invitation.role == Role.SUPERVISOR and invitation.consent is not None:
        _consent_accept(actor=user, consent=invitation.consent)
    return user


@transaction.atomic
def invitation_accept_existing(*, actor: User, invitation: Invitation) -> SupervisorConsent:
    """A supervisor who already has an account accepts a further patient's invitation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    access.ensure(actor.role == Role.SUPERVISOR and actor.email.lower() == invitation.email.lower())
    if invitation.status != Invitation.Status.PENDING or invitation.consent is None:
        raise ServiceError("This invitation has already been used or has expired.")
    _mark_accepted(invitation, actor)
    return _consent_accept(actor=actor, consent=invitation.consent)


def _mark_accepted(invitation: Invitation, user: User) -> None:
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_user", "updated_at"])
    audit_record(actor=user, action="accounts.invitation_accepted", target=invitation)


@transaction.atomic
def invitation_cancel(*, actor: User, invitation: Invitation) -> None:
    """The person who sent an invitation may withdraw it while it is open."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    access.ensure(invitation.invited_by_id == actor.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ServiceError("This invitation is no longer open.")
    invitation.status = Invitation.Status.CANCELLED
    invitation.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="accounts.invitation_cancelled", target=invitation)


@transaction.atomic
def invitations_expire(*, now: datetime | None = None) -> int:
    """Mark open invitations past their expiry as expired (run by the scheduler; idempotent)."""
    now = now or timezone.now()
    count = 0
    for invitation in Invitation.objects.select_for_update().filter(
        status=Invitation.Status.PENDING, expires_at__lte=now
    ):
        invitation.status = Invitation.Status.EXPIRED
        invitation.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="accounts.invitation_expired", target=invitation)
        count += 1
    return count


# --- Supervisor consent -------------------------------------------------------------------------


def consent_text_render(
    *,
    patient: User,
    supervisor_name: str,
    supervisor_email: str,
    relationship: str,
    expires_at: datetime | None,
    signed_at: datetime | None,
) -> str:
    """The disclosure consent as the patient reads, signs and can download it (42 CFR 2.31)."""
    from apps.clinic.selectors import clinic_settings_get

    return render_to_string(
        "accounts/consent_text.txt",
        {
            "patient_name": patient.full_name,
            "clinic": clinic_settings_get(),
            "supervisor_name": supervisor_name,
            "supervisor_email": supervisor_email,
            "relationship": relationship,
            # The text is in the patient's voice ("I, Pat, allow ..."): "my", not "your".
            "scope": "My dose schedule and whether each dose was taken",
            "expires_at": expires_at,
            "signed_at": signed_at,
            "version": CONSENT_TEXT_VERSION,
        },
    ).strip()


@transaction.atomic
def consent_grant(
    *,
    actor: User,
    supervisor_name: str,
    supervisor_email: str,
    relationship: str,
    expires_at: datetime | None,
    signed: bool,
) -> SupervisorConsent:
    """A patient signs a consent for one named supervisor and invites them."""
    access.ensure(actor.role == Role.PATIENT)
    if not signed:
        raise ServiceError("Tick the box to sign this consent.", field="signed")
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ServiceError("The end date must be in the future.", field="expires_on")
    email = supervisor_email.strip().lower()
    if email == actor.email.lower():
        raise ServiceError("You cannot be your own supervisor.", field="supervisor_email")
    # An address that already has another kind of account gets the same answer as any other
    # (no account enumeration): the invitation goes out, and its holder learns of the clash when
    # they open it (views.invitation_accept), out of the patient's sight.
    live = SupervisorConsent.objects.filter(
        patient=actor,
        supervisor_email__iexact=email,
        status__in=[
            SupervisorConsent.Status.INVITED,
            SupervisorConsent.Status.ACCEPTED,
            SupervisorConsent.Status.ACTIVE,
        ],
    )
    if live.exists():
        raise ServiceError(
            "You have already asked this person to be your supervisor.", field="supervisor_email"
        )
    if not ratelimit.allow(scope="consent_request", key=str(actor.pk)):
        raise ServiceError(RATE_LIMITED, field="supervisor_email")
    consent = SupervisorConsent.objects.create(
        patient=actor,
        supervisor_name=supervisor_name.strip(),
        supervisor_email=email,
        relationship=relationship.strip(),
        scope=ConsentScope.DOSES,
        consent_text=consent_text_render(
            patient=actor,
            supervisor_name=supervisor_name.strip(),
            supervisor_email=email,
            relationship=relationship.strip(),
            expires_at=expires_at,
            signed_at=now,
        ),
        consent_text_version=CONSENT_TEXT_VERSION,
        patient_signed_at=now,
        starts_at=now,
        expires_at=expires_at,
    )
    audit_record(actor=actor, action="accounts.consent_signed", target=consent)
    _new_invitation(
        actor=actor, email=email, full_name=supervisor_name, role=Role.SUPERVISOR, consent=consent
    )
    return consent


def _consent_accept(*, actor: User, consent: SupervisorConsent) -> SupervisorConsent:
    consent = SupervisorConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.status != SupervisorConsent.Status.INVITED:
        raise ServiceError("This request is no longer waiting for an answer.")
    consent.supervisor = actor
    consent.status = SupervisorConsent.Status.ACCEPTED
    consent.supervisor_accepted_at = timezone.now()
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:
        raise ServiceError("You already support this person.") from None
    audit_record(actor=actor, action="accounts.consent_accepted", target=consent)
    _notify_clinician_to_confirm(consent)
    return consent


def _notify_clinician_to_confirm(consent: SupervisorConsent) -> None:
    from apps.notifications.services import notification_queue

    profile = PatientProfile.objects.select_related("responsible_clinician").get(
        user_id=consent.patient_id
    )
    notification_queue(
        recipient=profile.responsible_clinician,
        kind="supervisor_accepted",
        event_key=f"consent:{consent.pk}",
        context_ids={"patient": consent.patient_id, "consent": consent.pk},
    )


@transaction.atomic
def consent_decline(*, actor: User, consent: SupervisorConsent) -> SupervisorConsent:
    """The invited supervisor says no. The patient sees that the request was declined."""
    consent = SupervisorConsent.objects.select_for_update().get(pk=consent.pk)
    access.ensure(actor.role == Role.SUPERVISOR and consent.supervisor_id in (None, actor.pk))
    if consent.status not in (SupervisorConsent.Status.INVITED, SupervisorConsent.Status.ACCEPTED):
        raise ServiceError("This request is no longer waiting for an answer.")
    consent.status = SupervisorConsent.Status.DECLINED
    consent.save(update_fields=["status", "updated_at"])
    Invitation.objects.filter(consent=consent, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.CANCELLED
    )
    audit_record(actor=actor, action="accounts.consent_declined", target=consent)
    return consent


@transaction.atomic
def consent_confirm(*, actor: User, consent: SupervisorConsent) -> SupervisorConsent:
    """The patient's responsible clinician confirms an accepted supervisor; the link goes live."""
    consent = SupervisorConsent.objects.select_for_update().get(pk=consent.pk)
    access.ensure(access.can_manage_patient(actor, consent.patient_id))
    if consent.status != SupervisorConsent.Status.ACCEPTED:
        raise ServiceError("Only a supervisor who has accepted can be confirmed.")
    consent.status = SupervisorConsent.Status.ACTIVE
    consent.confirmed_by = actor
    consent.confirmed_at = timezone.now()
    consent.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    audit_record(actor=actor, action="accounts.consent_confirmed", target=consent)
    return consent


@transaction.atomic
def consent_revoke(*, actor: User, consent: SupervisorConsent) -> SupervisorConsent:
    """The patient can end a consent at any time; the clinician can end one for safety reasons.
    It stops working on the very next request."""
    consent = SupervisorConsent.objects.select_for_update().get(pk=consent.pk)
    access.ensure(
        actor.pk == consent.patient_id or access.can_manage_patient(actor, consent.patient_id)
    )
    if consent.status in (SupervisorConsent.Status.REVOKED, SupervisorConsent.Status.DECLINED):
        raise ServiceError("This consent has already ended.")
    consent.status = SupervisorConsent.Status.REVOKED
    consent.revoked_at = timezone.now()
    consent.revoked_by = actor
    consent.save(update_fields=["status", "revoked_at", "revoked_by", "updated_at"])
    Invitation.objects.filter(consent=consent, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.CANCELLED
    )
    audit_record(actor=actor, action="accounts.consent_revoked", target=consent)
    return consent


# --- Profiles and care team ---------------------------------------------------------------------


@transaction.atomic
def profile_update(*, actor: User, full_name: str, preferred_name: str, time_zone: str) -> User:
    """People edit their own name and time zone; the role and address are not theirs to change here."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    changed = []
    for field, value in (
        ("full_name", full_name.strip()),
        ("preferred_name", preferred_name.strip()),
        ("time_zone", time_zone),
    ):
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if not user.full_name:
        raise ServiceError("Enter your full name.", field="full_name")
    if changed:
        user.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="accounts.profile_updated",
            target=user,
            detail={"fields": ",".join(changed)},
        )
    return user


@transaction.atomic
def patient_reassign_clinician(*, actor: User, patient: User, clinician: User) -> PatientProfile:
    """Staff move a patient to another responsible clinician."""
    access.ensure(actor.role == Role.STAFF)
    if clinician.role != Role.CLINICIAN or not clinician.is_active:
        raise ServiceError("Choose an active clinician.", field="clinician")
    profile = PatientProfile.objects.select_for_update().get(user=patient)
    if profile.responsible_clinician_id == clinician.pk:
        raise ServiceError(
            "This clinician is already responsible for the patient.", field="clinician"
        )
    previous = profile.responsible_clinician_id
    profile.responsible_clinician = clinician
    profile.save(update_fields=["responsible_clinician", "updated_at"])
    audit_record(
        actor=actor,
        action="accounts.clinician_reassigned",
        target=profile,
        patient=patient,
        detail={"from_clinician": previous, "to_clinician": clinician.pk},
    )
    return profile


@transaction.atomic
def user_create_direct(
    *, email: str, full_name: str, role: Role, password: str, clinician: User | None = None
) -> User:
    """Create an account without an invitation (demo data and the first staff account only)."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        role=role,
        is_staff=role == Role.STAFF,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if role == Role.PATIENT:
        if clinician is None:
            raise ServiceError("A patient needs a responsible clinician.")
        PatientProfile.objects.create(user=user, responsible_clinician=clinician)
    audit_record(
        actor=None,
        action="accounts.account_created",
        target=user,
        patient=(user if role == Role.PATIENT else None),
    )
    return user


@transaction.atomic
def lockouts_clear(*, actor: User, attempt_ids: list[int]) -> int:
    """Staff lift sign-in lockouts (someone who forgot their password and is locked out calls the
    clinic). Each unlocked account is named in the audit log; the attempt rows are removed."""
    from axes.models import AccessAttempt

    access.ensure(actor.role == Role.STAFF)
    attempts = list(AccessAttempt.objects.select_for_update().filter(pk__in=attempt_ids))
    for attempt in attempts:
        user = User.objects.filter(email__iexact=attempt.username or "").first()
        audit_record(
            actor=actor,
            action="accounts.lockout_cleared",
            target=user,
            patient=user if user is not None and user.role == Role.PATIENT else None,
            detail={"failures": attempt.failures_since_start},
        )
    AccessAttempt.objects.filter(pk__in=[a.pk for a in attempts]).delete()
    return len(attempts)


@transaction.atomic
def clinical_lead_set(*, actor: User, user: User, is_lead: bool) -> User:
    """Staff name (or stop naming) a clinician as a clinical lead, who may change the clinic's
    clinical thresholds. Only clinicians can be leads; every change is audited."""
    access.ensure(actor.role == Role.STAFF)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role != Role.CLINICIAN:
        raise ServiceError("Only a clinician can be a clinical lead.")
    if user.is_clinical_lead != is_lead:
        user.is_clinical_lead = is_lead
        user.save(update_fields=["is_clinical_lead"])
        audit_record(
            actor=actor,
            action="accounts.clinical_lead_changed",
            target=user,
            detail={"is_lead": is_lead},
        )
    return user
