from django.apps import AppConfig


class DosingConfig(AppConfig):
    name = "apps.dosing"
    label = "dosing"

    def ready(self) -> None:
        # The content app's alert card and overdose panel read the dose log through these hooks
        # (apps/content/cards.py, apps/content/panels.py), so content never imports dosing.
        from apps.accounts import views as account_views
        from apps.content import cards, panels

        cards.DOSE_INFO_PROVIDER = "apps.dosing.selectors.card_dose_info"
        panels.PROTECTION_FACTS_PROVIDER = "apps.dosing.selectors.protection_facts"
        account_views.SUPERVISED_PATIENT_PAGE = "apps.dosing.views.supervised_patient_page"
        cards._provider.cache_clear()
        panels._facts_provider.cache_clear()
