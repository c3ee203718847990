"""The content app's dashboard panels (see apps/core/panels.py).

- `safety_messages_panel`: asks a patient to read and acknowledge the current safety messages.
- `overdose_panel`: the urgent overdose and tolerance message (DOMAIN.md section 6, message 3).
  The dosing app decides *when* it shows: it sets `PROTECTION_FACTS_PROVIDER` to a function
  `(patient_id: int) -> ProtectionFacts | None`, and `overdose_risk` turns those facts into a
  reason (or None). Until then the panel never shows and costs no query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.module_loading import import_string

from apps.content import selectors
from apps.core.panels import Panel

if TYPE_CHECKING:
    from apps.accounts.models import User

OVERDOSE_PANEL_TEMPLATE = "content/_overdose_panel.html"
SAFETY_PANEL_TEMPLATE = "content/_safety_panel.html"

# Dotted path of the function that reports a patient's protection (set by the dosing app).
PROTECTION_FACTS_PROVIDER: str | None = None


class OverdoseReason(StrEnum):
    TREATMENT_STOPPED = "treatment_stopped"
    UNPROTECTED = "unprotected"  # the protection of the last dose taken has run out


@dataclass(frozen=True)
class ProtectionFacts:
    """What the dose log knows. `protected_until` is the end of the last taken dose's blockade
    (None when no dose has been taken yet)."""

    treatment_stopped: bool = False
    protected_until: datetime | None = None


def overdose_risk(facts: ProtectionFacts, *, now: datetime | None = None) -> OverdoseReason | None:
    """Why the patient should see the overdose warning now, or None.

    Shown when treatment has stopped, or when the protection of the last dose has passed with no
    new dose recorded (DOMAIN.md section 4, tier 2): tolerance falls fast, so a former usual
    amount of opioid can kill."""
    if facts.treatment_stopped:
        return OverdoseReason.TREATMENT_STOPPED
    now = now or timezone.now()
    if facts.protected_until is not None and facts.protected_until <= now:
        return OverdoseReason.UNPROTECTED
    return None


def overdose_panel(reason: OverdoseReason) -> Panel:
    """The urgent panel, for any page or dashboard that needs it."""
    return Panel(template=OVERDOSE_PANEL_TEMPLATE, context={"reason": str(reason)}, order=0)


@cache
def _facts_provider() -> Callable[[int], ProtectionFacts | None] | None:
    return import_string(PROTECTION_FACTS_PROVIDER) if PROTECTION_FACTS_PROVIDER else None


def overdose_panel_for(user: User) -> Panel | None:
    """Patient dashboard provider: the overdose panel when the dose log says the patient is at
    risk."""
    provider = _facts_provider()
    if provider is None:
        return None
    facts = provider(user.pk)
    reason = overdose_risk(facts) if facts is not None else None
    return overdose_panel(reason) if reason is not None else None


def safety_messages_panel_for(user: User) -> Panel | None:
    """Patient dashboard provider: a reminder while the current safety messages are not yet
    acknowledged (one query)."""
    status = selectors.safety_status_for(patient_id=user.pk)
    if status is None or status.acknowledged:
        return None
    return Panel(
        template=SAFETY_PANEL_TEMPLATE,
        context={"is_update": status.has_earlier_acknowledgement},
        order=5,
    )
