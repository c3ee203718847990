from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"

    def ready(self) -> None:
        # SQLite: the function the audit log's DELETE trigger asks (see sqlite.py).
        from django.db.backends.signals import connection_created

        from apps.audit.sqlite import register_function

        connection_created.connect(register_function, dispatch_uid="audit_sqlite_function")
