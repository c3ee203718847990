from django.urls import path

from apps.counselling import api

app_name = "counselling-api"

urlpatterns = [
    path("slots/", api.SlotListView.as_view(), name="slot-list"),
    path("appointments/", api.AppointmentListView.as_view(), name="appointment-list"),
    path(
        "appointments/<int:booking_id>/cancel/",
        api.AppointmentCancelView.as_view(),
        name="appointment-cancel",
    ),
]
