from django.urls import path

from apps.dosing import api

app_name = "dosing-api"

urlpatterns = [
    path("doses/", api.DoseListView.as_view(), name="dose-list"),
    path("doses/<int:dose_id>/outcome/", api.DoseOutcomeView.as_view(), name="dose-outcome"),
    path("concerns/", api.ConcernCreateView.as_view(), name="concern-create"),
    path("alerts/", api.AlertListView.as_view(), name="alert-list"),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        api.AlertAcknowledgeView.as_view(),
        name="alert-acknowledge",
    ),
]
