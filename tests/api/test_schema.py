"""The OpenAPI contract at /api/schema/: valid, complete (every API route, the token scheme, the
error shape), and its documentation page served from vendored files under the strict CSP."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from tests.urlwalk import walk


@pytest.fixture
def schema(client, db):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_every_api_route_is_in_the_schema(schema):
    documented = {re.sub(r"\{[^}]+\}", "{}", p) for p in schema["paths"]}
    routes = set()
    for route in walk():
        name, params = route.name or "", route.params
        if name.startswith("api:") and name not in {"api:schema", "api:docs"}:
            path = reverse(name, kwargs=dict.fromkeys(params, 1))
            routes.add(re.sub(r"/1/", "/{}/", path))
    assert routes <= documented, sorted(routes - documented)


def test_the_token_scheme_is_described(schema):
    scheme = schema["components"]["securitySchemes"]["sessionToken"]
    assert scheme == {"type": "apiKey", "in": "header", "name": "X-Session-Token"}
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert {"sessionToken": []} in me["security"]


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    error = {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            responses = op["responses"]
            assert "429" in responses, (method, path)
            if {} not in op.get("security", []):
                for code in ("401", "403"):
                    assert responses[code]["content"]["application/json"]["schema"] == error
            if "{" in path:
                assert "404" in responses, (method, path)
            if method == "post":
                assert {"400", "422"} <= responses.keys(), path
                names = {p["name"] for p in op.get("parameters", [])}
                assert "Idempotency-Key" in names, path


def test_supervisor_scoped_fields_are_optional_in_the_contract(schema):
    patient = schema["components"]["schemas"]["Patient"]
    assert set(patient["required"]) == {"id", "name", "protected_until"}


def test_docs_page_uses_vendored_assets_under_the_strict_csp(client, db):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    html = response.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    assert all("src=" in attrs for attrs in scripts)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    static = [a for a in assets if a.startswith("/static/")]
    assert len(static) == len(assets) - 1  # all but the page's own init script
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url
    init = next(a for a in assets if not a.startswith("/static/"))
    script = client.get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_every_api_post_accepts_an_idempotency_key():
    for route in walk():
        name, view = route.name or "", route.view
        view_class = getattr(view, "cls", None)
        post = getattr(view_class, "post", None)
        if name.startswith("api:") and post is not None:
            assert getattr(post, "is_idempotent", False), f"{name}: decorate post with @idempotent"
