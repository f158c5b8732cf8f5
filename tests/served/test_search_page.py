"""The site-wide search page (search/) in Chromium through nginx, at the root and under a sub-path.

What the browser shows is compared with the Python reference client (tests/support/search_client.py,
SearchIndex) run on the same built files: the same results, the same count, and the same
index files fetched. A build without a search page fails the test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from support.search_client import SearchIndex

from gongshi.load.loader import load_site
from gongshi.load.stages import published
from gongshi.site.search import pinyin_forms
from gongshi.site.search_index import RESULTS

from .conftest import FIXED_DAY, REPO
from .sweeps import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

SEARCH = "search/"
NOTHING = "没有这个人qqqq"


def index_files(output: Path) -> dict[str, bytes]:
    if not (output / "search" / "manifest.json").is_file() or not (output / "search" / "index.html").is_file():
        pytest.fail("the build published no search page (output/search/index.html and "
                    "output/search/manifest.json)", pytrace=False)
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in (output / "search").glob("*.json")}


@pytest.fixture(scope="module")
def person():
    """A person of the bundled data whose initials find a short list: (name, initials, unit name)."""
    site = load_site(REPO).site
    for recipient in site.announcements[0].recipients:
        if recipient.category.is_person and len(recipient.name) == 3:
            return recipient.name, pinyin_forms(recipient.name, surname=True)[1], recipient.unit.name
    pytest.fail("no three-character name in the bundled data")


def status_text(found) -> str:
    """What search.js writes in the live region for `found`."""
    if found.exact:
        return f"找到 {found.count:,} 条"
    if found.partial:
        return f"已找到 {found.count:,} 条，还有记录没有查完"
    return f"找到超过 {len(found.records):,} 条"


def result_names(page) -> list[str]:
    return page.locator(".search-results .entry-title").all_inner_texts()


def type_query(page, text: str) -> None:
    page.get_by_label("姓名、单位或拼音").fill(text)
    page.wait_for_function("q => (new URL(location.href).searchParams.get('q') || '') === q", arg=text)


def test_initials_and_hanzi_find_the_person_and_the_link_opens_the_unit_page(mount, visit, person):
    files = index_files(mount.output)
    name, initials, unit = person
    visitor = visit(mount.origin)
    fetched: list[str] = []
    visitor.page.on("request", lambda r: fetched.append(urlsplit(r.url).path)
                    if "/search/" in r.url and r.url.endswith(".json") else None)
    visitor.open(mount.base + SEARCH)
    page = visitor.page
    expect(page.locator(".search-needs-js")).to_be_hidden()
    status = page.get_by_role("status")

    type_query(page, initials)
    reference = SearchIndex(files)
    found = reference.search(initials)
    expect(status).to_have_text(status_text(found))
    assert found.exact and name in [r["name"] for r in found.records]
    expect(page.locator(".search-results a")).to_have_count(len(found.records))
    assert result_names(page) == [r["name"] for r in found.records]
    assert sorted(set(fetched)) == sorted(mount.base + p for p in reference.fetched), (
        "the browser fetched other index files than the reference client predicts")

    type_query(page, name)
    found = SearchIndex(files).search(name)
    expect(status).to_have_text(status_text(found))
    assert name in result_names(page)
    link = page.locator(".search-results a").filter(has_text=name).first
    expect(link).to_contain_text(unit)
    href = link.get_attribute("href")
    assert href.startswith(mount.base) and "/units/" in href

    page.reload()
    expect(page.get_by_label("姓名、单位或拼音")).to_have_value(name)
    expect(status).to_have_text(status_text(found))

    page.locator(".search-results a").filter(has_text=name).first.click()
    page.wait_for_url("**/units/**")
    expect(page.locator("h1")).to_have_text(unit)
    # The result opens the unit page at the person's own row, highlighted (:target).
    anchor = urlsplit(page.url).fragment
    target = page.locator(f"tr[id='{anchor}']")
    expect(target.locator(".name")).to_have_text(name)
    assert page.evaluate("id => document.querySelector(':target') === document.getElementById(id)", anchor)
    expect(target).to_be_in_viewport()

    page.go_back()
    expect(page.get_by_label("姓名、单位或拼音")).to_have_value(name)
    expect(page.locator(".search-results .entry-title").filter(has_text=name).first).to_be_visible()
    expect(status).to_have_text(status_text(found))
    visitor.assert_clean()


def test_no_match_is_said_plainly(nginx_root, visit):
    index_files(nginx_root.output)
    visitor = visit(nginx_root.origin, width=375)
    visitor.open(nginx_root.base + SEARCH)
    page = visitor.page
    type_query(page, NOTHING)
    expect(page.get_by_role("status")).to_have_text("找到 0 条")
    expect(page.locator(".search-empty")).to_be_visible()
    expect(page.locator(".search-results")).to_be_hidden()
    expect(page.locator(".search-more")).to_be_hidden()

    type_query(page, "")
    expect(page.locator(".search-empty")).to_be_hidden()
    assert "q=" not in page.url
    visitor.assert_clean()


def test_a_query_in_the_address_is_searched_on_arrival(nginx_sub, visit, person):
    files = index_files(nginx_sub.output)
    name, initials, _ = person
    visitor = visit(nginx_sub.origin)
    visitor.open(nginx_sub.base + SEARCH + "?q=" + initials.upper())
    page = visitor.page
    expect(page.get_by_label("姓名、单位或拼音")).to_have_value(initials.upper())
    found = SearchIndex(files).search(initials)
    expect(page.get_by_role("status")).to_have_text(status_text(found))
    assert name in result_names(page)
    visitor.assert_clean()


def test_show_more_adds_the_next_results_and_moves_focus_to_them(nginx_root, visit):
    files = index_files(nginx_root.output)
    visitor = visit(nginx_root.origin)
    visitor.open(nginx_root.base + SEARCH)
    page = visitor.page
    query = "工会"
    type_query(page, query)
    found = SearchIndex(files).search(query, limit=2 * RESULTS)
    assert found.exact and found.count > 2 * RESULTS, "pick a query with more than two pages"
    expect(page.locator(".search-results a")).to_have_count(RESULTS)
    more = page.get_by_role("button", name="显示更多")
    more.click()
    expect(page.locator(".search-results a")).to_have_count(2 * RESULTS)
    assert result_names(page) == [r["name"] for r in found.records]
    focused = page.evaluate("() => [...document.querySelectorAll('.search-results a')].indexOf(document.activeElement)")
    assert focused == RESULTS, "focus should move to the first added result"
    expect(page.get_by_role("status")).to_have_text(status_text(found))
    visitor.assert_clean()


def test_a_long_query_not_checked_to_the_end_says_more_than(nginx_root, visit):
    files = index_files(nginx_root.output)
    query = "焦作市优秀工会"
    found = SearchIndex(files).search(query)
    assert not found.exact and not found.partial and found.more
    visitor = visit(nginx_root.origin)
    visitor.open(nginx_root.base + SEARCH)
    page = visitor.page
    type_query(page, query)
    expect(page.get_by_role("status")).to_have_text(f"找到超过 {RESULTS} 条")
    assert result_names(page) == [r["name"] for r in found.records]
    expect(page.get_by_role("button", name="显示更多")).to_be_visible()
    visitor.assert_clean()


def test_results_are_accessible_and_fit_a_small_phone(nginx_root, visit, axe_script):
    index_files(nginx_root.output)
    visitor = visit(nginx_root.origin, width=320, height=700)
    visitor.open(nginx_root.base + SEARCH)
    page = visitor.page
    type_query(page, "工会委员会")
    expect(page.get_by_role("button", name="显示更多")).to_be_visible()
    assert run_axe(page, axe_script) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    small = page.evaluate("""() => [...document.querySelectorAll('.site-search a, .site-search button, .site-search input')]
        .map(el => [el.textContent.trim().slice(0, 12), el.getBoundingClientRect()])
        .filter(([, r]) => r.width && (r.height < 44 || r.width < 44))
        .map(([text, r]) => `${text} ${r.width}x${r.height}`)""")
    assert small == [], "touch targets under 44 px"
    visitor.assert_clean()


def test_without_javascript_the_page_says_so_and_links_to_every_list(nginx_root, browser):
    index_files(nginx_root.output)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(nginx_root.url(SEARCH))
    expect(page.locator(".search-needs-js")).to_be_visible()
    expect(page.locator(".search-form")).to_be_hidden()
    expect(page.locator("h1")).to_have_count(1)
    site = load_site(REPO).site
    for announcement, _ in published(site, dt.date.fromisoformat(FIXED_DAY)):  # those of the build day
        expect(page.get_by_role("link", name=f"{announcement.short_title} 公示名单")).to_be_visible()
    page.get_by_role("link", name=f"{site.announcements[0].short_title} 推荐单位").click()
    expect(page.locator("h1")).to_have_text("推荐单位")
    assert page.locator(".unit-list a").count() == len(site.announcements[0].units)
    context.close()
