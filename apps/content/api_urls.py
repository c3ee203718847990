from django.urls import path

from apps.accounts.access import public
from apps.content import api

app_name = "content-api"

urlpatterns = [
    path("faq/", public(api.FaqListView.as_view()), name="faq-list"),
]
