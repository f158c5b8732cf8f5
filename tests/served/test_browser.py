"""The site read as a visitor reads it: Chromium, through nginx at the root.

Every test opens pages in a fresh browser context that aborts and records any request to a
host other than the test server, and records console errors and HTTP errors; each test
ends with `visitor.assert_clean()`. Screenshots for people to look at are written to
test-artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from .sweeps import MISSING, Setting, at, built_pages

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

NOTICE = "2018-mofan/notice/"
GONGSHI = "2018-mofan/gongshi/"
QINYANG = "2018-mofan/units/qinyang/"

TEL = "tel:+86-391-3999921"
MAILTO = "mailto:jzmgb@126.com"

QUOTA_HEADERS = ["推荐单位", "模范职工之家（个）", "模范职工小家（个）", "优秀工会工作者（名）",
                 "优秀工会积极分子（名）", "优秀职工之友（名）", "红旗职工之家（个）", "红旗职工小家（个）",
                 "优秀工会工作者标兵（名）", "优秀职工之友标兵（名）"]
TEN_COUNTIES = ["沁阳市", "孟州市", "温县", "武陟县", "博爱县", "修武县", "解放区", "山阳区", "马村区", "中站区"]

# (text, rowspan) of every cell a row starts, as printed in the 附件.
QINYANG_ROW = [("3", 1), ("4", 1), ("5", 1), ("8", 1), ("5", 1), ("3", 10), ("8", 10), ("3", 10), ("3", 10)]
CAIMAO_ROW = [("2", 1), ("3", 1), ("5", 1), ("6", 1), ("5", 1), ("2", 3), ("1", 1), ("2", 3), ("2", 3)]
TOTAL_ROW = ["40", "80", "100", "150", "100", "10", "20", "10", "10"]

TABLE_CELLS_JS = """table => [...table.rows].map(row => [...row.cells].map(cell => ({
    text: cell.innerText.replace(/\\s+/g, ''), rowspan: cell.rowSpan, colspan: cell.colSpan,
    header: cell.tagName === 'TH'})))"""


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def table_grid(table) -> tuple[list[list[dict]], list[list[dict | None]]]:
    """The table's rows as the browser sees them: the cells each row starts, and a grid
    where every position holds the cell that covers it (merged cells repeat)."""
    rows = table.evaluate(TABLE_CELLS_JS)
    grid: list[list[dict | None]] = [[] for _ in rows]
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            for dr in range(cell["rowspan"]):
                for dc in range(cell["colspan"]):
                    row = grid[r + dr]
                    while len(row) <= c + dc:
                        row.append(None)
                    row[c + dc] = cell
            c += cell["colspan"]
    return rows, grid


# ---------------------------------------------------------------------------- the visitor


def test_the_visitor_stops_and_records_only_requests_to_other_hosts(visit, nginx_root):
    """What every test here relies on (conftest.Visitor): a request to another host, or to
    another port of this one, is aborted and recorded; the site's own, data: and blob: are not."""
    visitor = visit(nginx_root.origin)
    visitor.open("/robots.txt")  # a page of the site without the pages' Content-Security-Policy
    other_port = nginx_root.origin.rsplit(":", 1)[0] + ":1"
    outcomes = visitor.page.evaluate("""async urls => {
        const outcomes = [];
        for (const url of urls) {
            try { outcomes.push((await fetch(url)).status); } catch (e) { outcomes.push('failed'); }
        }
        return outcomes;
    }""", [nginx_root.origin + "/404.html", "data:text/plain,a", f"{other_port}/x", "http://example.invalid/y?z",
           nginx_root.origin + "/index.html?q=1"])
    assert outcomes == [200, 200, "failed", "failed", 200]
    assert visitor.foreign == [f"GET {other_port}/x", "GET http://example.invalid/y?z"]
    visitor.foreign.clear()
    visitor.console_errors.clear()  # the browser's notes on the two aborted fetches
    visitor.assert_clean()


# ---------------------------------------------------------------------------- the notice


