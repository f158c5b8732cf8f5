"""The public pages in a real browser, as a person uses them: accessible (axe-core), no
sideways scrolling from 320 px, touch targets, the find box, the live status, the text-size
switch, the copy button and printing the notice to A4."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}


def page_paths(output: Path) -> list[str]:
    paths = []
    for page in sorted(output.rglob("index.html")):
        relative = page.parent.relative_to(output).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return paths


@pytest.fixture(scope="module")
def axe_script():
    from axe_playwright_python.sync_playwright import Axe
    return Axe().axe_script


def run_axe(page, script) -> list[str]:
    page.evaluate(script)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]]


@pytest.mark.parametrize("width, size", [(375, "normal"), (1280, "normal"), (375, "xlarge"), (1280, "xlarge")])
def test_axe_reports_nothing_on_any_page(nginx_root, visit, axe_script, width, size):
    """Every page at a phone's and a desktop's width, at the default and the largest text size."""
    visitor = visit(nginx_root.origin, width=width)
    visitor.page.add_init_script(f"try {{ localStorage.setItem('gongshi-text-size', '{size}') }} catch (e) {{}}")
    problems = {}
    for path in page_paths(nginx_root.output) + ["404.html"]:
        visitor.open(nginx_root.base + path)
        violations = run_axe(visitor.page, axe_script)
        if violations:
            problems[path or "/"] = violations
    assert problems == {}
    visitor.assert_clean()


@pytest.mark.parametrize("width", [320, 375])
def test_no_sideways_scrolling_on_small_phones(nginx_root, visit, width):
    visitor = visit(nginx_root.origin, width=width, height=700)
    wide = []
    for path in page_paths(nginx_root.output):
        visitor.open(nginx_root.base + path)
        overflow = visitor.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide.append(f"{path or '/'}: {overflow}px")
    assert wide == []


def test_touch_targets_and_text_size(nginx_root, visit):
    """Controls are 44 x 44 px. A link that fills a row's cell (异议, a 推荐单位 heading: class
    cell-link) is as tall as the row and at least WCAG 2.2's 24 x 24 px, which keeps a list of
    hundreds of names compact; that the whole cell answers a tap is checked too."""
    visitor = visit(nginx_root.origin, width=375, height=800)
    for path in ["", "2018-mofan/gongshi/", "2018-mofan/units/qinyang/"]:
        visitor.open(nginx_root.base + path)
        small = visitor.page.evaluate("""() => {
            const bad = [];
            for (const el of document.querySelectorAll('a, button, input, summary')) {
                const r = el.getBoundingClientRect();
                if (!r.width || el.closest('p, td.shared-note, .doc-body, .downloads-note')) continue;  // inline text links are exempt
                if (el.classList.contains('cell-link')) {
                    const cell = el.closest('td').getBoundingClientRect();
                    const corners = [[cell.left + 2, cell.top + 2], [cell.right - 2, cell.bottom - 2]];
                    const hits = corners.every(([x, y]) => {
                        if (y < 0 || y > innerHeight) return true;  // off screen: elementFromPoint cannot tell
                        const hit = document.elementFromPoint(x, y);
                        return hit === el || el.contains(hit);
                    });
                    if (cell.height < 24 || cell.width < 24 || !hits) bad.push(`cell ${el.textContent.trim().slice(0, 20)} ${cell.width}x${cell.height} ${hits}`);
                    continue;
                }
                if (r.height < 44 || r.width < 44) bad.push(`${el.tagName} ${el.textContent.trim().slice(0, 20)} ${r.width}x${r.height}`);
            }
            return bad;
        }""")
        assert small == [], path
        size = visitor.page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        assert size >= 16


def test_find_box_by_hanzi_initials_and_no_match_with_the_query_in_the_url(nginx_root, visit, built_site):
    from bs4 import BeautifulSoup
    doc = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"), "html.parser")
    person = doc.select_one("section#worker .name").get_text()
    from gongshi.site.search import pinyin_forms
    initials = pinyin_forms(person, surname=True)[1]

    visitor = visit(nginx_root.origin, width=375)
    visitor.open(nginx_root.base + "2018-mofan/gongshi/")
    page = visitor.page
    box = page.get_by_label("查找姓名或单位")
    box.fill(person)
    page.wait_for_function("() => location.search.includes('q=')")
    visible = page.locator("tr[data-search]:visible .name").all_inner_texts()
    assert person in visible and all(person in name for name in visible)
    assert "找到" in page.locator(".filter-count").inner_text()

    box.fill(initials)
    page.wait_for_function(f"() => new URL(location.href).searchParams.get('q') === '{initials}'")
    assert person in page.locator("tr[data-search]:visible .name").all_inner_texts()

    box.fill("没有这个人qqqq")
    page.wait_for_selector(".filter-empty:not([hidden])")
    assert page.locator("tr[data-search]:visible").count() == 0

    page.goto(nginx_root.url(f"2018-mofan/gongshi/?q={initials}"))
    page.wait_for_function("() => document.querySelector('#filter-query').value !== ''")
    assert person in page.locator("tr[data-search]:visible .name").all_inner_texts()
    page.locator("tr[data-search]:visible .unit-heading a, .unit-group:visible h3 a").first.click()
    page.go_back()
    page.wait_for_function(f"() => document.querySelector('#filter-query').value === '{initials}'")
    visitor.assert_clean()


def test_unit_page_find_box(nginx_root, visit):
    visitor = visit(nginx_root.origin)
    visitor.open(nginx_root.base + "2018-mofan/units/qinyang/")
    page = visitor.page
    all_rows = page.locator("tr[data-search]").count()
    page.get_by_label("查找姓名或单位").fill("工会委员会")
    page.wait_for_function("() => location.search.includes('q=')")
    shown = page.locator("tr[data-search]:visible").count()
    assert 0 < shown < all_rows
    visitor.assert_clean()


@pytest.mark.parametrize("day, label", [
    ("2018-11-01T10:00:00+08:00", "未开始"),
    ("2018-11-05T10:00:00+08:00", "公示中（还剩 5 个工作日）"),
    ("2018-11-08T23:30:00+08:00", "公示中（还剩 2 个工作日）"),
    ("2018-11-12T09:00:00+08:00", "已结束"),
])
def test_status_is_kept_current_by_the_script(nginx_root, visit, day, label):
    visitor = visit(nginx_root.origin)
    visitor.page.clock.set_fixed_time(day)
    visitor.open(nginx_root.base)
    assert visitor.page.locator(".status .js-status-label").inner_text() == label
    visitor.open(nginx_root.base + "2018-mofan/gongshi/")
    labels = visitor.page.locator(".js-status-label").all_inner_texts()
    assert labels and set(labels) == {label}
    visitor.assert_clean()


def test_text_size_switch_persists_across_pages(nginx_root, visit):
    visitor = visit(nginx_root.origin, width=375)
    visitor.open(nginx_root.base)
    page = visitor.page
    before = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="特大").click()
    after = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert after > before
    visitor.open(nginx_root.base + "2018-mofan/notice/")
    assert page.evaluate("() => document.documentElement.dataset.textSize") == "xlarge"
    assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"
    visitor.assert_clean()


def test_copy_button_copies_the_address(nginx_root, visit):
    visitor = visit(nginx_root.origin)
    visitor.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=nginx_root.origin)
    visitor.open(nginx_root.base + "2018-mofan/gongshi/")
    page = visitor.page
    page.locator(".objection .copy-button").first.click()
    page.wait_for_selector(".copy-note:has-text('已复制')")
    assert page.evaluate("() => navigator.clipboard.readText()") == "jzmgb@126.com"
    visitor.assert_clean()


def test_pages_work_without_javascript(nginx_root, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(nginx_root.url("2018-mofan/gongshi/"))
    assert page.locator("tr[data-search]").count() > 400
    assert page.locator(".list-filter").is_hidden()
    page.get_by_role("link", name="推荐单位").first.click()
    assert page.locator("h1").inner_text() == "推荐单位"
    context.close()


def test_notice_prints_to_a4_pages(nginx_root, browser, tmp_path):
    page = browser.new_page()
    page.goto(nginx_root.url("2018-mofan/notice/"))
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    (tmp_path / "notice.pdf").write_bytes(pdf)
    text = pdf.decode("latin-1")
    boxes = {tuple(round(float(v)) for v in box.split()) for box in
             __import__("re").findall(r"/MediaBox\s*\[\s*([\d.\s]+)\]", text)}
    assert boxes == {(0, 0, 595, 842)}  # A4 in points
    assert text.count("/Type /Page\n") + text.count("/Type /Page ") + text.count("/Type /Page>") >= 2 or \
        len(__import__("re").findall(r"/Type\s*/Page[^s]", text)) >= 2
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "notice-a4.pdf").write_bytes(pdf)


def test_gongshi_list_prints_without_navigation_and_with_repeated_headers(nginx_root, browser):
    page = browser.new_page()
    page.goto(nginx_root.url("2018-mofan/gongshi/"))
    page.emulate_media(media="print")
    for hidden in (".site-header", ".toc", ".list-filter", ".site-footer", ".col-objection"):
        assert page.locator(hidden).first.is_hidden(), hidden
    display = page.evaluate("() => getComputedStyle(document.querySelector('.recipients thead')).display")
    assert display == "table-header-group"
    assert page.locator(".sample-banner").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    page.close()
