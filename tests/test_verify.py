"""`gongshi verify`: a deployed folder or site compared with the build's SHA256SUMS.

Folders here; over HTTP with a small standard-library server on 127.0.0.1 (which can be told
to compress against the client's wish, or to fail); against real nginx in
tests/served/test_verify_served.py.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import run_cli

from gongshi.site.feeds import sha256sums

ODD = "名单 文件/张 三（女）.html"  # Chinese characters, spaces and full-width brackets


@pytest.fixture
def deployed(built_site, tmp_path) -> Path:
    """A copy of the bundled build, as copied to a portal."""
    return Path(shutil.copytree(built_site, tmp_path / "portal"))


def verify(*args: str, output: Path) -> tuple[int, str]:
    result = run_cli("verify", *args, "--output", str(output))
    return result.code, result.output


def small_site(folder: Path) -> Path:
    """A site with an awkward file name and its SHA256SUMS, as build writes it."""
    (folder / "名单 文件").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>首页</h1>\n", encoding="utf-8")
    (folder / ODD).write_text("<p>张 三</p>\n" * 200, encoding="utf-8")
    (folder / "SHA256SUMS").write_bytes(sha256sums(folder))
    return folder


def test_an_identical_copy_passes(built_site, deployed):
    code, text = verify(str(deployed), output=built_site)
    assert code == 0, text
    count = len([p for p in built_site.rglob("*") if p.is_file()])
    assert f"与 {built_site / 'SHA256SUMS'} 列出的 {count} 个文件完全一致" in text


def test_an_altered_file_is_named(built_site, deployed):
    page = deployed / "2018-mofan" / "gongshi" / "index.html"
    page.write_bytes(page.read_bytes() + b"\n")
    code, text = verify(str(deployed), output=built_site)
    assert code == 1
    assert "  内容不同 1 个文件（E002）：\n    2018-mofan/gongshi/index.html\n共 1 处不一致" in text
    assert "处理办法：" in text


def test_a_missing_file_is_named(built_site, deployed):
    (deployed / "static" / "css" / "site.css").unlink()
    code, text = verify(str(deployed), output=built_site)
    assert code == 1
    assert "  缺少 1 个文件（E001）：\n    static/css/site.css\n" in text


def test_an_unexpected_file_is_named(built_site, deployed):
    (deployed / "2018-mofan" / "old-list.html").write_text("旧名单", encoding="utf-8")
    code, text = verify(str(deployed), output=built_site)
    assert code == 1
    assert "  多出 1 个文件（E003，" in text and "    2018-mofan/old-list.html\n" in text


def test_a_stale_sha256sums_on_the_portal_is_altered(built_site, deployed):
    (deployed / "SHA256SUMS").write_bytes((deployed / "SHA256SUMS").read_bytes() + b"\n")
    code, text = verify(str(deployed), output=built_site)
    assert code == 1 and "    SHA256SUMS\n" in text


def test_names_with_chinese_characters_and_spaces(tmp_path):
    built = small_site(tmp_path / "output")
    copy = Path(shutil.copytree(built, tmp_path / "portal"))
    assert verify(str(copy), output=built)[0] == 0
    (copy / ODD).write_text("改过", encoding="utf-8")
    (copy / "名单 文件" / "李 四.html").write_text("多出", encoding="utf-8")
    code, text = verify(str(copy), output=built)
    assert code == 1
    assert f"（E002）：\n    {ODD}\n" in text and "\n    名单 文件/李 四.html\n" in text


def test_the_default_manifest_is_the_projects_output(project, tmp_path):
    built = small_site(project / "output")
    result = run_cli("verify", str(built), project=project)
    assert result.code == 0, result.output
    assert "output/SHA256SUMS 列出的 3 个文件完全一致" in result.stdout


def test_sums_names_the_manifest_file(tmp_path):
    built = small_site(tmp_path / "output")
    saved = tmp_path / "SHA256SUMS-2018-11-05"
    shutil.copy(built / "SHA256SUMS", saved)
    result = run_cli("verify", str(built), "--sums", str(saved))
    assert result.code == 0, result.output


@pytest.mark.parametrize("manifest, message", [
    (None, "找不到"),
    (b"abc  index.html\n", "第 1 行格式不对"),
    (b"0" * 64 + b"  ../../etc/passwd\n", "第 1 行格式不对"),
    (b"\n", "没有列出任何文件"),
])
def test_an_unusable_manifest_is_a_usage_error(tmp_path, manifest, message):
    sums = tmp_path / "SHA256SUMS"
    if manifest is not None:
        sums.write_bytes(manifest)
    result = run_cli("verify", str(tmp_path), "--sums", str(sums))
    assert result.code == 2
    assert "错误 E005：" in result.stderr and message in result.stderr and "处理办法：" in result.stderr


def test_a_folder_that_does_not_exist_is_a_usage_error_hinting_at_a_missing_scheme(tmp_path):
    built = small_site(tmp_path / "output")
    result = run_cli("verify", "www.example.gov.cn/gongshi/", "--output", str(built))
    assert result.code == 2
    assert "错误 E006：找不到文件夹 www.example.gov.cn/gongshi/" in result.stderr
    assert "请在前面加上 http:// 或 https://" in result.stderr


def test_sums_and_output_together_are_a_usage_error(tmp_path):
    result = run_cli("verify", str(tmp_path), "--sums", "a", "--output", "b")
    assert result.code == 2 and "不能与" in result.stderr


# ---------------------------------------------------------------------------- HTTP

class Handler(SimpleHTTPRequestHandler):
    """Serves a folder; records what the client sent; can compress unasked, or fail."""

    seen: ClassVar[list] = []
    force_gzip = False
    failing: ClassVar[dict] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.seen.append((self.path, dict(self.headers)))
        for name, status in self.failing.items():
            if self.path.endswith(name) and status == "cut":  # promise more than is sent
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<h1>")
                self.close_connection = True
                return
            if self.path.endswith(name):
                self.send_error(status)
                return
        if not self.force_gzip or self.path.endswith("/"):
            super().do_GET()
            return
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def http_site(tmp_path):
    """(base URL, folder): a small site served under /sub/dir/ on 127.0.0.1."""
    root = tmp_path / "www"
    folder = small_site(root / "sub" / "dir")

    class Recording(Handler):
        seen: ClassVar[list] = []
        force_gzip = False
        failing: ClassVar[dict] = {}

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Recording, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sub/dir/", folder, Recording
    server.shutdown()
    server.server_close()


def test_over_http_every_listed_file_is_fetched_under_the_base_path(http_site):
    base, folder, handler = http_site
    code, text = verify(base, output=folder)
    assert code == 0, text
    paths = {path for path, _ in handler.seen}
    assert "/sub/dir/%E5%90%8D%E5%8D%95%20%E6%96%87%E4%BB%B6/%E5%BC%A0%20%E4%B8%89%EF%BC%88%E5%A5%B3%EF%BC%89.html" \
        in paths
    assert {"/sub/dir/index.html", "/sub/dir/SHA256SUMS"} <= paths
    for _, headers in handler.seen:
        assert headers.get("Accept-Encoding") == "identity"
        assert "Cookie" not in headers


def test_over_http_a_base_without_its_final_slash_is_the_same_site(http_site):
    base, folder, _ = http_site
    assert verify(base.removesuffix("/"), output=folder)[0] == 0


def test_over_http_a_server_that_compresses_anyway_is_read_correctly(http_site):
    base, folder, handler = http_site
    handler.force_gzip = True
    code, text = verify(base, output=folder)
    assert code == 0, text


def test_over_http_missing_altered_and_failing_files(http_site):
    base, folder, handler = http_site
    built = Path(shutil.copytree(folder, folder.parent.parent / "built"))
    (folder / ODD).write_text("改过", encoding="utf-8")
    (folder / "index.html").unlink()
    (folder / "extra.html").write_text("多出", encoding="utf-8")  # not findable over HTTP
    handler.failing = {"SHA256SUMS": 403}
    code, text = verify(base, output=built)
    assert code == 1
    assert "  缺少 1 个文件（E001）：\n    index.html\n" in text
    assert f"  内容不同 1 个文件（E002）：\n    {ODD}\n" in text
    assert "  无法核对 1 个文件（E004）：\n    SHA256SUMS：服务器返回 HTTP 403\n" in text
    assert "extra.html" not in text


def test_over_http_a_connection_cut_short_cannot_be_checked(http_site):
    base, folder, handler = http_site
    handler.failing = {"index.html": "cut"}
    code, text = verify(base, output=folder)
    assert code == 1
    assert "  无法核对 1 个文件（E004）：\n    index.html：连接中断\n" in text


def test_over_http_the_wrong_address_says_nothing_was_found(http_site):
    base, folder, _ = http_site
    code, text = verify(base + "elsewhere/", output=folder)
    assert code == 1 and "一个文件也没有找到：网址可能写错了" in text


def test_an_unreachable_address_is_a_usage_error_in_chinese(tmp_path):
    built = small_site(tmp_path / "output")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli("verify", f"http://127.0.0.1:{port}/gongshi/", "--output", str(built))
    assert result.code == 2
    assert f"错误 E006：无法连接到 http://127.0.0.1:{port}/gongshi/（连接被拒绝" in result.stderr


def test_only_http_and_https_addresses(tmp_path):
    built = small_site(tmp_path / "output")
    result = run_cli("verify", "ftp://www.example.gov.cn/gongshi/", "--output", str(built))
    assert result.code == 2 and "不支持“ftp”网址" in result.stderr


def test_over_http_the_build_stamp_is_not_asked_for(http_site):
    """Many portals refuse names beginning with "."; the stamp is not for the public."""
    from gongshi.site.outdir import STAMP

    base, folder, handler = http_site
    (folder / STAMP).write_text("gongshi-site\n", encoding="utf-8")
    (folder / "SHA256SUMS").unlink()
    (folder / "SHA256SUMS").write_bytes(sha256sums(folder))
    handler.failing = {STAMP: 403}
    code, text = verify(base, output=folder)
    assert code == 0, text
    assert not any(path.endswith(STAMP) for path, _ in handler.seen)
    assert verify(str(folder), output=folder)[0] == 0  # in a folder it is checked like any file
