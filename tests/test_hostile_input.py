"""Hostile input on every route: ordering, filtering and search parameters that are SQL
fragments or odd types, and the ids of someone else's objects in query strings and POST bodies.

- Parameters: a page answers as it does without them, or 400; never a server error. Pages read
  only the parameters they declare (forms, the API's filter allow-lists), so anything else is
  ignored; the API may only order, filter and search by fields it lists.
- Other people's ids: for every object type, stuffing another patient's ids into every field
  name and the query string changes none of that patient's rows and never shows their name.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.views import APIView

from apps.audit.models import AuditEvent
from apps.intake import services as intake_services
from apps.notifications.services import notification_queue
from apps.worklist.models import Task
from tests.test_access_matrix import EXPECTED, POST_EXPECTED, own_routes

HOSTILE = {
    "o": "1;DROP TABLE audit_auditevent",
    "ordering": "-password",
    "order_by": "pk') --",
    "sort": "__class__",
    "q": "%' OR 1=1 --",
    "search": ["a", "b", "\x00"],
    "filter": '{"$gt": ""}',
    "status": "<script>alert(1)</script>",
    "page": "-1",
    "page_size": "1e309",
    "limit": "NaN",
    "offset": "99999999999999999999999",
    "since": "9999-99-99",
    "id__in": "1,2,3",
    "patient__email__startswith": "a",
    "kind": ["x"] * 50,
}

LINKED = ("patient", "supervisor", "clinician")  # staff manage every patient by design


def allowed(table: dict[str, dict[str, int]], name: str, persona: str) -> bool:
    return table.get(name, {}).get(persona) in (200, 302, 405)


GET_ROUTES = sorted(n for n, row in EXPECTED.items() if any(row[p] == 200 for p in row))


@pytest.mark.parametrize("name", GET_ROUTES)
def test_hostile_parameters_never_cause_a_server_error(client, world, name):
    url = world.reverse(name)
    for persona, status in EXPECTED[name].items():
        if status != 200:
            continue
        user = world.personas[persona]
        client.logout()
        if user is not None:
            client.force_login(user)
        plain = client.get(url).status_code
        hostile = client.get(url, HOSTILE).status_code
        assert hostile < 500, (persona, hostile)
        assert hostile in (plain, 400), (persona, plain, hostile)


def test_the_admin_lists_refuse_odd_ordering_and_filters_without_error(client, staff):
    from django.contrib import admin

    client.force_login(staff)
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url, {**HOSTILE, "o": "99.-1.x", "action__exact": "' OR 1=1"})
        assert response.status_code < 500, url


def test_the_api_orders_filters_and_searches_only_by_listed_fields():
    rest: dict[str, Any] = settings.REST_FRAMEWORK
    backends: list[object] = list(rest.get("DEFAULT_FILTER_BACKENDS", []))
    for route in own_routes():
        view_class = getattr(route.view, "cls", None)
        if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            continue
        used: list[object] = list(getattr(view_class, "filter_backends", backends) or [])
        for backend in used:
            backend_class = backend if isinstance(backend, type) else type(backend)
            if issubclass(backend_class, OrderingFilter):
                fields = getattr(view_class, "ordering_fields", None)
                assert fields, f"{route.key}: list ordering_fields"
                assert fields != "__all__", f"{route.key}: list ordering_fields"
            if issubclass(backend_class, SearchFilter):
                assert getattr(view_class, "search_fields", None), f"{route.key}: search_fields"
            if backend_class.__name__ == "DjangoFilterBackend":
                assert getattr(view_class, "filterset_fields", None) or getattr(
                    view_class, "filterset_class", None
                ), f"{route.key}: list filterset_fields"


# --- Someone else's ids -------------------------------------------------------------------------


def others_objects(world: Any) -> dict[str, Any]:
    """One of each object type, belonging to `other_patient` and their care team."""
    other = world.personas["other_patient"]
    phq = {f"phq_{n}": 0 for n in range(1, 10)} | {"phq_9": 1}
    intake_services.questionnaire_step_save(actor=other, step="phq_9", answers=phq)
    from apps.accounts import services as account_services
    from apps.accounts.roles import Role
    from tests.conftest import make_user

    consent = world.objects.get("other_consent")
    if consent is None:
        from apps.accounts.models import SupervisorConsent

        consent = SupervisorConsent.objects.get(patient=other)
    invitation = account_services.invitation_create(
        actor=world.personas["other_clinician"],
        email="someone.else@test.example",
        full_name="Someone Else",
        role=Role.PATIENT,
    )
    return {
        "patient": other,
        "user": other,
        "consent": consent,
        "invitation": invitation,
        "task": Task.objects.get(patient=other),
        "notification": notification_queue(
            recipient=other, kind="portal_update", event_key="hostile:1"
        ),
        "supervisor": world.personas["stray_supervisor"],
        "clinician": world.personas["other_clinician"],
        "new_user": make_user("unrelated@test.example", Role.SUPERVISOR),
    }


def snapshot(other: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row that points at the other patient (and their own account row)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    rows: dict[str, list[dict[str, Any]]] = {
        "user": list(user_model.objects.filter(pk=other.pk).values())
    }
    for model in apps.get_models():
        if model is AuditEvent:
            continue
        for field in model._meta.get_fields():
            if (
                getattr(field, "many_to_one", False)
                and getattr(field, "related_model", None) is user_model
                and field.concrete
            ):
                values = model._default_manager.filter(**{field.name: other}).order_by("pk")
                rows[f"{model._meta.label}.{field.name}"] = list(values.values())
    return rows


def stuffed(objects: dict[str, Any]) -> dict[str, Any]:
    """Every object type's id under its own names, and all of them under the generic ones."""
    body: dict[str, Any] = {}
    for kind, obj in objects.items():
        body[kind] = body[f"{kind}_id"] = obj.pk
        body[f"{kind}s"] = [obj.pk]
    every = [obj.pk for obj in objects.values()]
    body["id"] = body["pk"] = body["object_id"] = body["ids"] = every
    return body


def query_string(body: dict[str, Any]) -> str:
    pairs = [
        (k, v) for k, value in body.items() for v in (value if isinstance(value, list) else [value])
    ]
    return "?" + "&".join(f"{k}={v}" for k, v in pairs)


POST_ROUTES = sorted(
    n
    for n in set(EXPECTED) | set(POST_EXPECTED)
    if any(allowed(POST_EXPECTED, n, p) or allowed(EXPECTED, n, p) for p in LINKED)
)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_someone_elses_ids_are_refused_for_every_object_type(client, world, name):
    objects = others_objects(world)
    other = objects["patient"]
    before = snapshot(other)
    reads_before = AuditEvent.objects.filter(patient=other).count()
    url = world.reverse(name)
    for persona in LINKED:
        if not (allowed(POST_EXPECTED, name, persona) or allowed(EXPECTED, name, persona)):
            continue
        client.force_login(world.personas[persona])
        body = stuffed(objects)
        query = query_string(body)
        for response in (client.get(url + query), client.post(url + query, body)):
            assert response.status_code < 500, persona
            page = response.content.decode(errors="replace")
            assert other.full_name not in page, persona
            assert other.email not in page, persona
    assert snapshot(other) == before
    assert AuditEvent.objects.filter(patient=other).count() == reads_before
