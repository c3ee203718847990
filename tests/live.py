"""A real Celery worker in a child process, against the real Redis named by REDIS_URL and the
test database (PostgreSQL: the child connects to the same test database). Used by tests marked
`live_worker`, which .ci/run runs with REDIS_URL and DATABASE_URL set."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url_for_child(*, port: int | None = None) -> str:
    """The test database's URL for a child process (optionally through a proxy on `port`)."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError(
            "Live worker tests need PostgreSQL: set DATABASE_URL=postgres://... (see .ci/run)."
        )
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{port or db.get('PORT') or 5432}"
        f"/{db['NAME']}"
    )


def start_worker(
    *,
    redis_url: str | None = None,
    extra_args: tuple[str, ...] = (),
    database_url: str | None = None,
) -> subprocess.Popen[bytes]:
    redis_url = redis_url or settings.REDIS_URL
    if not redis_url:
        raise RuntimeError("Live worker tests need a real Redis: set REDIS_URL (see .ci/run).")
    env = {
        **os.environ,
        "PORTAL_TESTING": "1",
        "DATABASE_URL": database_url or database_url_for_child(),
        "REDIS_URL": redis_url,
        "EMAIL_URL": os.environ.get("EMAIL_URL", ""),
    }
    return subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
            *extra_args,
        ],
        cwd=ROOT,
        env=env,
    )


def start_embedded_worker(
    *, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """The `make run` worker: no Redis server, a file-system queue in `data_dir`, beat embedded."""
    child_env = {
        **os.environ,
        "PORTAL_TESTING": "1",
        "DATABASE_URL": database_url_for_child(),
        "REDIS_URL": "",
        "CELERY_DATA_DIR": str(data_dir),
        "EMAIL_URL": os.environ.get("EMAIL_URL", ""),
        **(env or {}),
    }
    return subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-B",
            "--schedule",
            str(data_dir / "beat-schedule"),
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=child_env,
    )


def use_broker(url: str, transport_options: dict[str, object] | None = None) -> None:
    """Point this process's Celery app (the web side that queues tasks) at another broker."""
    from portal.celery import app

    app.conf["broker_url"] = url
    app.conf["broker_transport_options"] = (
        transport_options
        if transport_options is not None
        else settings.CELERY_BROKER_TRANSPORT_OPTIONS
    )
    # Drop (not close) the pools: kombu keeps them in a registry keyed by URL, and a closed pool
    # would be handed back when this process points at that URL again.
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_until(check: Callable[[], bool], *, timeout: float = 30.0, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


@pytest.fixture
def live_worker(transactional_db: object) -> Iterator[subprocess.Popen[bytes]]:
    process = start_worker()
    try:
        yield process
    finally:
        stop_worker(process)
