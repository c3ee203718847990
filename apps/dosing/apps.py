from django.apps import AppConfig


class DosingConfig(AppConfig):
    name = "apps.dosing"
    label = "dosing"
