"""docker-compose.yml is kept honest by reading it: the services exist, their commands run this
project's real entry points, and every variable they set is a setting the portal reads."""

from __future__ import annotations

import importlib
from pathlib import Path
from urllib.parse import urlparse

import yaml

from tests.core.test_settings import settings_variables

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command(service: dict) -> str:
    value = service["command"]
    return " ".join(value) if isinstance(value, list) else " ".join(str(value).split())


def test_stack_has_the_production_services() -> None:
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis", "mail"} <= services.keys()


def test_web_serves_the_wsgi_application_with_gunicorn() -> None:
    web = compose()["services"]["web"]
    cmd = command(web)
    assert "gunicorn portal.wsgi:application" in cmd
    module = importlib.import_module("portal.wsgi")
    assert callable(module.application)
    # The access log redacts invitation tokens.
    assert "--logger-class portal.gunicorn_logging.RedactingLogger" in cmd
    importlib.import_module("portal.gunicorn_logging")


def test_migrations_run_as_the_owner_and_the_portal_as_the_app_role() -> None:
    services = compose()["services"]
    migrate, web = services["migrate"], services["web"]
    cmd = command(migrate)
    assert "manage.py migrate" in cmd
    assert "manage.py db_app_role portal_app" in cmd
    assert "migrate" not in command(web)
    owner = urlparse(migrate["environment"]["DATABASE_URL"]).username
    app = urlparse(web["environment"]["DATABASE_URL"]).username
    assert owner == services["db"]["environment"]["POSTGRES_USER"]
    assert app == "portal_app" != owner
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_worker_and_exactly_one_beat_use_the_celery_app() -> None:
    services = compose()["services"]
    assert command(services["worker"]).startswith("celery -A portal worker")
    beats = [name for name, s in services.items() if "command" in s and " beat" in command(s)]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    from portal.celery import app

    assert app.main == "portal"


def test_environment_names_are_real_settings_and_point_at_the_services() -> None:
    services = compose()["services"]
    env = services["web"]["environment"]
    assert set(env) <= settings_variables(), set(env) - settings_variables()
    assert urlparse(env["DATABASE_URL"]).hostname == "db"
    assert urlparse(env["REDIS_URL"]).hostname == "redis"
    assert urlparse(env["EMAIL_URL"]).hostname == "mail"
    assert env["DEBUG"] == "false"
    db_env = services["db"]["environment"]
    parsed = urlparse(env["DATABASE_URL"])
    assert parsed.path.lstrip("/") == db_env["POSTGRES_DB"]
    for name in ("worker", "beat"):
        assert services[name]["environment"] == env


def test_dockerfile_installs_the_lock_file() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile
