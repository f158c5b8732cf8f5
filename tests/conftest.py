"""Shared fixtures: a scratch copy of the bundled project, and running the real CLI on it."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("data", "content", "templates", "static")
FIXED_DAY = "2018-11-07"  # inside the bundled sample 公示 period


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, project: Path | None = None, env: dict | None = None) -> Run:
    """Run the command line in this process, as `gongshi …` would: exit code and both streams.

    In-process keeps the suite fast; the few tests about the process itself (start-up,
    concurrent builds, a killed build) use `run_cli_process`.

    In one process unless the test asks for two (GONGSHI_WORKERS, in `env` or set already): what
    a test patches here does not reach the build's second process, which would publish by the
    code as written. A build in a process of its own (`run_cli_process`, the browser and nginx
    tests) gets the default: two processes for the bundled project (site.parallel).
    """
    from gongshi import cli
    from gongshi.site.parallel import WORKERS_VARIABLE

    argv = (["--project", str(project)] if project is not None else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    one = {} if WORKERS_VARIABLE in os.environ else {WORKERS_VARIABLE: "1"}
    with mock.patch.dict(os.environ, one | (env or {})), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


def run_cli_process(*args: str, project: Path | None = None, env: dict | None = None,
                    timeout: float = 120) -> Run:
    """Run `python build.py` in a new process, exactly as a user starts it."""
    command = [sys.executable, str(REPO / "build.py")]
    if project is not None:
        command += ["--project", str(project)]
    full_env = os.environ.copy() | (env or {})
    done = subprocess.run(command + list(args), capture_output=True, text=True,
                          env=full_env, timeout=timeout)
    return Run(done.returncode, done.stdout, done.stderr)


# Set by coverage (pyproject.toml: patch = ["subprocess"]) so that a Python subprocess measures
# itself too; see `without_coverage`.
COVERAGE_VARIABLES = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")


def without_coverage() -> dict[str, str]:
    """This process's environment for a Python subprocess that runs none of gongshi's code (a
    script of scripts/): coverage would measure nothing in it, and its tracer would slow the
    process down about twofold."""
    return {name: value for name, value in os.environ.items() if name not in COVERAGE_VARIABLES}


def copy_project(target: Path) -> Path:
    for part in PROJECT_PARTS:
        shutil.copytree(REPO / part, target / part)
    return target


def ungroup_2018_list(project: Path) -> Path:
    """The bundled 2018 list not grouped by unit (group_by_unit: false): one table a category,
    with a 推荐单位 column instead of the units' headings."""
    settings = project / "data/2018-mofan/announcement.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "group_by_unit: false\n", encoding="utf-8")
    return project


DECISION_2018 = REPO / "tests" / "fixtures" / "decision-2018"
REMOVED_2018 = "  - name: 朱婉\n    unit: 沁阳市\n    title: 沁阳市示例德泰化工有限公司工会副主席\n    cadre_level: 基层工会干部\n"
CORRECTED_2018 = ("    title: 沁阳市示例嘉祥食品有限公司车间工会主席\n", "    title: 沁阳市示例嘉祥食品有限公司工会副主席\n")


def add_2018_decision(project: Path) -> Path:
    """Give the bundled 2018 announcement its 决定 (tests/fixtures/decision-2018), as staff do:
    copy the 公示's lists to decision/, make the two changes changes.yaml records there (朱婉
    withdrawn, 陆璐's post corrected), add the decision's text. Returns the project."""
    data = project / "data" / "2018-mofan"
    shutil.copytree(data / "recipients", data / "decision")
    worker, activist = data / "decision" / "worker.yaml", data / "decision" / "activist.yaml"
    text = worker.read_text(encoding="utf-8")
    assert text.count(REMOVED_2018) == 1
    worker.write_text(text.replace(REMOVED_2018, ""), encoding="utf-8")
    text = activist.read_text(encoding="utf-8")
    assert text.count(CORRECTED_2018[0]) == 1
    activist.write_text(text.replace(*CORRECTED_2018), encoding="utf-8")
    shutil.copyfile(DECISION_2018 / "changes.yaml", data / "changes.yaml")
    shutil.copyfile(DECISION_2018 / "decision.md", project / "content" / "2018-mofan" / "decision.md")
    return project


def pytest_collection_modifyitems(config, items):
    """Leave out the tests marked `benchmark` unless the -m expression names them: they are
    slow, so scripts/benchmark.py runs them (`pytest -m benchmark`), the suite does not."""
    if "benchmark" in (config.getoption("markexpr") or ""):
        return
    chosen = [item for item in items if item.get_closest_marker("benchmark") is None]
    if len(chosen) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in chosen])
        items[:] = chosen


# The id of a test that reads a browser sweep (tests/served/sweeps.py, `at`): its site and setting.
SWEEP_ID = re.compile(r"\[(root|split|stages)-\d+-(?:normal|xlarge)\]$")


