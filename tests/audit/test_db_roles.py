"""On PostgreSQL the portal runs as a role that may only read and append to the audit log: the
owner role runs migrations, `db_app_role` grants the run-time role the rest. Runs in the
PostgreSQL step of .ci/run (`-m postgres`)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from apps.audit.management.commands.db_app_role import grant_app_role
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

pytestmark = pytest.mark.postgres

ROLE = "portal_test_app"


@pytest.fixture
def app_role(db) -> str:
    if connection.vendor != "postgresql":
        pytest.fail("Database roles need PostgreSQL: set DATABASE_URL=postgres://...")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            try:
                with transaction.atomic():
                    cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
            except IntegrityError:  # another test process made it at the same moment
                pass
    grant_app_role(ROLE)
    return ROLE


def as_app(sql: str, params: list[int] | None = None) -> None:
    """Run one statement as the run-time role (inside a savepoint)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        cursor.execute(sql, params or [])
        cursor.execute("RESET ROLE")


def test_the_app_role_reads_and_appends_to_the_audit_log(app_role, patient):
    as_app("SELECT count(*) FROM audit_auditevent")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        audit_record(actor=None, action="audit.test_appended", patient=patient)
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(action="audit.test_appended").exists()
    # ...and works with the portal's other tables as usual.
    as_app("UPDATE accounts_user SET full_name = full_name WHERE id = %s", [patient.pk])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'tampered'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update",
        "ALTER TABLE audit_auditevent ADD COLUMN note text",
        "DROP TABLE audit_auditevent",
    ],
)
def test_the_app_role_cannot_rewrite_the_audit_log(app_role, patient, consent, sql):
    before = AuditEvent.objects.count()
    assert before > 0
    with pytest.raises(DatabaseError, match=r"permission denied|must be owner"):
        as_app(sql)
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(action="tampered").exists()
