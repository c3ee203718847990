"""Print the current six-digit sign-in code for the demo clinician and staff accounts."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from apps.core.demo import DEMO_TOTP_SECRET

PERIOD = 30


class Command(BaseCommand):
    help = "Print the demo authenticator code (demo accounts only)."

    def handle(self, *args: object, **options: object) -> None:
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // PERIOD))
        self.stdout.write(f"{code}  (valid for {PERIOD - now % PERIOD} more seconds)")
