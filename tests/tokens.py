"""App sign-in for tests: a real allauth headless sign-in (`app_sign_in`), or a token for a
persona without the form (`token_for`, the app's equivalent of `client.force_login`)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from apps.accounts.session_rules import start_clocks
from tests.conftest import PASSWORD

APP_LOGIN = "/_allauth/app/v1/auth/login"


def app_sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    """Sign in as an app does; returns the response (its JSON has meta.session_token)."""
    return client.post(
        APP_LOGIN, json.dumps({"email": email, "password": password}), "application/json"
    )


def token_for(user: Any) -> str:
    """A signed-in app session for `user`, as allauth headless stores one."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    start_clocks(store)
    store.create()
    assert store.session_key is not None
    return store.session_key
