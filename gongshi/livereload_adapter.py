"""The one place the preview reaches into python-livereload beyond its public API.

livereload's public API (`Server`, `watch`, `serve`) binds its own port, polls files itself
(dropping a reload that comes within 3 seconds of the last), injects an inline <script> that
the pages' Content-Security-Policy refuses, and logs in English. `gongshi serve` needs none of
that, but it needs livereload's browser side: the websocket handler that speaks the LiveReload
protocol to livereload.js, livereload.js itself, and a way to say "reload now". This module
wraps exactly those, written against livereload 2.7 (tests/test_livereload_adapter.py holds
them, so an upgrade that changes them fails there, not in a staff member's browser):

* `live_application(site_handlers)`: a tornado application with the websocket (/livereload),
  livereload.js, a same-origin boot script (`BOOT_PATH`) that loads it, and the site's own
  handlers; every HTML page gets `<script src=BOOT_PATH defer>` before </head>.
* `reload_browsers(path, showing)`: tell the connected browsers to reload (call it on the IO
  loop): all of them, or those whose page address `showing` accepts (livereload.js says its
  page's address when it connects; a browser that has not said it yet always reloads).
* `StaticFiles`: livereload's static file handler (never a 304, so a reload is always fresh).
* `quiet_logging()`: livereload and tornado log in English; staff see only our Chinese lines.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.handlers import StaticFileHandler as StaticFiles
from livereload.watcher import Watcher
from tornado import web

__all__ = ["BOOT_PATH", "StaticFiles", "live_application", "quiet_logging", "reload_browsers"]

BOOT_PATH = "/__gongshi_livereload.js"
BOOT_SCRIPT = ('(function(){var s=document.createElement("script");'
               's.src="/livereload.js?port="+(location.port||80);document.head.appendChild(s);})();')
BOOT_TAG = f'<script src="{BOOT_PATH}" defer></script>'.encode()
_HEAD_END = b"</head>"


class _BootScript(web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(BOOT_SCRIPT)


class BootScriptInjector(web.OutputTransform):
    """Adds the boot script's tag before the first </head> of an HTML response."""

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if "html" in headers.get("Content-Type", "") and _HEAD_END in chunk:
            chunk = chunk.replace(_HEAD_END, BOOT_TAG + _HEAD_END, 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(BOOT_TAG))
        return status_code, headers, chunk


class _PageSocket(LiveReloadHandler):
    """livereload's websocket, which also keeps the address of the page it serves (from the
    "info" message livereload.js sends after the handshake)."""

    page_url: str | None = None

    def on_message(self, message):
        try:
            said = json.loads(message)
        except ValueError:
            said = None
        if isinstance(said, dict) and said.get("command") == "info" and isinstance(said.get("url"), str):
            self.page_url = said["url"]
        super().on_message(message)


def live_application(site_handlers: list) -> web.Application:
    """livereload's browser side plus `site_handlers`, with the boot script injected."""
    # The handler's class attributes are its configuration: reload_waiters logs the watcher's
    # last changed file (livereload's own poller is never started: the preview polls itself).
    LiveReloadHandler.watcher = Watcher()
    LiveReloadHandler.live_css = True
    handlers = [(r"/livereload", _PageSocket), (r"/livereload.js", LiveReloadJSHandler),
                (re.escape(BOOT_PATH), _BootScript)] + list(site_handlers)
    return web.Application(handlers=handlers, transforms=[BootScriptInjector])


def reload_browsers(path: str = "*", showing: Callable[[str], bool] | None = None) -> None:
    """Every browser connected to /livereload reloads `path` ("*": the page it shows); with
    `showing`, only those whose page address it accepts or whose page is not known.
    Not thread-safe: call it on the IO loop (`IOLoop.add_callback`)."""
    if LiveReloadHandler.watcher is None:
        LiveReloadHandler.watcher = Watcher()
    if showing is None:
        LiveReloadHandler.reload_waiters(path=path)
        return
    everyone = LiveReloadHandler.waiters
    chosen = {waiter for waiter in everyone
              if getattr(waiter, "page_url", None) is None or showing(waiter.page_url)}
    LiveReloadHandler.waiters = set(chosen)  # reload_waiters writes to the class's waiters
    try:
        LiveReloadHandler.reload_waiters(path=path)
    finally:
        gone = chosen - LiveReloadHandler.waiters  # a socket it could not write to is dropped
        LiveReloadHandler.waiters = everyone - gone


def quiet_logging() -> None:
    for name in ("livereload", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger(name).addHandler(logging.NullHandler())
