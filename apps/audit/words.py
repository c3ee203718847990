"""Audit events in plain words, for the patient's "who has seen my record" page and its API.

The log holds codes ("audit.record_viewed" with {"what": "treatment_plan"}); a patient reads a
sentence: "Dr Ana Silva looked at your treatment plan". Words come from the codes alone, with no
lookup of the rows they point at, so the page stays one query and says nothing the log does not.
An action or part of the record missing here still reads as a sentence (the fallbacks), never
as a code: add its words here when you add it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apps.audit.models import AuditEvent

# Reads ("audit.record_viewed", "audit.list_viewed"): which part of the record, by its "what".
READ_WORDS: dict[str, str] = {
    "summary": "looked at your record summary",
    "caseload": "saw your name in their list of patients",
    "treatment_caseload": "saw your name in their list of patients on treatment",
    "clinician_dashboard": "saw your name on their page for the day",
    "worklist": "saw your name on their list of tasks",
    "intake_queue": "saw your name in the list of questionnaires to review",
    "supervisor_dashboard": "saw your dose for the day on their supervisor page",
    "dose_schedule": "looked at your dose schedule",
    "dose_record": "looked at a record of one of your doses",
    "treatment_plan": "looked at your treatment plan",
    "treatment_timeline": "looked at the history of your treatment",
    "consent": "looked at your supervision agreement",
    "consent_text": "read the wording of your supervision agreement",
    "consent_request": "looked at your request for them to supervise your doses",
    "care_team": "looked at who is in your care team",
    "intake": "looked at your questionnaire answers",
    "alert_card": "looked at your alert card",
    "concern": "read a concern raised about you",
    "counselling.session_notes": "read your counselling session notes",
    "fhir_bundle": "downloaded your record in a format other health systems use",
    "audit_log": "looked at the log of who has seen your record",
}
# Test results the clinician records at intake ("intake_<record>").
_INTAKE_RECORDS = {
    "urine-screen": "your urine drug screen result",
    "naloxone": "your naloxone challenge result",
    "liver-test": "your liver blood test result",
    "procedure": "a planned operation or procedure",
    "washout-plan": "your washout plan",
}
READ_FALLBACK = "looked at your record"

# Changes, by action code.
ACTION_WORDS: dict[str, str] = {
    # Sign-up, consents and the care team
    "accounts.account_created": "created your account",
    "accounts.profile_updated": "updated your profile",
    "accounts.invitation_sent": "sent an invitation to the portal",
    "accounts.invitation_replaced": "sent a new invitation in place of an old one",
    "accounts.invitation_cancelled": "cancelled an invitation",
    "accounts.invitation_expired": "noted that an invitation ran out of time",
    "accounts.invitation_accepted": "accepted an invitation",
    "accounts.consent_signed": "signed a supervision agreement",
    "accounts.consent_accepted": "agreed to supervise your doses",
    "accounts.consent_declined": "said no to supervising your doses",
    "accounts.consent_confirmed": "confirmed your supervisor",
    "accounts.consent_revoked": "ended a supervision arrangement",
    "accounts.clinician_reassigned": "changed your responsible clinician",
    "accounts.record_exported": "downloaded your record",
    # Questionnaire and the decision to start
    "intake.step_saved": "saved part of your questionnaire",
    "intake.support_recorded": "recorded your support arrangements",
    "intake.eligibility_assessed": "checked whether naltrexone is safe for you",
    "intake.gate_overridden": "overrode one of the safety checks, with a written reason",
    "intake.override_withdrawn": "withdrew an override of a safety check",
    "intake.decided": "recorded a decision about whether naltrexone is right for you",
    "intake.pathway_changed": "moved your treatment to a new stage",
    # Doses and alerts
    "dosing.plan_created": "set up your treatment plan",
    "dosing.plan_changed": "changed your treatment plan",
    "dosing.outcome_recorded": "recorded one of your doses",
    "dosing.outcome_marked_missed": "recorded a dose as missed",
    "dosing.outcome_corrected": "corrected the record of a dose",
    "dosing.naloxone_kit_recorded": "recorded your naloxone kit",
    "dosing.mood_check_submitted": "recorded a mood check",
    "dosing.escalation_override_set": "changed when you and your supervisor get missed-dose alerts",
    "dosing.concern_raised": "raised a concern about you with your clinician",
    "dosing.alert_raised": "raised an alert about a missed dose",
    "dosing.alert_acknowledged": "saw an alert about a missed dose",
    "dosing.urgent_task_closed": "followed up an urgent alert about you",
    "worklist.task_raised": "added a task about your care to your clinician's list",
    "worklist.task_resolved": "completed a task about your care",
    # Counselling
    "counselling.booked": "booked a counselling session for you",
    "counselling.cancelled": "cancelled a counselling session",
    "counselling.rescheduled": "moved a counselling session to a new time",
    "counselling.attendance_marked": "recorded whether a counselling session went ahead",
    "counselling.note_added": "wrote notes after a counselling session",
    "counselling.invitee_added": "invited someone to a counselling session",
    "counselling.plan_changed": "changed your counselling plan",
    "counselling.offer_made": "offered you an earlier appointment",
    "counselling.offer_accepted": "took up an earlier appointment",
    "counselling.waitlist_joined": "put you on the waiting list for an earlier appointment",
    "counselling.waitlist_left": "took you off the waiting list",
    "counselling.feed_reset": "made a new private calendar link",
    # Safety information and messages
    "content.alert_card_issued": "made an alert card for you",
    "content.safety_acknowledged": "noted that the safety information was read",
    "notifications.queued": "sent you a message",
    "notifications.read": "marked a message as read",
    "notifications.all_read": "marked messages as read",
    "notifications.delivery_failed": "could not deliver a message to you",
    "notifications.delivery_retried": "sent a message to you again",
}
ACTION_FALLBACK = "made a change to your record"

READ_ACTIONS = frozenset({"audit.record_viewed", "audit.list_viewed"})


def read_words(what: str) -> str:
    if what in READ_WORDS:
        return READ_WORDS[what]
    if what.startswith("intake_"):
        record = _INTAKE_RECORDS.get(what.removeprefix("intake_"))
        return f"looked at {record}" if record else "looked at your test results"
    if what.startswith("admin_history:"):
        return "looked at the history of changes to your details in the clinic's admin pages"
    if what.startswith("admin:"):
        return "opened your details in the clinic's admin pages"
    return READ_FALLBACK


def event_words(event: AuditEvent) -> str:
    """What happened, as the end of a sentence that starts with who did it."""
    if event.action in READ_ACTIONS:
        return read_words(str((event.detail or {}).get("what") or ""))
    return ACTION_WORDS.get(event.action, ACTION_FALLBACK)


def event_who(event: AuditEvent) -> str:
    """Who did it: a person by name, or the portal itself for scheduled work."""
    return event.actor.full_name if event.actor is not None else "The portal"


def event_sentence(event: AuditEvent) -> str:
    """'Dr Ana Silva looked at your treatment plan.'"""
    return f"{event_who(event)} {event_words(event)}."
