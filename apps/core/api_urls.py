"""The API: versioned under /api/v1/, one include per app, and the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from apps.accounts.access import public

app_name = "api"

urlpatterns = [
    path("schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("v1/", include("apps.accounts.api_urls")),
]
