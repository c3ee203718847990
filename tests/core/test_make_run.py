"""`make run` serves the demo on PORT and e-mail links follow it (SITE_URL), unless SITE_URL is set."""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 - runs make -n (prints commands, runs none) on the project's Makefile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_commands(extra_env: dict[str, str], *args: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.fail("make is needed to check the Makefile")
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    env.update(extra_env)
    result = subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments, dry run only
        [make, "-n", "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def _line(output: str, needle: str) -> str:
    return next(line for line in output.splitlines() if needle in line)


def test_make_run_points_email_links_at_the_port_it_serves() -> None:
    output = _run_commands({}, "PORT=8123")
    assert "SITE_URL='http://127.0.0.1:8123'" in _line(output, "runserver 127.0.0.1:8123")
    # The worker sends the e-mails, so it must see the same address.
    assert "SITE_URL='http://127.0.0.1:8123'" in _line(output, "celery -A portal worker")


def test_make_run_keeps_a_site_url_set_in_the_environment() -> None:
    output = _run_commands({"SITE_URL": "https://portal.example.org"}, "PORT=8123")
    assert "SITE_URL='https://portal.example.org'" in _line(output, "runserver")
    assert "SITE_URL='https://portal.example.org'" in _line(output, "celery -A portal worker")
