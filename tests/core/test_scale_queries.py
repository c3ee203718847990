"""At synthetic scale (apps/core/synthetic.py, what `seed_demo --patients` builds) the clinician's
pages run the same number of queries with a caseload of 40 as with 80, beside the 2-vs-10 growth
tests of each app. (40: with only 10 the synthetic clinic may have nobody ready to start, and a
dashboard that shows nobody writes no read-audit rows, one query fewer.) (80, not more: on SQLite Django splits a bulk insert of read-audit rows every
90 rows, a limit of SQLite's; PostgreSQL takes them in one statement.)"""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import synthetic

CLINICIAN_PAGES = [
    "core:clinician-dashboard",
    "accounts:caseload",
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
    synthetic.build(patients=80, days=60, out=out, first_clinician=clinician)
    assert clinician.caseload.count() >= 80
    assert _counts(client) == small
