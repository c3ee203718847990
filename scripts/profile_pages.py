"""Where the per-request time goes: each page through Django's test client, production settings.

Queries and milliseconds per request (median of N, after warming up), and with --profile a
pyinstrument profile of one page. A developer tool, never run by the test suite.

    DEBUG=true DATABASE_URL=sqlite:////tmp/profile.sqlite3 .venv/bin/python manage.py migrate
    DEBUG=true DATABASE_URL=sqlite:////tmp/profile.sqlite3 .venv/bin/python manage.py seed_demo
    DATABASE_URL=sqlite:////tmp/profile.sqlite3 .venv/bin/python scripts/profile_pages.py [--profile NAME]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "profile-only-not-a-real-secret-key-profile-only-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Tests' settings for static files (no collectstatic needed) and plain-HTTP cookies.
os.environ.setdefault("PORTAL_TESTING", "true")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.models import User  # noqa: E402

PAGES = [
    ("healthz", None, "/healthz/"),
    ("help", None, "/help/"),
    ("patient", "patient@example.org", "/patient/"),
    ("supervisor", "supervisor@example.org", "/supervisor/"),
    ("clinician", "clinician@example.org", "/clinician/"),
    ("caseload", "clinician@example.org", "/clinician/patients/"),
    ("worklist", "clinician@example.org", "/worklist/tasks/"),
    ("intake-queue", "clinician@example.org", "/intake/queue/"),
]


def client_for(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def measure(client: Client, url: str, n: int) -> tuple[int, int, float]:
    for _ in range(5):
        client.get(url)
    # Every request empties the query log (request_started): start from an empty one.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    # CPU time of this process: the machine is shared, so wall time is mostly waiting.
    times = []
    for _ in range(n):
        start = time.process_time()
        client.get(url)
        times.append((time.process_time() - start) * 1000)
    return response.status_code, queries, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=60)
    parser.add_argument("--profile", default="")
    parser.add_argument("--queries", default="", help="print the SQL of this page")
    args = parser.parse_args()
    clients: dict[str | None, Client] = {}
    print(f"{'page':14} {'status':>6} {'queries':>7} {'cpu ms':>7}")
    for name, email, url in PAGES:
        client = clients.setdefault(email, client_for(email))
        status, queries, ms = measure(client, url, args.n)
        print(f"{name:14} {status:>6} {queries:>7} {ms:>7.2f}")
        if name == args.queries:
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            for q in ctx.captured_queries:
                print("   ", q["sql"][:160])
        if name == args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.n):
                client.get(url)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
