"""One error wording per field: it names the field, and reads the same in the error summary and
next to the field."""

from __future__ import annotations

import re

from django.urls import reverse


def _errors(html: str) -> tuple[list[str], list[str]]:
    summary = re.findall(r'<li><a href="#[^"]+">(.*?)</a></li>', html)
    inline = re.findall(r'class="field__error"[^>]*>(.*?)</p>', html)
    return summary, inline


def test_empty_fields_are_named_the_same_way_in_the_summary_and_beside_them(client, staff):
    client.force_login(staff)
    response = client.post(reverse("accounts:staff-invite"), {"full_name": "", "email": "not-one"})
    summary, inline = _errors(response.content.decode())
    assert summary == inline
    assert "Fill in “Full name”." in summary
    assert "Enter an e-mail address in the right format, like name@example.org." in summary
    assert "This field is required." not in response.content.decode()


def test_choice_and_sign_in_fields_say_what_to_do(client, patient):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    summary, inline = _errors(response.content.decode())
    assert summary == inline
    assert len(set(summary)) == 2  # each empty field has its own message
    client.force_login(patient)
    response = client.post(reverse("accounts:profile"), {"full_name": "Pat", "time_zone": ""})
    summary, _ = _errors(response.content.decode())
    assert summary == ["Choose an answer for “Time zone”."]


def test_messages_a_form_wrote_itself_pass_through(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("accounts:staff-invite"),
        {"full_name": "A", "email": "a@test.example", "role": "staff", "is_clinical_lead": "on"},
    )
    summary, _ = _errors(response.content.decode())
    assert summary == [
        "Only a clinician can be a clinical lead. Choose clinician or untick the box."
    ]
