"""`python build.py serve` as staff use it: save a file, the open browser page reloads itself.

python-livereload, on its own, drops a reload that comes within 3 seconds of the previous
one, so after two quick saves the browser would keep showing the first. These tests save
`data/site.yaml` in quick succession and check that the open page ends up showing the last
save; and that a save that breaks the data keeps the last good site served, with a Chinese
error naming the file on the server's stdout.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import FIXED_DAY, REPO, free_port, spawn, stop_process_group, wait_until_answering

pytestmark = pytest.mark.browser

UNIT_PAGE = "/2018-mofan/units/qinyang/"
ORIGINAL_NAME = "焦作市总工会评选表彰公示"
RELOAD_TIMEOUT_MS = 10_000
# livereload reloads every page connected at its first poll, 0.8 s after the server starts
# (its "the server restarted" reload). Pages are opened after that, so that no reload but
# the ones our saves cause can happen while a test watches.
STARTUP_RELOAD_WINDOW = 1.5


@dataclass
class Preview:
    process: subprocess.Popen
    origin: str
    project: Path
    stdout_log: Path
    stderr_log: Path
    ready_at: float = 0.0  # time.monotonic() when it first answered

    def stdout(self) -> str:
        return self.stdout_log.read_text("utf-8", errors="replace")

    def describe(self) -> str:
        return (f"--- serve stdout ---\n{self.stdout()}\n--- serve stderr ---\n"
                f"{self.stderr_log.read_text('utf-8', errors='replace')}")

    def set_site_name(self, value: str) -> None:
        """Save data/site.yaml with a new `name:` line, as an editor would."""
        site = self.project / "data" / "site.yaml"
        text, count = re.subn(r"(?m)^name: .*$", f"name: {value}", site.read_text("utf-8"))
        assert count == 1, "data/site.yaml has no single `name:` line"
        site.write_text(text, "utf-8")

    def wait_for_stdout(self, pattern: str, after: int = 0, timeout: float = 10) -> str:
        """Wait until stdout (from character `after` on) matches `pattern`; return that part."""
        deadline = time.monotonic() + timeout
        while True:
            new = self.stdout()[after:]
            if re.search(pattern, new):
                return new
            if self.process.poll() is not None:
                pytest.fail(f"serve exited with code {self.process.returncode}\n{self.describe()}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"serve printed nothing matching {pattern!r} within {timeout} s\n"
                            f"{self.describe()}", pytrace=False)
            time.sleep(0.05)


@pytest.fixture
def preview(project: Path, tmp_path: Path):
    """`python build.py --project <copy> serve --port <free>` in its own process group."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    day = dt.datetime.combine(dt.date.fromisoformat(FIXED_DAY), dt.time(12), dt.UTC)
    env = os.environ | {"PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": str(int(day.timestamp()))}
    stdout_log, stderr_log = tmp_path / "serve-stdout.log", tmp_path / "serve-stderr.log"
    with open(stdout_log, "wb") as out, open(stderr_log, "wb") as err:
        process = spawn([sys.executable, str(REPO / "build.py"), "--project", str(project), "serve",
                         "--port", str(port), "--host", "127.0.0.1"],
                        stdout=out, stderr=err, cwd=project, env=env)
    server = Preview(process, origin, project, stdout_log, stderr_log)
    try:
        wait_until_answering(origin + UNIT_PAGE, process, server.describe)
        server.ready_at = time.monotonic()
        yield server
    finally:
        stop_process_group(process)


def open_live_page(visit, preview: Preview):
    """Open the unit page and wait until its livereload socket has said hello."""
    time.sleep(max(0.0, preview.ready_at + STARTUP_RELOAD_WINDOW - time.monotonic()))
    visitor = visit(preview.origin)
    page = visitor.page
    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on(
        "framesent", lambda payload: sent.append(payload if isinstance(payload, str) else payload.decode())))
    visitor.open(UNIT_PAGE)
    expect(page.locator(".site-name")).to_have_text(ORIGINAL_NAME)
    deadline = time.monotonic() + 10
    while not any('"info"' in frame for frame in sent):
        assert time.monotonic() < deadline, (
            f"the page never connected to livereload (frames sent: {sent})\n{preview.describe()}")
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)  # the server registers the page when it reads that frame
    return visitor


def mark_page(page) -> None:
    """Leave a mark that only a reload (not our own navigation) removes."""
    page.evaluate("window.__notReloadedYet = true")


def assert_reloaded_by_itself(page) -> None:
    assert page.evaluate("window.__notReloadedYet === undefined"), "the page did not reload"


def test_quick_saves_reload_the_open_page_to_the_last_save(preview, visit):
    visitor = open_live_page(visit, preview)
    page = visitor.page
    site_name = page.locator(".site-name")

    # Two saves within one second: the page must end up on the second.
    mark_page(page)
    preview.set_site_name("A站")
    time.sleep(0.6)
    preview.set_site_name("B站")
    expect(site_name).to_have_text("B站", timeout=RELOAD_TIMEOUT_MS)
    expect(page).to_have_title(re.compile("B站"))
    assert_reloaded_by_itself(page)

    # Whether those two saves made one rebuild or two, the next save comes right after a
    # reload, well within the 3 seconds in which livereload's own poller would drop it.
    mark_page(page)
    preview.set_site_name("C站")
    expect(site_name).to_have_text("C站", timeout=RELOAD_TIMEOUT_MS)
    assert_reloaded_by_itself(page)
    visitor.assert_clean()


def test_a_broken_save_keeps_the_last_good_site_and_says_why(preview, visit):
    visitor = open_live_page(visit, preview)
    page = visitor.page
    site_name = page.locator(".site-name")

    mark_page(page)
    preview.set_site_name("好站")
    expect(site_name).to_have_text("好站", timeout=RELOAD_TIMEOUT_MS)
    assert_reloaded_by_itself(page)

    before = len(preview.stdout())
    mark_page(page)
    preview.set_site_name("[没有闭合的方括号")
    printed = preview.wait_for_stdout("重建失败", after=before)
    assert "site.yaml" in printed, f"the error does not name data/site.yaml:\n{printed}"
    assert re.search(r"错误.*YAML|YAML.*错误", printed), f"no Chinese YAML error:\n{printed}"

    with urllib.request.urlopen(preview.origin + UNIT_PAGE, timeout=5) as response:
        served = response.read().decode("utf-8")
    assert response.status == 200
    assert "好站" in served and "没有闭合" not in served, "the last good page is no longer served"
    page.wait_for_timeout(500)  # room for a (wrong) reload after the failed rebuild to arrive
    expect(site_name).to_have_text("好站")
    assert page.evaluate("window.__notReloadedYet === true"), "a failed rebuild reloaded the page"

    # Fixing the file brings the page back to life.
    preview.set_site_name("修好站")
    expect(site_name).to_have_text("修好站", timeout=RELOAD_TIMEOUT_MS)
    assert_reloaded_by_itself(page)
    visitor.assert_clean()
