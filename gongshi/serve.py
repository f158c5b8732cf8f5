"""`gongshi serve`: build, serve `output/` locally, rebuild and reload on every save.

python-livereload pushes reloads to the browser, through `livereload_adapter` (the one place
that knows its internals); serving the pages, change detection and rebuilding are ours.
livereload's own poller drops a reload that comes within 3 seconds of the last one, which
shows a stale page after two quick saves; so we poll the source folders, wait until saves
settle (debounce), rebuild, and only then tell the browsers to reload, directly.

Rebuilds run in a background thread (`Rebuilder`), one at a time, so the server keeps
answering during a long rebuild, with the last good site (the output is swapped in whole);
a save during a rebuild makes one more rebuild after it. The reload is sent from the server's
own IO loop, to the browsers whose page changed (`page_changed`). What is not needed for the
reload waits until after it: the site a rebuild replaced is kept, for the next rebuild to
stage in (pipeline.Kept.spare), and garbage cycles are collected when idle (`IdleCollector`).
A failed rebuild keeps the last good site and prints why. The port is taken before the first
build, so a port in use is said at once (exit 2), not after the build.
"""

from __future__ import annotations

import errno
import gc
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tornado import httpserver, ioloop, netutil, web

from . import livereload_adapter as live
from . import urls
from .check.report import counts_line, format_findings
from .findings import Findings
from .fsproblems import OutputProblem, os_error_finding
from .pipeline import BuildOptions, BuildResult, Kept, build_project
from .site.output import remove_old
from .site.render import base_path

WATCHED = ("data", "content", "templates", "static")
COLLECT_AFTER = 0.5  # seconds after a rebuild: see IdleCollector
COLLECT_EVERY = 60  # seconds, between rebuilds
# A save is seen within POLL_MS and rebuilt once nothing changed for SETTLE_SECONDS (an editor
# that writes a file in two steps - empties it, then writes it; or writes a copy, then renames
# it - does so within a few milliseconds, and makes one rebuild: tests/test_serve_rebuild.py).
# A save is rebuilt 20-30 ms after it; a poll of the bundled project takes well under 1 ms.
POLL_MS = 10
SETTLE_SECONDS = 0.02


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every file in the watched folders (and below them;
    a folder that is a symbolic link is not entered, as Path.rglob does not)."""
    state: dict[str, tuple[int, int]] = {}

    def walk(folder: str) -> None:
        try:
            scan = os.scandir(folder)
        except OSError:  # gone, or not a folder
            return
        with scan:
            for entry in scan:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path)
                    elif entry.is_file():
                        stat = entry.stat()
                        state[entry.path] = (stat.st_mtime_ns, stat.st_size)
                except OSError:  # removed meanwhile
                    continue

    for name in WATCHED:
        walk(str(root / name))
    return state


class Rebuilder:
    """Runs `rebuild` in a background thread, one at a time. A request while one runs makes
    exactly one more run after it (however many saves came in between); `on_written` is
    called after each rebuild that wrote a new site."""

    def __init__(self, rebuild: Callable[[], BuildResult], on_written: Callable[[], None],
                 after: Callable[[], None] | None = None):
        self.rebuild = rebuild
        self.on_written = on_written
        self.after = after  # called after each rebuild (and its reload), before the next
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._idle = threading.Event()
        self._idle.set()

    def request(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._run, name="gongshi-rebuild", daemon=True).start()

    def _run(self) -> None:
        try:
            while True:
                if self.rebuild().written:
                    self.on_written()
                if self.after is not None:
                    self.after()
                with self._lock:
                    if not self._again:
                        return
                    self._again = False
        finally:
            with self._lock:
                self._running = False
                self._again = False
                self._idle.set()

    def busy(self) -> bool:
        """Whether a rebuild runs or waits to run."""
        return self._running

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no rebuild runs or waits; False if `timeout` passed first."""
        return self._idle.wait(timeout)


class ChangeWatcher:
    """Polls the sources; once changes have settled, asks for a rebuild. With `busy`, it does
    not look while that says a rebuild runs: the rebuild would have the thread lock of Python
    taken from it a hundred times a second (some 5 % of its time), and a save made meanwhile is
    seen at the first poll after it (and rebuilt then, as a save during a rebuild is)."""

    def __init__(self, root: Path, request_rebuild: Callable[[], None],
                 busy: Callable[[], bool] | None = None):
        self.root = root
        self.request_rebuild = request_rebuild
        self.busy = busy
        self.state = snapshot(root)
        self.pending_since: float | None = None

    def poll(self) -> None:
        if self.busy is not None and self.busy():
            return
        current = snapshot(self.root)
        now = time.monotonic()
        if current != self.state:
            self.state = current
            self.pending_since = now
            return
        if self.pending_since is not None and now - self.pending_since >= SETTLE_SECONDS:
            self.pending_since = None
            self.request_rebuild()


