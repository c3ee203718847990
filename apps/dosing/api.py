"""API for dosing: scheduled doses and their outcomes, supervisors' concerns, and a clinician's
alerts. The same selectors and services as the web pages, so consent, late-record, first-dose
and race rules hold here too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import HasRole, Role
from apps.api import idempotency
from apps.api.errors import error_body
from apps.api.requests import user_of
from apps.api.schema import NOT_FOUND_IN_BODY
from apps.core.exceptions import ServiceError
from apps.dosing import alerts, concerns, selectors, services
from apps.dosing.escalation_models import Alert, Concern, Rule, Worry
from apps.dosing.models import DoseOutcome, Outcome, ScheduledDose

CARE_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN)
NOT_RECORDED = "not_recorded"
MAX_NOTE_CHARS = 2000
MAX_REASON_CHARS = 500
STATUS_CHOICES = [*Outcome.values, NOT_RECORDED]


# --- Doses ----------------------------------------------------------------------------------------


class DoseSerializer(serializers.Serializer[ScheduledDose]):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id")
    due_at = serializers.DateTimeField(help_text="When the dose is due (UTC).")
    local_date = serializers.DateField(help_text="The day it is due, in the patient's time zone.")
    tablets = serializers.DecimalField(max_digits=3, decimal_places=1, coerce_to_string=False)
    mg = serializers.IntegerField()
    status = serializers.SerializerMethodField(
        help_text="What happened (the current record), or not_recorded."
    )
    recorded_at = serializers.SerializerMethodField()
    recorded_by = serializers.SerializerMethodField(help_text="Who recorded it (their name).")

    @extend_schema_field(serializers.ChoiceField(choices=STATUS_CHOICES))
    def get_status(self, dose: ScheduledDose) -> str:
        current = selectors.current_outcome(dose)
        return current.outcome if current is not None else NOT_RECORDED

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_recorded_at(self, dose: ScheduledDose) -> str | None:
        current = selectors.current_outcome(dose)
        if current is None:
            return None
        return serializers.DateTimeField().to_representation(current.recorded_at)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by(self, dose: ScheduledDose) -> str | None:
        current = selectors.current_outcome(dose)
        return current.recorded_by.display_name if current is not None else None


class DoseQuerySerializer(serializers.Serializer[Any]):
    patient = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    to = serializers.DateField(required=False, help_text="Last day (the patient's), inclusive.")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields: dict[str, serializers.Field[Any, Any, Any, Any]] = super().get_fields()
        # "from" is a Python keyword: it cannot be a class attribute.
        fields["from"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs.get("from"), attrs.get("to")
        if first is not None and last is not None and last < first:
            raise serializers.ValidationError({"to": ["Choose a day on or after 'from'."]})
        return attrs


DOSE_PARAMETERS = [
    OpenApiParameter("patient", OpenApiTypes.INT, description="Only this patient's doses."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD), inclusive."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD), inclusive."),
]


class DoseListView(ListAPIView[ScheduledDose]):
    """Doses of the patients I may see, earliest first: the same visibility as patients/."""

    permission_classes = [HasRole.of(*CARE_ROLES)]
    serializer_class = DoseSerializer

    def get_queryset(self) -> Any:
        query = DoseQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        found: dict[str, Any] = query.validated_data
        from_day: dt.date | None = found.get("from")
        return selectors.dose_list_for(
            user=user_of(self.request),
            patient_id=found.get("patient"),
            from_day=from_day,
            to_day=found.get("to"),
        )

    @extend_schema(parameters=DOSE_PARAMETERS, summary="Scheduled doses and what happened")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OutcomeInSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        help_text="Supervisors: witnessed, refused, vomited (or missed). Patients: self_reported "
        "(or missed, vomited). The responsible clinician: any but self_reported.",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NOTE_CHARS, default=""
    )
    late_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_REASON_CHARS,
        default="",
        help_text="Needed when the record is made more than the clinic's late time after the "
        "due time.",
    )
    taken_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the tablet was taken, if not now (on the day it was due).",
    )


class OutcomeSerializer(serializers.Serializer[DoseOutcome]):
    id = serializers.IntegerField()
    dose = serializers.IntegerField(source="dose_id")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    taken_at = serializers.DateTimeField(allow_null=True)
    recorded_at = serializers.DateTimeField()
    recorded_by = serializers.CharField(source="recorded_by.display_name")
    message = serializers.CharField(required=False, help_text="Plain words to show the person.")


class AlreadyRecordedSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="already_recorded")
    message = serializers.CharField(help_text="Says who recorded it, and what.")
    recorded_by = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    recorded_at = serializers.DateTimeField()


class DoseOutcomeView(APIView):
    permission_classes = [HasRole.of(*CARE_ROLES)]

    @extend_schema(
        request=OutcomeInSerializer,
        responses={201: OutcomeSerializer, 409: AlreadyRecordedSerializer},
        parameters=[idempotency.PARAMETER],
        summary="Record what happened at a dose",
        description="One record per dose: when someone has already recorded it the answer is "
        "409 naming who. Works with an app's session token or the portal's own pages (browser "
        "session with the X-CSRFToken header).",
    )
    @idempotency.idempotent
    def post(self, request: Request, dose_id: int) -> Response:
        user = user_of(request)
        dose = selectors.dose_get_for_recording(user=user, pk=dose_id)
        data = OutcomeInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.dose_outcome_record(actor=user, dose=dose, **data.validated_data)
        row = result.outcome
        if not result.created:
            body = error_body("already_recorded", result.message)
            body.update(
                recorded_by=row.recorded_by.display_name,
                outcome=row.outcome,
                recorded_at=serializers.DateTimeField().to_representation(row.recorded_at),
            )
            return Response(body, status=status.HTTP_409_CONFLICT)
        answer = OutcomeSerializer(row).data
        answer["message"] = result.message
        return Response(answer, status=status.HTTP_201_CREATED)


# --- Concerns -------------------------------------------------------------------------------------


class ConcernInSerializer(serializers.Serializer[Any]):
    patient = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    level = serializers.ChoiceField(choices=Worry.choices, help_text="How worried you are.")
    message = serializers.CharField(
        max_length=concerns.MAX_CONCERN_CHARS, help_text="What you saw or heard."
    )
    opioid_use_suspected = serializers.BooleanField(
        required=False, default=False, help_text="You think they may have used opioids."
    )


class ConcernSerializer(serializers.Serializer[Concern]):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id")
    level = serializers.ChoiceField(source="worry", choices=Worry.choices)
    opioid_use_suspected = serializers.BooleanField()
    created_at = serializers.DateTimeField()


# The concern service names its fields as the web form does; the API's names are the contract.
CONCERN_FIELDS = {"what_seen": "message", "worry": "level"}


class ConcernCreateView(APIView):
    permission_classes = [HasRole.of(Role.SUPERVISOR)]

    @extend_schema(
        request=ConcernInSerializer,
        responses={201: ConcernSerializer, 404: NOT_FOUND_IN_BODY},
        parameters=[idempotency.PARAMETER],
        summary="Raise a concern about a patient I supervise",
        description="The patient's clinician gets an urgent task at once. You are told it was "
        "received, never what the clinician did about it.",
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        user = user_of(request)
        data = ConcernInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = data.validated_data
        patient = selectors.patient_get_for(user=user, patient_id=found["patient"])
        try:
            concern = concerns.concern_raise(
                actor=user,
                patient=patient,
                what_seen=found["message"],
                worry=found["level"],
                opioid_use_suspected=found["opioid_use_suspected"],
            )
        except ServiceError as exc:
            raise ServiceError(exc.message, field=CONCERN_FIELDS.get(exc.field or "")) from exc
        return Response(ConcernSerializer(concern).data, status=status.HTTP_201_CREATED)


# --- Alerts ---------------------------------------------------------------------------------------


class AlertSerializer(serializers.Serializer[Alert]):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id")
    patient_name = serializers.CharField(source="patient.full_name")
    tier = serializers.IntegerField(help_text="1 to 3; 0 for a re-induction check.")
    rule = serializers.ChoiceField(choices=Rule.choices)
    title = serializers.CharField(source="get_rule_display")
    threshold = serializers.CharField(help_text="The threshold it crossed, in words.")
    created_at = serializers.DateTimeField()
    is_urgent = serializers.BooleanField()
    task = serializers.IntegerField(
        source="task_id",
        allow_null=True,
        help_text="The worklist task it raised (listed in tasks/ until it is closed), or null.",
    )
    task_status = serializers.SerializerMethodField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.ChoiceField(choices=["open", "done"], allow_null=True))
    def get_task_status(self, alert: Alert) -> str | None:
        return alert.task.status if alert.task is not None else None


class AlertListView(ListAPIView[Alert]):
    """Open alerts of my patients (not yet acknowledged, task not closed), urgent first."""

    permission_classes = [HasRole.of(Role.CLINICIAN)]
    serializer_class = AlertSerializer

    def get_queryset(self) -> Any:
        return alerts.alert_list_for(user=user_of(self.request))

    @extend_schema(summary="My patients' open alerts, urgent first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AlertAcknowledgeView(APIView):
    permission_classes = [HasRole.of(Role.CLINICIAN)]

    @extend_schema(
        request=None,
        responses=AlertSerializer,
        parameters=[idempotency.PARAMETER],
        summary="Mark an alert seen",
        description="It leaves the list of open alerts. An urgent task behind it stays open "
        "until it is closed on purpose in the portal.",
    )
    @idempotency.idempotent
    def post(self, request: Request, alert_id: int) -> Response:
        user = user_of(request)
        alert = alerts.alert_get_for(user=user, pk=alert_id)
        done = alerts.alert_acknowledge(actor=user, alert=alert)
        return Response(AlertSerializer(done).data)
