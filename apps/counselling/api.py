"""API for counselling: free slots, appointments, booking and cancelling. The same selectors and
services as the web pages: one live booking per slot (the database holds it), the clinic's
cut-off, and the patient's own clinician (or others when the clinic allows it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import access
from apps.accounts.access import HasRole, Role
from apps.accounts.models import User
from apps.api import idempotency
from apps.api.errors import error_body
from apps.api.requests import user_of
from apps.api.schema import NOT_FOUND_IN_BODY
from apps.clinic.selectors import clinic_settings_get
from apps.counselling import selectors, services
from apps.counselling.models import Booking, LocationKind
from apps.counselling.slots import Slot, zone_of

BOOKING_ROLES = (Role.PATIENT, Role.CLINICIAN)
# The longest range of free slots one request may ask for.
MAX_SLOT_DAYS = 56
DEFAULT_SLOT_DAYS = 28
MAX_AHEAD_DAYS = 366


# --- Slots ----------------------------------------------------------------------------------------


class SlotSerializer(serializers.Serializer[Any]):
    clinician = serializers.IntegerField(source="clinician_id")
    clinician_name = serializers.SerializerMethodField()
    start = serializers.DateTimeField(source="starts_at", help_text="UTC; send it back to book.")
    end = serializers.DateTimeField(source="ends_at")
    location_kind = serializers.ChoiceField(choices=LocationKind.choices)
    location = serializers.CharField(help_text="The room, or the video link.")

    def get_clinician_name(self, slot: Slot) -> str:
        names: dict[int, str] = self.context.get("names", {})
        return names.get(slot.clinician_id, "")


class SlotQuerySerializer(serializers.Serializer[Any]):
    to = serializers.DateField(required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields: dict[str, serializers.Field[Any, Any, Any, Any]] = super().get_fields()
        fields["from"] = serializers.DateField(required=False)  # a Python keyword
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today: dt.date = self.context["today"]
        first = attrs.get("from") or today
        last = attrs.get("to") or first + dt.timedelta(days=DEFAULT_SLOT_DAYS - 1)
        if last < first:
            raise ValidationError({"to": ["Choose a day on or after 'from'."]})
        if (last - first).days >= MAX_SLOT_DAYS:
            raise ValidationError(
                {"to": [f"Ask for at most {MAX_SLOT_DAYS // 7} weeks of free times at once."]}
            )
        # Free times are in the coming year; far-off dates would also overflow date arithmetic.
        for name, day in (("from", first), ("to", last)):
            if not today - dt.timedelta(days=1) <= day <= today + dt.timedelta(days=MAX_AHEAD_DAYS):
                raise ValidationError({name: ["Choose a day from today to a year ahead."]})
        return {"from": first, "to": last}


SLOT_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="First day (YYYY-MM-DD, your zone); today if left out.",
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description=f"Last day, inclusive; at most {MAX_SLOT_DAYS // 7} weeks after 'from' "
        f"(default {DEFAULT_SLOT_DAYS // 7} weeks).",
    ),
]


def _midnight(day: dt.date, zone_name: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone_of(zone_name))


class SlotListView(ListAPIView[Any]):
    """Free times: a patient's bookable clinicians (from the clinic's cut-off on), a
    clinician's own."""

    permission_classes = [HasRole.of(*BOOKING_ROLES)]
    serializer_class = SlotSerializer

    def get_queryset(self) -> Any:
        user = user_of(self.request)
        now = timezone.now()
        today = now.astimezone(zone_of(user.time_zone)).date()
        query = SlotQuerySerializer(data=self.request.query_params, context={"today": today})
        query.is_valid(raise_exception=True)
        days = query.validated_data
        clinicians = selectors.slot_clinicians_for(user)
        self.names = {c.pk: c.full_name for c in clinicians}
        cutoff = clinic_settings_get().booking_cutoff_hours if user.role == Role.PATIENT else 0
        start = max(_midnight(days["from"], user.time_zone), now + dt.timedelta(hours=cutoff))
        end = _midnight(days["to"] + dt.timedelta(days=1), user.time_zone)
        if end <= start:
            return []
        return selectors.free_slots(clinicians, window_start=start, window_end=end)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "names": getattr(self, "names", {})}

    @extend_schema(parameters=SLOT_PARAMETERS, summary="Free counselling times")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- Appointments ---------------------------------------------------------------------------------


