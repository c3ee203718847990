"""At synthetic scale (apps/core/synthetic.py, what `seed_demo --patients` builds: plans with
dose history, alerts, concerns, tasks and appointments) the clinician's pages run the same
number of queries with a caseload of 40 as with 150 (with 10
the synthetic clinic may list nobody ready to start, and a page that lists nobody writes no
read-audit row), beside the 2-vs-10 growth tests of each
app. The read-audit rows of a list are one query however many patients it shows
(apps/core/bulk.py)."""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import synthetic
from apps.dosing.models import TreatmentPlan

CLINICIAN_PAGES = [
    "core:clinician-dashboard",
    "accounts:caseload",
    "escalation:caseload",
    "worklist:task-list",
    "intake:queue",
]


def _counts(client) -> list[int]:
    counts = []
    for name in CLINICIAN_PAGES:
        client.get(reverse(name))  # the same warm state for each page
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name))
        assert response.status_code == 200, name
        counts.append(len(ctx.captured_queries))
    return counts


def test_clinician_pages_queries_do_not_grow_with_the_clinic(client, clinician):
    client.force_login(clinician)
    out = io.StringIO()
    synthetic.build(patients=40, days=60, out=out, first_clinician=clinician)
    small = _counts(client)
    synthetic.build(patients=150, days=60, out=out, first_clinician=clinician)
    # The first hundred synthetic patients are this clinician's (one clinician per hundred).
    assert clinician.caseload.count() >= 100
    assert TreatmentPlan.objects.filter(responsible_clinician=clinician).count() >= 80
    assert _counts(client) == small
