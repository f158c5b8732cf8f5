"""The later stages in a real browser: the 决定 page, the closed 公示, the front page with two
announcements and a unit page of the notice stage, served by nginx. axe-core finds nothing on
any of their pages at a phone's width, nor on the 决定 page at a phone's and a desktop's width
at either text size (the 2019 sample's short 决定 list; the 2018 one, some 500 names, with every
page at a phone's width); nothing is wider than the window at a phone's width, nor at a
desktop's with the largest text size; and each is screenshotted for people to look at
(test-artifacts/screenshots/stage-*.png). The pages are measured by the sweeps (sweeps.py).

The builds are tests/test_stages.py's (conftest.every_stage): the bundled project with the 2018
announcement's 决定 added (conftest.add_2018_decision), built on 2019-05-20, when both
announcements have their 决定, and on 2019-03-20, when the 2019 one is in its notice stage.
"""

from __future__ import annotations

import pytest

from .sweeps import EVERY_PAGE, SETTINGS, STAGE_SHOTS, TEMPLATE_PAGES, Setting, at

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

BUILDS = ("decided", "notice")


@pytest.mark.parametrize("setting", at("stages", EVERY_PAGE))
def test_later_stages_are_accessible(sweep, setting):
    """Every page of both builds but 404.html (the notice build's only where its HTML differs
    from the decided build's): the front and search pages, and every page of both
    announcements."""
    problems = {}
    for build in BUILDS:
        found = sweep(build, setting)
        violations = found.found("axe")
        assert "/2018-mofan/decision/" in violations or build == "notice"
        assert "/2019-shili/notice/" in violations and "/" in violations
        problems |= {f"{build} {path}": v for path, v in violations.items() if v}
        found.assert_clean()
    assert problems == {}


@pytest.mark.parametrize("setting", at("stages", *SETTINGS))
def test_the_decision_page_is_accessible_at_any_width_and_text_size(sweep, setting):
    found = sweep("decided", setting)
    violations = found.found("axe")
    assert set(TEMPLATE_PAGES["decided"]) <= set(violations)
    assert {path: v for path, v in violations.items() if v} == {}
    found.assert_clean()


@pytest.mark.parametrize("setting", at("stages", Setting(375), Setting(1280, "xlarge")))
def test_later_stages_fit_the_window(sweep, setting):
    problems = {}
    for build in BUILDS:
        wide = sweep(build, setting).found("wide")
        assert len(wide) > 5 or build == "notice", sorted(wide)
        problems |= {f"{build} {path}": w for path, w in wide.items() if w["scroll"] > 0 or w["bad"]}
    assert problems == {}


@pytest.mark.parametrize("setting", at("stages", Setting(375), Setting(1280)))
def test_screenshots_of_the_later_stages(sweep, setting):
    for build in BUILDS:
        found = sweep(build, setting)
        assert sorted(found.found("screenshot")) == sorted(STAGE_SHOTS[build])
        found.assert_clean()


def test_the_decision_page_reads_as_a_document_with_its_list(stage_sites, visit):
    """文号 under the issuer, the list filterable as the 公示's is, the 变更说明 linked from the
    closed 公示."""
    from playwright.sync_api import expect
    visitor = visit(stage_sites["decided"].origin, width=375)
    page = visitor.page
    visitor.open("/2018-mofan/gongshi/")
    page.get_by_role("link", name="变更说明").click()
    page.wait_for_url("**/2018-mofan/decision/#changes")
    expect(page.locator("#changes li")).to_have_count(2)
    issuer, number = (page.locator(sel).bounding_box() for sel in (".doc-issuer", ".doc-number"))
    assert number["y"] > issuer["y"]
    page.get_by_label("查找姓名或单位").fill("陆璐")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q')")
    visible = page.locator("tr[data-search]:visible")
    expect(visible).to_have_count(1)
    assert "工会副主席" in visible.inner_text()
    assert page.locator("a[href^='mailto:'][href*='subject=']").count() == 0
    visitor.assert_clean()
