from django.urls import path

from apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read-all/", views.inbox_read_all, name="inbox-read-all"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification-read",
    ),
    path("notifications/settings/", views.preferences, name="preferences"),
    # Beside /healthz/ (the load balancers' check): the operators' view of background delivery.
    path("healthz/deliveries/", views.delivery_health, name="health"),
]
