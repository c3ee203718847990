"""`make bench`: the synthetic clinic served the production way and loaded from another process.

1. builds (or reuses) a clinic of BENCH_PATIENTS x BENCH_DAYS in PostgreSQL (BENCH_DATABASE_URL,
   by default the `portal_bench` database) with `seed_demo --patients N --days D`;
2. serves it with gunicorn (2 workers, DEBUG=false, whitenoise, collected static files);
3. signs in through the real sign-in form as each role (two-factor code for clinicians, the
   safety messages for patients), then loads each page with wrk (Debian's `wrk`, 8 connections,
   BENCH_SECONDS per page) carrying that person's cookies;
4. prints requests per second, median and 95th-percentile latency, each beside its ratio to
   `/healthz/` in the same run, and each page's weight on a first visit (HTML with its styles,
   scripts, images and fonts, as sent with gzip).

Only the standard library: the load comes from wrk, a separate process, not from Python. A
developer tool: never run by `make test` or CI (tests/core/test_bench.py checks the table code).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import struct
import subprocess  # nosec B404 - runs our own tools (manage.py, gunicorn, wrk)
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The published demo credentials (apps/core/demo.py): never on a real site.
DEMO_PASSWORD = "demo-clinic-2026"  # noqa: S105  # nosec B105
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  # nosec B105

# (label, who signs in, path, target ratio of requests per second to /healthz/). Paths with
# {patient} get the demo patient's id; DOSE_POST and BOOKING_POST are found on the pages
# (`prepare_post`).
DOSE_POST = "<dose confirmation>"
BOOKING_POST = "<booking>"
PAGES: list[tuple[str, str, str, float]] = [
    ("healthz (baseline)", "", "/healthz/", 1.0),
    ("public help", "", "/help/", 0.5),
    ("patient dashboard", "patient@example.org", "/patient/", 0.5),
    ("supervisor dashboard", "supervisor@example.org", "/supervisor/", 0.5),
    ("dose confirmation POST", "supervisor@example.org", DOSE_POST, 0.5),
    ("clinician dashboard", "clinician@example.org", "/clinician/", 0.33),
    ("caseload", "clinician@example.org", "/clinician/patients/", 0.33),
    ("treatment caseload", "clinician@example.org", "/care/caseload/", 0.33),
    ("worklist", "clinician@example.org", "/worklist/tasks/", 0.33),
    ("intake queue", "clinician@example.org", "/intake/queue/", 0.33),
    ("API patient list", "clinician@example.org", "/api/v1/patients/", 0.33),
    ("API dose list", "clinician@example.org", "/api/v1/doses/?patient={patient}", 0.33),
    ("booking: free slots", "patient@example.org", "/appointments/book/", 0.33),
    ("booking POST", "patient@example.org", BOOKING_POST, 0.33),
    ("clinician sessions", "clinician@example.org", "/counselling/sessions/", 0.33),
]
# First-visit weight targets (bytes, assets included).
WEIGHT_TARGET = 150 * 1024
WEIGHED = ("patient dashboard", "supervisor dashboard")

WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, \\"p95\\": %f, "
    .. "\\"errors\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class Result:
    label: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int = 0
    weight_bytes: int | None = None
    target: float = 0.0


@dataclass
class Session:
    cookies: dict[str, str] = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


# --- The table (tested) --------------------------------------------------------------------------


def parse_wrk(output: str) -> tuple[int, float, float, float, int]:
    """requests, seconds, median ms, 95th percentile ms, errors from our wrk script's line."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            data = json.loads(line[len("BENCH ") :])
            return (
                int(data["requests"]),
                float(data["seconds"]),
                float(data["p50"]),
                float(data["p95"]),
                int(data["errors"]),
            )
    raise ValueError("wrk printed no BENCH line: " + output[-500:])


