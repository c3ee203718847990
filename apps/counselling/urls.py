from django.urls import path

from apps.counselling import views

app_name = "counselling"

urlpatterns = [
    # Patients
    path("appointments/", views.session_list, name="session-list"),
    path("appointments/book/", views.slot_list, name="slot-list"),
    path("appointments/new/", views.booking_create, name="booking-create"),
    path("appointments/<int:booking_id>/", views.booking_detail, name="booking-detail"),
    path("appointments/<int:booking_id>/cancel/", views.booking_cancel, name="booking-cancel"),
    path(
        "appointments/<int:booking_id>/move/", views.booking_reschedule, name="booking-reschedule"
    ),
    path("appointments/<int:booking_id>/invite/", views.invitee_add, name="invitee-add"),
    path("appointments/waiting-list/join/", views.waitlist_join, name="waitlist-join"),
    path("appointments/waiting-list/leave/", views.waitlist_leave, name="waitlist-leave"),
    path("appointments/offers/<int:offer_id>/accept/", views.offer_accept, name="offer-accept"),
    # Everyone: the private calendar feed
    path("calendar/", views.feed_settings, name="feed-settings"),
    path("calendar/reset/", views.feed_reset, name="feed-reset"),
    path("calendar/feed/<str:feed_token>.ics", views.feed, name="feed"),
    # Clinicians (and staff for availability)
    path("counselling/sessions/", views.clinician_sessions, name="clinician-sessions"),
    path(
        "counselling/sessions/<int:booking_id>/attendance/",
        views.attendance_mark,
        name="attendance-mark",
    ),
    path("counselling/sessions/<int:booking_id>/notes/", views.note_add, name="note-add"),
    path("counselling/availability/", views.availability_index, name="availability-index"),
    path("counselling/availability/<int:clinician_id>/", views.availability, name="availability"),
    path(
        "counselling/availability/<int:clinician_id>/rules/",
        views.availability_rule_add,
        name="availability-rule-add",
    ),
    path(
        "counselling/availability/<int:clinician_id>/exceptions/",
        views.exception_add,
        name="exception-add",
    ),
    path(
        "counselling/availability/rules/<int:rule_id>/delete/",
        views.availability_rule_delete,
        name="availability-rule-delete",
    ),
    path(
        "counselling/availability/exceptions/<int:exception_id>/delete/",
        views.exception_delete,
        name="exception-delete",
    ),
    path("counselling/patients/<int:patient_id>/", views.patient_plan, name="patient-plan"),
    path("counselling/patients/<int:patient_id>/book/", views.patient_book, name="patient-book"),
]
