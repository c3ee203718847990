"""The demo's escalation history: tier-1 and tier-2 alerts from missed doses and one open
supervisor concern, made once however often the demo runs."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.dosing.escalation_models import Alert, Concern, Rule
from apps.worklist.models import Task


def test_demo_has_tier1_and_tier2_alerts_and_one_open_concern(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run on a real site
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # safe to repeat
    rules = set(
        Alert.objects.filter(patient__email="patient@example.org").values_list("rule", flat=True)
    )
    assert {Rule.TIER1_LATE, Rule.TIER2_UNPROTECTED, Rule.TIER3_CONCERN} <= rules
    assert Alert.objects.filter(delivered_at__isnull=True).count() == 0
    assert Concern.objects.count() == 1
    concern_task = Concern.objects.get().task
    assert concern_task is not None
    assert concern_task.status == Task.Status.OPEN
    assert not Task.objects.filter(kind="dosing.unprotected", status="open").exists()