def test_notice_attachment_table_reads_as_printed(visit, nginx_root):
    visitor = visit(nginx_root.origin)
    visitor.open("/" + NOTICE)
    page = visitor.page
    # The 附件 section (its scrolling table box is a second region of the same name).
    attachment = page.get_by_role("region", name="表彰名额分配表").first
    expect(attachment).to_be_visible()
    table = attachment.get_by_role("table")
    rows, grid = table_grid(table)

    assert [cell["text"] for cell in rows[0]] == QUOTA_HEADERS, "the 附件 table's header cells"
    by_unit = {cells[0]["text"]: (index, cells) for index, cells in enumerate(rows) if cells[0]["header"]}

    red_home = QUOTA_HEADERS.index("红旗职工之家（个）")
    red_small_home = QUOTA_HEADERS.index("红旗职工小家（个）")

    index, qinyang = by_unit["沁阳市"]
    assert [(cell["text"], cell["rowspan"]) for cell in qinyang[1:]] == QINYANG_ROW, (
        "沁阳市 row: own quotas 3 4 5 8 5, then the four quotas the ten 县市区 share (rowspan 10)")
    group = [grid[index + k] for k in range(10)]
    assert [row[0]["text"] for row in group] == TEN_COUNTIES, "the ten 县市区 rows, in order"
    for column in range(red_home, len(QUOTA_HEADERS)):
        assert all(row[column] is qinyang[column] for row in group), (
            f"{QUOTA_HEADERS[column]}: the merged cell should cover exactly the ten 县市区")
    assert grid[index + 10][red_home] is not qinyang[red_home], "the merged cell runs past 中站区"

    index, caimao = by_unit["财贸工会系统"]
    assert [(cell["text"], cell["rowspan"]) for cell in caimao[1:]] == CAIMAO_ROW, (
        "财贸工会系统 row: 红旗职工之家 2 shared by three 产业系统 (rowspan 3), 红旗职工小家 1 its own")
    group = [grid[index + k] for k in range(3)]
    assert [row[0]["text"] for row in group] == ["财贸工会系统", "教育工会系统", "焦煤集团系统"]
    assert all(row[red_home] is caimao[red_home] for row in group), "红旗职工之家 2 is shared by the three"
    assert [row[red_small_home]["text"] for row in group] == ["1", "1", "2"], "红旗职工小家: each its own"

    index, total = by_unit["合计"]
    assert [cell["text"] for cell in total[1:]] == TOTAL_ROW, "the 合计 row must be exactly as printed"
    small_home = QUOTA_HEADERS.index("模范职工小家（个）")
    column = sum(int(grid[r][small_home]["text"]) for r in range(1, index))
    assert (column, total[small_home]["text"]) == (78, "80"), (
        "模范职工小家: the units add up to 78 but the printed 合计 says 80; the page shows it as printed")

    # The merge is real on screen: the shared cell spans from 沁阳市's top to 中站区's bottom.
    shared = table.locator("td[rowspan='10']").first
    first_row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="沁阳市", exact=True))
    last_row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="中站区", exact=True))
    box, top, bottom = shared.bounding_box(), first_row.bounding_box(), last_row.bounding_box()
    assert abs(box["y"] - top["y"]) < 2 and abs(box["y"] + box["height"] - (bottom["y"] + bottom["height"])) < 2, (
        f"merged cell {box} does not span the rows {top} .. {bottom}")
    visitor.assert_clean()


# ---------------------------------------------------------------------------- the 公示 list


def test_gongshi_objection_contacts_come_before_the_first_list_and_after_the_last(visit, nginx_root):
    visitor = visit(nginx_root.origin)
    visitor.open("/" + GONGSHI)
    page = visitor.page
    lists = page.locator("main table")
    assert lists.count() > 1, "the 公示 page shows no lists"

    for href, text in ((TEL, "0391-3999921"), (MAILTO, "jzmgb@126.com")):
        links = page.locator(f'main a[href="{href}"]')
        expect(links.first).to_have_text(text)
        places = links.evaluate_all(
            """(links) => {
                 const tables = [...document.querySelectorAll('main table')];
                 const first = tables[0], last = tables[tables.length - 1];
                 return links.map(a => ({
                   before: !!(a.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING),
                   after: !!(a.compareDocumentPosition(last) & Node.DOCUMENT_POSITION_PRECEDING),
                   visible: a.getClientRects().length > 0}));
               }""")
        assert any(p["before"] and p["visible"] for p in places), f"no visible {href} link before the first list"
        assert any(p["after"] and p["visible"] for p in places), (
            f"no visible {href} link after the last list (inside the page, not just the footer)")
    visitor.assert_clean()


# ---------------------------------------------------------------------------- a unit page


