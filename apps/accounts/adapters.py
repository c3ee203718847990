"""allauth adapter: no open sign-up (people join by invitation), roles are never chosen, and
allauth's e-mails (password reset, address confirmation, security notices) go through the
notification outbox: the same retries, the same lock-screen privacy, no token stored."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.http import HttpRequest
from django.urls import reverse

PREFIX = "account/email/"
# Messages that carry a one-time code made in the request: nothing can remake them at send time.
# The portal does not turn these on (sign-in by code, reset by code); if it ever does, they are
# sent at once, as allauth does.
_SENT_DIRECTLY = {"login_code", "password_reset_code", "email_confirmation_code"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created from invitations (apps.accounts.services.invitation_accept).
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("core:dashboard")

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Queue the message in the outbox instead of sending it inside the request. Only ids go
        in: the links are made again when the message is sent."""
        from apps.notifications.services import notification_queue

        name = template_prefix.removeprefix(PREFIX).removeprefix("mfa/email/")
        name = name.rsplit("/", 1)[-1]
        if name in _SENT_DIRECTLY:
            super().send_mail(template_prefix, email, context)
            return
        user = context.get("user")
        # Every request is its own event: asking twice for a reset sends two e-mails.
        event_key = f"{name[:30]}:{uuid.uuid4().hex}"
        if name == "password_reset_key" and user is not None:
            kind, ids = "account_password_reset", {"user": user.pk}
        elif name.startswith("email_confirmation") and user is not None:
            address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
            if address is None:
                return
            kind, ids = "account_email_confirmation", {"address": address.pk}
        elif name == "unknown_account":
            kind, ids = "account_unknown", {}
        else:
            kind, ids = "account_notice", {"notice": name[:64]}
        notification_queue(to_address=email, kind=kind, event_key=event_key, context_ids=ids)


def user_display(user: Any) -> str:
    """How allauth names a person on its pages and messages ("Signed in as Sam"): the name they
    asked to be called, never an id."""
    return str(getattr(user, "display_name", "") or user)
