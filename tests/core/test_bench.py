"""`make bench` table code (the benchmark itself is a developer tool, never run by the tests)."""

from __future__ import annotations

from apps.core.bench import (
    PAGES,
    Result,
    asset_urls,
    build_table,
    css_urls,
    dose_link,
    first_slot,
    parse_wrk,
    totp_now,
    wrk_script,
)


def test_the_table_gives_ratios_to_the_baseline_and_flags_pages_below_target():
    table = build_table(
        [
            Result("healthz (baseline)", "/healthz/", 600.0, 10.0, 20.0, target=1.0),
            Result("public help", "/help/", 300.0, 20.0, 40.0, weight_bytes=40960, target=0.5),
            Result("caseload", "/clinician/patients/", 150.0, 40.0, 80.0, target=0.33),
        ],
        sweep="Missed-dose sweep: 1.20 s, 6 queries",
    )
    lines = table.splitlines()
    assert lines[2].split()[:4] == ["healthz", "(baseline)", "600.0", "1.00"]
    help_row = lines[3].split()
    assert help_row[2:5] == ["300.0", "0.50", "ok"]
    assert help_row[6] == "0.50"  # median: baseline 10 ms / page 20 ms
    assert "40.0 KB" in lines[3]
    assert lines[4].split()[1:4] == ["150.0", "0.25", "BELOW"]
    assert lines[-1] == "Missed-dose sweep: 1.20 s, 6 queries"


def test_wrk_line_is_read():
    out = 'Running 3s test\nBENCH {"requests": 1500, "seconds": 3.0, "p50": 4.5, "p95": 9.25, "errors": 0}\n'
    assert parse_wrk(out) == (1500, 3.0, 4.5, 9.25, 0)


def test_first_visit_assets_are_found():
    html = (
        '<link rel="stylesheet" href="/static/css/portal.abc.css">'
        '<script src="/static/js/htmx.min.js" defer></script><img src="data:image/png;base64,x">'
    )
    assert asset_urls(html) == ["/static/css/portal.abc.css", "/static/js/htmx.min.js"]
    assert css_urls("src: url('../fonts/a.woff2') format('woff2'); b: url(data:x)") == [
        "../fonts/a.woff2"
    ]


def test_totp_matches_rfc_6238():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (the last six digits).
    assert totp_now("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", at=59) == "287082"


def test_the_bench_covers_the_issue_targets():
    labels = {label for label, _who, _path, _target in PAGES}
    assert {
        "public help",
        "patient dashboard",
        "supervisor dashboard",
        "dose confirmation POST",
        "clinician dashboard",
        "caseload",
        "worklist",
        "API patient list",
        "API dose list",
        "booking POST",
    } <= labels
    assert PAGES[0][2] == "/healthz/"  # the baseline comes first: every ratio is to it


def test_first_visit_weight_is_flagged_over_150_kb_for_the_dashboards():
    table = build_table(
        [
            Result("healthz (baseline)", "/healthz/", 600.0, 10.0, 20.0, target=1.0),
            Result("patient dashboard", "/patient/", 300.0, 20.0, 40.0, weight_bytes=100 * 1024),
            Result("supervisor dashboard", "/supervisor/", 300.0, 20.0, 40.0, weight_bytes=0),
        ]
    )
    patient, supervisor = table.splitlines()[3:5]
    assert patient.endswith("100.0 KB ok")
    assert supervisor.endswith("0.0 KB ok")
    over = build_table(
        [
            Result("healthz (baseline)", "/healthz/", 600.0, 10.0, 20.0, target=1.0),
            Result("patient dashboard", "/patient/", 300.0, 20.0, 40.0, weight_bytes=151 * 1024),
        ]
    )
    assert over.splitlines()[3].endswith("151.0 KB OVER")


def test_posts_are_found_on_the_pages_and_sent_as_forms():
    html = '<a href="/doses/42/record/?outcome=witnessed">Witnessed</a>'
    assert dose_link(html) == "/doses/42/record/"
    assert dose_link("<p>No dose today</p>") is None
    page = (
        '<input type="hidden" name="clinician" value="7">'
        '<input type="hidden" name="starts_at" value="2026-12-01T09:00:00+00:00">'
    )
    assert first_slot(page) == {"clinician": "7", "starts_at": "2026-12-01T09:00:00+00:00"}
    assert first_slot("<p>There are no free times</p>") is None
    lua = wrk_script("POST", "a=1&b=2", {"Referer": "http://127.0.0.1/x/"})
    assert 'wrk.method = "POST"' in lua
    assert 'wrk.body = "a=1&b=2"' in lua
    assert 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"' in lua
    assert 'wrk.headers["Referer"] = "http://127.0.0.1/x/"' in lua
    assert "BENCH" in lua  # the result line
    assert "wrk.body" not in wrk_script()
