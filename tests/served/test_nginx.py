"""The built site behind a real nginx, at the root and under /portal/gongshi/.

Crawls every internal href/src from the front page, fetches each one, and checks that no
link leaves the base path; a missing address gets the site's own 404 page, whose links and
stylesheet still work from wherever it is shown (they are absolute paths).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.nginx

NON_HTTP_SCHEMES = ("tel", "mailto")


class LinkParser(HTMLParser):
    """Collects every href/src (with its tag), every id, and the h1 texts of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))
            elif name == "id" and value:
                self.ids.add(value)
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def parse(html: str) -> LinkParser:
    parser = LinkParser()
    parser.feed(html)
    parser.close()
    return parser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a link that needs a redirect is reported, not silently followed


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str) -> Fetched:
    try:
        with _opener.open(url, timeout=10) as response:
            return Fetched(url, response.status, response.headers.get("Content-Type", ""),
                           response.read())
    except urllib.error.HTTPError as error:
        return Fetched(url, error.code, error.headers.get("Content-Type", ""), error.read())


def without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def check_link(mount, page_url: str, page: LinkParser, tag: str, attribute: str,
               value: str) -> str | None:
    """Return the URL to fetch for an internal link, None for others; fail on bad links."""
    where = f"<{tag} {attribute}=\"{value}\"> on {page_url}"
    parts = urlsplit(value)
    if parts.scheme in NON_HTTP_SCHEMES:
        return None
    if value.startswith("#"):
        assert value[1:] in page.ids, f"{where}: no element with id {value[1:]!r} on that page"
        return None
    if parts.scheme or parts.netloc:
        absolute = urlsplit(urljoin(page_url, value))
        if absolute.netloc != urlsplit(mount.origin).netloc:
            return None  # a link to another site; not ours to crawl
        pytest.fail(f"{where}: a full URL to our own host; links should be absolute paths", pytrace=False)
    assert value.startswith("/"), (
        f"{where}: a relative link; links must be absolute paths under {mount.base} "
        "so they work from any page (and from the 404 page at any depth)")
    assert value.startswith(mount.base), f"{where}: escapes the base path {mount.base}"
    return without_fragment(urljoin(page_url, value))


def crawl(mount, extra_starts=()) -> tuple[dict[str, Fetched], set[str]]:
    """Fetch the front page and everything reachable through internal href/src.

    Returns every fetched URL, and the set of URLs reached from the front page alone
    (`extra_starts` are crawled afterwards, so pages nothing links to are checked too).
    """
    start = mount.url()
    seen: dict[str, Fetched] = {}
    found_on: dict[str, str] = {start: "(start)"}
    queue = deque([start])
    from_front: set[str] = set()
    for seeds in ([], list(extra_starts)):
        for seed in seeds:
            if seed not in found_on:
                found_on[seed] = "(not linked; crawled as a start page)"
                queue.append(seed)
        while queue:
            url = queue.popleft()
            got = fetch(url)
            seen[url] = got
            assert got.status == 200, f"{url} (linked from {found_on[url]}): HTTP {got.status}, expected 200"
            if not got.content_type.startswith("text/html"):
                continue
            page = parse(got.text)
            for tag, attribute, value in page.links:
                target = check_link(mount, url, page, tag, attribute, value)
                if target is not None and target not in found_on:
                    found_on[target] = url
                    queue.append(target)
        if not seeds:
            from_front = set(seen)
    return seen, from_front


def built_pages(mount) -> set[str]:
    """URL paths of every built page except 404.html."""
    return {mount.base + path.relative_to(mount.output).as_posix().removesuffix("index.html")
            for path in mount.output.rglob("*.html") if path.name != "404.html"}


def test_every_internal_link_and_asset_is_served_under_the_base_path(mount):
    built = built_pages(mount)
    seen, from_front = crawl(mount, extra_starts=[mount.origin + path for path in sorted(built)])

    pages = {urlsplit(url).path for url, got in seen.items() if got.content_type.startswith("text/html")}
    assert sorted(pages - built) == [], "crawled pages that are not in the build output"
    unreached = built - {urlsplit(url).path for url in from_front}
    assert sorted(unreached) == [], "built pages that no link reaches from the front page"

    stylesheets = [url for url in seen if urlsplit(url).path.endswith(".css")]
    assert stylesheets, "no stylesheet was linked from any page"
    for url in stylesheets:
        assert seen[url].content_type.startswith("text/css"), f"{url}: Content-Type {seen[url].content_type}"
    for url, got in seen.items():
        if got.content_type.startswith("text/html"):
            h1 = parse(got.text).h1
            assert len(h1) == 1, f"{url}: {len(h1)} <h1> elements: {h1}"


@pytest.mark.parametrize("missing", ["no-such-page.html", "2018-mofan/units/no-such-unit/",
                                     "2018-mofan/notice/deeper/still/"])
def test_missing_address_gets_the_sites_own_404_page_with_working_links(mount, missing):
    url = mount.url(missing)
    got = fetch(url)
    assert got.status == 404, f"{url}: HTTP {got.status}, expected 404"
    assert got.content_type.startswith("text/html"), f"{url}: Content-Type {got.content_type}"
    page = parse(got.text)
    assert page.h1 == ["页面不存在"], f"{url}: not the site's own 404 page (h1 {page.h1})"
    assert "示例数据" in got.text, "the sample-data banner is missing on the 404 page"

    targets = [check_link(mount, url, page, *link) for link in page.links]
    targets = [t for t in targets if t is not None]
    assert any(urlsplit(t).path.endswith(".css") for t in targets), "the 404 page links no stylesheet"
    assert mount.url() in targets, "the 404 page has no link to the front page"
    for target in targets:
        linked = fetch(target)
        assert linked.status == 200, f"{target} (linked from the 404 page at {url}): HTTP {linked.status}"


def test_the_portal_mount_only_answers_under_its_sub_path(nginx_sub):
    """Under /portal/gongshi/ nothing of ours is at the host root (the portal owns it)."""
    for path in ("/index.html", "/2018-mofan/", "/static/css/site.css"):
        got = fetch(nginx_sub.origin + path)
        assert got.status == 404, f"{path} outside {nginx_sub.base}: HTTP {got.status}, expected 404"
