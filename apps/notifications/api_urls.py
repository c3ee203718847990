from django.urls import path

from apps.notifications import api

app_name = "notifications-api"

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/<int:notification_id>/read/",
        api.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
