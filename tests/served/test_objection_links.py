"""The 异议 links as a reader's browser has them (gongshi/site/objection.py, static/js/site.js):
built with address and subject only, the page carrying the body once; after the page loads,
each row's link has the body too, and it is objection_body(). After the period the script
adds nothing and no link shows. Without JavaScript the link still opens a mail with address
and subject, and the sentence beside the objection channel says what to write.

The bundled project built on 2018-11-07 (period 2018-11-05…09), served by nginx at the root,
and the split list (pages.LIST_PAGE_ROWS lowered); the browser's clock set before the page loads.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from gongshi.site.objection import OBJECTION_HINT, objection_body

from .conftest import READING_DAY, REPO
from .test_after_the_period import AFTER, reader, visible

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

GONGSHI = "2018-mofan/gongshi/"
UNIT = "2018-mofan/units/qinyang/"

ROW_LINKS_JS = "() => [...document.querySelectorAll('td.col-objection a')].map(a => a.getAttribute('href'))"


@pytest.fixture(scope="module")
def body() -> str:
    """The body the bundled 2018 announcement's links should carry, as a mail program reads it."""
    from gongshi.load.loader import load_site
    site = load_site(REPO).site
    assert site is not None
    announcement = next(a for a in site.announcements if a.slug == "2018-mofan")
    return objection_body(announcement.public).replace("\n", "\r\n")


def fields(href: str) -> dict[str, list[str]]:
    assert href.startswith("mailto:jzmgb@126.com?"), href
    return parse_qs(urlsplit(href).query)


def assert_every_link_has_the_body(page, body: str) -> int:
    hrefs = page.evaluate(ROW_LINKS_JS)
    assert hrefs
    for href in hrefs:
        query = fields(href)
        assert list(query) == ["subject", "body"] and query["body"] == [body], href
        assert href.count("&body=") == 1
    return len(hrefs)


@pytest.mark.parametrize("path", [GONGSHI, UNIT])
def test_after_loading_each_row_link_has_the_body(nginx_root, visit, body, path):
    visitor = visit(nginx_root.origin)  # read on READING_DAY, inside the period
    visitor.open(nginx_root.base + path)
    page = visitor.page
    rows = assert_every_link_has_the_body(page, body)
    assert rows == page.locator("tr[data-search]").count()
    assert visible(page, "td.col-objection a:text-is('异议')") == rows
    assert page.locator(".objection-hint").inner_text() == OBJECTION_HINT
    assert page.locator(".objection-hint").is_visible()
    # the first row's link, as the reader's click hands it to the mail program
    first = fields(page.locator("td.col-objection a").first.get_attribute("href"))
    assert "“" in first["subject"][0] and first["body"][0].startswith("市总民主管理指导部：\r\n")
    visitor.assert_clean()


def test_after_loading_a_page_of_a_split_list_has_the_body_in_its_links(split_site, visit, body):
    visitor = visit(split_site.origin)
    visitor.open(split_site.base + GONGSHI)
    page = visitor.page
    assert page.locator("td.col-objection a").count() == 0  # the index: no rows
    assert page.locator(".objection-hint").is_visible()
    page.locator(".toc-split a").first.click()
    page.wait_for_load_state()
    assert_every_link_has_the_body(page, body)
    visitor.assert_clean()


def test_after_the_period_no_body_is_added_and_no_link_shows(nginx_root, visit):
    for path in (GONGSHI, UNIT):
        visitor = reader(visit, nginx_root, AFTER, path)
        page = visitor.page
        hrefs = page.evaluate(ROW_LINKS_JS)
        assert len(hrefs) > (400 if path == GONGSHI else 5)
        assert [href for href in hrefs if "body=" in href] == [], path
        assert list(fields(hrefs[0])) == ["subject"]
        assert visible(page, "td.col-objection a") == 0, path
        assert visible(page, ".objection-hint") == 0, path
        visitor.assert_clean()


def test_without_javascript_the_link_has_address_and_subject_and_the_sentence_shows(nginx_root, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.clock.set_fixed_time(READING_DAY)
    page.goto(nginx_root.url(GONGSHI))
    hrefs = page.evaluate(ROW_LINKS_JS)
    assert len(hrefs) > 400 and all(list(fields(href)) == ["subject"] for href in hrefs)
    assert page.locator(".objection-hint").inner_text() == OBJECTION_HINT
    assert page.locator(".objection-hint").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".objection-hint").is_hidden()  # on paper there is no link to follow
    context.close()
