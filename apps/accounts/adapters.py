"""allauth adapter: no open sign-up (people join by invitation), roles are never chosen."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created from invitations (apps.accounts.services.invitation_accept).
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("core:dashboard")
