"""`gongshi verify` against a real nginx, and the README's nginx snippet as that nginx's config.

The snippet is taken from README.md ("部署到门户网站"), pointed at a private copy of the site
built for /gongshi/, and served: its headers are what the README promises (UTF-8, gzip,
long caching for static/ only, the site's 404 page). verify finds the copy identical, then
names a file altered and a file deleted in the served folder.
"""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request

import pytest
from conftest import run_cli

from .conftest import REPO, build_copy, start_nginx, stop_process_group

pytestmark = pytest.mark.nginx

README_BASE = "/gongshi/"
README_FOLDER = "/var/www/gongshi/"


def readme_nginx_snippet() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```nginx\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, "README.md should have exactly one nginx block"
    return blocks[0]


@pytest.fixture(scope="session")
def readme_nginx(tmp_path_factory):
    """nginx configured with the README's snippet, serving a copy built for /gongshi/."""
    output = build_copy(tmp_path_factory.mktemp("readme-site") / "project", "--base-url", README_BASE)
    snippet = readme_nginx_snippet()
    assert snippet.count(README_FOLDER) == 1
    locations = snippet.replace(README_FOLDER, f"{output}/") + "\n    location / {\n      return 404;\n    }\n"
    mount, process = start_nginx(tmp_path_factory.mktemp("nginx-readme"), output, README_BASE, locations)
    yield mount
    stop_process_group(process)


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def verify(target: str, output) -> tuple[int, str]:
    result = run_cli("verify", target, "--output", str(output))
    return result.code, result.output


def test_verify_finds_each_mount_identical(mount):
    code, text = verify(mount.url(), mount.output)
    assert code == 0, text
    assert "核对通过" in text


@pytest.mark.parametrize("path, kind", [
    ("2018-mofan/gongshi/index.html", "text/html"), ("static/css/site.css", "text/css"),
    ("static/js/site.js", "application/javascript"), ("2018-mofan/downloads/gongshi.json", "application/json"),
    ("2018-mofan/downloads/gongshi.csv", "text/csv"), ("feed.xml", "text/xml"), ("SHA256SUMS", "text/plain"),
])
def test_readme_config_declares_utf8_compresses_and_caches_as_documented(readme_nginx, path, kind):
    status, headers, body = get(readme_nginx.url(path), **{"Accept-Encoding": "gzip"})
    assert status == 200, path
    assert headers["Content-Type"] == f"{kind}; charset=utf-8", path
    if len((readme_nginx.output / path).read_bytes()) > 1000:
        assert headers.get("Content-Encoding") == "gzip", path
        assert gzip.decompress(body) == (readme_nginx.output / path).read_bytes()
    cache = headers.get_all("Cache-Control")
    if path.startswith("static/"):
        assert cache == ["public, max-age=31536000, immutable"], path
    else:
        assert cache == ["no-cache"], path


def test_the_page_weight_the_build_reports_is_what_the_readme_nginx_sends(readme_nginx):
    """The build's report (页面大小：…压缩后连同样式和脚本共 … KB) is the 公示 page and the styles
    and script it loads as this nginx sends them, compressed, to a reader."""
    from gongshi.load.loader import load_site
    from gongshi.pipeline import page_weights

    site = load_site(readme_nginx.output.parent).site
    weights = page_weights(readme_nginx.output, site)
    assert list(weights) == ["2018-mofan/gongshi/index.html"]
    sent = 0
    for path in ["2018-mofan/gongshi/index.html", "static/css/site.css", "static/css/print.css", "static/js/site.js"]:
        status, headers, body = get(readme_nginx.url(path), **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip", path
        sent += len(body)
    assert abs(weights["2018-mofan/gongshi/index.html"] - sent) <= sent * 0.01, (weights, sent)


def test_readme_config_answers_a_missing_page_with_the_sites_404(readme_nginx):
    for missing in ("no-such-page.html", "2018-mofan/units/no-such-unit/", "static/no-such.css"):
        status, _, body = get(readme_nginx.url(missing))
        assert status == 404, missing
        assert "页面不存在" in body.decode("utf-8"), missing
    status, _, body = get(readme_nginx.url("2018-mofan/notice/"))
    assert status == 200 and "<h1" in body.decode("utf-8")


def test_verify_against_the_readme_nginx_before_and_after_altering_a_file(readme_nginx):
    output = readme_nginx.output
    code, text = verify(readme_nginx.url(), output)
    assert code == 0, text

    page = output / "2018-mofan" / "gongshi" / "index.html"
    feed = output / "feed.xml"
    original_page, original_feed = page.read_bytes(), feed.read_bytes()
    try:
        page.write_bytes(original_page.replace("公示".encode(), "公告".encode(), 1))
        feed.unlink()
        code, text = verify(readme_nginx.url(), output)
        assert code == 1, text
        assert "  缺少 1 个文件（E001）：\n    feed.xml\n" in text
        assert "  内容不同 1 个文件（E002）：\n    2018-mofan/gongshi/index.html\n" in text
        code, text = verify(readme_nginx.url().removesuffix("/"), output)  # the base path is kept
        assert code == 1 and "2018-mofan/gongshi/index.html" in text
    finally:
        page.write_bytes(original_page)
        feed.write_bytes(original_feed)
    code, text = verify(readme_nginx.url(), output)
    assert code == 0, text