def xdist_scope(nodeid: str) -> str:
    """The unit of work `pytest -n` hands to one worker: all tests of one browser sweep (they
    share the pages it opened; for the later-stage builds, their sweeps at one setting), and
    every other test on its own."""
    found = SWEEP_ID.search(nodeid)
    return found.group(0) if found else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`-n`'s default load balancing, but by `xdist_scope`. (xdist's own `--dist loadgroup`
    does this with marks, but loses the marks under pytest 9.2's structured node ids.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SweepScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

    return SweepScheduling(config, log)


@pytest.fixture(autouse=True)
def _hide_the_browsers_event_loop(request):
    """The browser tests keep one Playwright (its sync API) per worker for the whole session,
    and while it lives its asyncio loop is marked as running in this thread: `asyncio.run` in
    any other test on that worker would refuse to start. Hide it from the tests not marked
    `browser`, and give it back after each."""
    loop = asyncio._get_running_loop()
    if loop is None or request.node.get_closest_marker("browser") is not None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.fixture(scope="session", autouse=True)
def _compiled_templates_of_the_run(tmp_path_factory):
    """Builds in this run keep their compiled templates (gongshi/site/template_cache.py) in the
    run's temporary folder, not in the user's cache folder (tests/test_template_cache.py uses
    folders of its own): here by the patched function, and in a build's second process or a
    build started as a process of its own (which the patch does not reach) by the cache folder
    platformdirs reads from the environment."""
    from gongshi.site import template_cache

    folder = run_folder(tmp_path_factory) / "compiled-templates"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(template_cache, "folder", lambda: folder)
        patch.setenv("XDG_CACHE_HOME", str(run_folder(tmp_path_factory) / "user-cache"))
        yield


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the bundled project (data, content, templates, static)."""
    return copy_project(tmp_path / "project")


def run_folder(tmp_path_factory) -> Path:
    """This test run's temporary folder, the same for every xdist worker."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # popen-gwN's parent
    return base


def made_once(tmp_path_factory, name: str, make: Callable[[Path], object]) -> Path:
    """A folder `make(folder)` fills once per test run, however many xdist workers ask for it:
    the first to ask makes it, under a lock in the run's temporary folder that all workers
    share; the others wait for it and use the same folder. For what tests only read (built
    sites): a second worker building it again would cost time and test nothing more."""
    from filelock import FileLock

    base = run_folder(tmp_path_factory)
    folder, made = base / f"once-{name}", base / f"once-{name}.made"
    with FileLock(str(base / f"once-{name}.lock")):
        if not made.exists():
            if folder.exists():
                shutil.rmtree(folder)  # left half-made by a worker whose `make` failed
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


def build_bundled(folder: Path, *args: str) -> Path:
    """Copy the bundled project to folder/project and build it on FIXED_DAY with `args`;
    returns its output folder (folder/project/output)."""
    root = copy_project(folder / "project")
    result = run_cli("build", "--today", FIXED_DAY, *args, project=root)
    assert result.code == 0, result.output
    return root / "output"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled project built once a run, read-only for the tests that share it."""
    return made_once(tmp_path_factory, "built", build_bundled) / "project" / "output"


# An announcement's whole life (tests/test_stages.py), one day in each stage: the bundled
# project with the 2018 决定 added (add_2018_decision) built on each of these days.
LIFE_DAYS = {
    "before": "2018-10-08",        # before the 2018 notice: nothing published
    "notice": "2018-10-20",        # 2018 通知
    "open": FIXED_DAY,             # 2018 公示, open
    "closed": "2018-11-12",        # 2018 公示 over, no 决定 yet
    "decided": "2018-11-20",       # 2018 决定
    "next-notice": "2019-03-20",   # 2019 通知 (2018 decided)
    "next-open": "2019-05-08",     # 2019 公示
    "next-closed": "2019-05-13",
    "next-decided": "2019-05-20",  # 2019 决定
}


def build_every_stage(folder: Path) -> None:
    """Build the bundled project, its 2018 决定 added, on each of LIFE_DAYS into folder/out-<stage>,
    keeping what each build printed in folder/report-<stage>.txt."""
    project = add_2018_decision(copy_project(folder / "project"))
    for stage, day in LIFE_DAYS.items():
        result = run_cli("build", "--today", day, "--output", str(folder / f"out-{stage}"), project=project)
        assert result.code == 0, result.output
        (folder / f"report-{stage}.txt").write_text(result.stdout, encoding="utf-8")


def every_stage(tmp_path_factory) -> dict[str, Path]:
    """The output of each stage of LIFE_DAYS, built once a run (made_once), read-only: for
    tests/test_stages.py and the browser tests of the later stages (tests/served)."""
    folder = made_once(tmp_path_factory, "life", build_every_stage)
    return {stage: folder / f"out-{stage}" for stage in LIFE_DAYS}
