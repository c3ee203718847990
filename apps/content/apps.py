from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "apps.content"
    label = "content"

    def ready(self) -> None:
        # Sign-in is allauth's event; the content app only listens to it (see safety_gate.py).
        from allauth.account.signals import user_logged_in

        from apps.accounts.session_rules import register_gate
        from apps.content.safety_gate import mark_acknowledgement_due, safety_gate

        register_gate(safety_gate)

        user_logged_in.connect(mark_acknowledgement_due, dispatch_uid="content_safety_ack_due")
