"""The notice page against the source text: every sentence and every figure, as published.

`sources/notice-2018-10-09.txt` is the project's copy of the notice as received. Each of its
lines must appear in the built notice page (whitespace aside), and the 附件 table on the page,
merged cells expanded, must equal the source table cell by cell — blanks below a merged figure
included.
"""

import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

SOURCE = (REPO / "sources" / "notice-2018-10-09.txt").read_text(encoding="utf-8")
WHITESPACE = re.compile(r"[\s\u3000\xa0]+")


def squeeze(text: str) -> str:
    return WHITESPACE.sub("", text)


def source_parts():
    body, _, table = SOURCE.partition("\n附件\n")
    return body, table


@pytest.fixture(scope="module")
def notice(built_site):
    html = (built_site / "2018-mofan" / "notice" / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_every_line_of_the_notice_appears_on_the_page(notice):
    body, _ = source_parts()
    page_text = squeeze(notice.select_one("main").get_text())
    missing = [line for line in body.splitlines() if squeeze(line) and squeeze(line) not in page_text]
    assert missing == []


def test_page_text_follows_the_source_order(notice):
    body, _ = source_parts()
    page_text = squeeze(notice.select_one("article").get_text())
    position = 0
    for line in body.splitlines():
        if squeeze(line):
            found = page_text.find(squeeze(line), position)
            assert found >= 0, f"out of order or missing: {line.strip()}"
            position = found + len(squeeze(line))


def test_apparent_slips_stay_as_published(notice):
    text = notice.select_one("article").get_text()
    assert "焦作市工会九大以来,全市" in text  # half-width comma
    assert "市总民主管理部对评选申报情况进行汇总,提交" in text
    assert "名额分配见附件:“表彰名额分配表”。" in text


def source_table():
    _, table = source_parts()
    rows = []
    for block in table.split("\n\n"):
        cells = [squeeze(c) for c in block.split("\t")[1:]]
        if cells:
            rows.append(cells)
    return [r for r in rows if any(r)]


def page_table(notice):
    """The page's table as a grid: covered cells of a rowspan are blank, as in the source."""
    table = notice.select_one("table.quota-table")
    grid, pending = [], {}
    for tr in table.select("tr"):
        row, column = [], 0
        cells = iter(tr.find_all(["th", "td"]))
        while True:
            if pending.get(column):
                pending[column] -= 1
                row.append("")
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            row.append(squeeze(cell.get_text()))
            span = int(cell.get("rowspan", 1))
            if span > 1:
                pending[column] = span - 1
            column += 1
        grid.append(row)
    return grid


def test_attachment_table_equals_the_source_cell_by_cell(notice):
    assert page_table(notice) == source_table()


def test_attachment_title_and_mark(notice):
    section = notice.select_one(".doc-attachment")
    assert section.select_one(".attachment-mark").get_text(strip=True) == "附件"
    assert section.select_one("h2").get_text(strip=True) == "表彰名额分配表"
