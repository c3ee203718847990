from django.urls import path

from apps.dosing import views

app_name = "dosing"

urlpatterns = [
    # Patient
    path("my-doses/", views.my_doses, name="my-doses"),
    path("my-doses/naloxone-kit/", views.naloxone_kit, name="naloxone-kit"),
    # Supervisor: the dose page is served at accounts:supervised-patient-detail (see apps.py).
    # Patient, supervisor, clinician
    path("doses/<int:dose_id>/record/", views.dose_record, name="dose-record"),
    # Clinician
    path("patients/<int:patient_id>/plan/new/", views.plan_create, name="plan-create"),
    path("patients/<int:patient_id>/timeline/", views.timeline, name="timeline"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:plan_id>/change/<slug:change>/", views.plan_change, name="plan-change"),
    path("outcomes/<int:outcome_id>/correct/", views.outcome_correct, name="outcome-correct"),
]
