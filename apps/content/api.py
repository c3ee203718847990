"""API for the help and information pages (FAQ): published entries, open to everyone."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from apps.content.selectors import faq_audiences_for, faq_sections


class FaqEntrySerializer(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="The entry's stable name (its page anchor).")
    question = serializers.CharField()
    answer = serializers.CharField(help_text="Sanitised HTML: paragraphs, lists, links, emphasis.")
    category = serializers.CharField(help_text="The heading it sits under (a stable name).")
    category_title = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    reviewed_at = serializers.DateField(allow_null=True)


class FaqListView(ListAPIView[Any]):
    """Published entries in the reader's language. Signed-in supervisors and clinicians also get
    the supervisors' guidance, as on the web."""

    permission_classes = [AllowAny]
    serializer_class = FaqEntrySerializer

    def get_queryset(self) -> Any:
        user = self.request.user if self.request.user.is_authenticated else None
        return [
            {
                "id": item.slug,
                "question": item.question,
                "answer": item.answer_html,
                "category": section.slug,
                "category_title": section.title,
                "sources": item.sources,
                "reviewed_at": item.reviewed_at,
            }
            for section in faq_sections(audiences=faq_audiences_for(user))
            for item in section.items
        ]

    @extend_schema(summary="Help and information (FAQ)", auth=[])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