class IdleCollector:
    """Python's cycle collector, run by the preview itself, a moment after a rebuild, when no
    rebuild runs (`serve` turns the automatic one off). A build pauses the collector
    (pipeline.collector_paused); turned back on, it would scan all that the build made at
    once, before the browsers are told to reload (some 30 ms at 10,000 names). The garbage
    cycles a rebuild leaves are collected here instead, once the reloaded page is shown."""

    def __init__(self, busy: Callable[[], bool], collect: Callable[[], object] = gc.collect):
        self.busy = busy
        self.collect = collect
        self.collections = 0

    def __call__(self) -> None:
        if self.busy():
            return  # the rebuild that runs asks again when it is done
        self.collect()
        self.collections += 1


def reload_browsers_from(loop: ioloop.IOLoop,
                         showing: Callable[[], Callable[[str], bool] | None] | None = None) -> Callable[[], None]:
    """A function any thread may call to make the browsers reload, on `loop`'s thread
    (tornado's handlers are not thread-safe; `add_callback` is): all of them, or with
    `showing`, those whose page address what it gives then accepts (see `page_changed`)."""
    def reload_browsers() -> None:
        if showing is None:
            loop.add_callback(live.reload_browsers, "*")
        else:
            loop.add_callback(live.reload_browsers, "*", showing())
    return reload_browsers


def page_changed(url: str, prefix: str, files: Collection[str], changed: Collection[str] | None) -> bool:
    """Whether a browser showing `url` has something new to show after a rebuild that wrote
    `files` (output-relative) and changed the bytes of `changed` (None: anything may have):
    its page's file changed (or, for an address with no page, 404.html); a style sheet, script
    or image changed (a page may load one by an address without its digest); or, for the
    search page, a file of the search index it reads."""
    if changed is None or any(path.startswith(urls.STATIC + "/") for path in changed):
        return True
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return True  # not one of the site's pages: reload, as before
    page = path[len(prefix):]
    page = page + "index.html" if page == "" or page.endswith("/") else page
    if page == urls.search() + "index.html" and any(p.startswith(urls.search()) for p in changed):
        return True
    return (page if page in files or page in changed else urls.NOT_FOUND) in changed


def _site_handler(output: Path):
    class SiteFiles(live.StaticFiles):
        """Static files with the site's own 404 page."""

        def write_error(self, status_code, **kwargs):
            page = output / "404.html"
            if status_code == 404 and page.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page.read_bytes())
            else:
                super().write_error(status_code, **kwargs)
    return SiteFiles


def site_handlers(output: Path, prefix: str) -> list:
    """The site mounted at its base path (the root redirects there), with its own 404 page."""
    handlers: list = [(re.escape(prefix) + r"(.*)", _site_handler(output),
                       {"path": str(output), "default_filename": "index.html"})]
    if prefix != "/":
        handlers.insert(0, (r"/", web.RedirectHandler, {"url": prefix}))
    return handlers


def bind_port(host: str, port: int) -> list | None:
    """Listening sockets on host:port, or None (having said why in Chinese) when taken."""
    try:
        return netutil.bind_sockets(port, address=host)
    except OSError as exc:
        code = exc.errno
        if code in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)):
            reason = f"端口 {port} 已被其他程序占用（可能是另一个正在运行的预览）"
            fix = f"换一个端口，例如 gongshi serve --port {port + 1 if port < 65535 else 8001}；或先关掉占用它的程序。"
        elif code in (errno.EACCES, getattr(errno, "WSAEACCES", errno.EACCES)):
            reason = f"没有权限使用端口 {port}（1024 以下的端口要管理员权限）"
            fix = "换一个 1024 以上的端口，例如 gongshi serve --port 8000。"
        else:
            reason = f"本机无法在这个地址上监听（{exc.strerror or exc}）"
            fix = "检查 --host 是否写对；只在本机预览时用默认的 127.0.0.1 即可。"
        print(f"错误：无法在 {host}:{port} 启动预览：{reason}。\n处理办法：{fix}", file=sys.stderr)
        return None


