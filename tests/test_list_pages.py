"""The 公示 list's pages: one page for the bundled list, split above pages.LIST_PAGE_ROWS.

The split is tested on the bundled data with the threshold lowered (the real threshold is
reached only by large generated projects: scripts/benchmark.py builds one with 100,000 names
and reports the largest page, gzipped)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import FIXED_DAY, REPO, run_cli
from support.objection_pages import check_objection_pages

from gongshi.load.loader import load_site
from gongshi.load.ordering import order_site
from gongshi.site import pages
from gongshi.site.pages import category_lists, list_parts


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def rows_of(groups):
    return [(g.unit.id if g.unit else None, row.number, row.anchor) for g in groups for row in g.rows]


@pytest.fixture(scope="module")
def announcement():
    """The bundled announcement in publication order, as the build has it."""
    loaded = load_site(REPO)
    return order_site(loaded.site, REPO, loaded.findings).announcements[0]


def test_the_bundled_list_is_one_page(announcement, built_site):
    assert len(announcement.recipients) <= pages.LIST_PAGE_ROWS
    assert all(item.parts == () for item in category_lists(announcement))
    gongshi = built_site / "2018-mofan/gongshi"
    assert [p.relative_to(gongshi).as_posix() for p in gongshi.rglob("index.html")] == ["index.html"]
    doc = soup(gongshi / "index.html")
    assert len(doc.select("tr[data-search]")) == len(announcement.recipients)
    ids = [tr["id"] for tr in doc.select("tr[data-search]")]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("limit", [7, 20, 60])
def test_parts_hold_every_row_once_in_order_and_cut_only_units_larger_than_a_page(announcement, limit, monkeypatch):
    monkeypatch.setattr(pages, "LIST_PAGE_ROWS", limit)
    for item in category_lists(announcement):
        parts = list_parts("x", "gongshi", item)
        assert rows_of(g for part in parts for g in part.groups) == rows_of(item.groups), item.category.id
        assert [p.number for p in parts] == list(range(1, len(parts) + 1))
        home = f"x/gongshi/{item.category.id}/"
        assert [p.path for p in parts] == [home] + [f"{home}{n}/" for n in range(2, len(parts) + 1)]
        for part in parts:
            assert 0 < part.rows <= limit
            assert (part.first_number, part.last_number) == (part.groups[0].rows[0].number,
                                                             part.groups[-1].rows[-1].number)
        for group in item.groups:
            holding = [p.number for p in parts for g in p.groups if g.unit == group.unit]
            if group.count <= limit:
                assert len(holding) == 1, f"{group.unit.name} ({group.count}) was cut at {limit} rows a page"
            else:
                pieces = [g for p in parts for g in p.groups if g.unit == group.unit]
                assert [g.continued for g in pieces] == [False] + [True] * (len(pieces) - 1)
                assert {g.count for g in pieces} == {group.count}  # the heading says the unit's total


def test_above_the_threshold_the_list_is_split_with_an_index(tmp_path, monkeypatch, announcement):
    from conftest import copy_project
    project = copy_project(tmp_path / "project")
    monkeypatch.setattr(pages, "LIST_PAGE_ROWS", 60)
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    output = project / "output"
    index = soup(output / "2018-mofan/gongshi/index.html")
    assert index.select("tr[data-search]") == []  # the entry keeps its URL and becomes the index
    assert index.select_one("h1").get_text() == announcement.gongshi.title
    assert index.select_one(".site-search[data-search-index]") is not None  # finds names in every part
    links = [a["href"] for a in index.select("nav.toc-split a")]
    lists = category_lists(announcement)
    expected = []
    for item in lists:
        if item.count:
            expected.append("/" + item.path)
            if len(item.parts) > 1:
                expected += ["/" + part.path for part in item.parts]
    assert links == expected
    assert "/2018-mofan/gongshi/activist/3/" in links  # 145 names at 60 a page

    seen = []
    for item in lists:
        for part in item.parts:
            doc = soup(output / part.path / "index.html")
            assert doc.select_one("h1").get_text().startswith(f"{item.category.name}（{item.count}")
            rows = doc.select("tr[data-search]")
            assert 0 < len(rows) <= 60
            assert doc.select_one("form.list-filter") is not None and doc.select_one("[data-site-search]")
            seen += [(item.category.id, tr["id"], tr.select_one("td.col-number").get_text()) for tr in rows]
            assert "0391-3999921" in doc.select_one(".objection-top").get_text()
            assert "0391-3999921" in doc.select_one(".objection-bottom").get_text()
    whole = [(item.category.id, row.anchor, str(row.number)) for item in lists for g in item.groups for row in g.rows]
    assert seen == whole  # every row once, in order, with the id and 序号 it has on the single page
    # each page of the list carries the objection body once; the index (no rows) none
    with_links = check_objection_pages(output, project)
    assert {part.path + "index.html" for item in lists for part in item.parts} <= set(with_links)
    assert "2018-mofan/gongshi/index.html" not in with_links

    sums = (output / "SHA256SUMS").read_text(encoding="utf-8")
    assert "2018-mofan/gongshi/activist/2/index.html" in sums


@pytest.mark.parametrize("by_unit", [True, False])
def test_a_unit_page_lists_its_rows_of_the_list_numbered_from_one(announcement, by_unit):
    """Each unit page's group per category: exactly that unit's rows of the list, in list order,
    with their row ids, numbered from 1. Grouped by unit, they are the list's own groups (not
    grouped again: ~0.14 s a process at 100,000 names); not grouped, made from the rows."""
    from msgspec.structs import replace

    from gongshi.site.search_index import row_anchors

    ann = replace(announcement, group_by_unit=by_unit)
    anchors = row_anchors(ann)
    lists = category_lists(ann, anchors=anchors)
    found = pages._unit_groups(ann.recipients, lists, anchors)
    expected: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for recipient, anchor in zip(ann.recipients, anchors):
        expected.setdefault(recipient.unit.id, {}).setdefault(recipient.category.id, []).append(
            (recipient.name, anchor))
    assert {unit: {category: [(r.name, a) for r, a in zip(g.recipients, g.anchors)]
                   for category, g in groups.items()} for unit, groups in found.items()} == expected
    assert all(g.unit is None and g.first_number == 1 and [row.number for row in g.rows] == list(range(1, g.count + 1))
               for groups in found.values() for g in groups.values())
    shared = {id(g.recipients) for item in lists for g in item.groups}
    assert all((id(g.recipients) in shared) == by_unit for groups in found.values() for g in groups.values())


def _built(tmp_path, grouped: bool, day: str = FIXED_DAY):
    """A copy of the bundled project, its 2018 list grouped by unit or not, built on `day`."""
    from conftest import copy_project, ungroup_2018_list
    project = copy_project(tmp_path / "project")
    if not grouped:
        ungroup_2018_list(project)
    result = run_cli("build", "--today", day, project=project)
    assert result.code == 0, result.output
    return project


# A row of a list as the template writes it: its cells one after another, nothing between.
_ONE_LINE_ROW = re.compile(r'<tr id="[^"]+" data-search="[^"]*">(?:<t([dh])\b[^>]*>.*?</t\1>)+</tr>')


@pytest.mark.parametrize(("grouped", "day"), [(True, FIXED_DAY), (False, FIXED_DAY), (False, "2018-11-12")])
def test_each_row_of_a_list_is_one_line_of_cells(tmp_path, grouped, day):
    """Every row of the list and of the unit pages is one line, with no white space between
    its tags, in each of the row's forms: with the 推荐单位 column (a list not grouped by unit),
    the 异议 column (while objections are open) or neither. The personal-number guard tries
    every tag with white space before it (privacy._inline_between_digits): written a cell a
    line, each row had five such tags (the longest page of 10,000 names: 16 ms of the guard
    instead of 12, and 7 % more bytes)."""
    output = _built(tmp_path, grouped, day) / "output/2018-mofan"
    rows = 0
    for page in sorted(output.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        lines = [line.strip() for line in html.splitlines() if line.lstrip().startswith("<tr id=")]
        assert len(lines) == html.count("<tr id="), page
        for line in lines:
            assert _ONE_LINE_ROW.fullmatch(line), line[:300]
        rows += len(lines)
        for table in BeautifulSoup(html, "html.parser").select("table.recipients"):
            headings = len(table.select("thead th"))
            assert {len(tr.find_all(["td", "th"])) for tr in table.select("tr[data-search]")} == {headings}, page
    listed = (output / "gongshi/index.html").read_text(encoding="utf-8").count("<tr id=")
    assert listed > 400 and rows == 2 * listed  # each row once on the list and once on its unit's page
    unit_column = '<td class="col-unit">' in (output / "gongshi/index.html").read_text(encoding="utf-8")
    objection_column = 'data-while="open"><a' in (output / "gongshi/index.html").read_text(encoding="utf-8")
    assert (unit_column, objection_column) == (not grouped, day == FIXED_DAY)


def _row_key(tr) -> str:
    """static/js/site.js rowKey(): a row's search string, read from the page as the script
    reads it (what the row shows, the unit of its group, its data-search)."""
    name = tr.select_one(".name") or tr.select_one(".col-org")
    title = tr.select_one(".col-title")
    unit = tr.select_one(".col-unit")
    parts = [name.get_text() if name else "", title.get_text() if title else "",
             unit.get_text() if unit else tr.parent.get("data-unit", ""), tr["data-search"]]
    return "|".join(part for part in parts if part)


@pytest.mark.parametrize("grouped", [True, False])
def test_the_filter_reads_each_rows_whole_search_string_from_the_page(tmp_path, grouped):
    """A row carries only its name's pinyin (data-search); the filter script adds the name,
    the 工作单位及职务 and the 推荐单位 that the row or its group shows. Joined so, every row of
    the list and of the unit pages gives exactly search.search_text(), which the site-wide
    search index matches too; grouped by unit (the unit on the <tbody>) and not (a 推荐单位
    column)."""
    from gongshi.site.search import pinyin_text, search_text
    from gongshi.site.search_index import row_anchors
    project = _built(tmp_path, grouped)
    loaded = load_site(project)
    ann = next(a for a in order_site(loaded.site, project, loaded.findings).announcements if a.slug == "2018-mofan")
    by_anchor = dict(zip(row_anchors(ann), ann.recipients))
    output = project / "output/2018-mofan"
    seen = 0
    for page in sorted(output.rglob("*.html")):
        for tr in soup(page).select("tr[data-search]"):
            recipient = by_anchor[tr["id"]]
            person = recipient.category.is_person
            assert tr["data-search"] == pinyin_text(recipient.public, person)
            assert _row_key(tr).lower() == search_text(recipient.public, person), (page, tr["id"])
            seen += 1
    assert seen == 2 * len(ann.recipients)
