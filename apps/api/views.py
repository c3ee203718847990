"""The API's patient endpoints: the list and one patient (with the fields each role may receive),
and the patient's record as a FHIR R4 Bundle."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import HasRole, Role
from apps.accounts.models import User
from apps.api import selectors
from apps.api.fhir import patient_bundle
from apps.api.requests import user_of
from apps.audit.services import audit_read

CARE_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN)


class PatientSerializer(serializers.Serializer[User]):
    """A supervisor receives only `id`, `name` and `protected_until` (their consent's scope)."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    pathway_state = serializers.CharField(
        required=False, help_text="Not sent to supervisors: outside their consent."
    )
    protected_until = serializers.DateTimeField(
        allow_null=True,
        read_only=True,
        help_text="When the last dose taken stops blocking opioids (null when none has been taken).",
    )

    def to_representation(self, instance: User) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        allowed = self.context.get("fields")
        if allowed is not None:
            data = {k: v for k, v in data.items() if k in allowed}
        return data


def _context(request: Request) -> dict[str, Any]:
    return {"request": request, "fields": selectors.fields_for(user_of(request))}


class PatientListView(ListAPIView[User]):
    """A clinician's caseload, a supervisor's consented patients, or the patient themselves."""

    permission_classes = [HasRole.of(*CARE_ROLES)]
    serializer_class = PatientSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return _context(self.request)

    def get_queryset(self) -> Any:
        return selectors.patient_list_for(user=user_of(self.request))

    @extend_schema(summary="Patients I may see")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PatientDetailView(APIView):
    permission_classes = [HasRole.of(*CARE_ROLES)]

    @extend_schema(responses=PatientSerializer, summary="One patient I may see")
    def get(self, request: Request, patient_id: int) -> Response:
        user = user_of(request)
        patient = selectors.patient_get_for(user=user, pk=patient_id)
        audit_read(
            actor=user,
            patient_id=patient.pk,
            what="dose_schedule" if user.role == Role.SUPERVISOR else "summary",
        )
        return Response(PatientSerializer(patient, context=_context(request)).data)


class PatientFhirView(APIView):
    """The patient's record as FHIR: their responsible clinician, or the patient themselves."""

    permission_classes = [HasRole.of(Role.PATIENT, Role.CLINICIAN)]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="The patient's record as a FHIR R4 Bundle",
        description="A Bundle of type collection: Patient, Consent, QuestionnaireResponse, "
        "Observation (instrument scores and test results), MedicationRequest (each schedule "
        "version), MedicationAdministration (each dose outcome) and Appointment, as JSON (FHIR's "
        "JSON format). Reading it is audited.",
    )
    def get(self, request: Request, patient_id: int) -> Response:
        user = user_of(request)
        patient = selectors.patient_get_for(user=user, pk=patient_id)
        audit_read(actor=user, patient_id=patient.pk, what="fhir_bundle")
        return Response(patient_bundle(patient=patient))
