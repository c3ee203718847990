"""The API: versioned under /api/v1/, one include per app, the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.access import public

app_name = "api"

urlpatterns = [
    path("schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", public(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("v1/", include("apps.accounts.api_urls")),
    path("v1/", include("apps.api.api_urls")),
    path("v1/", include("apps.content.api_urls")),
    path("v1/", include("apps.notifications.api_urls")),
    path("v1/", include("apps.dosing.api_urls")),
    path("v1/", include("apps.worklist.api_urls")),
    path("v1/", include("apps.counselling.api_urls")),
]
