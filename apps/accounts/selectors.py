"""Reads about people and care links. Querysets are filtered to what the user may see, so a
row outside their care links is simply not found (404)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from apps.accounts import access
from apps.accounts.models import Invitation, SupervisorConsent, User, active_consent_q
from apps.accounts.roles import Role


def caseload_list_for(*, user: User) -> QuerySet[User]:
    """A clinician's patients, with the number of supervisors in force and waiting to be confirmed."""
    access.ensure(user.role == Role.CLINICIAN)
    return (
        access.patients_visible_to(user)
        .annotate(
            active_supervisors=Count(
                "supervisor_consents",
                filter=active_consent_q("supervisor_consents__"),
                distinct=True,
            ),
            supervisors_to_confirm=Count(
                "supervisor_consents",
                filter=Q(supervisor_consents__status=SupervisorConsent.Status.ACCEPTED),
                distinct=True,
            ),
        )
        .order_by("full_name", "pk")
    )


def patient_get_for(*, user: User, pk: int) -> User:
    """One patient the user may see, or 404."""
    patient = (
        access.patients_visible_to(user)
        .select_related("patient_profile__responsible_clinician")
        .filter(pk=pk)
        .first()
    )
    if patient is None:
        raise Http404
    return patient


def supervised_patient_list_for(*, user: User) -> QuerySet[User]:
    """The patients whose consent to this supervisor is in force right now."""
    access.ensure(user.role == Role.SUPERVISOR)
    return access.patients_visible_to(user).order_by("full_name", "pk")


def consent_list_for_patient(*, user: User) -> QuerySet[SupervisorConsent]:
    """A patient's own supervisor consents, newest first."""
    access.ensure(user.role == Role.PATIENT)
    return (
        access.consents_visible_to(user).select_related("supervisor").order_by("-created_at", "-pk")
    )


def consent_list_for_patient_of(*, user: User, patient: User) -> QuerySet[SupervisorConsent]:
    """The consents of a patient on this clinician's caseload."""
    access.ensure(access.can_manage_patient(user, patient.pk))
    return (
        access.consents_visible_to(user)
        .filter(patient=patient)
        .select_related("supervisor")
        .order_by("-created_at", "-pk")
    )


def consent_get_for(*, user: User, pk: int) -> SupervisorConsent:
    """A consent seen by its patient, its supervisor while it is in force or on its way, or the
    patient's responsible clinician (access.consents_visible_to); 404 otherwise."""
    consent = (
        access.consents_visible_to(user)
        .select_related("patient", "supervisor", "confirmed_by")
        .filter(pk=pk)
        .first()
    )
    if consent is None:
        raise Http404
    return consent


def consent_requests_for_supervisor(*, user: User) -> QuerySet[SupervisorConsent]:
    """Requests still waiting for this supervisor or the patient's clinician. A consent in force
    is an arrangement, listed with the people they support; an ended one is not listed."""
    access.ensure(user.role == Role.SUPERVISOR)
    return (
        access.consent_requests_visible_to(user)
        .select_related("patient")
        .order_by("-created_at", "-pk")
    )


def consents_to_confirm_for(*, user: User) -> QuerySet[SupervisorConsent]:
    """Supervisors who have accepted and wait for this clinician's confirmation."""
    access.ensure(user.role == Role.CLINICIAN)
    return (
        access.consents_visible_to(user)
        .filter(status=SupervisorConsent.Status.ACCEPTED)
        .select_related("patient", "supervisor")
        .order_by("supervisor_accepted_at")
    )


def invitations_sent_by(*, user: User) -> QuerySet[Invitation]:
    """Open invitations this person sent."""
    return Invitation.objects.filter(invited_by=user, status=Invitation.Status.PENDING).order_by(
        "-created_at"
    )


def clinician_choices() -> QuerySet[User]:
    return User.objects.filter(role=Role.CLINICIAN, is_active=True).order_by("full_name")


def patient_with_consents(*, user: User, pk: int) -> User:
    """A patient on this clinician's caseload with their consents loaded in one go."""
    patient = patient_get_for(user=user, pk=pk)
    return (
        User.objects.filter(pk=patient.pk)
        .select_related("patient_profile__responsible_clinician")
        .prefetch_related(
            Prefetch(
                "supervisor_consents",
                queryset=SupervisorConsent.objects.select_related("supervisor").order_by(
                    "-created_at"
                ),
            )
        )
        .get()
    )


def patient_for_staff(*, user: User, pk: int) -> User:
    """Staff manage care teams: any active patient, with their current clinician."""
    access.ensure(access.is_staff_member(user))
    patient = (
        User.objects.filter(role=Role.PATIENT, is_active=True, pk=pk)
        .select_related("patient_profile__responsible_clinician")
        .first()
    )
    if patient is None:
        raise Http404
    return patient
