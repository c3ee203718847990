from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("theme.css", views.theme, name="theme"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("patient/", views.patient_dashboard, name="patient-dashboard"),
    path("supervisor/", views.supervisor_dashboard, name="supervisor-dashboard"),
    path("clinician/", views.clinician_dashboard, name="clinician-dashboard"),
]
