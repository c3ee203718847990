"""The review queue's flag reads the gates as they stand now: a result recorded after the
questionnaire was sent is taken into account (no stale "Blocked gates")."""

from __future__ import annotations

from django.urls import reverse

from apps.intake.selectors import intake_queue_for
from tests.intake.conftest import record_clean_tests


def _flag(clinician, patient) -> str | None:
    row = intake_queue_for(user=clinician).get(pk=patient.pk)
    return row.latest_overall  # type: ignore[attr-defined]


def test_the_queue_flag_follows_results_recorded_after_submission(client, submitted, clinician):
    assert _flag(clinician, submitted) == "block"  # no test results yet
    record_clean_tests(clinician, submitted)
    # Clean results: only supervision and the safety acknowledgement are still to come, and they
    # hold back the first dose, not the decision.
    assert _flag(clinician, submitted) == "warn"
    client.force_login(clinician)
    body = client.get(reverse("intake:queue")).content.decode()
    assert "Blocked gates" not in body
