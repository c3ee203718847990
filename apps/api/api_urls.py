from django.urls import path

from apps.api import views

app_name = "patients-api"

urlpatterns = [
    path("patients/", views.PatientListView.as_view(), name="patient-list"),
    path("patients/<int:patient_id>/", views.PatientDetailView.as_view(), name="patient-detail"),
    path("patients/<int:patient_id>/fhir/", views.PatientFhirView.as_view(), name="patient-fhir"),
]
