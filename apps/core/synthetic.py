"""A synthetic clinic in bulk, for `seed_demo --patients N --days D` (benchmarks, scale tests).

Everything here is made with bulk_create in batches, not through the services: a regional
service's worth of rows in seconds. The rows keep every database constraint and look like what
the services make (pathways, consents in force, notifications, worklist tasks, audit rows); the
demo people (apps/accounts/demo.py) come first, so the demo clinician's caseload is the first
hundred synthetic patients. Runs only where the demo may run (DEBUG).

Made: patients with profiles and pathways (mostly in treatment), one clinician per 100
patients, one or two supervisors each with a consent in force, open and done worklist tasks,
notifications (one in five unread) and audit rows spread over D days; then, for everyone whose
pathway has reached treatment, plans with dose history, alerts, concerns and counselling
sessions (apps/core/synthetic_care.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from apps.accounts.models import PatientProfile, SupervisorConsent, User
from apps.accounts.roles import Role
from apps.audit.models import AuditEvent
from apps.core import synthetic_care
from apps.core.demo import DEMO_PASSWORD
from apps.intake.models import Pathway, PathwayState
from apps.notifications.models import Notification
from apps.worklist.models import Task

BATCH = 2000
PER_CLINICIAN = 100
EMAIL_DOMAIN = "synthetic.example.org"
# Where a regional service's patients are (weights): most in treatment.
STATES = [
    (PathwayState.MAINTENANCE, 70),
    (PathwayState.INDUCTION, 8),
    (PathwayState.REVIEW, 5),
    (PathwayState.INTAKE, 5),
    (PathwayState.PAUSED, 5),
    (PathwayState.ELIGIBLE, 4),
    (PathwayState.STOPPED, 3),
]
RELATIONSHIPS = ["sister", "brother", "partner", "friend", "mother", "father", "workmate"]


class Output(Protocol):
    def write(self, msg: str) -> Any: ...

    def flush(self) -> Any: ...


class Progress:
    """A one-line progress bar on the command's output."""

    def __init__(self, out: Output, label: str, total: int) -> None:
        self.out, self.label, self.total, self.done = out, label, max(total, 1), 0

    def step(self, n: int) -> None:
        self.done += n
        filled = int(30 * self.done / self.total)
        self.out.write(
            f"\r{self.label:14} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
        )
        if self.done >= self.total:
            self.out.write("\n")
        self.out.flush()


def _batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(model: type[models.Model], rows: list[Any], progress: Progress) -> None:
    for chunk in _batches(rows):
        model.objects.bulk_create(chunk, batch_size=BATCH)  # type: ignore[attr-defined]
        progress.step(len(chunk))


def existing_patients() -> int:
    return User.objects.filter(email__endswith="@" + EMAIL_DOMAIN, role=Role.PATIENT).count()


