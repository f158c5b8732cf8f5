"""The preview server keeps answering while it rebuilds, and says at once when its port is taken.

A rebuild runs in a background thread (one at a time; a save during it makes exactly one more),
the pages keep coming from the last good site meanwhile, and the browsers are told to reload
from the server's own IO loop. No browser is needed: a slow rebuild is injected.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import urllib.request

import pytest
from conftest import run_cli
from tornado import httpserver, ioloop, netutil, web

from gongshi import livereload_adapter, serve
from gongshi.findings import Findings
from gongshi.pipeline import BuildResult

WAIT = 20  # seconds: generous upper bounds for things that take milliseconds


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class SlowRebuild:
    """A rebuild that blocks until the test lets it finish; counts its runs."""

    def __init__(self):
        self.started = threading.Semaphore(0)
        self.release = threading.Semaphore(0)
        self.runs = 0
        self.threads: set[str] = set()

    def __call__(self) -> BuildResult:
        self.runs += 1
        self.threads.add(threading.current_thread().name)
        self.started.release()
        assert self.release.acquire(timeout=WAIT), "the test never let the rebuild finish"
        return BuildResult(Findings(), written=True)


@pytest.fixture
def preview_loop(tmp_path):
    """The preview's site handler and an IO loop in a thread, as `serve` runs them."""
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>上一次成功的版本</p>", encoding="utf-8")
    sockets = netutil.bind_sockets(0, address="127.0.0.1")
    port = sockets[0].getsockname()[1]
    holder: dict = {}
    ready = threading.Event()

    def run():
        asyncio.set_event_loop(asyncio.new_event_loop())
        app = web.Application([(r"/(.*)", serve._site_handler(output),
                                {"path": str(output), "default_filename": "index.html"})])
        holder["server"] = httpserver.HTTPServer(app)
        holder["server"].add_sockets(sockets)
        holder["loop"] = ioloop.IOLoop.current()
        holder["thread"] = threading.current_thread().name
        ready.set()
        holder["loop"].start()

    thread = threading.Thread(target=run, name="preview-io-loop", daemon=True)
    thread.start()
    assert ready.wait(WAIT)
    yield holder, f"http://127.0.0.1:{port}/"
    holder["loop"].add_callback(holder["server"].stop)
    holder["loop"].add_callback(holder["loop"].stop)
    thread.join(WAIT)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def test_pages_are_served_while_a_slow_rebuild_runs(tmp_path, preview_loop, monkeypatch):
    holder, url = preview_loop
    loop = holder["loop"]
    reloads: list[str] = []
    monkeypatch.setattr(livereload_adapter, "reload_browsers",
                        lambda path="*": reloads.append(threading.current_thread().name))
    root = tmp_path
    (root / "data").mkdir()
    source = root / "data" / "site.yaml"
    source.write_text("name: 甲\n", encoding="utf-8")

    slow = SlowRebuild()
    rebuilder = serve.Rebuilder(slow, serve.reload_browsers_from(loop))
    watcher = serve.ChangeWatcher(root, rebuilder.request)
    loop.add_callback(lambda: ioloop.PeriodicCallback(watcher.poll, 20).start())

    source.write_text("name: 乙站\n", encoding="utf-8")  # a save: the watcher starts a rebuild
    assert slow.started.acquire(timeout=WAIT), "the save did not start a rebuild"
    # The rebuild is stuck; the server must still answer, with the last good site.
    for _ in range(3):
        assert "上一次成功的版本" in get(url)
    source.write_text("name: 丙站站\n", encoding="utf-8")  # a save during the rebuild ...
    wait_for(lambda: rebuilder._again, "the second save to be noticed")
    source.write_text("name: 丁站站站\n", encoding="utf-8")  # ... and another: one more run, not two
    wait_for(lambda: watcher.state == serve.snapshot(root) and watcher.pending_since is None,
             "the watcher to pass on the last save")
    assert "上一次成功的版本" in get(url)
    assert slow.runs == 1

    slow.release.release()
    assert slow.started.acquire(timeout=WAIT), "the save during the rebuild was lost"
    assert "上一次成功的版本" in get(url)
    slow.release.release()
    assert rebuilder.wait_idle(WAIT)
    assert slow.runs == 2
    assert slow.threads and holder["thread"] not in slow.threads  # never on the IO loop
    wait_for(lambda: len(reloads) == 2, "both reloads")
    assert set(reloads) == {holder["thread"]}  # told to the browsers from the IO loop


def test_a_rebuild_that_wrote_nothing_reloads_no_browser():
    told: list[int] = []
    rebuilder = serve.Rebuilder(lambda: BuildResult(Findings()), lambda: told.append(1))
    rebuilder.request()
    assert rebuilder.wait_idle(WAIT)
    assert told == []


def test_a_crashing_rebuild_leaves_the_rebuilder_usable():
    runs: list[int] = []

    def rebuild():
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("boom")
        return BuildResult(Findings(), written=True)

    told: list[int] = []
    rebuilder = serve.Rebuilder(rebuild, lambda: told.append(1))
    hook = threading.excepthook
    threading.excepthook = lambda args: None  # the thread's own report is not the point here
    try:
        rebuilder.request()
        assert rebuilder.wait_idle(WAIT)
    finally:
        threading.excepthook = hook
    rebuilder.request()
    assert rebuilder.wait_idle(WAIT)
    assert len(runs) == 2 and told == [1]