class AppointmentSerializer(serializers.Serializer[Booking]):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id")
    clinician = serializers.IntegerField(source="clinician_id")
    clinician_name = serializers.CharField(source="clinician.full_name")
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    location_kind = serializers.ChoiceField(choices=LocationKind.choices)
    location = serializers.CharField()
    status = serializers.ChoiceField(choices=Booking.Status.choices)


class AppointmentInSerializer(serializers.Serializer[Any]):
    clinician = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    start = serializers.DateTimeField(help_text="A free slot's start, as slots/ gives it.")
    patient = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Clinicians: the patient to book for. Patients leave it out.",
    )
    override_cutoff = serializers.BooleanField(
        required=False, default=False, help_text="Clinicians only: book inside the cut-off."
    )

    def validate_start(self, value: dt.datetime) -> dt.datetime:
        # No slot is more than a year ahead; far-off times would also overflow time arithmetic.
        if value > timezone.now() + dt.timedelta(days=MAX_AHEAD_DAYS):
            raise ValidationError("Choose a free time from the list of slots.")
        return value


class SlotTakenSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="slot_taken")
    message = serializers.CharField()
    next_free = SlotSerializer(many=True)


class AppointmentListView(ListAPIView[Booking]):
    permission_classes = [HasRole.of(*BOOKING_ROLES)]
    serializer_class = AppointmentSerializer

    def get_queryset(self) -> Any:
        return selectors.booking_list_for(user=user_of(self.request))

    @extend_schema(summary="Appointments: my own, or my sessions and my patients'")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=AppointmentInSerializer,
        responses={201: AppointmentSerializer, 409: SlotTakenSerializer, 404: NOT_FOUND_IN_BODY},
        parameters=[idempotency.PARAMETER],
        summary="Book a free time",
        description="Patients book for themselves; a clinician books for one of their patients "
        "(`patient`). A time someone else has just taken is 409 with the next free times; "
        "a time inside the clinic's cut-off is 400 with the reason.",
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        user = user_of(request)
        data = AppointmentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = data.validated_data
        patient = _patient_for(user, found.get("patient"))
        clinician = User.objects.filter(
            pk=found["clinician"], role=Role.CLINICIAN, is_active=True
        ).first()
        if user.role == Role.PATIENT and clinician is not None:
            allowed = {c.pk for c in selectors.bookable_clinicians_for(patient)}
            clinician = clinician if clinician.pk in allowed else None
        if clinician is None:
            raise ValidationError({"clinician": ["Choose a clinician from the free times."]})
        try:
            booking = services.booking_create(
                actor=user,
                patient=patient,
                clinician=clinician,
                starts_at=found["start"],
                override_cutoff=found["override_cutoff"],
            )
        except services.SlotTakenError as taken:
            body = error_body("slot_taken", taken.message)
            names = {clinician.pk: clinician.full_name}
            body["next_free"] = SlotSerializer(
                taken.next_free, many=True, context={"names": names}
            ).data
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(AppointmentSerializer(booking).data, status=status.HTTP_201_CREATED)


def _patient_for(user: User, patient_id: int | None) -> User:
    """A patient books for themselves; a clinician for one of their patients (404 otherwise)."""
    if user.role == Role.PATIENT:
        patient_id = patient_id or user.pk
    elif patient_id is None:
        raise ValidationError({"patient": ["Choose the patient to book for."]})
    patient = access.patients_visible_to(user).filter(pk=patient_id).first()
    if patient is None:
        raise Http404
    return patient


class CancelInSerializer(serializers.Serializer[Any]):
    override_cutoff = serializers.BooleanField(
        required=False, default=False, help_text="Clinicians only: cancel inside the cut-off."
    )


class AppointmentCancelView(APIView):
    permission_classes = [HasRole.of(*BOOKING_ROLES)]

    @extend_schema(
        request=CancelInSerializer,
        responses=AppointmentSerializer,
        parameters=[idempotency.PARAMETER],
        summary="Cancel an appointment",
        description="Up to the clinic's cut-off (400 with the reason after it). Cancelling an "
        "appointment that is already cancelled answers with it, unchanged.",
    )
    @idempotency.idempotent
    def post(self, request: Request, booking_id: int) -> Response:
        user = user_of(request)
        booking = selectors.booking_get_for(user=user, pk=booking_id)
        data = CancelInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if booking.status not in (Booking.Status.CANCELLED, Booking.Status.CANCELLED_LATE):
            booking = services.booking_cancel(
                actor=user, booking=booking, override_cutoff=data.validated_data["override_cutoff"]
            )
        return Response(AppointmentSerializer(booking).data)
