from django.urls import path

from apps.intake import views

app_name = "intake"

urlpatterns = [
    # Patient
    path("intake/", views.task_list, name="task-list"),
    path("intake/step/<slug:step>/", views.step, name="step"),
    path("intake/submit/", views.submit, name="submit"),
    path("intake/help-now/", views.help_now, name="help-now"),
    # Clinician
    path("intake/queue/", views.queue, name="queue"),
    path("intake/review/<int:patient_id>/", views.review, name="review"),
    path("intake/review/<int:patient_id>/record/<slug:record>/", views.record, name="record"),
    path("intake/review/<int:patient_id>/decide/", views.decide, name="decide"),
    path("intake/review/<int:patient_id>/override/<slug:gate>/", views.override, name="override"),
]
