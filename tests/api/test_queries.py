"""API lists run the same number of queries with 2 rows as with 10."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.roles import Role
from apps.content.models import EntryStatus, FaqCategory
from apps.content.services import faq_entry_save
from apps.dosing.concerns import concern_raise
from apps.dosing.models import DoseOutcome
from apps.notifications.services import notification_queue
from tests.accounts.test_queries import add_patients, assert_constant
from tests.conftest import link_supervisor, make_user
from tests.counselling.helpers import book, open_every_day
from tests.dosing.world import make_plan


def test_patient_list_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    # session, user, session update (last seen), count, page of patients with their pathway state
    assert_constant(
        client, [reverse("api:patients-api:patient-list")], add_patients(clinician, supervisor)
    )


def test_supervisor_patient_list_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(supervisor)
    # session, user, session update, count, page of consented patients
    assert_constant(
        client, [reverse("api:patients-api:patient-list")], add_patients(clinician, supervisor)
    )


def test_notification_list_queries_do_not_grow(client, patient):
    client.force_login(patient)
    made = {"n": 0}

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            made["n"] += 1
            notification_queue(recipient=patient, kind="portal_update", event_key=f"q:{made['n']}")

    # session, user, session update, the newest notifications
    assert_constant(client, [reverse("api:notifications-api:notification-list")], grow)


def test_disclosure_list_queries_do_not_grow(client, patient, clinician):
    client.force_login(patient)
    detail = reverse("api:patients-api:patient-detail", kwargs={"patient_id": patient.pk})

    def grow(how_many: int) -> None:
        client.force_login(clinician)
        for _ in range(how_many):
            client.get(detail)  # each read is audited: one disclosure row
        client.force_login(patient)

    # session, user, session update, count, page of events with who did them
    assert_constant(client, [reverse("api:accounts-api:disclosure-list")], grow)


def test_faq_list_queries_do_not_grow(client, staff):
    category = FaqCategory.objects.create(slug="q-test", title="Query test", audience="everyone")
    made = {"n": 0}

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            made["n"] += 1
            faq_entry_save(
                actor=staff,
                entry=None,
                slug=f"q-{made['n']}",
                category=category,
                question=f"Question {made['n']}?",
                answer="An answer.",
                status=EntryStatus.PUBLISHED,
                audience="everyone",
            )

    # published entries with their headings (anonymous: no session or user queries)
    assert_constant(client, [reverse("api:content-api:faq-list") + "?page_size=100"], grow)


def _patients_with_doses(clinician, supervisor):
    """Each new patient has a plan (a week of doses) with one dose recorded, and a concern."""
    made = {"n": 0}

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            made["n"] += 1
            patient = make_user(f"dq{made['n']}@test.example", Role.PATIENT, clinician=clinician)
            link_supervisor(patient, supervisor, clinician)
            plan = make_plan(patient, clinician, supervisor)
            dose = plan.doses.order_by("due_at").first()
            assert dose is not None
            DoseOutcome.objects.create(
                dose=dose,
                outcome="witnessed",
                taken_at=dose.due_at,
                recorded_by=supervisor,
                recorded_at=dose.due_at,
            )
            concern_raise(actor=supervisor, patient=patient, what_seen="Tired.", worry="quite")

    return grow


def test_dose_list_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(supervisor)
    # session, user, session update, count, page of doses, their current outcomes with who
    # recorded them
    assert_constant(
        client,
        [reverse("api:dosing-api:dose-list") + "?page_size=100"],
        _patients_with_doses(clinician, supervisor),
    )


def test_patient_list_with_protection_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    # session, user, session update, clinic settings, count, page of patients with pathway state
    # and protected_until (a subquery)
    assert_constant(
        client,
        [reverse("api:patients-api:patient-list")],
        _patients_with_doses(clinician, supervisor),
    )


def test_alert_list_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    # session, user, session update, count, page of alerts with patient and task
    assert_constant(
        client,
        [reverse("api:dosing-api:alert-list")],
        _patients_with_doses(clinician, supervisor),
    )


def test_appointment_and_slot_lists_queries_do_not_grow(client, clinician):
    open_every_day(clinician)
    made = {"n": 0}

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            made["n"] += 1
            patient = make_user(f"aq{made['n']}@test.example", Role.PATIENT, clinician=clinician)
            book(patient, clinician, after_hours=48 + 24 * made["n"])

    client.force_login(clinician)
    # appointments: session, user, session update, count, page with patient and clinician;
    # slots: session, user, session update, clinic settings, weekly hours, leave, bookings
    assert_constant(
        client,
        [reverse("api:counselling-api:appointment-list"), reverse("api:counselling-api:slot-list")],
        grow,
    )


def test_task_list_queries_do_not_grow(client, clinician, supervisor):
    client.force_login(clinician)
    # session, user, count, page of tasks with their patients and the alert that raised each
    # (a subquery), one insert of the audit rows for the patients listed
    assert_constant(
        client,
        [reverse("api:worklist-api:task-list")],
        _patients_with_doses(clinician, supervisor),
    )
