from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Registers the API sign-in scheme with the OpenAPI generator.
        from apps.accounts import schema  # noqa: F401

        # Starts the session clocks at every sign-in, cookie or app (a signal receiver).
        from apps.accounts import session_rules  # noqa: F401
