from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        # schema registers the API sign-in scheme with the OpenAPI generator; session_rules
        # starts the session clocks at every sign-in, cookie or app (a signal receiver).
        from apps.accounts import schema, session_rules  # noqa: F401
