"""No 500 for anything a person can send: every route, POSTed nonsense by every persona allowed
to use it, answers with a page, a redirect or a refusal."""

from __future__ import annotations

import pytest

from tests.test_access_matrix import EXPECTED, POST_EXPECTED

NONSENSE = {
    "full_name": "",
    "email": "not-an-address",
    "supervisor_email": "@@",
    "expires_on": "31/02/2026",
    "time_zone": "Mars/Olympus",
    "clinician": "99999999",
    "answer": "maybe",
    "code": "abc",
    "date": "yesterday",
    "value": "1e309",
    "result": "<script>alert(1)</script>",
    "reason": "x" * 5000,
    "outcome_code": "nope",
    "quiet_start": "25:99",
    "quiet_end": "-1",
    "sms_number": "call me",
    "q": "%00' OR 1=1 --",
    "what_seen": "x" * 5000,
    "worry": "terrified",
    "called_at": "2026-13-45T99:99",
    "called_whom": "",
    "note": "",
    "confirmed": "yes",
}

CASES = sorted(
    {
        (name, persona)
        for table in (EXPECTED, POST_EXPECTED)
        for name, statuses in table.items()
        for persona, status in statuses.items()
        if persona != "anon" and status in (200, 302, 405)
    }
)


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_nonsense_never_causes_a_server_error(client, world, name, persona):
    client.force_login(world.personas[persona])
    response = client.post(world.reverse(name), NONSENSE)
    assert response.status_code < 500
