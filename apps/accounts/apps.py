from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Registers the API sign-in scheme with the OpenAPI generator.
        from apps.accounts import schema  # noqa: F401