def wrk_script(method: str = "GET", body: str = "", headers: dict[str, str] | None = None) -> str:
    """The Lua wrk runs: the request (a form POST when there is a body) and our result line."""
    lines = [f'wrk.method = "{method}"']
    if body:
        lines.append(f"wrk.body = {json.dumps(body)}")
        lines.append('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"')
    for name, value in (headers or {}).items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    return "\n".join(lines) + "\n" + WRK_LUA


def dose_link(html: str) -> str | None:
    """The first "record this dose" link on a page."""
    match = re.search(r'href="(/doses/\d+/record/)', html)
    return match.group(1) if match else None


def first_slot(html: str) -> dict[str, str] | None:
    """The clinician and start time of the first free slot on the booking page."""
    clinician = re.search(r'name="clinician" value="(\d+)"', html)
    starts = re.search(r'name="starts_at" value="([^"]+)"', html)
    if not clinician or not starts:
        return None
    return {"clinician": clinician.group(1), "starts_at": starts.group(1)}


def build_table(results: list[Result], *, sweep: str = "") -> str:
    """The printed table. The first row is the baseline: every ratio is to it. Throughput ratio
    = page req/s / baseline req/s (1.0 is as fast as /healthz/); latency ratios = baseline / page
    (also 1.0 at best), so for every ratio higher is better and the target applies to req/s."""
    if not results:
        return "No results."
    base = results[0]
    head = (
        f"{'page':22} {'req/s':>8} {'ratio':>6} {'target':>6} {'median ms':>10} {'ratio':>6} "
        f"{'p95 ms':>8} {'ratio':>6} {'errors':>6} {'first visit':>15}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        rps_ratio = r.rps / base.rps if base.rps else 0.0
        p50_ratio = base.p50_ms / r.p50_ms if r.p50_ms else 0.0
        p95_ratio = base.p95_ms / r.p95_ms if r.p95_ms else 0.0
        verdict = "" if r is base else ("ok" if rps_ratio >= r.target else "BELOW")
        weight = f"{r.weight_bytes / 1024:.1f} KB" if r.weight_bytes is not None else "-"
        if r.weight_bytes is not None and r.label in WEIGHED:
            weight += " ok" if r.weight_bytes <= WEIGHT_TARGET else " OVER"
        lines.append(
            f"{r.label:22} {r.rps:8.1f} {rps_ratio:6.2f} {verdict:>6} {r.p50_ms:10.2f} "
            f"{p50_ratio:6.2f} {r.p95_ms:8.2f} {p95_ratio:6.2f} {r.errors:6d} {weight:>15}"
        )
    if sweep:
        lines.append("")
        lines.append(sweep)
    return "\n".join(lines)


def totp_now(secret: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits), as authenticator apps show."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def asset_urls(html: str) -> list[str]:
    """Styles, scripts and images a browser fetches for this page."""
    found = re.findall(r'<link[^>]+rel="(?:stylesheet|icon)"[^>]*href="([^"]+)"', html)
    found += re.findall(r'<script[^>]+src="([^"]+)"', html)
    found += re.findall(r'<img[^>]+src="([^"]+)"', html)
    return list(dict.fromkeys(u for u in found if not u.startswith("data:")))


def css_urls(css: str) -> list[str]:
    return [
        u for u in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", css) if not u.startswith("data:")
    ]


# --- Talking to the server ----------------------------------------------------------------------


class Http:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def request(
        self,
        session: Session,
        method: str,
        path: str,
        body: dict[str, str] | None = None,
        *,
        gzip: bool = False,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Host": f"{self.host}:{self.port}"}
        if session.cookies:
            headers["Cookie"] = session.header()
        if gzip:
            headers["Accept-Encoding"] = "gzip"
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val in ('""', ""):
                    session.cookies.pop(key, None)
                else:
                    session.cookies[key] = val
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def follow(
        self, session: Session, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[str, str]:
        """Follow redirects; return the final path and its HTML."""
        for _ in range(10):
            status, headers, content = self.request(session, method, path, body)
            if status in (301, 302, 303) and "location" in headers:
                path = urlsplit(urljoin(path, headers["location"])).path
                method, body = "GET", None
                continue
            return path, content.decode("utf-8", "replace")
        raise RuntimeError(f"Too many redirects from {path}")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise RuntimeError("No CSRF token on the page")
    return match.group(1)


def sign_in(http_: Http, email: str) -> Session:
    """Through the real form, like a person: password, then the two-factor code or the safety
    messages when the portal asks for them."""
    session = Session()
    _, html = http_.follow(session, "GET", "/accounts/login/")
    body = {"csrfmiddlewaretoken": _csrf(html), "login": email, "password": DEMO_PASSWORD}
    path, html = http_.follow(session, "POST", "/accounts/login/", body)
    for _ in range(3):
        if path.startswith("/accounts/2fa/authenticate"):
            body = {"csrfmiddlewaretoken": _csrf(html), "code": totp_now(DEMO_TOTP_SECRET)}
            path, html = http_.follow(session, "POST", path, body)
        elif path.startswith("/patient/safety-messages"):
            version = re.search(r'name="version" value="([^"]*)"', html)
            body = {
                "csrfmiddlewaretoken": _csrf(html),
                "version": version.group(1) if version else "",
                "understood": "on",
            }
            path, html = http_.follow(session, "POST", path, body)
    if "sessionid" not in session.cookies or path.startswith("/accounts/login"):
        raise RuntimeError(f"Could not sign in as {email} (ended at {path})")
    return session


def page_weight(http_: Http, session: Session, path: str) -> int:
    """Bytes a first visit downloads (gzip accepted): the page and every asset it names."""
    _, _, html_bytes = http_.request(session, "GET", path, gzip=True)
    _, _, plain = http_.request(session, "GET", path)
    total = len(html_bytes)
    seen: set[str] = set()
    queue = [urljoin(path, u) for u in asset_urls(plain.decode("utf-8", "replace"))]
    while queue:
        url = queue.pop()
        if url in seen or not url.startswith("/"):
            continue
        seen.add(url)
        content = http_.request(Session(), "GET", url, gzip=True)[2]
        total += len(content)
        if url.split("?")[0].endswith(".css"):
            _, _, css = http_.request(Session(), "GET", url)
            queue += [urljoin(url, u) for u in css_urls(css.decode("utf-8", "replace"))]
    return total


def _form(body: str) -> list[tuple[str, str]]:
    return parse_qsl(body)


def prepare_post(http_: Http, session: Session, which: str) -> tuple[str, str] | None:
    """The path and form body of the dose confirmation (a dose the supervisor may record, from
    their pages) or the booking (the first free slot on the patient's booking page)."""
    if which == DOSE_POST:
        _, html = http_.follow(session, "GET", "/supervisor/")
        link = dose_link(html)
        if link is None:  # the dashboard may link to the patient's page rather than the dose
            for other in dict.fromkeys(re.findall(r'href="(/supervisor/[^"]+/)"', html)):
                link = dose_link(http_.follow(session, "GET", other)[1])
                if link:
                    break
        if link is None:
            return None
        _, html = http_.follow(session, "GET", link)
        fields = {
            "csrfmiddlewaretoken": _csrf(html),
            "outcome": "witnessed",
            "late_reason": "Taken on time, recorded later",
            "note": "",
        }
        return link, urlencode(fields)
    _, html = http_.follow(session, "GET", "/appointments/book/")
    slot = first_slot(html)
    if slot is None:
        return None
    return "/appointments/new/", urlencode({"csrfmiddlewaretoken": _csrf(html), **slot})


def _demo_patient_id(env: dict[str, str]) -> str:
    code = "from apps.accounts.models import User; print(User.objects.get(email='patient@example.org').pk)"
    out = subprocess.run(  # nosec B603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


def measure_sweep(env: dict[str, str]) -> str:
    """The missed-dose sweep over the whole clinic, timed and rolled back (measure_sweep)."""
    out = subprocess.run(  # nosec B603
        [sys.executable, "manage.py", "measure_sweep"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("Missed-dose sweep")]
    return lines[-1] if lines else "Missed-dose sweep: could not be measured: " + out.stderr[-300:]


# --- The run ------------------------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # nosec B603


def ensure_database(url: str) -> None:
    """CREATE DATABASE when the bench database is missing (PostgreSQL)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    import psycopg  # the project's PostgreSQL driver

    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # nosec B608 - our own setting


def run() -> int:
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt-get install wrk (Debian and Ubuntu package it).")
        return 2
    patients = os.environ.get("BENCH_PATIENTS", "2000")
    days = os.environ.get("BENCH_DAYS", "365")
    seconds = os.environ.get("BENCH_SECONDS", "5")
    connections = os.environ.get("BENCH_CONNECTIONS", "8")
    port = int(os.environ.get("BENCH_PORT", "8765"))
    database = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
    )
    redis = os.environ.get("BENCH_REDIS_URL", os.environ.get("REDIS_URL", ""))
    ensure_database(database)
    common = {
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "PORTAL_TESTING": "",
    }
    build = _env(**common, DEBUG="true")
    print(f"Building (or reusing) the synthetic clinic: {patients} patients x {days} days ...")
    _manage(build, "migrate", "--noinput", "-v0")
    _manage(build, "seed_demo", "--patients", patients, "--days", days)
    serve = _env(**common, DEBUG="false", LOG_LEVEL="WARNING")
    _manage(serve, "collectstatic", "--noinput", "-v0")
    server = subprocess.Popen(  # nosec B603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=serve,
    )
    try:
        http_ = Http("127.0.0.1", port)
        for _ in range(100):
            try:
                if http_.request(Session(), "GET", "/healthz/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        sessions: dict[str, Session] = {"": Session()}
        results: list[Result] = []
        folder = Path(tempfile.mkdtemp(prefix="portal-bench-"))
        patient_id = _demo_patient_id(serve)
        for label, who, path, target in PAGES:
            if who not in sessions:
                sessions[who] = sign_in(http_, who)
            session = sessions[who]
            path = path.replace("{patient}", patient_id)
            method, body = "GET", ""
            if path in (DOSE_POST, BOOKING_POST):
                found = prepare_post(http_, session, path)
                if found is None:
                    print(f"{label}: nothing to post on this clinic's pages; skipped.")
                    continue
                path, body = found
                method = "POST"
                # The first POST records (or books); the rest meet "already recorded" (or
                # "that time was just taken"): the same checks, then a redirect.
                status = http_.request(session, "POST", path, dict(_form(body)))[0]
                if status not in (200, 302, 303):
                    print(f"{label}: {path} answered {status}; skipped.")
                    continue
            else:
                status = http_.request(session, "GET", path)[0]
                if status == 404:
                    print(f"{label}: {path} answered 404 (not on this branch); skipped.")
                    continue
                if status != 200:
                    print(f"{label}: {path} answered {status}, not 200; skipped.")
                    continue
            lua = folder / f"{len(results)}.lua"
            headers = {"Referer": f"http://127.0.0.1:{port}{path}"} if body else {}
            lua.write_text(wrk_script(method, body, headers))
            command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(lua)]
            if session.cookies:
                command += ["-H", f"Cookie: {session.header()}"]
            command.append(f"http://127.0.0.1:{port}{path}")
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # nosec B603
            requests, duration, p50, p95, errors = parse_wrk(out)
            weight = None
            if method == "GET" and path != "/healthz/" and not path.startswith("/api/"):
                weight = page_weight(http_, session, path)
            results.append(
                Result(label, path, requests / duration, p50, p95, errors, weight, target)
            )
            print(f"  {label}: {requests / duration:.0f} req/s")
        sweep = measure_sweep(serve)
        print()
        print(build_table(results, sweep=sweep))
        print(
            f"\n{connections} connections, {seconds} s per page, gunicorn 2 workers, DEBUG=false. "
            "Ratios are to /healthz/ in this run (higher is better); see README 'make bench'."
        )
        return 0
    finally:
        server.terminate()
        server.wait(timeout=20)
