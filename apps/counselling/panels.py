"""Dashboard panels: the patient's next session and due-by nudge, the clinician's day, and for a
supervisor only the appointments they were invited to."""

from __future__ import annotations

from django.utils import timezone

from apps.accounts.models import User
from apps.core.panels import Panel
from apps.counselling import presenters, selectors
from apps.counselling.models import Booking


def patient_next_session(user: User) -> Panel | None:
    """'Your next appointment is ...', or 'your next counselling session is due by ...' with a
    book button (four queries)."""
    now = timezone.now()
    upcoming = (
        Booking.objects.filter(patient=user, status=Booking.Status.BOOKED, ends_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    due = selectors.due_for(user, now=now)
    if upcoming is None and (due is None or due.due_by is None):
        return None
    context = {
        "next": presenters.booking_row(upcoming, viewer=user) if upcoming else None,
        "due_by": presenters.date_text(due.due_by) if due and not upcoming else "",
        "is_overdue": bool(due and due.is_overdue and not upcoming),
    }
    return Panel(template="counselling/_patient_panel.html", context=context, order=15)


def clinician_today(user: User) -> Panel | None:
    """Today's sessions and how many patients on the caseload are overdue for one."""
    today = selectors.sessions_on_day_for(user=user)
    overdue = selectors.overdue_patients_for(user=user)
    context = {
        "today": [presenters.booking_row(b, viewer=user) for b in today],
        "overdue_count": len(overdue),
    }
    return Panel(template="counselling/_clinician_panel.html", context=context, order=30)


def supervisor_invited(user: User) -> Panel | None:
    """Nothing about anyone's sessions, unless this person was invited to one (time and place)."""
    sessions = selectors.invited_sessions_for(user=user)
    if not sessions:
        return None
    rows = [presenters.booking_row(b, viewer=user) for b in sessions]
    return Panel(template="counselling/_invited_panel.html", context={"rows": rows}, order=40)
