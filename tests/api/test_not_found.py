"""An address no route matches answers in the API's error shape under /api/ (a page elsewhere)."""

from __future__ import annotations


def test_unknown_api_address_is_a_json_404(client, db):
    response = client.get("/api/v1/patients/null,null/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}


def test_unknown_page_is_still_a_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
