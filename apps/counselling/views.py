"""Counselling appointments: patients book, move and cancel; clinicians see their day, keep their
availability and their patients' plans; everyone can have a private calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts import access
from apps.accounts.access import Role, public, role_required
from apps.accounts.models import User
from apps.clinic.selectors import clinic_settings_get
from apps.core.exceptions import ServiceError
from apps.core.forms import apply_service_error
from apps.core.types import AuthedRequest
from apps.counselling import forms, presenters, selectors, services
from apps.counselling.calendar import feed_ics
from apps.counselling.models import AvailabilityException, AvailabilityRule
from apps.counselling.slots import zone_of

ALL_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)


def _slots_for(
    patient: User, viewer: User, *, cutoff_hours: int, only_clinician: int | None = None
) -> list[dict[str, object]]:
    clinicians = selectors.bookable_clinicians_for(patient)
    if only_clinician is not None:
        clinicians = [c for c in clinicians if c.pk == only_clinician]
    start, end = selectors.booking_window(now=timezone.now(), cutoff_hours=cutoff_hours)
    slots = selectors.free_slots(clinicians, window_start=start, window_end=end)
    return presenters.slot_days(slots, viewer=viewer, clinicians=clinicians)


def _back(request: AuthedRequest, booking_id: int | None = None) -> HttpResponseRedirect:
    if request.user.role == Role.CLINICIAN and booking_id is not None:
        return HttpResponseRedirect(reverse("counselling:booking-detail", args=[booking_id]))
    return HttpResponseRedirect(reverse("counselling:session-list"))


# --- Patient ------------------------------------------------------------------------------------


@role_required(Role.PATIENT)
@require_GET
def session_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    bookings = list(selectors.bookings_of_patient(user))
    upcoming = [b for b in bookings if b.is_active and b.ends_at > now][::-1]
    past = [b for b in bookings if b not in upcoming]
    due = selectors.due_for(user, now=now)
    context = {
        "upcoming": [
            {
                **presenters.booking_row(b, viewer=user),
                # Prefetched by the selector: no query per row, none in the template.
                "invitee_names": [i.name for i in b.invitees.all()],
            }
            for b in upcoming
        ],
        "past": [presenters.booking_row(b, viewer=user) for b in past],
        "due_by": presenters.date_text(due.due_by) if due else "",
        "is_overdue": bool(due and due.is_overdue),
        "waiting": selectors.waitlist_entry_for(user),
        "offers": [
            {"offer": o, "when": presenters.when_text_for(o.starts_at, user)}
            for o in selectors.open_offers_for(user, now=now)
        ],
        "clinic": clinic_settings_get(),
    }
    return render(request, "counselling/session_list.html", context)


@role_required(Role.PATIENT)
@require_GET
def slot_list(request: AuthedRequest) -> HttpResponse:
    clinic = clinic_settings_get()
    move = request.GET.get("move", "")
    booking = selectors.booking_get_for(user=request.user, pk=int(move)) if move.isdigit() else None
    days = _slots_for(
        request.user,
        request.user,
        cutoff_hours=clinic.booking_cutoff_hours,
        only_clinician=booking.clinician_id if booking is not None else None,
    )
    context = {"days": days, "moving": booking, "clinic": clinic}
    return render(request, "counselling/slot_list.html", context)


@role_required(Role.PATIENT)
@require_POST
def booking_create(request: AuthedRequest) -> HttpResponse:
    form = forms.SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a time from the list.")
        return HttpResponseRedirect(reverse("counselling:slot-list"))
    clinician = User.objects.filter(pk=form.cleaned_data["clinician"], role=Role.CLINICIAN).first()
    try:
        if clinician is None:
            raise ServiceError("Choose a time from the list.")
        booking = services.booking_create(
            actor=request.user,
            patient=request.user,
            clinician=clinician,
            starts_at=form.cleaned_data["starts_at"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("counselling:slot-list"))
    row = presenters.booking_row(booking, viewer=request.user)
    messages.success(request, f"Appointment booked for {row['when']}. We have e-mailed you.")
    return HttpResponseRedirect(reverse("counselling:session-list"))


@role_required(Role.PATIENT, Role.CLINICIAN)
@require_POST
def booking_cancel(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get_for(user=request.user, pk=booking_id)
    form = forms.CancelForm(request.POST)
    override = form.is_valid() and form.cleaned_data["override_cutoff"]
    try:
        services.booking_cancel(actor=request.user, booking=booking, override_cutoff=override)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Appointment cancelled.")
    return _back(request, booking.pk)


@role_required(Role.PATIENT, Role.CLINICIAN)
@require_POST
def booking_reschedule(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get_for(user=request.user, pk=booking_id)
    form = forms.OnBehalfForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a new time from the list.")
        return _back(request, booking.pk)
    try:
        booking = services.booking_reschedule(
            actor=request.user,
            booking=booking,
            starts_at=form.cleaned_data["starts_at"],
            override_cutoff=form.cleaned_data["override_cutoff"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        row = presenters.booking_row(booking, viewer=request.user)
        messages.success(request, f"Appointment moved to {row['when']}.")
    return _back(request, booking.pk)


@role_required(Role.PATIENT, Role.CLINICIAN)
@require_GET
def booking_detail(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get_for(user=request.user, pk=booking_id)
    is_clinician = request.user.role == Role.CLINICIAN
    context = {
        "row": presenters.booking_row(booking, viewer=request.user),
        "invitees": list(booking.invitees.all()),
        "invite_form": forms.InviteeForm(),
        "attendance_form": forms.AttendanceForm(),
        "note_form": forms.NoteForm(),
        "notes": selectors.notes_for(user=request.user, booking=booking) if is_clinician else [],
        "is_clinician": is_clinician,
        "layout": "layouts/clinician.html" if is_clinician else "layouts/patient.html",
    }
    return render(request, "counselling/booking_detail.html", context)


@role_required(Role.PATIENT)
@require_POST
def invitee_add(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get_for(user=request.user, pk=booking_id)
    form = forms.InviteeForm(request.POST)
    if form.is_valid():
        try:
            services.invitee_add(actor=request.user, booking=booking, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"We have e-mailed {form.cleaned_data['name']}.")
            return HttpResponseRedirect(reverse("counselling:booking-detail", args=[booking.pk]))
    context = {
        "row": presenters.booking_row(booking, viewer=request.user),
        "invitees": list(booking.invitees.all()),
        "invite_form": form,
        "layout": "layouts/patient.html",
    }
    return render(request, "counselling/booking_detail.html", context)


@role_required(Role.PATIENT)
@require_POST
def waitlist_join(request: AuthedRequest) -> HttpResponse:
    services.waitlist_join(actor=request.user)
    messages.success(
        request, "You are on the waiting list. We will tell you if an earlier time frees up."
    )
    return HttpResponseRedirect(reverse("counselling:session-list"))


@role_required(Role.PATIENT)
@require_POST
def waitlist_leave(request: AuthedRequest) -> HttpResponse:
    services.waitlist_leave(actor=request.user)
    messages.success(request, "You have left the waiting list.")
    return HttpResponseRedirect(reverse("counselling:session-list"))


@role_required(Role.PATIENT)
@require_POST
def offer_accept(request: AuthedRequest, offer_id: int) -> HttpResponse:
    offer = selectors.offer_get_for(user=request.user, pk=offer_id)
    try:
        booking = services.offer_accept(actor=request.user, offer=offer)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        row = presenters.booking_row(booking, viewer=request.user)
        messages.success(request, f"Appointment booked for {row['when']}.")
    return HttpResponseRedirect(reverse("counselling:session-list"))


# --- Calendar feed ------------------------------------------------------------------------------


@role_required(*ALL_ROLES)
@require_GET
def feed_settings(request: AuthedRequest) -> HttpResponse:
    has_feed = hasattr(request.user, "calendar_feed")
    return render(request, "counselling/feed_settings.html", {"has_feed": has_feed, "url": ""})


@role_required(*ALL_ROLES)
@require_POST
def feed_reset(request: AuthedRequest) -> HttpResponse:
    token = services.feed_reset(actor=request.user)
    url = request.build_absolute_uri(reverse("counselling:feed", args=[token]))
    # Shown once, on this page: only its hash is kept.
    return render(request, "counselling/feed_settings.html", {"has_feed": True, "url": url})


@public
@require_GET
def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The private calendar feed: opened by its secret address alone (calendar programs cannot
    sign in). A wrong or reset secret is not found."""
    user = services.feed_user_for(feed_token)
    if user is None:
        raise Http404
    body = feed_ics(
        selectors.feed_bookings_for(user),
        clinic_name=clinic_settings_get().name,
        zone_name=user.time_zone,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Clinician ----------------------------------------------------------------------------------


@role_required(Role.CLINICIAN)
@require_GET
def clinician_sessions(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = selectors.sessions_on_day_for(user=user)
    overdue = selectors.overdue_patients_for(user=user)
    context = {
        "today": [presenters.booking_row(b, viewer=user) for b in today],
        "overdue": [
            {"patient": p, "due_by": presenters.date_text(info.due_by)} for p, info in overdue
        ],
    }
    return render(request, "counselling/clinician_sessions.html", context)


@role_required(Role.CLINICIAN, Role.STAFF)
@require_GET
def availability_index(request: AuthedRequest) -> HttpResponse:
    if request.user.role == Role.CLINICIAN:
        return HttpResponseRedirect(reverse("counselling:availability", args=[request.user.pk]))
    return render(
        request,
        "counselling/availability_index.html",
        {"clinicians": selectors.clinicians_for_staff()},
    )


def _availability_page(
    request: AuthedRequest,
    clinician: User,
    *,
    rule_form: forms.RuleForm | None = None,
    exception_form: forms.ExceptionForm | None = None,
) -> HttpResponse:
    zone = zone_of(clinician.time_zone)
    now = timezone.now()
    exceptions = [
        {
            "exc": e,
            "from": presenters.when_text_for(e.starts_at, clinician),
            "until": presenters.when_text_for(e.ends_at, clinician),
        }
        for e in AvailabilityException.objects.filter(clinician=clinician, ends_at__gt=now)
    ]
    context = {
        "clinician": clinician,
        "zone": clinician.time_zone.replace("_", " "),
        "rules": list(AvailabilityRule.objects.filter(clinician=clinician)),
        "exceptions": exceptions,
        "rule_form": rule_form or forms.RuleForm(),
        # A prefix: both forms have place and length fields, and ids must be unique on the page.
        "exception_form": exception_form or forms.ExceptionForm(prefix="exc", zone=zone),
        "layout": "layouts/clinician.html" if request.user.role == Role.CLINICIAN else "base.html",
    }
    return render(request, "counselling/availability.html", context)


@role_required(Role.CLINICIAN, Role.STAFF)
@require_GET
def availability(request: AuthedRequest, clinician_id: int) -> HttpResponse:
    clinician = selectors.availability_clinician_get_for(
        user=request.user, clinician_id=clinician_id
    )
    return _availability_page(request, clinician)


@role_required(Role.CLINICIAN, Role.STAFF)
@require_POST
def availability_rule_add(request: AuthedRequest, clinician_id: int) -> HttpResponse:
    clinician = selectors.availability_clinician_get_for(
        user=request.user, clinician_id=clinician_id
    )
    form = forms.RuleForm(request.POST)
    if form.is_valid():
        try:
            services.availability_rule_add(
                actor=request.user, clinician=clinician, **form.cleaned_data
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Weekly hours added.")
            return HttpResponseRedirect(reverse("counselling:availability", args=[clinician.pk]))
    return _availability_page(request, clinician, rule_form=form)


@role_required(Role.CLINICIAN, Role.STAFF)
@require_POST
def exception_add(request: AuthedRequest, clinician_id: int) -> HttpResponse:
    clinician = selectors.availability_clinician_get_for(
        user=request.user, clinician_id=clinician_id
    )
    form = forms.ExceptionForm(request.POST, prefix="exc", zone=zone_of(clinician.time_zone))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.availability_exception_add(
                actor=request.user,
                clinician=clinician,
                kind=data["kind"],
                starts_at=data["starts"],
                ends_at=data["ends"],
                session_minutes=data["session_minutes"],
                buffer_minutes=data["buffer_minutes"],
                location_kind=data["location_kind"],
                location=data["location"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return HttpResponseRedirect(reverse("counselling:availability", args=[clinician.pk]))
    return _availability_page(request, clinician, exception_form=form)


@role_required(Role.CLINICIAN, Role.STAFF)
@require_POST
def availability_rule_delete(request: AuthedRequest, rule_id: int) -> HttpResponse:
    rule = AvailabilityRule.objects.filter(pk=rule_id).select_related("clinician").first()
    if rule is None:
        raise Http404
    selectors.availability_clinician_get_for(user=request.user, clinician_id=rule.clinician_id)
    services.availability_rule_delete(actor=request.user, rule=rule)
    messages.success(request, "Weekly hours removed. Appointments already booked are kept.")
    return HttpResponseRedirect(reverse("counselling:availability", args=[rule.clinician_id]))


@role_required(Role.CLINICIAN, Role.STAFF)
@require_POST
def exception_delete(request: AuthedRequest, exception_id: int) -> HttpResponse:
    exc = AvailabilityException.objects.filter(pk=exception_id).select_related("clinician").first()
    if exc is None:
        raise Http404
    selectors.availability_clinician_get_for(user=request.user, clinician_id=exc.clinician_id)
    services.availability_exception_delete(actor=request.user, exception=exc)
    messages.success(request, "Removed.")
    return HttpResponseRedirect(reverse("counselling:availability", args=[exc.clinician_id]))


def _patient_for_clinician(request: AuthedRequest, patient_id: int) -> User:
    patient = access.patients_visible_to(request.user).filter(pk=patient_id).first()
    if patient is None:
        raise Http404
    return patient


def _plan_page(
    request: AuthedRequest, patient: User, *, form: forms.PlanForm | None = None
) -> HttpResponse:
    plan = selectors.plan_for(patient)
    initial = (
        {
            name: getattr(plan, name)
            for name in (
                "first_month_sessions",
                "interval_days",
                "months",
                "outside_counsellor_name",
                "outside_counsellor_contact",
            )
        }
        if plan
        else {}
    )
    due = selectors.due_for(patient)
    context = {
        "patient": patient,
        "form": form or forms.PlanForm(initial=initial),
        "due_by": presenters.date_text(due.due_by) if due else "",
        "start": presenters.date_text(due.start) if due else "",
        "bookings": [
            presenters.booking_row(b, viewer=request.user)
            for b in selectors.bookings_of_patient(patient)
        ],
        "days": _slots_for(patient, request.user, cutoff_hours=0),
    }
    return render(request, "counselling/patient_plan.html", context)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_plan(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient_for_clinician(request, patient_id)
    if request.method == "GET":
        return _plan_page(request, patient)
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_update(actor=request.user, patient=patient, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Counselling plan saved.")
            return HttpResponseRedirect(reverse("counselling:patient-plan", args=[patient.pk]))
    return _plan_page(request, patient, form=form)


@role_required(Role.CLINICIAN)
@require_POST
def patient_book(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient_for_clinician(request, patient_id)
    form = forms.OnBehalfForm(request.POST)
    target = HttpResponseRedirect(reverse("counselling:patient-plan", args=[patient.pk]))
    clinician = (
        User.objects.filter(pk=form.cleaned_data["clinician"], role=Role.CLINICIAN).first()
        if form.is_valid()
        else None
    )
    if clinician is None:
        messages.error(request, "Choose a time from the list.")
        return target
    try:
        services.booking_create(
            actor=request.user,
            patient=patient,
            clinician=clinician,
            starts_at=form.cleaned_data["starts_at"],
            override_cutoff=form.cleaned_data["override_cutoff"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Appointment booked for {patient.full_name}.")
    return target


@role_required(Role.CLINICIAN)
@require_POST
def attendance_mark(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get_for(user=request.user, pk=booking_id)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what happened.")
    else:
        try:
            services.attendance_mark(actor=request.user, booking=booking, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Attendance recorded.")
    return HttpResponseRedirect(reverse("counselling:booking-detail", args=[booking.pk]))


@role_required(Role.CLINICIAN)
@require_POST
def note_add(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get_for(user=request.user, pk=booking_id)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the note before saving it (up to 10,000 characters).")
    else:
        try:
            services.session_note_add(actor=request.user, booking=booking, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Note saved.")
    return HttpResponseRedirect(reverse("counselling:booking-detail", args=[booking.pk]))
