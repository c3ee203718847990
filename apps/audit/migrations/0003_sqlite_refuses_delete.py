"""SQLite refuses DELETE on the audit log too (PostgreSQL already does, with a trigger, and by
the run-time role's grants: see the db_app_role command). See apps/audit/sqlite.py."""

from django.db import migrations

SQLITE_FORWARD = """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
WHEN NOT portal_audit_delete_allowed()
BEGIN
    SELECT RAISE(ABORT, 'audit_auditevent is append-only');
END;
"""

SQLITE_REVERSE = "DROP TRIGGER IF EXISTS audit_event_no_delete;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forward, reverse)]
