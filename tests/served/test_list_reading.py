"""The 公示 list as the public reads it (issue 12), measured in Chromium through nginx:
compact on a phone, aligned, findable in three actions, printable on A4 like the paper
document, nothing wider than a small phone, no number broken across lines; and the split list
(pages.LIST_PAGE_ROWS lowered) the same way.

Printed PDFs are read with poppler's pdfinfo and pdftotext (Debian package poppler-utils,
installed by scripts/test.sh).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import READING_DAY, unavailable
from .sweeps import EVERY_PAGE, SETTINGS, TEMPLATE_PAGES, Setting, at

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

GONGSHI = "2018-mofan/gongshi/"
NOTICE = "2018-mofan/notice/"

# The 公示 page's full height at 375 px before issue 12 (commit ba5fb22: 109 tables, one per
# 推荐单位), measured as below: Chromium 156 with fonts-noto-cjk, 375 x 800, default text size,
# document.documentElement.scrollHeight after fonts load. The issue allows at most 40% of it.
HEIGHT_BEFORE_375 = 60_966
MAX_PRINTED_PAGES = 16
NOTICE_PAGES = 8
ROWS_PER_PRINTED_PAGE = 25


def pdf_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        unavailable(f"{name} not found (Debian package poppler-utils)")
    return found


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run([pdf_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def pdf_page_lines(pdf: Path, number: int) -> list[str]:
    """The text lines of one printed page, its page-number footer (— n —) left out."""
    text = subprocess.run([pdf_tool("pdftotext"), "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if not re.fullmatch(r"[—-]\s*\d+\s*[—-]", line)]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------- compact


def test_gongshi_on_a_phone_is_at_most_40_percent_as_tall_as_before(nginx_root, visit):
    visitor = visit(nginx_root.origin, width=375, height=800)
    visitor.open(nginx_root.base + GONGSHI)
    visitor.page.evaluate("document.fonts.ready")
    height = visitor.page.evaluate("document.documentElement.scrollHeight")
    print(f"公示 page at 375 px: {height} px, before: {HEIGHT_BEFORE_375} px ({height / HEIGHT_BEFORE_375:.1%})")
    assert height <= 0.4 * HEIGHT_BEFORE_375, f"{height} px is {height / HEIGHT_BEFORE_375:.0%} of {HEIGHT_BEFORE_375}"
    visitor.assert_clean()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_name_column_lines_up_through_every_group_of_a_category(nginx_root, visit, width):
    visitor = visit(nginx_root.origin, width=width)
    visitor.open(nginx_root.base + GONGSHI)
    columns = visitor.page.evaluate("""() => [...document.querySelectorAll('section.category')].map(section => {
        const cells = [...section.querySelectorAll('thead th.col-name, thead th.col-org, tbody th.col-name, tbody th.col-org')];
        const groups = section.querySelectorAll('tbody.unit-group').length;
        const edges = new Set(cells.map(c => c.getBoundingClientRect().left.toFixed(1)));
        const widths = new Set(cells.map(c => c.getBoundingClientRect().width.toFixed(1)));
        return {id: section.id, cells: cells.length, groups, edges: [...edges], widths: [...widths]};
    })""")
    assert len(columns) == 9
    for column in columns:
        assert column["cells"] > 1 and column["groups"] > 1, column
        assert len(column["edges"]) == 1 and len(column["widths"]) == 1, (
            f"{column['id']}: the name column's left edge / width differ between groups: {column}")
    visitor.assert_clean()


# ---------------------------------------------------------------------------- small screens


@pytest.mark.parametrize("setting", at("root", Setting(320), Setting(320, "xlarge")))
def test_no_element_is_wider_than_a_320_px_screen(sweep, setting):
    found = sweep("root", setting)
    wide = found.found("wide")
    assert len(wide) > 20, sorted(wide)
    assert {path: w for path, w in wide.items() if w["scroll"] > 0 or w["bad"]} == {}
    found.assert_clean()


@pytest.mark.parametrize("setting", at("root", Setting(320), Setting(375), Setting(375, "xlarge")))
def test_no_number_or_phone_number_wraps(sweep, setting):
    """A number (序号, a count, a date's digits) or a phone number is never set on two lines."""
    found = sweep("root", setting)
    broken = found.found("numbers")
    assert len(broken) > 20, sorted(broken)
    assert {path: numbers[:5] for path, numbers in broken.items() if numbers} == {}
    found.assert_clean()


# ---------------------------------------------------------------------------- finding a name


def a_far_name(output: Path) -> tuple[str, str]:
    """A person near the end of the 积极分子 list (where the issue's reader had to scroll 37
    screens) and the unit that put them forward."""
    from bs4 import BeautifulSoup
    doc = BeautifulSoup((output / GONGSHI / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = doc.select("section#activist tr[data-search]")[-3]
    return row.select_one(".name").get_text(), row["id"]


def row_in_view(page, selector: str) -> bool:
    """The row is inside the window and not under anything (the sticky find box)."""
    return page.evaluate("""selector => {
        const row = document.querySelector(selector);
        const r = row.getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight) return false;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + 2);
        return !!hit && row.contains(hit);
    }""", selector)


def test_a_name_is_found_from_the_front_page_in_three_actions(nginx_root, visit):
    name, anchor = a_far_name(nginx_root.output)
    visitor = visit(nginx_root.origin, width=375, height=740)
    visitor.open(nginx_root.base)
    page = visitor.page
    box = page.get_by_label("查找姓名或单位")
    box.click()                                                      # 1. tap the find box
    page.keyboard.type(name)                                         # 2. type the name
    result = page.locator(".search-results a").filter(has_text=name).first
    expect(result).to_be_visible()
    result.click()                                                   # 3. tap the result
    page.wait_for_url(f"**#{anchor}")
    row = f"tr[id='{anchor}']"
    expect(page.locator(row)).to_contain_text(name)
    assert page.evaluate(f"() => document.querySelector(':target') === document.querySelector(\"{row}\")")
    page.wait_for_function("s => { const r = document.querySelector(s).getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }", arg=row)
    assert row_in_view(page, row), "the row found is not in view"
    highlight, plain = page.evaluate("""s => {
        const row = document.querySelector(s);
        const other = [...document.querySelectorAll('tr[data-search]')].find(r => r !== row);
        return [getComputedStyle(row.querySelector('td')).backgroundColor,
                getComputedStyle(other.querySelector('td')).backgroundColor];
    }""", row)
    assert highlight != plain, "the row found is not highlighted"
    visitor.assert_clean()


def test_filtering_hides_the_contents_and_brings_the_first_match_into_view(nginx_root, visit):
    name, anchor = a_far_name(nginx_root.output)
    visitor = visit(nginx_root.origin, width=375, height=740)
    visitor.open(nginx_root.base + GONGSHI)
    page = visitor.page
    page.get_by_role("link", name="查看名单、查找姓名").click()
    box = page.get_by_label("查找姓名或单位")
    assert row_in_view(page, "#filter"), "the find box is not where the link leads"
    box.click()
    page.keyboard.type(name)
    page.wait_for_function("() => new URL(location.href).searchParams.get('q')")
    expect(page.locator(".list-area > .toc")).to_be_hidden()
    first = page.locator("tr[data-search]:visible").first
    expect(first).to_contain_text(name)
    page.wait_for_function("s => { const r = document.querySelector(s).getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }", arg=f"tr[id='{anchor}']")
    assert row_in_view(page, f"tr[id='{anchor}']"), "the match is not in view under the find box"
    assert row_in_view(page, "#filter"), "the find box scrolled away"
    box.fill("")
    expect(page.locator(".list-area > .toc")).to_be_visible()
    visitor.assert_clean()


def test_a_row_link_highlights_the_row_without_javascript(nginx_root, browser):
    _name, anchor = a_far_name(nginx_root.output)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    unit = anchor.split("-")[1]
    page.goto(nginx_root.url(f"2018-mofan/units/{unit}/#{anchor}"))
    row = f"tr[id='{anchor}']"
    assert page.evaluate(f"() => document.querySelector(':target') === document.querySelector(\"{row}\")")
    assert row_in_view(page, row)
    context.close()


# ---------------------------------------------------------------------------- print


def heading_texts(output: Path, selector: str = "h1, h2, h3, .order-note, thead tr") -> set[str]:
    """Every text of the 公示 page that is a heading or stands above rows: titles, category
    and 推荐单位 headings, order notes, table headers."""
    from bs4 import BeautifulSoup
    doc = BeautifulSoup((output / GONGSHI / "index.html").read_text(encoding="utf-8"), "html.parser")
    found = {squash(el.get_text()) for el in doc.select(selector)}
    return {text for text in found if text}


def test_the_gongshi_prints_on_few_a4_pages_and_no_page_ends_with_a_heading(printed, nginx_root):
    pdf = printed["gongshi"]
    pages = pdf_pages(pdf)
    print(f"公示 printed: {pages} A4 pages")
    assert pages <= MAX_PRINTED_PAGES
    media = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", pdf.read_bytes())
    assert {tuple(round(float(v)) for v in box.split()) for box in media} == {(0, 0, 595, 842)}
    headings = heading_texts(nginx_root.output)
    assert len(headings) > 50  # categories, 推荐单位 groups, notes and table headers
    texts = [pdf_page_lines(pdf, n) for n in range(1, pages + 1)]
    for number, lines in enumerate(texts, start=1):
        assert lines, f"page {number} is empty"
        assert squash(lines[-1]) not in headings, f"page {number} ends with the heading “{lines[-1]}”"
    # Table rows a page (a recipient's, or a 推荐单位's heading row), on the pages full of lists.
    groups = heading_texts(nginx_root.output, "tr.group-row")
    rows = [sum(bool(re.match(r"\d+\s+\S", line)) or squash(line) in groups for line in lines)
            for lines in texts]
    assert min(rows[1:-1]) >= ROWS_PER_PRINTED_PAGE, f"table rows on each printed page: {rows}"
    whole = "\n".join("\n".join(lines) for lines in texts)
    for absent in ("下载名单", "SHA256", "SHA-256", "查找姓名", "名单目录"):
        assert absent not in whole, f"“{absent}” is printed"
    # The 落款 and date follow the text they sign, before the lists.
    flat = squash(whole)
    signed = flat.index("焦作市总工会2018年11月5日")
    assert flat.index("jzmgb@126.com") < signed < flat.index("焦作市模范职工之家（38个）")


def test_the_notice_still_prints_on_eight_pages(printed):
    assert pdf_pages(printed["notice"]) == NOTICE_PAGES


def test_the_printed_gongshi_title_is_centred_and_the_page_has_no_screen_furniture(nginx_root, browser):
    page = browser.new_page()
    page.clock.set_fixed_time(READING_DAY)
    page.goto(nginx_root.url(GONGSHI))
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).textAlign") == "center"
    for hidden in (".downloads", ".objection-bottom", "#filter", ".toc", ".doc-jump", ".col-objection"):
        assert page.locator(hidden).first.is_hidden(), hidden
    page.close()


# ---------------------------------------------------------------------------- the split list


def test_the_split_list_reads_and_filters_on_each_page(split_site, visit):
    visitor = visit(split_site.origin, width=375, height=740)
    page = visitor.page
    visitor.open("/" + GONGSHI)
    assert page.locator("tr[data-search]").count() == 0
    page.get_by_role("link", name=re.compile(r"^第2页")).first.click()
    page.wait_for_url("**/gongshi/*/2/")
    rows = page.locator("tr[data-search]")
    assert 0 < rows.count() <= 60
    name = rows.nth(5).locator(".name, .col-org").first.inner_text()
    page.get_by_label("查找姓名或单位").fill(name.replace(" ", "").replace("\u3000", ""))
    page.wait_for_function("() => new URL(location.href).searchParams.get('q')")
    assert 0 < page.locator("tr[data-search]:visible").count() < rows.count()
    whole = page.locator("[data-site-search]")
    expect(whole).to_be_visible()
    assert "/search/?q=" in whole.get_attribute("href")
    page.get_by_role("link", name="第1页").first.click()
    expect(page.locator("h1")).to_contain_text("第1页")
    visitor.assert_clean()


@pytest.mark.parametrize("setting", at("split", Setting(320), Setting(1280)))
def test_the_split_pages_fit_a_phone_and_a_desktop(sweep, setting):
    """Every page of the split list, screenshotted (all at 320 px, two at 1280 px)."""
    found = sweep("split", setting)
    wide = found.found("wide")
    assert len(wide) > 5, sorted(wide)
    assert {path: w for path, w in wide.items() if w["scroll"] > 0 or w["bad"]} == {}
    assert "/" + GONGSHI + "activist/2/" in found.found("screenshot")
    found.assert_clean()


@pytest.mark.parametrize("setting", at("split", EVERY_PAGE))
def test_axe_finds_nothing_on_the_split_pages(sweep, setting):
    found = sweep("split", setting)
    violations = found.found("axe")
    assert len(violations) > 5, sorted(violations)
    assert {path: v for path, v in violations.items() if v} == {}
    found.assert_clean()


@pytest.mark.parametrize("setting", at("split", *SETTINGS))
def test_axe_finds_nothing_on_a_split_list_part_at_any_width_and_text_size(sweep, setting):
    found = sweep("split", setting)
    violations = found.found("axe")
    assert set(TEMPLATE_PAGES["split"]) <= set(violations)
    assert {path: v for path, v in violations.items() if v} == {}
    found.assert_clean()
