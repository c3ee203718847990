from django.urls import path

from apps.accounts import api

app_name = "accounts-api"

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("me/disclosures/", api.DisclosureListView.as_view(), name="disclosure-list"),
    path("me/export/", api.ExportView.as_view(), name="export"),
]
