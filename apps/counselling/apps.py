from django.apps import AppConfig


class CounsellingConfig(AppConfig):
    name = "apps.counselling"
    label = "counselling"
