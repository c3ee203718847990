"""The hazard log (docs/clinical-safety/hazard-log.md) is proved by tests: every test it cites
exists, every hazard that is not open cites at least one, open hazards name the issue that will
control them, and each risk follows the matrix."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"

SEVERITIES = ["Minor", "Significant", "Considerable", "Major", "Catastrophic"]
MATRIX = {
    "Very high": [3, 4, 4, 5, 5],
    "High": [2, 3, 3, 4, 5],
    "Medium": [2, 2, 3, 3, 4],
    "Low": [1, 2, 2, 3, 4],
    "Very low": [1, 1, 2, 2, 3],
}
FIELDS = {
    "Status",
    "Cause",
    "Effect",
    "Severity",
    "Likelihood before controls",
    "Risk before controls",
    "Controls in the software",
    "Likelihood with controls",
    "Risk with controls",
    "Tests",
}
TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[[^\]]*\])?`")
OPEN = re.compile(r"^open \(issue \d+\)$")


def parse(text: str) -> dict[str, dict[str, str]]:
    """{"HAZ-01": {"title": ..., field: value, ...}} from the log's sections and tables."""
    hazards: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        heading = re.match(r"^### (HAZ-\d{2}): (.+)$", line)
        if heading:
            assert heading.group(1) not in hazards, f"{heading.group(1)} appears twice"
            current = hazards[heading.group(1)] = {"title": heading.group(2)}
            continue
        cells = re.match(r"^\| ([^|]+?) \| (.*) \|$", line)
        if current is not None and cells and cells.group(1) not in ("Field", "---"):
            current[cells.group(1)] = cells.group(2)
    return hazards


@cache
def defined_tests(path: str) -> frozenset[str]:
    """Test functions defined in a file (top level, or methods of test classes)."""
    tree = ast.parse((ROOT / path).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            names.add(node.name)
    return frozenset(names)


def cited(value: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in TEST_ID.finditer(value)]


HAZARDS = parse(LOG.read_text())


def test_the_log_has_at_least_20_hazards() -> None:
    assert len(HAZARDS) >= 20


@pytest.mark.parametrize("code", sorted(HAZARDS))
def test_each_hazard_is_complete_and_its_risks_follow_the_matrix(code: str) -> None:
    hazard = HAZARDS[code]
    missing = FIELDS - hazard.keys()
    assert not missing, f"{code} lacks {sorted(missing)}"
    severity = SEVERITIES.index(hazard["Severity"])
    for likelihood, risk in (
        ("Likelihood before controls", "Risk before controls"),
        ("Likelihood with controls", "Risk with controls"),
    ):
        assert int(hazard[risk]) == MATRIX[hazard[likelihood]][severity], f"{code}: {risk}"


@pytest.mark.parametrize("code", sorted(HAZARDS))
def test_every_cited_test_exists(code: str) -> None:
    for path, name in cited(HAZARDS[code]["Tests"]):
        assert (ROOT / path).is_file(), f"{code} cites a missing file: {path}"
        assert name in defined_tests(path), f"{code} cites a missing test: {path}::{name}"


@pytest.mark.parametrize("code", sorted(HAZARDS))
def test_a_hazard_is_either_proved_by_tests_or_open_with_its_issue(code: str) -> None:
    hazard = HAZARDS[code]
    status = hazard["Status"]
    if status == "controlled":
        assert cited(hazard["Tests"]), f"{code} is controlled but cites no test"
    else:
        assert OPEN.match(status), f"{code}: status must be 'controlled' or 'open (issue N)'"


def test_the_checks_catch_a_missing_test_and_an_untested_hazard() -> None:
    bad = parse(
        "### HAZ-01: x\n| Field | Value |\n|---|---|\n| Status | controlled |\n"
        "| Tests | `tests/test_hazard_log.py::test_that_does_not_exist` |\n"
        "### HAZ-02: y\n| Status | controlled |\n| Tests | none yet |\n"
    )
    (path, name) = cited(bad["HAZ-01"]["Tests"])[0]
    assert name not in defined_tests(path)
    assert not cited(bad["HAZ-02"]["Tests"])