@transaction.atomic
def build(
    *,
    patients: int,
    days: int,
    out: Output,
    seed: int = 15,
    first_clinician: User | None = None,
) -> int:
    """Add synthetic patients until there are `patients` of them. Returns how many were made.
    The first hundred go to `first_clinician` (by default the demo clinician)."""
    have = existing_patients()
    if have >= patients:
        out.write(f"The synthetic clinic already has {have} patients: nothing to add.\n")
        return 0
    rng = random.Random(seed + have)  # noqa: S311  # nosec B311 - synthetic data, not security
    now = timezone.now()
    days = max(days, 1)
    password = make_password(DEMO_PASSWORD)  # one hash for everyone: hashing is the slow part
    new = range(have, patients)

    def person(email: str, name: str, role: str, joined_days_ago: int) -> User:
        return User(
            email=email,
            full_name=name,
            role=role,
            password=password,
            is_active=True,
            date_joined=now - timedelta(days=joined_days_ago),
        )

    # Clinicians: the demo clinician takes the first hundred, then one per hundred more.
    demo_clinician = first_clinician or User.objects.filter(email="clinician@example.org").first()
    clinicians: list[User] = [demo_clinician] if demo_clinician else []
    needed = (patients + PER_CLINICIAN - 1) // PER_CLINICIAN
    made_clinicians = list(
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN, role=Role.CLINICIAN).order_by("pk")
    )
    extra = [
        person(f"clinician{i}@{EMAIL_DOMAIN}", f"Dr Synthetic {i}", Role.CLINICIAN, days)
        for i in range(len(made_clinicians) + len(clinicians), needed)
    ]
    _bulk(User, extra, Progress(out, "clinicians", len(extra)))
    clinicians += made_clinicians + list(
        User.objects.filter(email__in=[u.email for u in extra]).order_by("pk")
    )

    # Patients, their profiles and pathways.
    patient_rows = [
        person(f"patient{i}@{EMAIL_DOMAIN}", f"Patient {i}", Role.PATIENT, rng.randrange(days))
        for i in new
    ]
    _bulk(User, patient_rows, Progress(out, "patients", len(patient_rows)))
    by_email = dict(
        User.objects.filter(email__in=[u.email for u in patient_rows]).values_list("email", "pk")
    )
    ids = [by_email[u.email] for u in patient_rows]
    joined = {by_email[u.email]: u.date_joined for u in patient_rows}
    clinician_of = {pid: clinicians[(have + n) // PER_CLINICIAN].pk for n, pid in enumerate(ids)}
    _bulk(
        PatientProfile,
        [PatientProfile(user_id=pid, responsible_clinician_id=clinician_of[pid]) for pid in ids],
        Progress(out, "profiles", len(ids)),
    )
    states, weights = zip(*STATES, strict=True)
    pathways = [
        Pathway(
            patient_id=pid,
            state=rng.choices(states, weights)[0],
            state_changed_at=joined[pid] + timedelta(days=7),
            submitted_at=joined[pid] + timedelta(days=3),
        )
        for pid in ids
    ]
    _bulk(Pathway, pathways, Progress(out, "pathways", len(pathways)))

    # Supervisors: one or two each, with a consent in force.
    sup_rows: list[User] = []
    links: list[tuple[int, str, str]] = []
    for n, pid in enumerate(ids):
        for k in range(1 + (rng.random() < 0.3)):
            email = f"supervisor{have + n}-{k}@{EMAIL_DOMAIN}"
            sup_rows.append(person(email, f"Supervisor {have + n}-{k}", Role.SUPERVISOR, 0))
            links.append((pid, email, rng.choice(RELATIONSHIPS)))
    _bulk(User, sup_rows, Progress(out, "supervisors", len(sup_rows)))
    sup_ids = dict(
        User.objects.filter(email__in=[u.email for u in sup_rows]).values_list("email", "pk")
    )
    consents = []
    for pid, email, relationship in links:
        start = joined[pid] + timedelta(days=2)
        consents.append(
            SupervisorConsent(
                patient_id=pid,
                supervisor_id=sup_ids[email],
                supervisor_name=email.split("@")[0],
                supervisor_email=email,
                relationship=relationship,
                status=SupervisorConsent.Status.ACTIVE,
                consent_text="Synthetic consent for benchmarks.",
                consent_text_version="synthetic",
                patient_signed_at=start,
                starts_at=start,
                supervisor_accepted_at=start,
                confirmed_by_id=clinician_of[pid],
                confirmed_at=start,
            )
        )
    _bulk(SupervisorConsent, consents, Progress(out, "consents", len(consents)))

    # Worklist tasks: a few open for each clinician, the rest done.
    tasks = []
    for n, pid in enumerate(ids):
        if n % 7 == 0:  # one patient in seven has had a task; half of those still open
            done = n % 14 != 0
            at = now - timedelta(days=rng.randrange(days))
            tasks.append(
                Task(
                    patient_id=pid,
                    assignee_id=clinician_of[pid],
                    kind="intake.review_ready",
                    priority=Task.Priority.NORMAL,
                    status=Task.Status.DONE if done else Task.Status.OPEN,
                    rule_code="synthetic",
                    trigger_key=f"synthetic-{pid}",
                    created_at=at,
                    resolved_by_id=clinician_of[pid] if done else None,
                    resolved_at=at + timedelta(hours=4) if done else None,
                    outcome_code="seen" if done else "",
                )
            )
    _bulk(Task, tasks, Progress(out, "tasks", len(tasks)))

    # Notifications and audit rows over the D days: about one a month each per patient.
    per_patient = max(1, days // 30)
    notes: list[Notification] = []
    events: list[AuditEvent] = []
    for pid in ids:
        for k in range(per_patient):
            at = now - timedelta(days=rng.randrange(days), minutes=rng.randrange(1440))
            notes.append(
                Notification(
                    recipient_id=pid,
                    recipient_key=f"u:{pid}",
                    kind="portal_update",
                    event_key=f"synthetic-{pid}-{k}",
                    read_at=None if rng.random() < 0.2 else at + timedelta(hours=2),
                    created_at=at,
                    updated_at=at,
                )
            )
            events.append(
                AuditEvent(
                    actor_id=clinician_of[pid],
                    actor_role=Role.CLINICIAN,
                    action="read.caseload",
                    patient_id=pid,
                    target_type="accounts.user",
                    target_id=str(pid),
                    detail={"what": "caseload"},
                )
            )
    _bulk(Notification, notes, Progress(out, "notifications", len(notes)))
    _bulk(AuditEvent, events, Progress(out, "audit rows", len(events)))

    # Treatment (plans, doses, outcomes, alerts, concerns) and appointments.
    sups_of: dict[int, list[int]] = {pid: [] for pid in ids}
    for pid, email, _relationship in links:
        sups_of[pid].append(sup_ids[email])
    people = [
        synthetic_care.Patient(
            pk=pid,
            clinician_id=clinician_of[pid],
            state=pathway.state,
            joined_days_ago=(now - joined[pid]).days,
            supervisors=tuple(sups_of[pid]),
        )
        for pid, pathway in zip(ids, pathways, strict=True)
    ]
    progress = Progress(out, "treatment", len(people))
    counts = synthetic_care.build_treatment(people, days=days, now=now, rng=rng, step=progress.step)
    counts.bookings = synthetic_care.build_counselling(
        people, sorted({c.pk for c in clinicians}), days=days, now=now, rng=rng
    )
    out.write(
        f"{counts.plans} plans, {counts.doses} doses, {counts.outcomes} outcomes, "
        f"{counts.alerts} alerts, {counts.concerns} concerns, {counts.bookings} bookings\n"
    )
    return len(ids)


__all__: list[str] = ["Progress", "build", "existing_patients"]
