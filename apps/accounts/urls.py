from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("invite/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("profile/", views.profile_edit, name="profile"),
    # Clinician
    path("clinician/patients/", views.caseload, name="caseload"),
    path("clinician/patients/invite/", views.patient_invite, name="patient-invite"),
    path("clinician/patients/<int:patient_id>/", views.patient_detail, name="patient-detail"),
    path(
        "clinician/consents/<int:consent_id>/confirm/",
        views.consent_confirm,
        name="consent-confirm",
    ),
    # Patient
    path("my/supervisors/", views.consent_list, name="consent-list"),
    path("my/supervisors/new/", views.consent_grant, name="consent-grant"),
    path("my/record-access/", views.disclosure_list, name="disclosure-list"),
    path("my/record/", views.record, name="record"),
    path("my/record/pdf/", views.record_pdf, name="record-pdf"),
    path("my/download/", views.data_export, name="data-export"),
    # Patient, supervisor, clinician (each sees only their own consents)
    path("consents/<int:consent_id>/", views.consent_detail, name="consent-detail"),
    path("consents/<int:consent_id>/download/", views.consent_download, name="consent-download"),
    path("consents/<int:consent_id>/revoke/", views.consent_revoke, name="consent-revoke"),
    # Supervisor
    path("supervisor/requests/<int:consent_id>/", views.consent_respond, name="consent-respond"),
    path(
        "supervisor/patients/<int:patient_id>/",
        views.supervised_patient_detail,
        name="supervised-patient-detail",
    ),
    # Staff
    path("staff/invite/", views.staff_invite, name="staff-invite"),
    path(
        "staff/patients/<int:patient_id>/reassign/", views.patient_reassign, name="patient-reassign"
    ),
]
