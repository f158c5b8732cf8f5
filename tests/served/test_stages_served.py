"""The later stages in a real browser: the 决定 page, the closed 公示, the front page with two
announcements and a unit page of the notice stage, served by nginx. axe-core finds nothing on
any of their pages at a phone's and a desktop's width (the largest text size on the desktop),
nothing scrolls sideways, and each is screenshotted for people to look at
(test-artifacts/screenshots/stage-*.png).

The bundled project is built with the 2018 announcement's 决定 added (conftest.add_2018_decision)
on 2019-05-20, when both announcements have their 决定, and on 2019-03-20, when the 2019 one is
in its notice stage.
"""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS, start_nginx, stop_process_group
from .test_list_reading import WIDER_THAN_VIEWPORT_JS, page_paths
from .test_public_pages import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

DAYS = {"decided": "2019-05-20", "notice": "2019-03-20"}
SHOTS = {  # name: (build, path)
    "stage-front": ("decided", "/"),
    "stage-2018-decision": ("decided", "/2018-mofan/decision/"),
    "stage-2018-gongshi-closed": ("decided", "/2018-mofan/gongshi/"),
    "stage-2018-unit-decided": ("decided", "/2018-mofan/units/qinyang/"),
    "stage-2019-decision": ("decided", "/2019-shili/decision/"),
    "stage-2019-front-notice": ("notice", "/"),
    "stage-2019-unit-notice": ("notice", "/2019-shili/units/yiqu/"),
}


@pytest.fixture(scope="module")
def stage_sites(tmp_path_factory):
    from conftest import add_2018_decision, copy_project, run_cli
    home = tmp_path_factory.mktemp("stages")
    project = add_2018_decision(copy_project(home / "project"))
    mounts, processes = {}, []
    for name, day in DAYS.items():
        output = home / f"output-{name}"
        result = run_cli("build", "--today", day, "--output", str(output), project=project)
        assert result.code == 0, result.output
        mount, process = start_nginx(home / f"nginx-{name}", output, "/")
        mounts[name] = mount
        processes.append(process)
    yield mounts
    for process in processes:
        stop_process_group(process)


@pytest.fixture(scope="module")
def axe_script():
    from axe_playwright_python.sync_playwright import Axe
    return Axe().axe_script


@pytest.mark.parametrize("width, size", [(375, "normal"), (1280, "xlarge")])
def test_later_stages_are_accessible_and_fit(stage_sites, visit, axe_script, width, size):
    """Every page of both builds that the 公示 stage does not have, or has differently: the
    front and search pages, and every page of both announcements."""
    problems = {}
    for name, mount in stage_sites.items():
        visitor = visit(mount.origin, width=width)
        visitor.page.add_init_script(f"try {{ localStorage.setItem('gongshi-text-size', '{size}') }} catch (e) {{}}")
        paths = [p for p in page_paths(mount.output) if not p.endswith(".html")]
        assert "/2018-mofan/decision/" in paths or name == "notice"
        for path in paths:
            visitor.open(path)
            found = visitor.page.evaluate(WIDER_THAN_VIEWPORT_JS)
            violations = run_axe(visitor.page, axe_script)
            if found["scroll"] > 0 or found["bad"] or violations:
                problems[f"{name} {path}"] = (found, violations)
        visitor.assert_clean()
    assert problems == {}


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_the_later_stages(stage_sites, visit, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, (build, path) in SHOTS.items():
        visitor = visit(stage_sites[build].origin, width=width)
        visitor.open(path)
        visitor.page.evaluate("document.fonts.ready")
        visitor.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        visitor.assert_clean()


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
