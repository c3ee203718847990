"""API for the inbox: a person's own notifications, and marking one read."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import HasRole, Role
from apps.api import idempotency
from apps.api.requests import user_of
from apps.notifications import selectors, services

ALL_ROLES = (Role.PATIENT, Role.SUPERVISOR, Role.CLINICIAN, Role.STAFF)


class NotificationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    url = serializers.CharField(help_text="The portal page it is about (a path).")
    created_at = serializers.DateTimeField()
    is_unread = serializers.BooleanField()
    is_urgent = serializers.BooleanField()


class NotificationReadSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    read_at = serializers.DateTimeField()


class NotificationListView(ListAPIView[Any]):
    """The person's own notifications, newest first (the newest 100, as on the web)."""

    permission_classes = [HasRole.of(*ALL_ROLES)]
    serializer_class = NotificationSerializer

    def get_queryset(self) -> Any:
        return selectors.notification_list_for(user=user_of(self.request))

    @extend_schema(summary="My notifications")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationReadView(APIView):
    permission_classes = [HasRole.of(*ALL_ROLES)]

    @extend_schema(
        request=None,
        responses=NotificationReadSerializer,
        parameters=[idempotency.PARAMETER],
        summary="Mark one of my notifications read",
    )
    @idempotency.idempotent
    def post(self, request: Request, notification_id: int) -> Response:
        notification = selectors.notification_get_for(user=user_of(request), pk=notification_id)
        done = services.notification_mark_read(actor=user_of(request), notification=notification)
        return Response(NotificationReadSerializer(done).data)
