"""The four roles. One per user, set by invitation or by staff, never by the user."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    SUPERVISOR = "supervisor", _("Supervisor")
    CLINICIAN = "clinician", _("Clinician")
    STAFF = "staff", _("Clinic staff")


# Roles that see many patients' records: they must use two-factor sign-in, and time out sooner.
PRIVILEGED_ROLES = frozenset({Role.CLINICIAN, Role.STAFF})
