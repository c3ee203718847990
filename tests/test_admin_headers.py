"""The administration pages carry the same security headers as every portal page: they are
exempt from the access matrix (a third-party URL set), so they are checked here."""

from __future__ import annotations

from django.contrib import admin

from tests.headers import assert_security_headers


def test_every_admin_list_and_the_index_carry_the_security_headers(client, staff):
    client.force_login(staff)
    urls = ["/admin/"] + [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    ]
    checked = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:  # superuser-only third-party lists answer 403
            continue
        assert_security_headers(response, signed_in=True)
        checked += 1
    assert checked > 5, "staff should open the portal's own admin lists"
