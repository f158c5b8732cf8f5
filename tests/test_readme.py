"""The README documents its set-up commands (its table of message codes: tests/test_codes.py)."""

import re

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in README and "bash scripts/test.sh" in ci
    assert "bash scripts/build-site.sh" in README


def test_the_test_command_runs_lint_types_then_the_suite_with_coverage():
    script = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    steps = ["ruff check gongshi tests scripts build.py", "mypy gongshi", "-m pytest -n 2"]
    assert all(step in script for step in steps)
    assert [script.index(step) for step in steps] == sorted(script.index(step) for step in steps)
    assert "set -euo pipefail" in script and '--cov-fail-under="$COVERAGE_FLOOR"' in script
    assert re.search(r"^debian_packages=\(.*\bnodejs\b.*\)$", script, re.MULTILINE)
    assert all(step.removeprefix("-m ") in README for step in steps)
