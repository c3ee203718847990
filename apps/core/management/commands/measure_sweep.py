"""Time the missed-dose sweep over the whole clinic and count its queries, then roll it back.

`python manage.py measure_sweep` prints one line, which `make bench` puts under its table:
"Missed-dose sweep: 0.84 s, 11 queries, 1,700 active plans (...)". The sweep runs inside a
transaction that is rolled back, so nothing is marked missed, no alert is kept and no message is
queued: the figure can be taken again and again on the same clinic.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.dosing.escalation import escalation_sweep
from apps.dosing.models import PlanStatus, TreatmentPlan


class _RollBackError(Exception):
    pass


class Command(BaseCommand):
    help = "Time the missed-dose sweep over every active plan (rolled back: changes nothing)."

    def handle(self, *args: object, **options: object) -> None:
        plans = TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE).count()
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = escalation_sweep()
                seconds = time.perf_counter() - started
                raise _RollBackError
        except _RollBackError:
            pass
        self.stdout.write(
            f"Missed-dose sweep: {seconds:.2f} s, {len(queries.captured_queries)} queries, "
            f"{plans:,} active plans ({result.marked_missed} doses marked missed, "
            f"{result.alerts_created} alerts considered; rolled back)"
        )
