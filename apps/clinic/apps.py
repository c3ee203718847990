from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "apps.clinic"
    label = "clinic"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.clinic.models import ClinicSettings
        from apps.clinic.selectors import clinic_settings_changed

        def changed(**_: object) -> None:
            clinic_settings_changed()

        # Every save (services, admin, data migrations) tells the other processes.
        post_save.connect(changed, sender=ClinicSettings, weak=False, dispatch_uid="clinic_cache")
        post_delete.connect(
            changed, sender=ClinicSettings, weak=False, dispatch_uid="clinic_cache_del"
        )
