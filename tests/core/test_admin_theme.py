"""The administration pages wear the clinic's colours, from files (the CSP stays strict)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.urls import reverse

from apps.clinic.selectors import clinic_settings_get


def test_admin_pages_load_the_clinic_colours_from_files(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    html = response.content.decode()
    theme = html.index(f'href="{reverse("core:theme")}"')
    assert html.index("admin/css/base.css") < theme < html.index("css/admin-theme.css")
    assert "<style" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_admin_theme_maps_the_admin_colours_to_the_clinic_brand(client, staff):
    path = finders.find("css/admin-theme.css")
    assert path is not None
    css = open(path).read()  # noqa: SIM115
    for variable in ("--header-bg", "--button-bg", "--breadcrumbs-bg", "--primary", "--link-fg"):
        assert f"{variable}:" in css
    assert "var(--brand" in css
    clinic = clinic_settings_get()
    theme = client.get(reverse("core:theme")).content.decode()
    assert f"--brand: {clinic.brand_colour}" in theme
