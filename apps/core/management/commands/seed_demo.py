"""Load the demo clinic, through the services, so audit rows and side effects are real.

Idempotent: each step checks for what it would create, so running it twice changes nothing.
Each app with demo data has `apps/<app>/demo.py` with `seed(demo)`; they run in DEMO_STEPS order.

`--patients N --days D` then adds a synthetic clinic of N patients in bulk (apps/core/synthetic.py)
for benchmarks and scale tests; without them, only the small demo clinic.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, Demo

# Order matters: later steps use people made by earlier ones.
DEMO_STEPS = [
    "apps.accounts.demo",
    "apps.intake.demo",
    "apps.content.demo",
    "apps.notifications.demo",
    "apps.counselling.demo",
    "apps.dosing.demo",
    "apps.dosing.escalation_demo",
]


class Command(BaseCommand):
    help = "Create the demo clinic (safe to run more than once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients",
            type=int,
            default=0,
            help="Also build a synthetic clinic with this many patients (bulk; for benchmarks).",
        )
        parser.add_argument(
            "--days", type=int, default=365, help="Days of history for the synthetic clinic."
        )

    def handle(self, *args: object, **options: object) -> None:
        # The demo accounts have published passwords and authenticator keys: never on a real site.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with published passwords and authenticator keys, so "
                "it runs only with DEBUG=true (a development machine), never on a real site."
            )
        demo = Demo(out=self.stdout)
        with transaction.atomic():
            for module in DEMO_STEPS:
                import_module(module).seed(demo)
        patients = int(str(options.get("patients") or 0))
        if patients > 0:
            from apps.core import synthetic

            started = time.monotonic()
            self.stdout.ending = ""  # the progress bars write their own line ends
            try:
                made = synthetic.build(
                    patients=patients, days=int(str(options.get("days") or 365)), out=self.stdout
                )
            finally:
                self.stdout.ending = "\n"
            self.stdout.write(
                f"Synthetic clinic: {made} patients added in {time.monotonic() - started:.1f} s."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready. Every demo account's password is {DEMO_PASSWORD!r}. "
                f"Clinician and staff sign in with an authenticator app set up with the key "
                f"{DEMO_TOTP_SECRET}."
            )
        )
