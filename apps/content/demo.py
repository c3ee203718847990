"""Demo content steps. The help content and safety messages themselves ship in migrations; here
one demo patient has already acknowledged the safety messages, and the other has not, so both
journeys can be seen."""

from __future__ import annotations

from apps.content import selectors, services
from apps.core.demo import Demo

# Both patients in treatment have acknowledged (the first dose needs it); new.patient@example.org
# is asked at sign-in.
ACKNOWLEDGED = ["patient@example.org", "patient2@example.org"]


def seed(demo: Demo) -> None:
    current = selectors.safety_version_current()
    if current is None:
        return
    for email in ACKNOWLEDGED:
        patient = demo.people[email]
        if not selectors.has_acknowledged_current_safety(patient_id=patient.pk):
            services.safety_acknowledge(actor=patient, version=current)
            demo.say(f"{email} acknowledged safety messages version {current.version}")
