"""The kinds of notification, one entry each. To add a kind: add it here and write its four
templates (see docs/notifications.md). Kinds are plain strings in the database, so adding one
needs no migration.

Every kind's e-mail subject and SMS text say only that there is something to see in the portal.
Words about treatment (a drug, a diagnosis, a score) may appear only in an e-mail body, and only
for someone who opted in to details: those words come from the kind's `details` function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Channel

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from apps.accounts.models import User
    from apps.notifications.models import Notification

# Extra context for a kind's templates, loaded at send time from the notification's ids.
# Returning None means the message is no longer needed (for example an invitation withdrawn).
ContextBuilder = Callable[["Notification"], dict[str, Any] | None]
# Files for the e-mail, loaded at send time: (file name, content, MIME type) each.
AttachmentBuilder = Callable[["Notification"], list[tuple[str, bytes, str]]]


@dataclass(frozen=True)
class InboxWords:
    """What a notification says inside the portal (behind sign-in), and the page it opens."""

    text: str
    url: str = ""


# The inbox's words for many notifications of one kind at once ({notification pk: words}), as
# `viewer` (their recipient) may see them today: names only of patients `access` still lets them
# see (an ended consent, a deactivated patient: the plain text instead). A fixed number of
# queries however many rows, so the inbox stays cheap. Rows it leaves out fall back to the
# kind's plain text and page.
InboxBuilder = Callable[[list["Notification"], "User"], dict[int, InboxWords]]


@dataclass(frozen=True)
class Kind:
    label: Promise | str
    # Where the message points in the portal: a URL name and {url kwarg: context_ids key}.
    url_name: str = "notifications:inbox"
    url_params: dict[str, str] = field(default_factory=dict)
    # Outside channels this kind may use (in-app is always on for people with an account).
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.SMS)
    # May callers mark it urgent? Only alerts to clinicians are ever sent during quiet hours.
    allow_urgent: bool = False
    # Dotted path of a ContextBuilder: extra context for every message of this kind.
    context: str = ""
    # Dotted path of a ContextBuilder: details shown in e-mail bodies to people who opted in.
    details: str = ""
    # Dotted path of an AttachmentBuilder: files attached to the e-mail (calendar files).
    attachments: str = ""
    # Dotted path of an InboxBuilder: what happened, in the portal only (names, what the task
    # is), and the exact page it is about. Never used for e-mail or text messages.
    inbox: str = ""


KINDS: dict[str, Kind] = {
    # To a person without an account yet: e-mail only, the link is the invitation itself.
    "invitation": Kind(
        label=_("Invitation to the portal"),
        channels=(Channel.EMAIL,),
        context="apps.notifications.builders.invitation_context",
    ),
    # To the responsible clinician: a supervisor accepted and waits to be confirmed.
    "supervisor_accepted": Kind(
        label=_("A supervisor is waiting to be confirmed"),
        url_name="accounts:patient-detail",
        url_params={"patient_id": "patient"},
        inbox="apps.notifications.builders.supervisor_accepted_inbox",
    ),
    # To the responsible clinician: a supervised dose was missed (sent by the dosing part).
    "missed_dose_alert": Kind(
        label=_("A patient needs follow-up"),
        url_name="accounts:patient-detail",
        url_params={"patient_id": "patient"},
        allow_urgent=True,
        inbox="apps.notifications.builders.missed_dose_alert_inbox",
    ),
    # To the assigned clinician: a new worklist task (urgent ones, such as a self-harm answer at
    # intake, skip quiet hours).
    "clinician_task": Kind(
        label=_("A new task on your worklist"),
        url_name="worklist:task-list",
        allow_urgent=True,
        inbox="apps.worklist.messages.task_inbox",
    ),
    # To a patient whose protection from the last dose has run out (tier 2, apps/dosing/
    # escalation.py): the overdose-risk safety message waits on their dashboard.
    "unprotected_safety": Kind(
        label=_("An important message about your safety"), url_name="core:patient-dashboard"
    ),
    # To a supervisor: please check in with the person you support (tier 2).
    "supervision_check_in": Kind(
        label=_("Please check in with someone you support"),
        url_name="accounts:supervised-patient-detail",
        url_params={"patient_id": "patient"},
        inbox="apps.notifications.builders.supervision_check_in_inbox",
    ),
    # To a patient or supervisor: a dose is due soon (sent by the dosing part).
    "dose_reminder": Kind(label=_("Reminder")),
    # Counselling appointments (apps/counselling). Subjects and calendar text say "Appointment at
    # <clinic>" and nothing about what it is for. E-mails carry a calendar file (.ics).
    "appointment_confirmed": Kind(
        label=_("Appointment booked"),
        url_name="counselling:session-list",
        context="apps.counselling.messages.booking_context",
        attachments="apps.counselling.messages.booking_attachments",
        inbox="apps.counselling.messages.booking_inbox",
    ),
    "appointment_changed": Kind(
        label=_("Appointment moved"),
        url_name="counselling:session-list",
        context="apps.counselling.messages.booking_context",
        attachments="apps.counselling.messages.booking_attachments",
        inbox="apps.counselling.messages.booking_inbox",
    ),
    "appointment_cancelled": Kind(
        label=_("Appointment cancelled"),
        url_name="counselling:session-list",
        context="apps.counselling.messages.booking_context",
        attachments="apps.counselling.messages.booking_attachments",
        inbox="apps.counselling.messages.booking_inbox",
    ),
    "appointment_reminder": Kind(
        label=_("Appointment reminder"),
        url_name="counselling:session-list",
        context="apps.counselling.messages.booking_context",
        inbox="apps.counselling.messages.booking_inbox",
    ),
    # To a family member or supervisor the patient invited: time and place only, e-mail only.
    "appointment_invitation": Kind(
        label=_("Invitation to an appointment"),
        url_name="core:home",
        channels=(Channel.EMAIL,),
        context="apps.counselling.messages.booking_context",
        attachments="apps.counselling.messages.booking_attachments",
    ),
    # To a patient on the waiting list: an earlier appointment is free (first to accept wins).
    "appointment_offer": Kind(
        label=_("An earlier appointment is free"),
        url_name="counselling:session-list",
        context="apps.counselling.messages.offer_context",
    ),
    # To every active staff member: a delivery failed for good and needs a look (the admin's
    # failed deliveries). Raised by the outbox itself; an alert about a failed alert is not sent.
    "delivery_failed": Kind(
        label=_("A message could not be delivered"),
        url_name="admin:notifications_delivery_changelist",
        channels=(Channel.EMAIL,),
    ),
    # The sign-in system's e-mails (apps/accounts/adapters.py): always e-mail, to the address
    # allauth names, whatever the person's preferences and quiet hours; links made at send time.
    "account_password_reset": Kind(
        label=_("Reset your password"),
        channels=(Channel.EMAIL,),
        context="apps.notifications.builders.password_reset_context",
    ),
    "account_email_confirmation": Kind(
        label=_("Confirm your e-mail address"),
        channels=(Channel.EMAIL,),
        context="apps.notifications.builders.email_confirmation_context",
    ),
    # A reset asked for an address without an account (the same answer either way).
    "account_unknown": Kind(
        label=_("Reset your password"), url_name="core:home", channels=(Channel.EMAIL,)
    ),
    # A security notice: password changed, two-factor turned on, and so on.
    "account_notice": Kind(
        label=_("A change to your account"),
        url_name="accounts:profile",
        channels=(Channel.EMAIL,),
        context="apps.notifications.builders.account_notice_context",
        inbox="apps.notifications.builders.account_notice_inbox",
    ),
    # To a patient whose treatment has stopped or ended: the overdose-and-tolerance safety message
    # (DOMAIN.md section 6, message 3) waits on their dashboard (sent by the dosing part).
    "treatment_safety": Kind(
        label=_("An important message about your safety"), url_name="core:patient-dashboard"
    ),
    # To a supervisor: the supervised treatment has changed (stopped or ended).
    "supervision_update": Kind(
        label=_("An update about someone you support"),
        url_name="accounts:supervised-patient-detail",
        url_params={"patient_id": "patient"},
        inbox="apps.notifications.builders.supervision_update_inbox",
    ),
    # A plain "there is something new in the portal", for parts without their own kind yet.
    "portal_update": Kind(label=_("Something new in the portal")),
}


def kind_get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown notification kind {name!r}: add it to KINDS.") from None
