"""Sign-in rules: e-mail login, no open sign-up, the same answer for known and unknown addresses,
rate limits, two-factor sign-in for clinicians and staff, and the admin behind the portal's own
sign-in."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from django.urls import reverse

from apps.accounts.roles import Role
from apps.notifications.models import Delivery
from apps.notifications.tasks import send_delivery
from tests.conftest import PASSWORD, TOTP_SECRET, make_user


def totp_now() -> str:
    counters = list(yield_hotp_counters_from_time())
    return f"{hotp_value(TOTP_SECRET, counters[len(counters) // 2]):06d}"


def login(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_patient_signs_in_with_email_and_lands_on_own_dashboard(client, patient):
    from apps.content.selectors import safety_version_current
    from apps.content.services import safety_acknowledge

    version = safety_version_current()
    assert version is not None
    safety_acknowledge(actor=patient, version=version)  # otherwise sign-in shows them first
    response = login(client, patient.email)
    assert response.status_code == 302
    dashboard = client.get(response["Location"], follow=True)
    assert dashboard.redirect_chain[-1][0] == reverse("core:patient-dashboard")
    assert "Hello, Pat Patient" in dashboard.content.decode()


def test_sign_in_changes_the_session_key(client, patient):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    login(client, patient.email)
    assert client.session.session_key != before


def test_signup_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@test.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "Sign up closed" in response.content.decode()
    from apps.accounts.models import User

    assert not User.objects.filter(email="someone@test.example").exists()


def test_wrong_password_and_unknown_address_get_the_same_answer(client, patient):
    known = login(client, patient.email, "wrong-password-123")
    unknown = login(client, "nobody@test.example", "wrong-password-123")
    assert known.status_code == unknown.status_code == 200

    def strip(response):
        text = response.content.decode()
        return text.replace("nobody@test.example", "X").replace(patient.email, "X")

    # Same message, same form: nothing says whether the address has an account.
    assert "not correct" in strip(known)
    assert strip(known).count("errorlist") == strip(unknown).count("errorlist")


def test_password_reset_answers_the_same_for_known_and_unknown(client, patient, mailoutbox):
    known = client.post(reverse("account_reset_password"), {"email": patient.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@test.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Both addresses get an e-mail (the unknown one says there is no account), so timing and
    # answers match. Both go through the outbox: nothing is sent inside the request.
    assert mailoutbox == []
    deliveries = Delivery.objects.order_by("pk")
    assert [d.notification.kind for d in deliveries] == [
        "account_password_reset",
        "account_unknown",
    ]
    for delivery in deliveries:
        send_delivery(delivery.pk)
    assert len(mailoutbox) == 2


def test_repeated_failures_are_rate_limited(client, patient):
    for _ in range(5):
        login(client, patient.email, "wrong-password-123")
    response = login(client, patient.email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_clinician_must_enter_a_code_from_the_authenticator(client, clinician):
    response = login(client, clinician.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clinician.pk)


def test_clinician_without_two_factor_is_sent_to_set_it_up_before_patient_data(client, db):
    clinician = make_user("fresh.clinician@test.example", Role.CLINICIAN)
    Authenticator.objects.filter(user=clinician).delete()
    client.force_login(clinician)
    response = client.get(reverse("accounts:caseload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get(reverse("api:accounts-api:me"))
    assert api.status_code == 403


def test_staff_without_two_factor_cannot_open_the_admin(client, db):
    staff = make_user("fresh.staff@test.example", Role.STAFF)
    Authenticator.objects.filter(user=staff).delete()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_admin_sign_in_goes_through_the_portal_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_non_staff_cannot_use_the_admin(client, clinician, patient):
    client.force_login(clinician)
    assert client.get("/admin/").status_code in (302, 403)
    client.force_login(patient)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]


def test_staff_with_two_factor_can_open_the_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/audit/auditevent/").status_code == 200


def test_logout_ends_the_session_on_the_server(client, patient):
    from django.contrib.sessions.models import Session

    client.force_login(patient)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("core:patient-dashboard")).status_code == 302


def test_axes_locks_after_repeated_failures_and_staff_can_lift_it(
    client, patient, supervisor, staff
):
    from axes.models import AccessAttempt
    from django.core.cache import cache

    from apps.audit.models import AuditEvent

    for attempt in range(10):
        login(client, patient.email, f"wrong-password-{attempt}")
        cache.clear()  # take allauth's own limit out of the way: this is about axes
    locked = login(client, patient.email)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    staff_client = client.__class__()
    staff_client.force_login(staff)
    changelist = reverse("admin:axes_accessattempt_changelist")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == patient.email  # keyed on the account, not only the address
    neighbour = client.__class__()  # someone else behind the same address is not locked out
    cache.clear()
    assert login(neighbour, supervisor.email).status_code == 302
    assert patient.email in staff_client.get(changelist).content.decode()
    response = staff_client.post(
        changelist,
        {"action": "unlock", "_selected_action": [a.pk for a in AccessAttempt.objects.all()]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="accounts.lockout_cleared")
    assert (event.actor, event.patient) == (staff, patient)

    cache.clear()
    assert login(client, patient.email).status_code == 302
    assert client.session["_auth_user_id"] == str(patient.pk)


def test_behind_the_proxy_failed_sign_ins_from_one_address_do_not_block_another(
    client, patient, settings
):
    # Every request reaches the portal from the TLS proxy (one address); allauth must rate-limit
    # the client address the proxy forwards, not the proxy's own.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = settings.PROXY_COUNT = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(12):
        client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@test.example", "password": "wrong-password-123"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            **proxy,
        )
    blocked = client.post(
        reverse("account_login"),
        {"login": patient.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    response = client.post(
        reverse("account_login"),
        {"login": patient.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(patient.pk)
