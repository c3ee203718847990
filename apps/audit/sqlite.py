"""SQLite (the development default) has no roles, so a trigger refuses DELETE on the audit log.
The trigger asks `portal_audit_delete_allowed()`, a function each connection of the portal
registers and which says no, except while the test runner empties every table between
transactional tests (`allow_flush`). A connection without the function (the sqlite3 shell) gets
"no such function" and cannot delete either."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_flush_allowed = False


def _delete_allowed() -> int:
    return 1 if _flush_allowed else 0


def register_function(sender: Any, connection: Any, **_: Any) -> None:
    """Receiver for `connection_created`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "portal_audit_delete_allowed", 0, _delete_allowed, deterministic=False
        )


@contextmanager
def allow_flush() -> Iterator[None]:
    """For the test runner's table flush only."""
    global _flush_allowed
    _flush_allowed = True
    try:
        yield
    finally:
        _flush_allowed = False
