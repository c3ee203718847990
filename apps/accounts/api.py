"""API for the signed-in person's own account: who they are, who has looked at their record, and
everything the portal holds about them."""

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
from apps.accounts.exports import patient_export
from apps.api.requests import user_of
from apps.audit import words
from apps.audit.models import AuditEvent
from apps.audit.selectors import disclosure_list_for

ALL_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)


class MeSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    name = serializers.CharField(source="full_name", help_text="Full name.")
    full_name = serializers.CharField()
    display_name = serializers.CharField(help_text="What the person likes to be called.")
    time_zone = serializers.CharField(help_text="IANA zone; times in answers are UTC.")


class MeView(APIView):
    permission_classes = [HasRole.of(*ALL_ROLES)]

    @extend_schema(responses=MeSerializer, summary="The signed-in person")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class DisclosureSerializer(serializers.Serializer[AuditEvent]):
    at = serializers.DateTimeField()
    who = serializers.SerializerMethodField()
    role = serializers.CharField(source="actor_role")
    action = serializers.CharField(help_text="What kind of action, as a code.")
    what = serializers.SerializerMethodField(
        help_text='What happened, as a sentence: "Dr Ana Silva looked at your treatment plan."'
    )

    def get_who(self, event: AuditEvent) -> str:
        return words.event_who(event)

    def get_what(self, event: AuditEvent) -> str:
        return words.event_sentence(event)


class DisclosureListView(ListAPIView[AuditEvent]):
    """Who has looked at or changed the patient's record, newest first (the web's disclosure
    page, as data)."""

    permission_classes = [HasRole.of(Role.PATIENT)]
    serializer_class = DisclosureSerializer

    def get_queryset(self) -> Any:
        return disclosure_list_for(user=user_of(self.request))

    @extend_schema(summary="Who viewed my record, and when")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ExportView(APIView):
    permission_classes = [HasRole.of(Role.PATIENT)]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Everything the portal holds about me",
        description="The same record as the web's download (UK GDPR right of access): account, "
        "consents, record access, intake, notifications, safety acknowledgements and more, one "
        "section per part of the portal. Downloading it is audited.",
    )
    def get(self, request: Request) -> Response:
        return Response(patient_export(patient=user_of(request)))
