"""API for the signed-in person's own account."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import HasRole, Role


class MeSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    time_zone = serializers.CharField()


class MeView(APIView):
    permission_classes = [HasRole.of(Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)]

    @extend_schema(responses=MeSerializer, summary="The signed-in person")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
