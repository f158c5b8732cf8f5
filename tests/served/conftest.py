"""Fixtures for the served site: real nginx mounts, a Chromium browser, and a visitor page.

nginx runs in the foreground with every path (config, pid, logs, temp folders) under the
test's temporary folder, on a free 127.0.0.1 port. Two mounts are served:

* `nginx_root` - the bundled project built with the default base URL "/", at the root;
* `nginx_sub`  - the same project built with `--base-url /portal/gongshi/`, mounted under
  that sub-path with `alias`, the way a portal would host it.

Both use `error_page 404 <base>404.html`. Missing nginx or Chromium skips the tests with
the reason, except in CI (the CI environment variable set), where it fails: CI must never
pass by silently skipping.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXED_DAY = "2018-11-07"  # inside the bundled sample 公示 period
# The browser's clock: a page is read on the day it was built unless a test says otherwise (the
# page script shows the state of the reader's day: after the period, no objection channel).
READING_DAY = FIXED_DAY + "T10:00:00+08:00"
SUB_BASE = "/portal/gongshi/"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

CHROMIUM = os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

INSTALL_HINT = "run `bash scripts/test.sh` as root (it installs chromium, fonts-noto-cjk, nginx-light)"


def unavailable(reason: str):
    """Skip locally, fail in CI: a missing tool must never turn CI green by skipping."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(f"{reason}; {INSTALL_HINT}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, describe, timeout: float = 15) -> None:
    """Poll `url` until the server answers with any HTTP status; fail early if it died."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail(f"server exited with code {process.returncode} before answering {url}\n"
                        f"{describe()}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers; the status is the tests' business
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"server did not answer {url} within {timeout} s\n{describe()}", pytrace=False)
        time.sleep(0.05)


def _die_with_parent() -> None:
    """In the child before exec (Linux): get SIGTERM when pytest dies, even by SIGKILL,
    so a killed test run leaves no nginx or preview server behind."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, 15)  # PR_SET_PDEATHSIG, SIGTERM
    except (OSError, AttributeError):
        pass


def spawn(command: list[str], **kwargs) -> subprocess.Popen:
    """Start a server in its own process group, tied to this process's life."""
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=preexec, **kwargs)


