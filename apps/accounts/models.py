"""People, their roles, and the links that let one person see another's record.

- `User`: one role each, e-mail is the login. Roles are set by invitation, never chosen.
- `PatientProfile`: the patient's responsible clinician (the clinician's caseload).
- `Invitation`: single-use, expiring, bound to one e-mail address.
- `SupervisorConsent`: the patient's written permission for one supervisor to see their dose
  schedule and dose outcomes (DOMAIN.md section 9; 42 CFR 2.31 elements).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role
from apps.core.models import BaseModel

TIME_ZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())


class PortalUserManager(UserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.STAFF)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_name = models.CharField(
        _("what should we call you?"),
        max_length=60,
        blank=True,
        help_text=_("Used in greetings. Leave empty to use your full name."),
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/London"
    )
    # A clinician who may change the clinic's clinical thresholds (set by staff, audited).
    is_clinical_lead = models.BooleanField(_("clinical lead"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = PortalUserManager()  # type: ignore[misc]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # Only staff may reach the admin site.
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role=Role.STAFF), name="user_admin_is_staff_role"
            ),
            models.CheckConstraint(
                condition=Q(is_clinical_lead=False) | Q(role=Role.CLINICIAN),
                name="user_clinical_lead_is_clinician",
            ),
        ]

    def __str__(self) -> str:
        # People read as their name wherever Django or allauth shows a user (the admin, "signed
        # in as ..."). Logs never format a user (STYLE.md section 11): they carry ids.
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.email

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_staff_role(self) -> bool:
        return self.role == Role.STAFF


class PatientProfile(BaseModel):
    user = models.OneToOneField(
        User, on_delete=models.PROTECT, primary_key=True, related_name="patient_profile"
    )
    responsible_clinician = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="caseload"
    )
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(user=models.F("responsible_clinician")),
                name="patient_not_own_clinician",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Invitation(BaseModel):
    """An invitation to create an account. The token itself is never stored: it is an HMAC of
    the row id and `nonce` under SECRET_KEY, so a copy of the database alone opens nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be accepted")
        ACCEPTED = "accepted", _("Accepted")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    # For a supervisor invitation: the consent it belongs to.
    consent = models.OneToOneField(
        "SupervisorConsent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitation",
    )
    # For a patient invitation: who will be the responsible clinician.
    clinician = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For a clinician invitation: the account starts with the clinical-lead flag (chosen by staff).
    is_clinical_lead = models.BooleanField(_("clinical lead"), default=False)
    nonce = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF]),
                name="invitation_role_valid",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PATIENT) | Q(clinician__isnull=False),
                name="invitation_patient_has_clinician",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.SUPERVISOR) | Q(consent__isnull=False),
                name="invitation_supervisor_has_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="invitation_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(is_clinical_lead=False) | Q(role=Role.CLINICIAN),
                name="invitation_clinical_lead_is_clinician",
            ),
            # At most one open invitation per address and role.
            models.UniqueConstraint(
                Lower("email"), "role", condition=Q(status="pending"), name="invitation_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.full_name or self.email}"


class ConsentScope(models.TextChoices):
    """What a supervisor may see. The default and only scope today is the dose schedule and
    dose outcomes (DOMAIN.md section 4): never screening answers, test results or notes."""

    DOSES = "doses", _("Your dose schedule and whether each dose was taken")


class SupervisorConsent(BaseModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("Waiting for the supervisor to accept")
        ACCEPTED = "accepted", _("Waiting for your clinician to confirm")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined by the supervisor")
        REVOKED = "revoked", _("Ended")

    patient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervisor_consents")
    supervisor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="supervision_consents"
    )
    supervisor_name = models.CharField(max_length=150)
    supervisor_email = models.EmailField()
    relationship = models.CharField(
        max_length=60, help_text=_("For example: sister, friend, workmate")
    )
    scope = models.CharField(
        max_length=20, choices=ConsentScope.choices, default=ConsentScope.DOSES
    )
    purpose = models.CharField(max_length=200, default="Supervising naltrexone doses")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    # The exact text the patient saw and signed, kept so it can be downloaded later.
    consent_text = models.TextField()
    consent_text_version = models.CharField(max_length=20)
    patient_signed_at = models.DateTimeField()
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty: until the end of treatment.")
    )
    supervisor_accepted_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(patient=models.F("supervisor")), name="consent_not_self"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("starts_at")),
                name="consent_expires_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "active"])
                | (Q(supervisor__isnull=False) & Q(supervisor_accepted_at__isnull=False)),
                name="consent_accepted_has_supervisor",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(confirmed_at__isnull=False),
                name="consent_active_is_confirmed",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="consent_revoked_has_time",
            ),
            # One live link per patient and supervisor.
            models.UniqueConstraint(
                "patient",
                "supervisor",
                condition=Q(status__in=["invited", "accepted", "active"]),
                name="consent_one_live_per_pair",
            ),
        ]
        indexes = [models.Index(fields=("supervisor", "status"), name="consent_supervisor_status")]

    def __str__(self) -> str:
        return f"{self.supervisor_name} supervising {self.patient}"

    @property
    def ended_at(self) -> datetime | None:
        """When the arrangement stopped: ended by someone, or its end date passed (None: it has
        not ended, or it never started because the supervisor said no)."""
        if self.status == self.Status.REVOKED:
            return self.revoked_at
        expires = self.expires_at
        if (
            self.status != self.Status.DECLINED
            and expires is not None
            and expires <= timezone.now()
        ):
            return expires
        return None

    @property
    def is_live(self) -> bool:
        """Invited, accepted or in force, and not past its end date."""
        return self.status not in (self.Status.REVOKED, self.Status.DECLINED) and (
            self.ended_at is None
        )


def active_consent_q(prefix: str = "") -> Q:
    """Q for consents in force right now. Built afresh for every query, so revoking or expiry
    takes effect on the very next request."""
    p = prefix
    now = timezone.now()
    return (
        Q(**{f"{p}status": SupervisorConsent.Status.ACTIVE})
        & Q(**{f"{p}starts_at__lte": now})
        & (Q(**{f"{p}expires_at__isnull": True}) | Q(**{f"{p}expires_at__gt": now}))
    )


__all__ = [
    "ConsentScope",
    "Invitation",
    "PatientProfile",
    "Role",
    "SupervisorConsent",
    "User",
    "active_consent_q",
]