class RebuildSession:
    """What the preview keeps between rebuilds of one project into one output folder: the
    parsed data files and every page and file made before (pipeline.Kept), so a save re-reads
    only the files whose bytes changed and re-makes only what is made from them. The checks
    all run again each time (their rules are global), and the site is written and swapped in
    whole as a clean build does; the bytes are the same (tests/test_serve_cache.py)."""

    def __init__(self, root: Path, output: Path):
        self.root = root
        self.options = BuildOptions(output=output, kept=Kept())

    def rebuild(self) -> BuildResult:
        return build_project(self.root, self.options)

    def showing_changes(self, prefix: str) -> Callable[[str], bool]:
        """Which browsers to reload after the last rebuild (`page_changed`), by page address."""
        assert self.options.kept is not None
        files, changed = set(self.options.kept.site_files), self.options.kept.changed
        return lambda url: page_changed(url, prefix, files, changed)

    def tidy(self) -> None:
        """Remove the old sites the rebuilds left beside the output and will not reuse (so
        that the swap is not held up by deleting files); one that cannot be removed yet is
        left for the next build, which removes leftovers as it starts."""
        assert self.options.kept is not None
        old_sites = self.options.kept.old_sites
        while old_sites:
            remove_old(old_sites.pop())

    def close(self) -> None:
        """Remove the old site kept for the next rebuild too (the preview ends)."""
        assert self.options.kept is not None
        if self.options.kept.spare is not None:
            self.options.kept.old_sites.append(self.options.kept.spare[0])
            self.options.kept.spare = None
        self.tidy()


def serve(root: Path, host: str, port: int, output: Path | None) -> int:
    output = output or root / "output"
    session = RebuildSession(root, output)
    sockets = bind_port(host, port)
    if sockets is None:
        return 2

    def rebuild() -> BuildResult:
        try:
            result = session.rebuild()
        except (OutputProblem, OSError) as exc:  # the folder, the lock or the disk: say so
            finding = exc.finding if isinstance(exc, OutputProblem) else os_error_finding(exc, root)
            print(format_findings(Findings([finding])), flush=True)
            print(f"[{time.strftime('%H:%M:%S')}] 重建失败，浏览器中仍是上一次成功的版本。", flush=True)
            return BuildResult(Findings([finding]))
        except Exception as exc:  # noqa: BLE001 - keep serving the last good site
            print(f"抱歉，重建时遇到程序错误（{type(exc).__name__}），浏览器中仍是上一次成功的版本。"
                  "请把这行提示发给维护人员；用 gongshi --debug build 可以看到详细信息。", flush=True)
            return BuildResult(Findings())
        text = format_findings(result.findings)
        if text:
            print(text, flush=True)
        if result.written:
            print(f"[{time.strftime('%H:%M:%S')}] 已重建：{result.pages_written} 个页面，"
                  f"用时 {result.seconds:.2f} 秒。", flush=True)
        else:
            print(f"[{time.strftime('%H:%M:%S')}] 重建失败，浏览器中仍是上一次成功的版本。"
                  f"{counts_line(result.findings)}", flush=True)
        return result

    gc.disable()  # collected when idle: see IdleCollector
    first = rebuild()
    session.tidy()
    gc.collect()
    if first.site is None or not (output / "index.html").is_file():
        for sock in sockets:
            sock.close()
        print("无法生成预览。请按上面的提示改正后再运行。", file=sys.stderr)
        return 1
    prefix = base_path(first.site.base_url)
    live.quiet_logging()
    httpserver.HTTPServer(live.live_application(site_handlers(output, prefix))).add_sockets(sockets)
    loop = ioloop.IOLoop.current()
    collector = IdleCollector(lambda: rebuilder.busy())

    def after_rebuild() -> None:
        session.tidy()
        loop.add_callback(loop.call_later, COLLECT_AFTER, collector)

    rebuilder = Rebuilder(rebuild, reload_browsers_from(loop, lambda: session.showing_changes(prefix)),
                          after_rebuild)
    # and now and then without a rebuild: what serving the pages leaves
    ioloop.PeriodicCallback(collector, COLLECT_EVERY * 1000).start()
    watcher = ChangeWatcher(root, rebuilder.request, rebuilder.busy)
    ioloop.PeriodicCallback(watcher.poll, POLL_MS).start()
    print(f"预览地址：http://{host}:{port}{prefix}  （修改 data/、content/、templates/、static/ 后自动刷新；"
          "按 Ctrl+C 停止）", flush=True)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        if rebuilder.wait_idle(5):
            session.close()
    return 0