def stop_process_group(process: subprocess.Popen, timeout: float = 5) -> None:
    """Stop a process started by `spawn` (its own process group), and its children."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, 15)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout)
    else:  # the leader is gone; make sure no child outlived it
        try:
            os.killpg(process.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass


def build_copy(target: Path, *args: str, process: bool = False) -> Path:
    """Copy the bundled project to `target`, build it with `args`, return its output folder.
    In this process (as the tests' `run_cli`), or with `process` as a user runs it: `python
    build.py` in a new process."""
    from conftest import copy_project, run_cli, run_cli_process
    output = target / "output"
    run = run_cli_process if process else run_cli
    result = run("build", "--today", FIXED_DAY, "--output", str(output), *args, project=copy_project(target))
    assert result.code == 0, f"build {' '.join(args)} failed:\n{result.output}"
    return output


# ---------------------------------------------------------------------------- nginx

@dataclass
class Mount:
    """A built site served by nginx: http://127.0.0.1:<port><base>."""
    origin: str            # http://127.0.0.1:PORT
    base: str              # "/" or "/portal/gongshi/"
    output: Path
    logs: Path = field(repr=False)
    day: str = READING_DAY  # the browser's clock when a sweep reads it: the day it was built

    def url(self, path: str = "") -> str:
        return self.origin + self.base + path.lstrip("/")

    def error_log(self) -> str:
        log = self.logs / "error.log"
        return log.read_text(errors="replace") if log.is_file() else ""


MIME_TYPES = """
    types {
      text/html html htm;
      text/css css;
      application/javascript js;
      application/json json;
      text/plain txt;
      image/png png;
      image/jpeg jpg jpeg;
      image/svg+xml svg;
      image/x-icon ico;
      font/woff2 woff2;
      application/pdf pdf;
    }
    default_type application/octet-stream;
"""


def nginx_config(home: Path, port: int, output: Path, base: str, locations: str = "") -> str:
    """The test server's configuration; `locations` replaces the default location blocks
    (and then says itself which page answers a 404)."""
    error_page = "" if locations else f"error_page 404 {base}404.html;"
    if not locations and base == "/":
        locations = f"""
    location / {{
      root {output};
    }}"""
    elif not locations:
        # The portal owns the rest of the host; only `base` is ours.
        locations = f"""
    location {base} {{
      alias {output}/;
    }}
    location / {{
      return 404;
    }}"""
    # As root, workers would drop to `nobody`, who cannot enter pytest's 0700 tmp folders.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""# written by tests/served/conftest.py
daemon off;
master_process on;
worker_processes 1;
{user}
pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{
  worker_connections 64;
}}
http {{
  {MIME_TYPES}
  access_log {home}/access.log;
  client_body_temp_path {home}/temp/body;
  proxy_temp_path {home}/temp/proxy;
  fastcgi_temp_path {home}/temp/fastcgi;
  uwsgi_temp_path {home}/temp/uwsgi;
  scgi_temp_path {home}/temp/scgi;
  server {{
    listen 127.0.0.1:{port};
    server_name localhost;
    absolute_redirect off;
    {error_page}
    {locations}
  }}
}}
"""


def nginx_binary() -> str:
    """$GONGSHI_NGINX if set, else nginx on PATH or in the usual sbin folders."""
    wanted = os.environ.get("GONGSHI_NGINX")
    if wanted:
        found = wanted if os.access(wanted, os.X_OK) else None
    else:
        found = shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)
    if not found:
        unavailable(f"nginx not found{f' at {wanted}' if wanted else ''} (Debian package nginx-light)")
    return found


def start_nginx(home: Path, output: Path, base: str, locations: str = ""):
    """Start nginx serving `output` at `base`; returns (mount, process). Retries a taken port.
    `locations`: location blocks to use instead of the default ones (see `nginx_config`)."""
    binary = nginx_binary()
    (home / "temp").mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):
        port = free_port()
        config = home / "nginx.conf"
        config.write_text(nginx_config(home, port, output, base, locations))
        log = home / "error.log"
        log.unlink(missing_ok=True)
        stderr = open(home / "stderr.log", "w")
        process = spawn([binary, "-p", str(home), "-e", str(log), "-c", str(config)],
                        stdout=stderr, stderr=stderr)
        stderr.close()
        mount = Mount(f"http://127.0.0.1:{port}", base, output, home)

        def describe(mount=mount, config=config):
            return (f"nginx config {config}:\n{config.read_text()}\nstderr:\n"
                    f"{(home / 'stderr.log').read_text(errors='replace')}\nerror.log:\n{mount.error_log()}")

        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.05)
        if process.poll() is not None and "Address already in use" in describe():
            continue  # someone took the port between free_port() and nginx; try another
        wait_until_answering(mount.url(), process, describe)
        return mount, process
    pytest.fail("nginx could not find a free port in 5 attempts", pytrace=False)


@pytest.fixture(scope="session")
def nginx_root(built_site: Path, tmp_path_factory):
    """nginx serving the bundled build (base URL "/") at the root of a free port."""
    mount, process = start_nginx(tmp_path_factory.mktemp("nginx-root"), built_site, "/")
    yield mount
    stop_process_group(process)


@pytest.fixture(scope="session")
def sub_built_site(tmp_path_factory) -> Path:
    """The bundled project built with --base-url /portal/gongshi/, by `python build.py` in a
    new process, as staff run it (once a run: conftest.made_once)."""
    from conftest import made_once
    folder = made_once(tmp_path_factory, "built-sub",
                       lambda folder: build_copy(folder / "project", "--base-url", SUB_BASE, process=True))
    return folder / "project" / "output"


@pytest.fixture(scope="session")
def nginx_sub(sub_built_site: Path, tmp_path_factory):
    """nginx serving the /portal/gongshi/ build under that sub-path (with alias)."""
    mount, process = start_nginx(tmp_path_factory.mktemp("nginx-sub"), sub_built_site, SUB_BASE)
    yield mount
    stop_process_group(process)


@pytest.fixture(params=["root", "sub"], ids=["at-root", "under-portal-gongshi"])
def mount(request) -> Mount:
    """Each nginx mount in turn."""
    return request.getfixturevalue(f"nginx_{request.param}")


# ---------------------------------------------------------------------------- browser

@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright cannot download browsers here)."""
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"Chromium not found at {CHROMIUM} (Debian package chromium)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the playwright Python package is not installed (requirements-dev.txt)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Error as error:
        playwright.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    yield chromium
    chromium.close()
    playwright.stop()


class Visitor:
    """One browser page that records what a visitor would not want to see.

    Every request to a host other than `origin` is recorded and aborted (the site must
    work offline from its own server); console errors, uncaught exceptions and HTTP errors
    are recorded too. Call `assert_clean()` at the end of a test.
    """

    def __init__(self, context, origin: str):
        self.context = context
        self.origin = origin
        self.netloc = urlsplit(origin).netloc
        self.foreign: list[str] = []
        self.console_errors: list[str] = []
        self.http_errors: list[str] = []
        self.expected_statuses: dict[str, int] = {}
        self.page = context.new_page()
        # Only what goes elsewhere comes to Python (a pattern the browser's side tests): a page
        # load's own requests are not each a round trip through this process.
        self.page.route(re.compile(rf"^(?!(?:data|blob):|[a-zA-Z][a-zA-Z0-9+.-]*://{re.escape(self.netloc)}(?:[/?#]|$))"),
                        self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        self.page.on("response", self._response)

    def _route(self, route):
        """A request to another host (anything but data:, blob: and `origin`'s host and port)."""
        self.foreign.append(f"{route.request.method} {route.request.url}")
        route.abort()

    def _console(self, message):
        if message.type == "error":
            url = (message.location or {}).get("url", "?")
            if (message.text.startswith("Failed to load resource")
                    and self.expected_statuses.get(url, 200) >= 400):
                return  # the browser's note about a status we asked for (the 404 page)
            self.console_errors.append(f"{message.text} (at {url})")

    def _response(self, response):
        if response.status >= 400 and self.expected_statuses.get(response.url) != response.status:
            self.http_errors.append(f"{response.status} {response.url}")

    def open(self, path: str, status: int = 200):
        """Go to origin + path like a visitor typing the address; check the status."""
        url = self.origin + path
        self.expected_statuses[url] = status
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
        return response

    def problems(self) -> list[str]:
        return ([f"request to another host: {r}" for r in self.foreign]
                + [f"console error: {e}" for e in self.console_errors]
                + [f"HTTP error: {e}" for e in self.http_errors])

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the visitor saw problems:\n  " + "\n  ".join(problems)


def new_visitor(browser, origin: str, width: int = 1280, height: int = 900, day: str = READING_DAY) -> Visitor:
    """A Visitor in a fresh browser context of its own, its clock at `day` (close
    `visitor.context` when done)."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="zh-CN", service_workers="block")
    context.clock.set_fixed_time(day)
    return Visitor(context, origin)


@pytest.fixture
def visit(browser):
    """`visit(origin, width=1280)` -> a fresh Visitor in its own browser context."""
    visitors: list[Visitor] = []

    def open_visitor(origin: str, width: int = 1280, height: int = 900) -> Visitor:
        visitors.append(new_visitor(browser, origin, width, height))
        return visitors[-1]

    yield open_visitor
    for visitor in visitors:
        visitor.context.close()


# ---------------------------------------------------------------------------- more builds


@pytest.fixture(scope="session")
def split_site(tmp_path_factory):
    """The bundled project built with pages.LIST_PAGE_ROWS lowered to 60, served by nginx."""
    from conftest import made_once

    from gongshi.site import pages

    def build(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pages, "LIST_PAGE_ROWS", 60)
            build_copy(folder / "project")

    output = made_once(tmp_path_factory, "split", build) / "project" / "output"
    mount, process = start_nginx(tmp_path_factory.mktemp("split") / "nginx", output, "/")
    yield mount
    stop_process_group(process)


@pytest.fixture(scope="session")
def ungrouped_site(tmp_path_factory):
    """The bundled project with its 2018 list not grouped by unit (a 推荐单位 column in the list),
    served by nginx."""
    from conftest import copy_project, made_once, run_cli, ungroup_2018_list

    def build(folder: Path) -> None:
        project = ungroup_2018_list(copy_project(folder / "project"))
        result = run_cli("build", "--today", FIXED_DAY, project=project)
        assert result.code == 0, result.output

    output = made_once(tmp_path_factory, "ungrouped", build) / "project" / "output"
    mount, process = start_nginx(tmp_path_factory.mktemp("ungrouped") / "nginx", output, "/")
    yield mount
    stop_process_group(process)


# The later-stage builds the browser reads, by the stage of conftest.LIFE_DAYS they are: both
# announcements decided; the 2019 one in its notice stage; its 公示 open, a short list.
STAGE_SITES = {"decided": "next-decided", "notice": "next-notice", "open": "next-open"}


@pytest.fixture(scope="session")
def stage_sites(tmp_path_factory):
    """The bundled project with the 2018 announcement's 决定 added (conftest.add_2018_decision),
    built on 2019-05-20 ("decided": both announcements have their 决定), on 2019-03-20
    ("notice": the 2019 one is in its notice stage) and on 2019-05-08 ("open": the 2019 公示 is
    open), each served by nginx at the root and read on the day it was built. The builds are
    tests/test_stages.py's (conftest.every_stage, made once a run), the servers once per worker."""
    from conftest import LIFE_DAYS, every_stage

    built = every_stage(tmp_path_factory)
    home = tmp_path_factory.mktemp("stages")
    mounts, processes = {}, []
    for name, stage in STAGE_SITES.items():
        mount, process = start_nginx(home / f"nginx-{name}", built[stage], "/")
        mounts[name] = dataclasses.replace(mount, day=LIFE_DAYS[stage] + READING_DAY.removeprefix(FIXED_DAY))
        processes.append(process)
    yield mounts
    for process in processes:
        stop_process_group(process)


# ---------------------------------------------------------------------------- axe and sweeps


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, to inject into a loaded page (sweeps.run_axe)."""
    from axe_playwright_python.sync_playwright import Axe
    return Axe().axe_script


@pytest.fixture(scope="session")
def sweep(request, browser, axe_script):
    """`sweep(site, setting)` -> that site's pages measured at that setting (see sweeps.py),
    computed on first use and kept for the session."""
    from .sweeps import pages, run_sweep
    mounts = {"root": lambda: request.getfixturevalue("nginx_root"),
              "split": lambda: request.getfixturevalue("split_site")}
    mounts |= {name: lambda name=name: request.getfixturevalue("stage_sites")[name] for name in STAGE_SITES}
    done = {}

    def get(site: str, setting):
        if (site, setting) not in done:
            mount = mounts[site]()
            every = pages(site, mount, mounts["decided"]().output if site == "notice" else None)
            done[site, setting] = run_sweep(
                site, setting, mount, every,
                lambda origin, width, height: new_visitor(browser, origin, width, height, mount.day), axe_script)
        return done[site, setting]

    return get


@pytest.fixture(scope="session")
def printed(nginx_root, browser, tmp_path_factory):
    """The 公示 and the notice printed to A4 by Chromium, kept in test-artifacts/ (printed once
    a run: conftest.made_once)."""
    from conftest import made_once
    papers = (("gongshi", "2018-mofan/gongshi/"), ("notice", "2018-mofan/notice/"))

    def print_them(folder: Path) -> None:
        artifacts = SCREENSHOTS.parent
        artifacts.mkdir(parents=True, exist_ok=True)
        for name, path in papers:
            page = browser.new_page()
            page.clock.set_fixed_time(READING_DAY)
            page.goto(nginx_root.url(path))
            page.evaluate("document.fonts.ready")
            pdf = page.pdf(prefer_css_page_size=True)
            page.close()
            (folder / f"{name}.pdf").write_bytes(pdf)
            (artifacts / f"{name}-a4.pdf").write_bytes(pdf)

    folder = made_once(tmp_path_factory, "printed", print_them)
    return {name: folder / f"{name}.pdf" for name, _path in papers}
