"""Routes for escalation (concerns, closing urgent dosing tasks). Kept apart from the dosing
pages' routes so each part can change without the other."""

from django.urls import path

from apps.dosing import escalation_views as views
from apps.dosing import override_views

app_name = "escalation"

urlpatterns = [
    path("supervising/<int:patient_id>/concern/", views.concern_create, name="concern-create"),
    path("tasks/<int:urgent_task_id>/close/", views.task_close, name="task-close"),
    path("caseload/", views.caseload, name="caseload"),
    path("my-mood/", views.mood_check, name="mood-check"),
    path(
        "patients/<int:patient_id>/thresholds/",
        override_views.override_edit,
        name="override-edit",
    ),
]