def test_a_taken_port_is_said_before_building(project):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--host", "127.0.0.1", project=project)
    assert result.code == 2, result.output
    assert f"端口 {port} 已被其他程序占用" in result.stderr
    assert f"gongshi serve --port {port + 1}" in result.stderr
    assert not (project / "output").exists(), "it built before checking the port"
    assert result.stdout == ""


def test_the_old_site_is_tidied_after_the_browsers_are_told(tmp_path):
    order: list[str] = []
    rebuilder = serve.Rebuilder(lambda: order.append("rebuild") or BuildResult(Findings(), written=True),
                                lambda: order.append("reload"), lambda: order.append("tidy"))
    rebuilder.request()
    assert rebuilder.wait_idle(WAIT)
    assert order == ["rebuild", "reload", "tidy"]


def test_a_save_in_two_steps_makes_one_rebuild(tmp_path, monkeypatch):
    """An editor that empties the file and then writes it (or writes two files), the steps a
    few milliseconds apart, is rebuilt once, after the second step has settled. The clock is
    the test's own: no timing is measured."""
    now = [100.0]
    monkeypatch.setattr(serve.time, "monotonic", lambda: now[0])
    (tmp_path / "data").mkdir()
    source = tmp_path / "data" / "site.yaml"
    source.write_text("name: 甲\n", encoding="utf-8")
    requests: list[float] = []
    watcher = serve.ChangeWatcher(tmp_path, lambda: requests.append(now[0]))
    step = serve.POLL_MS / 1000

    def poll_for(seconds: float) -> None:
        for _ in range(round(seconds / step)):
            now[0] += step
            watcher.poll()

    source.write_text("", encoding="utf-8")  # the first step: an empty file
    poll_for(step)
    source.write_text("name: 乙站站\n", encoding="utf-8")  # the second, within the settling time
    other = tmp_path / "data" / "other.yaml"
    poll_for(serve.SETTLE_SECONDS / 2)
    other.write_text("x: 1\n", encoding="utf-8")  # and another file, as "save all" does
    poll_for(serve.SETTLE_SECONDS / 2)
    assert requests == []
    poll_for(serve.SETTLE_SECONDS + 2 * step)
    assert len(requests) == 1
    poll_for(1)
    assert len(requests) == 1


def test_the_sources_are_not_polled_while_a_rebuild_runs(tmp_path, monkeypatch):
    """A save during a rebuild is seen at the first poll after it and rebuilt then."""
    now = [100.0]
    monkeypatch.setattr(serve.time, "monotonic", lambda: now[0])
    (tmp_path / "data").mkdir()
    source = tmp_path / "data" / "site.yaml"
    source.write_text("name: 甲\n", encoding="utf-8")
    running = [True]
    requests: list[float] = []
    watcher = serve.ChangeWatcher(tmp_path, lambda: requests.append(now[0]), lambda: running[0])
    looked: list[int] = []
    real = serve.snapshot
    monkeypatch.setattr(serve, "snapshot", lambda root: looked.append(1) or real(root))
    source.write_text("name: 乙站\n", encoding="utf-8")
    for _ in range(10):
        now[0] += 0.05
        watcher.poll()
    assert looked == [] and requests == []
    running[0] = False
    for _ in range(10):
        now[0] += 0.05
        watcher.poll()
    assert len(requests) == 1


def test_a_browser_reloads_when_what_its_page_shows_changed():
    files = {"index.html", "a/units/u1/index.html", "a/units/u2/index.html", "404.html",
             "search/index.html", "search/g-0.json", "static/css/site.css", "a/downloads/gongshi.csv"}
    origin = "http://127.0.0.1:8000"

    def reloads(path: str, changed, prefix: str = "/") -> bool:
        return serve.page_changed(origin + path, prefix, files, changed)

    unit = {"a/units/u1/index.html", "a/downloads/gongshi.csv", "search/g-0.json", "SHA256SUMS"}
    assert reloads("/a/units/u1/", unit) and reloads("/a/units/u1/#row-3", unit)
    assert not reloads("/a/units/u2/", unit) and not reloads("/", unit)
    assert reloads("/search/?q=张", unit)  # the index it reads changed
    assert not reloads("/search/", {"a/units/u1/index.html"})
    assert reloads("/a/units/u2/", {"static/img/logo.png"})  # a page may load it unversioned
    assert reloads("/a/units/u2/", None)  # the first build: not known
    assert reloads("/gone/", {"404.html"}) and not reloads("/gone/", unit)
    assert reloads("/a/units/u3/", {"a/units/u3/index.html"})  # a new page where 404 was
    assert reloads("/a/units/u1/", {"a/units/u1/index.html"}, "/gongshi/")  # not the site's: as before
    assert reloads("/gongshi/a/units/u1/", unit, "/gongshi/")
    assert not reloads("/gongshi/a/units/u2/", unit, "/gongshi/")


def test_the_preview_collects_garbage_cycles_only_when_no_rebuild_runs():
    running = [True]
    collected: list[int] = []
    collector = serve.IdleCollector(lambda: running[0], lambda: collected.append(1))
    collector()
    assert collected == []
    running[0] = False
    collector()
    assert collected == [1] and collector.collections == 1
