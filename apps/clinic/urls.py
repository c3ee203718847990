from django.urls import path

from apps.clinic import views

app_name = "clinic"

urlpatterns = [
    path("clinic/thresholds/", views.thresholds, name="thresholds"),
]
