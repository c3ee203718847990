"""Demo notifications: something in each demo person's inbox, and quiet hours for one supervisor.
Through the services; the unique event keys make a second run change nothing."""

from __future__ import annotations

from datetime import time

from apps.core.demo import Demo
from apps.notifications import services


def seed(demo: Demo) -> None:
    for email in (
        "patient@example.org",
        "patient2@example.org",
        "supervisor@example.org",
        "clinician@example.org",
        "staff@example.org",
    ):
        person = demo.people.get(email)
        if person is not None:
            services.notification_queue(
                recipient=person, kind="portal_update", event_key="demo:welcome"
            )
    supervisor = demo.people.get("supervisor@example.org")
    if supervisor is not None and services.preference_for(supervisor).quiet_start is None:
        services.preference_update(
            actor=supervisor,
            email_enabled=True,
            sms_enabled=False,
            sms_number="",
            quiet_start=time(22, 0),
            quiet_end=time(7, 0),
            include_details=False,
        )
        demo.say("Set quiet hours 22:00-07:00 for supervisor@example.org")
