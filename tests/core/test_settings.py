"""Configuration: production settings pass Django's deployment checks, and a missing secret key
stops the portal with one plain line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 10 + "a-long-and-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://portal:secret@db.example.org:5432/portal",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "EMAIL_URL": "smtp+tls://user:pass@mail.example.org:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "PORTAL_", "DJANGO_ALLOW_ASYNC"))
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_deploy_checks() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_refuses_to_start_with_one_line() -> None:
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_boolean_is_explained() -> None:
    result = manage("check", env={**PRODUCTION_ENV, "DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def settings_variables() -> set[str]:
    source = (ROOT / "portal" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list|secret)\(\s*"([A-Z0-9_]+)"', source))
    return names


def example_variables() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    assert settings_variables() == example_variables()


def test_env_example_explains_every_variable() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^[A-Z0-9_]+=", line):
            assert index > 0
            assert lines[index - 1].startswith("#") or re.match(
                r"^[A-Z0-9_]+=", lines[index - 1]
            ), f"{line.split('=')[0]} has no comment above it"


def test_production_without_redis_refuses_to_start_unless_single_machine() -> None:
    env = {**PRODUCTION_ENV, "REDIS_URL": ""}
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "notifications.E003" in result.stderr
    single = manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**env, "SINGLE_MACHINE": "true"}
    )
    assert single.returncode == 0, single.stdout + single.stderr


def test_development_without_redis_still_starts() -> None:
    result = manage("check", env={"DEBUG": "true", "REDIS_URL": "", "SECRET_KEY": ""})
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_issuer_naming_the_treatment_is_refused() -> None:
    result = manage("check", env={**PRODUCTION_ENV, "CLINIC_SHORT_NAME": "Naltrexone programme"})
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "naltrexone" in result.stderr


def test_proxy_count_sets_every_client_address_reader() -> None:
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.AXES_IPWARE_PROXY_COUNT, s.PROXY_COUNT)",
        env={**PRODUCTION_ENV, "PROXY_COUNT": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["1", "1", "1"]
