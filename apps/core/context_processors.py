"""What every page needs: the clinic's name and colours, and the navigation for the user's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.accounts.roles import Role
from apps.clinic.selectors import clinic_settings_get

NAV: dict[str, list[tuple[str, str]]] = {
    "": [  # signed out
        ("core:home", "Home"),
        ("content:faq-public", "Help and information"),
    ],
    Role.PATIENT: [
        ("core:patient-dashboard", "Home"),
        ("intake:task-list", "Questionnaire"),
        ("accounts:consent-list", "Supervisors"),
        ("accounts:disclosure-list", "Who has seen my record"),
        ("content:alert-card-mine", "Alert card"),
        ("content:faq-portal", "Help and information"),
        ("accounts:profile", "Your details"),
    ],
    Role.SUPERVISOR: [
        ("core:supervisor-dashboard", "Home"),
        ("content:faq-portal", "Help and information"),
        ("accounts:profile", "Your details"),
    ],
    Role.CLINICIAN: [
        ("core:clinician-dashboard", "Home"),
        ("accounts:caseload", "Caseload"),
        ("intake:queue", "Intake queue"),
        ("worklist:task-list", "Worklist"),
        ("content:faq-portal", "Help and information"),
        ("accounts:profile", "Your details"),
    ],
    Role.STAFF: [
        ("admin:index", "Administration"),
        ("accounts:staff-invite", "Invite staff"),
        ("content:faq-portal", "Help and information"),
        ("content:faq-review-list", "Help content to review"),
        ("accounts:profile", "Your details"),
    ],
}


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    nav = NAV.get(role or "", [])
    if role == Role.CLINICIAN and getattr(user, "is_clinical_lead", False):
        nav = [*nav[:-2], ("clinic:thresholds", "Clinical thresholds"), *nav[-2:]]
    return {
        "clinic": clinic_settings_get(),
        "nav_items": nav,
        "user_role": role,
    }
