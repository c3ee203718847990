from django.urls import path

from apps.content import views

app_name = "content"

urlpatterns = [
    # Public
    path("help/", views.faq_public, name="faq-public"),
    path("help/supervisors/", views.faq_supervisors_public, name="faq-supervisors-public"),
    # Signed in: the same content in each role's portal
    path("my/help/", views.faq_portal, name="faq-portal"),
    # Patient
    path("patient/safety-messages/", views.safety_acknowledge, name="safety-acknowledge"),
    path("patient/alert-card/", views.alert_card_mine, name="alert-card-mine"),
    # Patient (own card) and responsible clinician
    path("alert-card/<int:patient_id>/", views.alert_card, name="alert-card"),
    path("alert-card/<int:patient_id>/pdf/", views.alert_card_pdf, name="alert-card-pdf"),
    # Staff
    path("staff/help/review/", views.faq_review_list, name="faq-review-list"),
]
