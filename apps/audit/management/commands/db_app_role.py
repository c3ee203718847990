"""Give the portal's run-time database role what it needs and no more (PostgreSQL).

Run as the owner role, after `migrate`:
    python manage.py db_app_role portal_app [--create --password SECRET]

The app role may read and write the portal's tables, but on the audit log only SELECT and INSERT:
it does not own the table, so it cannot UPDATE, DELETE, TRUNCATE, ALTER it or disable its
trigger. Run it again after every migration (new tables get the same grants).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from apps.audit.models import AuditEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_statements(role: str) -> list[str]:
    """The grants for `role`, as SQL (a plain lower-case name, so quoting is safe)."""
    if not ROLE_NAME.match(role):
        raise CommandError("A role name is lower-case letters, digits and underscores.")
    quote = connection.ops.quote_name
    who = quote(role)
    audit = quote(AuditEvent._meta.db_table)
    return [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        # The audit log: append and read only.
        f"REVOKE ALL ON {audit} FROM {who}",
        f"GRANT SELECT, INSERT ON {audit} TO {who}",
    ]


def grant_app_role(role: str) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("Database roles are for PostgreSQL; SQLite has none.")
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in app_role_statements(role):
            cursor.execute(statement)


class Command(BaseCommand):
    help = "Grant the run-time role access to the portal's tables (audit log: SELECT, INSERT)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role")
        parser.add_argument("--create", action="store_true", help="Create the role if missing.")
        parser.add_argument("--password", default="", help="Password for a created role.")

    def handle(self, *args: Any, **options: Any) -> None:
        role: str = options["role"]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are for PostgreSQL; SQLite has none.")
        if options["create"]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone() is None:
                    if not options["password"]:
                        raise CommandError("Give --password for the new role.")
                    # Identifiers cannot be parameters; quote_name quotes the role safely.
                    app_role_statements(role)  # checks the name before it is used
                    name = connection.ops.quote_name(role)
                    cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [options["password"]])
        grant_app_role(role)
        self.stdout.write(f"Granted {role}: the portal's tables; the audit log SELECT and INSERT.")
