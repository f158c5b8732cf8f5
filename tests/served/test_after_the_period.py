"""A 公示 page built while objections are open, read after the period: the page script
(static/js/site.js) shows what a page built after the period shows, so no one is invited to
object after the deadline, on screen or on paper. Read on an open day, or before the first day
by a clock behind the build, the page keeps the objection channel.

The bundled project built on 2018-11-07 (period 2018-11-05…09), served by nginx, read with the
browser's clock set (page.clock) before the page loads; the split list (pages.LIST_PAGE_ROWS
lowered) for the pages of a split list. A build before the 公示 (the notice stage) has no page
the script keeps current: tests/test_stages.py. The closed state is screenshotted to
test-artifacts/screenshots/period-closed-*.png.
"""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

OPEN_DAY = "2018-11-08T10:00:00+08:00"
AFTER = "2018-11-20T09:00:00+08:00"
BEFORE = "2018-11-01T10:00:00+08:00"  # a reader's clock behind the build
GONGSHI = "2018-mofan/gongshi/"
UNIT = "2018-mofan/units/qinyang/"
CLOSED_TEXT = "公示已经结束，不再受理异议。"

# What invites an objection, each a locator of the page.
INVITATIONS = {
    "异议 links": "a:text-is('异议')",
    "异议 column": ".col-objection",
    "objection sections": "section.objection-top, section.objection-bottom",
    "如有异议": "text=如有异议",
    "有异议请联系": "text=有异议请联系",
    "公示受理": "text=公示受理",
}


def reader(visit, mount, day: str, path: str, width: int = 1280):
    visitor = visit(mount.origin, width=width)
    visitor.page.clock.set_fixed_time(day)
    visitor.open(mount.base + path)
    return visitor


def visible(page, selector: str) -> int:
    """How many elements matching `selector` are visible (Playwright's is_visible), counted in
    the page at once: one question to the browser, not one for each of 500 rows."""
    return page.locator(selector).filter(visible=True).count()


def invitations_shown(page) -> dict[str, int]:
    return {name: n for name, selector in INVITATIONS.items() if (n := visible(page, selector))}


def assert_group_rows_span_the_columns(page) -> None:
    """Each unit's heading row spans exactly the header cells shown."""
    spans = page.evaluate("""() => [...document.querySelectorAll('table.recipients')].map(t => [
        t.querySelectorAll('thead th:not([hidden])').length,
        [...t.querySelectorAll('.group-row > td')].map(td => td.colSpan)])""")
    assert spans and all(spans_ == [columns] * len(spans_) for columns, spans_ in spans), spans


def test_on_an_open_day_the_page_invites_objections(nginx_root, visit):
    visitor = reader(visit, nginx_root, OPEN_DAY, GONGSHI)
    page = visitor.page
    assert visible(page, "td.col-objection a:text-is('异议')") > 400
    assert visible(page, "section.objection-top") == visible(page, "section.objection-bottom") == 1
    assert visible(page, "section.period-closed") == 0 and visible(page, f"text={CLOSED_TEXT}") == 0
    assert "公示受理：" in page.locator(".site-footer").inner_text()
    assert set(page.locator(".js-status-label").all_inner_texts()) == {"公示中（还剩 2 个工作日）"}
    assert_group_rows_span_the_columns(page)
    visitor.open(nginx_root.base + UNIT)
    assert visible(page, ".compact-contact") == 1 and "有异议请联系" in page.locator(".compact-contact:visible").inner_text()
    visitor.assert_clean()


def test_a_clock_before_the_first_day_keeps_the_channel(nginx_root, visit):
    """The page was built on an open day: a reader whose clock is behind sees it as built,
    labelled 未开始, never the closed text."""
    visitor = reader(visit, nginx_root, BEFORE, GONGSHI)
    page = visitor.page
    assert visible(page, "td.col-objection a:text-is('异议')") > 400
    assert visible(page, "section.objection-top") == 1 and visible(page, "section.period-closed") == 0
    assert set(page.locator(".js-status-label:visible").all_inner_texts()) == {"未开始"}
    visitor.assert_clean()


@pytest.mark.parametrize("media", ["screen", "print"])
def test_after_the_period_nothing_invites_an_objection(nginx_root, visit, media):
    visitor = reader(visit, nginx_root, AFTER, GONGSHI)
    page = visitor.page
    page.emulate_media(media=media)
    assert invitations_shown(page) == {}
    closed = page.locator("section.period-closed")
    assert closed.is_visible()
    assert "公示时间：2018年11月5日至9日（已结束）" in closed.inner_text()
    assert "表彰决定印发后，最终名单将在本站公布。" in closed.inner_text()
    # hidden (not only styled away), so a screen reader reads the same state
    assert page.locator("[data-while='open']:not([hidden])").count() == 0
    assert page.locator("[data-while='closed'][hidden]").count() == 0
    assert page.locator("tr[data-search]").count() > 400  # the list as published
    assert_group_rows_span_the_columns(page)
    if media == "screen":
        assert set(page.locator(".js-status-label").all_inner_texts()) == {"已结束"}
        assert "联系：" in page.locator(".site-footer").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "period-closed-gongshi-1280.png"), full_page=False)
        page.evaluate("() => document.querySelector('section.category').scrollIntoView()")
        page.screenshot(path=str(SCREENSHOTS / "period-closed-gongshi-list-1280.png"), full_page=False)
    visitor.assert_clean()


def test_after_the_period_the_unit_page_and_the_others_say_it_is_over(nginx_root, visit):
    visitor = reader(visit, nginx_root, AFTER, UNIT, width=375)
    page = visitor.page
    assert invitations_shown(page) == {}
    contact = page.locator(".compact-contact:visible")
    assert contact.count() == 1
    assert contact.inner_text() == f"公示时间：2018年11月5日至9日（已结束）。{CLOSED_TEXT}"
    assert "联系：" in page.locator(".site-footer").inner_text()
    assert_group_rows_span_the_columns(page)
    page.screenshot(path=str(SCREENSHOTS / "period-closed-unit-375.png"), full_page=False)
    for path, status in (("", 200), ("2018-mofan/", 200), ("2018-mofan/notice/", 200),
                         ("2018-mofan/units/", 200), ("search/", 200), ("no-such-page/", 404)):
        visitor.open(nginx_root.base + path, status=status)
        assert invitations_shown(page) == {}, path
        assert "联系：" in page.locator(".site-footer").inner_text(), path
        for box in page.locator(".status").all():
            assert "status-closed" in box.get_attribute("class").split(), path
    visitor.assert_clean()


def test_after_the_period_a_page_of_a_split_list_says_it_is_over(split_site, visit):
    visitor = reader(visit, split_site, AFTER, GONGSHI)
    page = visitor.page
    page.locator(".toc-split a").first.click()
    page.wait_for_load_state()
    assert "/gongshi/" in page.url and page.url.rstrip("/") != split_site.url(GONGSHI).rstrip("/")
    assert invitations_shown(page) == {}
    closed = page.locator("section.period-closed")
    assert closed.is_visible() and CLOSED_TEXT in closed.inner_text() and "（已结束）" in closed.inner_text()
    assert_group_rows_span_the_columns(page)
    visitor.assert_clean()
