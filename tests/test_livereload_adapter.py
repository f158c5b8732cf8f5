"""gongshi/livereload_adapter.py: what the preview takes from python-livereload beyond its
public API — the LiveReload websocket, livereload.js, the boot script the pages' CSP allows,
reloading the connected browsers, quiet logs. Run against the installed livereload, so an
upgrade that changes these internals fails here. No browser: a websocket client speaks the
LiveReload protocol as livereload.js does."""

from __future__ import annotations

import asyncio
import json
import logging

from livereload.handlers import LiveReloadHandler
from tornado import httpclient, httpserver, netutil, websocket

from gongshi import livereload_adapter as live

PAGE = "<!DOCTYPE html><html><head><title>甲</title></head><body>乙</body></html>"
TIMEOUT = 20  # seconds: an upper bound for what takes milliseconds


async def _scenario(folder) -> dict:
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    (folder / "site.css").write_text("/* </head> */", encoding="utf-8")
    sockets = netutil.bind_sockets(0, address="127.0.0.1")
    base = f"127.0.0.1:{sockets[0].getsockname()[1]}"
    site = [(r"/(.*)", live.StaticFiles, {"path": str(folder), "default_filename": "index.html"})]
    server = httpserver.HTTPServer(live.live_application(site))
    server.add_sockets(sockets)
    client = httpclient.AsyncHTTPClient()
    seen: dict = {}
    try:
        for name, path in (("page", "/"), ("css", "/site.css"), ("js", "/livereload.js"),
                           ("boot", live.BOOT_PATH)):
            response = await client.fetch(f"http://{base}{path}", request_timeout=TIMEOUT)
            seen[name] = (response.body.decode("utf-8"), response.headers)
        again = await client.fetch(f"http://{base}/", request_timeout=TIMEOUT,
                                   headers={"If-None-Match": seen["page"][1].get("Etag", "")})
        seen["again"] = again.code
        socket = await websocket.websocket_connect(f"ws://{base}/livereload")
        await socket.write_message(json.dumps(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        seen["hello"] = json.loads(await asyncio.wait_for(socket.read_message(), TIMEOUT))
        await socket.write_message(json.dumps({"command": "info", "url": f"http://{base}/"}))
        for _ in range(TIMEOUT * 100):  # the server registers the browser on its next turn
            if LiveReloadHandler.waiters:
                break
            await asyncio.sleep(0.01)
        live.reload_browsers("*")
        seen["reload"] = json.loads(await asyncio.wait_for(socket.read_message(), TIMEOUT))
        socket.close()
    finally:
        server.stop()
    return seen


def test_pages_get_the_boot_script_and_browsers_reload(tmp_path):
    seen = asyncio.run(_scenario(tmp_path))
    page, headers = seen["page"]
    assert page == PAGE.replace("</head>", live.BOOT_TAG.decode() + "</head>")
    assert int(headers["Content-Length"]) == len(page.encode("utf-8"))
    assert seen["css"][0] == "/* </head> */"  # only HTML is touched
    assert seen["again"] == 200  # never a 304: a reload always gets the new file
    assert "LiveReload" in seen["js"][0]
    boot, boot_headers = seen["boot"]
    assert "/livereload.js?port=" in boot and "javascript" in boot_headers["Content-Type"]
    assert seen["hello"]["command"] == "hello"
    assert "http://livereload.com/protocols/official-7" in seen["hello"]["protocols"]
    assert seen["reload"]["command"] == "reload" and seen["reload"]["path"] == "*"


def test_reloading_with_no_browser_connected_is_harmless(monkeypatch):
    monkeypatch.setattr(LiveReloadHandler, "watcher", None)
    monkeypatch.setattr(LiveReloadHandler, "waiters", set())
    live.reload_browsers()


def test_livereload_and_tornado_stay_quiet(monkeypatch):
    for name in ("livereload", "tornado"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    live.quiet_logging()
    for name in ("livereload", "tornado"):
        assert not logging.getLogger(name).isEnabledFor(logging.WARNING)


async def _two_pages(folder) -> dict:
    """Two browsers, on two pages; a reload for one of the pages reaches only its browser."""
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    sockets = netutil.bind_sockets(0, address="127.0.0.1")
    base = f"127.0.0.1:{sockets[0].getsockname()[1]}"
    site = [(r"/(.*)", live.StaticFiles, {"path": str(folder), "default_filename": "index.html"})]
    server = httpserver.HTTPServer(live.live_application(site))
    server.add_sockets(sockets)
    seen: dict = {}
    browsers = {}
    try:
        for page in ("a/", "b/"):
            socket = await websocket.websocket_connect(f"ws://{base}/livereload")
            await socket.write_message(json.dumps(
                {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
            await asyncio.wait_for(socket.read_message(), TIMEOUT)
            await socket.write_message(json.dumps({"command": "info", "url": f"http://{base}/{page}"}))
            browsers[page] = socket
        for _ in range(TIMEOUT * 100):
            if len(LiveReloadHandler.waiters) == 2:
                break
            await asyncio.sleep(0.01)
        live.reload_browsers("first", lambda url: url.endswith("/b/"))
        seen["b"] = json.loads(await asyncio.wait_for(browsers["b/"].read_message(), TIMEOUT))
        live.reload_browsers("second")
        seen["a"] = json.loads(await asyncio.wait_for(browsers["a/"].read_message(), TIMEOUT))
        seen["b again"] = json.loads(await asyncio.wait_for(browsers["b/"].read_message(), TIMEOUT))
        seen["waiters"] = len(LiveReloadHandler.waiters)
        for socket in browsers.values():
            socket.close()
    finally:
        server.stop()
    return seen


def test_only_the_browsers_whose_page_is_chosen_reload(tmp_path, monkeypatch):
    monkeypatch.setattr(LiveReloadHandler, "waiters", set())
    seen = asyncio.run(_two_pages(tmp_path))
    # a's first message is the reload for everyone: the one for b only never reached it
    assert seen["b"]["command"] == seen["a"]["command"] == seen["b again"]["command"] == "reload"
    assert (seen["b"]["path"], seen["a"]["path"], seen["b again"]["path"]) == ("first", "second", "second")
    assert seen["waiters"] == 2
