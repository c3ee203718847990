"""Access-matrix rows for the notification routes: every role has an inbox and settings."""

from __future__ import annotations

from tests.matrix import SIGNED_IN, row

EXPECTED: dict[str, dict[str, int]] = {
    "notifications:inbox": SIGNED_IN,
    "notifications:preferences": SIGNED_IN,
    # Operators: a bearer token (HEALTH_TOKEN) or a staff session; anonymous 401 (a JSON
    # endpoint for monitoring, not a page to sign in to), other roles 403.
    "notifications:health": row(403, anon=401, staff=200),
    # POST only.
    "notifications:inbox-read-all": row(405),
    "notifications:notification-read": row(405),
}

# The world's notification belongs to `patient`: anyone else's is not found.
POST_EXPECTED: dict[str, dict[str, int]] = {
    "notifications:inbox-read-all": row(302),
    "notifications:notification-read": row(404, patient=302),
}
