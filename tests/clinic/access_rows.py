"""Access-matrix rows for the clinic routes. Clinical thresholds: clinical leads only (the
`clinician` persona is one; `other_clinician` is not, so 403); staff keep the admin. The page asks
a lead for the password again first (302 to re-authenticate)."""

from __future__ import annotations

from tests.matrix import row

EXPECTED: dict[str, dict[str, int]] = {
    "clinic:thresholds": row(403, clinician=302),
}

POST_EXPECTED: dict[str, dict[str, int]] = {
    "clinic:thresholds": row(403, clinician=302),
}
