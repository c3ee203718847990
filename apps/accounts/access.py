"""The one place that knows about roles and care links.

Two questions, asked by views, the API, services and tasks alike:
- *May this role use this page?*  `@role_required` (HTML) / `HasRole` (API): wrong role -> 403.
- *May this user see this patient?*  `can_view_patient` / `can_supervise` and the querysets in
  `patients_visible_to`: selectors filter by them, so an invisible row is 404, not 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework.permissions import BasePermission

from apps.accounts.models import PatientProfile, SupervisorConsent, User, active_consent_q
from apps.accounts.roles import PRIVILEGED_ROLES, Role

__all__ = [
    "PRIVILEGED_ROLES",
    "HasRole",
    "Role",
    "can_change_thresholds",
    "can_manage_patient",
    "can_supervise",
    "can_view_patient",
    "consent_has_ended_for",
    "consents_visible_to",
    "ensure",
    "is_staff_member",
    "patients_managed_by",
    "patients_visible_to",
    "public",
    "role_required",
]

V = TypeVar("V", bound=Callable[..., HttpResponse])

ACCESS_ATTR = "portal_access"


def public(view: V) -> V:
    """Mark a view as open to everyone, signed in or not."""
    setattr(view, ACCESS_ATTR, ("public",))
    return view


def role_required(*roles: Role) -> Callable[[V], V]:
    """Allow only signed-in users with one of `roles`. Anonymous users go to sign-in; a signed-in
    user with another role gets 403."""
    if not roles:
        raise ValueError("Name at least one role.")

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "role", None) not in {str(r) for r in roles}:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, tuple(str(r) for r in roles))
        return cast(V, wrapper)

    return decorator


def ensure(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


class HasRole(BasePermission):
    """DRF permission: `permission_classes = [HasRole.of(Role.CLINICIAN)]`."""

    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, *roles: Role) -> type[HasRole]:
        return type("HasRole", (cls,), {"roles": tuple(str(r) for r in roles)})

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role in self.roles)


# --- Care links ---------------------------------------------------------------------------------


def _active_consents() -> QuerySet[SupervisorConsent]:
    return SupervisorConsent.objects.filter(active_consent_q())


def _pending_consent_q() -> Q:
    """Requests still on their way (waiting for the supervisor or the clinician), not expired."""
    now = timezone.now()
    return Q(status__in=(SupervisorConsent.Status.INVITED, SupervisorConsent.Status.ACCEPTED)) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def consent_requests_visible_to(user: User) -> QuerySet[SupervisorConsent]:
    """The consents this user may open that are still requests (waiting for the supervisor or
    the clinician), never one already in force or ended."""
    return consents_visible_to(user).filter(_pending_consent_q())


def is_staff_member(user: Any) -> bool:
    """An active account with the staff role (the admin's and staff pages' question)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) == Role.STAFF
    )


def can_supervise(user: User, patient_id: int) -> bool:
    """A supervisor with a consent in force for this (active) patient."""
    if user.role != Role.SUPERVISOR:
        return False
    return (
        _active_consents()
        .filter(supervisor_id=user.pk, patient_id=patient_id, patient__is_active=True)
        .exists()
    )


def can_manage_patient(user: User, patient_id: int) -> bool:
    """The (active) patient's responsible clinician."""
    if user.role != Role.CLINICIAN:
        return False
    return PatientProfile.objects.filter(
        user_id=patient_id, user__is_active=True, responsible_clinician_id=user.pk
    ).exists()


def can_change_thresholds(user: User) -> bool:
    """The clinic's clinical thresholds are changed by clinicians with the clinical-lead flag,
    never by staff (who keep the clinic's name, contact numbers and colours)."""
    return user.role == Role.CLINICIAN and user.is_clinical_lead and user.is_active


def patients_managed_by(user: User) -> QuerySet[User]:
    """The active patients for whom this user is the responsible clinician (empty otherwise)."""
    if user.role != Role.CLINICIAN:
        return User.objects.none()
    return patients_visible_to(user)


def consents_visible_to(user: User) -> QuerySet[SupervisorConsent]:
    """Consents this user may open: a patient's own; a responsible clinician's patients'; and for
    a supervisor only those in force or still on their way to them, never an ended one (the
    record, with the patient's full name, is no longer theirs to see). A deactivated patient's
    consents are nobody's."""
    consents = SupervisorConsent.objects.filter(patient__is_active=True)
    if user.role == Role.PATIENT:
        return consents.filter(patient_id=user.pk)
    if user.role == Role.CLINICIAN:
        return consents.filter(patient__in=patients_managed_by(user))
    if user.role == Role.SUPERVISOR:
        return consents.filter(supervisor_id=user.pk).filter(
            active_consent_q() | _pending_consent_q()
        )
    return consents.none()


def consent_has_ended_for(user: User, consent_id: int) -> bool:
    """A supervisor's own consent that is no longer in force (ended, declined or expired): they
    may be told that it has ended, and nothing more."""
    if user.role != Role.SUPERVISOR:
        return False
    return (
        SupervisorConsent.objects.filter(pk=consent_id, supervisor_id=user.pk)
        .exclude(pk__in=consents_visible_to(user).values("pk"))
        .exists()
    )


def can_view_patient(user: User, patient_id: int) -> bool:
    """The patient, their responsible clinician, or a supervisor they consented to."""
    if user.pk == patient_id:
        return user.role == Role.PATIENT
    return can_manage_patient(user, patient_id) or can_supervise(user, patient_id)


def patients_visible_to(user: User) -> QuerySet[User]:
    """Patients whose records this user may open (empty for anyone without a care link).
    Staff manage accounts and care links in the admin; they are not on any patient's care team."""
    patients = User.objects.filter(role=Role.PATIENT, is_active=True)
    if user.role == Role.PATIENT:
        return patients.filter(pk=user.pk)
    if user.role == Role.CLINICIAN:
        return patients.filter(patient_profile__responsible_clinician_id=user.pk)
    if user.role == Role.SUPERVISOR:
        return patients.filter(
            Exists(_active_consents().filter(patient_id=OuterRef("pk"), supervisor_id=user.pk))
        )
    return patients.none()
