"""The clinical thresholds page and the task close page run a fixed number of queries."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.services import clinical_lead_set
from apps.clinic.services import clinic_thresholds_update
from tests.accounts.test_queries import assert_constant
from tests.intake.conftest import reauthenticate


def test_thresholds_page_queries_do_not_grow_with_its_history(client, clinician, staff):
    lead = clinical_lead_set(actor=staff, user=clinician, is_lead=True)
    client.force_login(lead)
    reauthenticate(client, lead)
    state = {"days": 10}

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            state["days"] = 11 if state["days"] == 10 else 10
            clinic_thresholds_update(
                actor=lead,
                reason="Governance review of fentanyl intervals.",
                fentanyl_free_days=state["days"],
            )

    # session, user, two-factor check, clinic settings, recent changes with their authors
    # (one query), layout and header
    assert_constant(client, [reverse("clinic:thresholds")], grow)
