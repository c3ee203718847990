"""Context builders named in kinds.py: they load what a message needs from its ids at send time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.accounts import access
from apps.accounts import services as account_services
from apps.accounts.models import Invitation, User
from apps.notifications.kinds import InboxWords
from apps.notifications.models import Notification


def invitation_context(notification: Notification) -> dict[str, Any] | None:
    """The invitation link is recomputed here from the row, so no token travels in a task or
    sits in the outbox. A withdrawn or used invitation needs no e-mail."""
    invitation = (
        Invitation.objects.select_related("consent__patient")
        .filter(pk=notification.context_ids.get("invitation"), status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return None
    return {
        "invitation": invitation,
        "link": account_services.invitation_url(invitation),
        "recipient_name": invitation.full_name,
        "patient_first_name": (
            invitation.consent.patient.display_name if invitation.consent else ""
        ),
        "expiry_days": settings.INVITATION_EXPIRY_DAYS,
    }


# --- The sign-in system's e-mails (allauth), sent through the outbox -----------------------------
# allauth hands the adapter a rendered link; the outbox stores only ids, and the link is made
# again here at send time (the reset token and the confirmation key are both recomputable), so no
# token is ever stored or queued.


def password_reset_context(notification: Notification) -> dict[str, Any] | None:
    from allauth.account import app_settings as allauth_settings
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    from apps.accounts.models import User

    user = User.objects.filter(pk=notification.context_ids.get("user"), is_active=True).first()
    if user is None:
        return None
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    key = f"{user_pk_to_url_str(user)}-{token}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return {"link": f"{settings.SITE_URL}{path.replace('UID-KEY', key)}"}


def email_confirmation_context(notification: Notification) -> dict[str, Any] | None:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from django.urls import reverse

    address = EmailAddress.objects.filter(
        pk=notification.context_ids.get("address"), verified=False
    ).first()
    if address is None:
        return None  # confirmed already, or removed: nothing to confirm
    key = EmailConfirmationHMAC(address).key
    return {"link": f"{settings.SITE_URL}{reverse('account_confirm_email', args=[key])}"}


# What each of allauth's security notices says (the body's message; never in a subject).
ACCOUNT_NOTICES: dict[str, Promise | str] = {
    "password_changed": _("The password of your account was changed."),
    "password_set": _("A password was set for your account."),
    "password_reset": _("The password of your account was reset."),
    "email_changed": _("The e-mail address of your account was changed."),
    "email_confirm": _("An e-mail address of your account was confirmed."),
    "email_deleted": _("An e-mail address was removed from your account."),
    "account_already_exists": _(
        "Someone tried to set up an account with this e-mail address, "
        "which already has one. You can sign in, or reset your password from the sign-in page."
    ),
    "totp_activated": _("Two-factor sign-in with an authenticator app was turned on."),
    "totp_deactivated": _("Two-factor sign-in with an authenticator app was turned off."),
    "recovery_codes_generated": _("New recovery codes were made for your account."),
    "webauthn_added": _("A security key was added to your account."),
    "webauthn_removed": _("A security key was removed from your account."),
}


def account_notice_context(notification: Notification) -> dict[str, Any] | None:
    from django.urls import reverse

    notice = str(notification.context_ids.get("notice", ""))
    return {
        "notice": ACCOUNT_NOTICES.get(notice, _("There was a change to your account.")),
        "link": f"{settings.SITE_URL}{reverse('account_login')}",
    }


# --- Inbox words (in the portal only: never in an e-mail or a text message) --------------------


def _patient_names(notifications: list[Notification], viewer: User) -> dict[int, str]:
    """The names of the patients these notifications are about that the viewer may still see
    (access.patients_visible_to), in one query."""
    ids = {n.context_ids.get("patient") for n in notifications} - {None}
    visible = access.patients_visible_to(viewer).filter(pk__in=ids)
    return dict(visible.values_list("pk", "full_name"))


def _named(notifications: list[Notification], viewer: User, sentence: str) -> dict[int, InboxWords]:
    names = _patient_names(notifications, viewer)
    found: dict[int, InboxWords] = {}
    for n in notifications:
        name = names.get(n.context_ids.get("patient", 0))
        if name:
            found[n.pk] = InboxWords(text=sentence.format(name=name))
    return found


def missed_dose_alert_inbox(
    notifications: list[Notification], viewer: User
) -> dict[int, InboxWords]:
    return _named(notifications, viewer, "{name} may need follow-up today after a missed dose.")


def supervision_check_in_inbox(
    notifications: list[Notification], viewer: User
) -> dict[int, InboxWords]:
    return _named(
        notifications,
        viewer,
        "No dose has been recorded for {name} since their last one wore off. Please check in "
        "with them today. If they are very drowsy or their breathing is slow, use the naloxone "
        "kit and call 999.",
    )


def supervision_update_inbox(
    notifications: list[Notification], viewer: User
) -> dict[int, InboxWords]:
    return _named(
        notifications, viewer, "{name}'s treatment has stopped or ended. Their page has the latest."
    )


def supervisor_accepted_inbox(
    notifications: list[Notification], viewer: User
) -> dict[int, InboxWords]:
    """'Sue Supervisor has agreed to supervise Pat Patient's doses: confirm them.'"""
    ids = {n.context_ids.get("consent") for n in notifications} - {None}
    consents = {
        c.pk: c
        for c in access.consents_visible_to(viewer)
        .filter(pk__in=ids)
        .select_related("patient")
        .only("pk", "supervisor_name", "patient__full_name")
    }
    found: dict[int, InboxWords] = {}
    for n in notifications:
        consent = consents.get(n.context_ids.get("consent", 0))
        if consent is not None:
            found[n.pk] = InboxWords(
                text=f"{consent.supervisor_name} has agreed to supervise "
                f"{consent.patient.full_name}'s doses and is waiting for you to confirm them."
            )
    return found


def account_notice_inbox(notifications: list[Notification], viewer: User) -> dict[int, InboxWords]:
    """'The password of your account was changed. If this was not you, ...' (no queries)."""
    return {
        n.pk: InboxWords(
            text=f"{ACCOUNT_NOTICES.get(str(n.context_ids.get('notice', '')), '')} "
            "If this was not you, contact the clinic straight away.".strip()
        )
        for n in notifications
        if str(n.context_ids.get("notice", "")) in ACCOUNT_NOTICES
    }