def qinyang_expectations(project: Path) -> list[tuple[str, str, list[str]]]:
    """(category name, measure, recipient names) for 沁阳市, read from the project's data."""
    ann = project / "data" / "2018-mofan"
    categories = {c["id"]: c for c in yaml.safe_load((ann / "categories.yaml").read_text("utf-8"))["categories"]}
    found = []
    for category_id, category in categories.items():
        path = ann / "recipients" / f"{category_id}.yaml"
        if not path.is_file():
            continue
        names = [r["name"] for r in yaml.safe_load(path.read_text("utf-8"))["recipients"] if r["unit"] == "沁阳市"]
        if names:
            found.append((category["name"], category["measure"], names))
    return found


def test_unit_page_shows_shared_quotas_as_shared_and_its_recipients(visit, nginx_root):
    visitor = visit(nginx_root.origin)
    visitor.open("/" + QINYANG)
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text("沁阳市")

    quotas = page.get_by_role("region", name="沁阳市名额").get_by_role("table")
    rows, _ = table_grid(quotas)
    assert [c["text"] for c in rows[0]] == ["类别", "名额", "本单位公示", "说明"]
    lines = {cells[0]["text"]: [c["text"] for c in cells[1:]] for cells in rows[1:]}
    shared = {"焦作市模范职工之家红旗单位": "3个", "焦作市模范职工小家红旗单位": "8个",
              "焦作市优秀工会工作者标兵": "3名", "焦作市优秀工会之友标兵": "3名"}
    for category, quota in shared.items():
        number, _used, note = lines[category]
        assert number == f"{quota}（共用）", f"{category}: 名额 shows {number!r}"
        assert "共用" in note and "孟州市" in note and "中站区" in note, f"{category}: 说明 {note!r}"
        assert "沁阳市" not in note, f"{category}: 说明 lists the unit itself as a partner: {note!r}"
    for category in ("焦作市模范职工之家", "焦作市模范职工小家", "焦作市优秀工会工作者",
                     "焦作市优秀工会积极分子", "焦作市优秀工会之友"):
        assert "共用" not in "".join(lines[category]), f"{category} is 沁阳市's own quota: {lines[category]}"
    partner = page.get_by_role("link", name="孟州市").first
    expect(partner).to_have_attribute("href", "/2018-mofan/units/mengzhou/")

    expected = qinyang_expectations(nginx_root.output.parent)
    assert expected, "the sample data has no 沁阳市 recipients to look for"
    for name, measure, people in expected:
        heading = page.get_by_role("heading", level=3, name=f"{name}（{len(people)}{measure}）", exact=True)
        expect(heading).to_be_visible()
        section = page.locator("section").filter(has=heading)
        shown = [squash(t) for t in section.locator("tbody th").all_inner_texts()]
        shown = [re.sub(r"（[^）]*）$", "", t) for t in shown]  # （女）, （回族） notes
        # The page orders them its own way (e.g. by strokes); who is listed must match the data.
        assert sorted(shown) == sorted(people), f"{name}: the page lists {shown}, the data has {people}"
    visitor.assert_clean()


# ---------------------------------------------------------------------------- every page


@pytest.mark.parametrize("setting", at("root", Setting(1280)))
def test_every_page_has_banner_one_h1_title_and_no_errors_or_foreign_requests(sweep, setting):
    """Every page, and the 404 page as nginx shows it for an address nothing is built at."""
    found = sweep("root", setting)
    checked = found.found("furniture")
    assert len(checked) > 20 and MISSING in checked, sorted(checked)
    assert not [problem for problems in checked.values() for problem in problems], (
        "\n".join(problem for problems in checked.values() for problem in problems))
    found.assert_clean()


# ---------------------------------------------------------------------------- screenshots


@pytest.mark.parametrize("setting", at("root", Setting(375), Setting(1280)))
def test_screenshots_for_people_to_look_at(sweep, setting, nginx_root):
    """Every page at both widths, named after its path (front, 2018-mofan-gongshi, ...)."""
    found = sweep("root", setting)
    shots = found.found("screenshot")
    assert sorted(shots) == built_pages(nginx_root.output)
    assert all(shot.stat().st_size > 0 for shot in shots.values())
    # The page itself must not scroll sideways; wide tables scroll inside their box.
    overflowing = [f"{path} is {extra}px wider than the {setting.width}px window"
                   for path, extra in found.found("scroll").items() if extra > 0]
    assert not overflowing, "\n".join(overflowing)
    found.assert_clean()
