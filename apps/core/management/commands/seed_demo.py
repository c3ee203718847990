"""Load the demo clinic, through the services, so audit rows and side effects are real.

Idempotent: each step checks for what it would create, so running it twice changes nothing.
Each app with demo data has `apps/<app>/demo.py` with `seed(demo)`; they run in DEMO_STEPS order.
"""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, Demo

# Order matters: later steps use people made by earlier ones.
DEMO_STEPS = [
    "apps.accounts.demo",
    "apps.intake.demo",
    "apps.content.demo",
    "apps.notifications.demo",
    "apps.dosing.demo",
    "apps.dosing.escalation_demo",
]


class Command(BaseCommand):
    help = "Create the demo clinic (safe to run more than once)."

    def handle(self, *args: object, **options: object) -> None:
        demo = Demo(out=self.stdout)
        with transaction.atomic():
            for module in DEMO_STEPS:
                import_module(module).seed(demo)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready. Every demo account's password is {DEMO_PASSWORD!r}. "
                f"Clinician and staff sign in with an authenticator app set up with the key "
                f"{DEMO_TOTP_SECRET}."
            )
        )
