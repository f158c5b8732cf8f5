"""An announcement's whole life, built by date (gongshi/load/stages.py): nothing before the notice,
then the notice and the allocation, the 公示 with its objection channel, the closed 公示, and
the 决定 with its final list and 变更说明; an address once published keeps answering.

The bundled 2018 announcement is built at each stage, with its 决定 added as staff would add it
(conftest.add_2018_decision); the bundled 2019 sample announcement has all its stages in the
data and is built at each of them too.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import msgspec.structs
import pytest
from bs4 import BeautifulSoup
from conftest import FIXED_DAY, add_2018_decision, copy_project, every_stage, run_cli
from conftest import LIFE_DAYS as DAYS
from support.objection_pages import check_objection_pages
from support.search_client import SearchIndex

from gongshi.load.model import PublicAnnouncement, PublicChange

A, B = "2018-mofan", "2019-shili"
NOTE = "示例内部说明"  # in both changes.yaml files: the office's own notes, never published


@pytest.fixture(scope="module")
def life(tmp_path_factory) -> dict[str, Path]:
    """The output of each stage, built once a run (read-only)."""
    return every_stage(tmp_path_factory)


def build_report(life: dict[str, Path], stage: str) -> str:
    """What `gongshi build` printed for that stage's build."""
    return (life[stage].parent / f"report-{stage}.txt").read_text(encoding="utf-8")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages(output: Path, slug: str) -> set[str]:
    return {p.relative_to(output / slug).as_posix() for p in (output / slug).rglob("index.html")} \
        if (output / slug).is_dir() else set()


def text_of(output: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in output.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt", ".csv"))


def feed_ids(output: Path) -> list[str]:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    return [e.findtext("a:id", namespaces=ns) for e in ET.fromstring((output / "feed.xml").read_bytes())
            .findall("a:entry", ns)]


def names_in_search(output: Path, query: str) -> list[str]:
    files = {p.relative_to(output).as_posix(): p.read_bytes() for p in (output / "search").glob("*.json")}
    return [r["name"] for r in SearchIndex(files).search(query, limit=10_000).records]


def units(slug: str) -> set[str]:
    return {"units/index.html"} | {f"units/{u}/index.html" for u in UNITS[slug]}


UNITS = {A: ["qinyang", "mengzhou", "wenxian", "wuzhi", "boai", "xiuwu", "jiefang", "shanyang", "macun",
             "zhongzhan", "caimao", "jiaoyu", "jiaomei", "shizhi", "qita"],
         B: ["jiaxian", "yiqu", "chanye"]}
NOTICE_PAGES = {"index.html", "notice/index.html"}


# ---------------------------------------------------------------------------- which pages


@pytest.mark.parametrize("stage, first, second", [
    ("before", set(), set()),
    ("notice", NOTICE_PAGES | units(A), set()),
    ("open", NOTICE_PAGES | units(A) | {"gongshi/index.html"}, set()),
    ("closed", NOTICE_PAGES | units(A) | {"gongshi/index.html"}, set()),
    ("decided", NOTICE_PAGES | units(A) | {"gongshi/index.html", "decision/index.html"}, set()),
    ("next-notice", NOTICE_PAGES | units(A) | {"gongshi/index.html", "decision/index.html"},
     NOTICE_PAGES | units(B)),
    ("next-open", None, NOTICE_PAGES | units(B) | {"gongshi/index.html"}),
    ("next-decided", None, NOTICE_PAGES | units(B) | {"gongshi/index.html", "decision/index.html"}),
])
def test_each_stage_has_its_pages(life, stage, first, second):
    if first is not None:
        assert pages(life[stage], A) == first
    assert pages(life[stage], B) == second


def test_a_published_address_keeps_answering_at_every_later_stage(life):
    """Pages, downloads and the feed, from the notice to the last 决定 (the search index's
    chunk files are the machine's own and may be renumbered)."""
    seen: set[str] = set()
    for stage in DAYS:
        here = {p.relative_to(life[stage]).as_posix() for p in life[stage].rglob("*")
                if p.is_file() and not p.match("search/*.json")}
        assert seen <= here, f"{stage}: gone: {sorted(seen - here)}"
        seen = here


def test_nothing_is_published_before_the_notice(life):
    output = life["before"]
    home = soup(output / "index.html")
    assert "本站暂无已发布的公告" in home.main.get_text()
    assert not (output / A).exists() and not (output / B).exists()
    assert feed_ids(output) == []
    assert "示例市" not in text_of(life["open"])  # the 2019 announcement, not yet published


@pytest.mark.parametrize("stage, first, second", [
    ("before", "2018-mofan（2018年度焦作市模范职工之家等评选表彰）：未发布。通知日期 2018年10月9日 晚于发布日期 "
               "2018年10月8日", "未发布。通知日期 2019年3月15日"),
    ("notice", "2018-mofan（2018年度焦作市模范职工之家等评选表彰）：通知阶段（发布通知和名额分配，不含名单，"
               "公示自 2018年11月5日 开始）", "未发布"),
    ("open", "：公示阶段（2018年11月5日至9日，公示中）", "未发布"),
    ("closed", "：公示阶段（2018年11月5日至9日，公示已结束，等待表彰决定）", "未发布"),
    ("decided", "：表彰决定已于 2018年11月20日 发布", "未发布"),
    ("next-open", "：表彰决定已于 2018年11月20日 发布", "：公示阶段"),
])
def test_the_build_report_says_what_each_announcement_shows_that_day(life, stage, first, second):
    """Staff see why pages are missing (a notice dated after the build day) instead of a
    site that is silently empty, and the page-size line names only pages that exist."""
    lines = build_report(life, stage).splitlines()
    at = lines.index(f"按 {DAYS[stage][:4]}年{int(DAYS[stage][5:7])}月{int(DAYS[stage][8:])}日 的日期：")
    mine, theirs = lines[at + 1], lines[at + 2]
    assert mine.strip().startswith(A) and first in mine
    assert theirs.strip().startswith(B) and second in theirs
    sizes = "".join(line for line in lines if line.startswith("页面大小"))
    for slug in (A, B):
        assert (f"{slug}/gongshi/index.html" in sizes) == (life[stage] / slug / "gongshi" / "index.html").is_file()


# ---------------------------------------------------------------------------- the notice stage


def test_notice_stage_shows_the_notice_and_quotas_and_no_name(life):
    output = life["notice"]
    doc = soup(output / A / "index.html")
    assert doc.select_one(".status-label").get_text() == "通知已发布"
    assert "公示时间" not in doc.select_one(".status").get_text()
    assert [a.get_text() for a in doc.select(".site-nav a")] == ["通知", "推荐单位", "查找"]
    assert doc.main.get("data-period") is None  # no script may turn this into 公示中
    unit = soup(output / A / "units/qinyang/index.html")
    quotas = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")]
              for tr in unit.select("table.unit-quotas tbody tr")}
    assert quotas["焦作市模范职工之家"] == ["3个", "本单位名额"]
    assert "共用3个" in quotas["焦作市模范职工之家红旗单位"][1]
    assert not unit.select("table.recipients") and "名单将在公示时公布" in unit.main.get_text()
    assert not (output / A / "downloads").exists()
    published = text_of(output)
    names = [line.split(": ", 1)[1] for path in (Path(output).parent / "project/data" / A / "recipients").glob("*.yaml")
             for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("  - name: ")]
    assert len(names) > 400 and not [n for n in names if n in published]
    assert names_in_search(output, "示例") == []  # every name and post has 示例; no unit name does
    assert feed_ids(output) == [f"tag:gongshi,2018:{A}/notice"]


# ---------------------------------------------------------------------------- the 公示, open and closed


def test_open_gongshi_has_the_objection_channel(life):
    doc = soup(life["open"] / A / "gongshi/index.html")
    assert doc.select("section.objection-top") and doc.select("td.col-objection a[href^='mailto:']")
    assert not (life["open"] / A / "decision").exists()
    assert feed_ids(life["open"]) == [f"tag:gongshi,2018:{A}/gongshi", f"tag:gongshi,2018:{A}/notice"]


@pytest.mark.parametrize("stage", list(DAYS))
def test_the_objection_body_is_once_on_each_page_with_objection_links_and_nowhere_else(life, stage):
    """While objections are open, the 公示 and unit pages carry the body once (the rows' links
    carry subject only); in every other stage no page has the body or the sentence."""
    with_links = check_objection_pages(life[stage], life[stage].parent / "project")
    slug = {"open": A, "next-open": B}.get(stage)
    if slug is None:
        assert with_links == [], stage
    else:
        assert f"{slug}/gongshi/index.html" in with_links and all(p.startswith(slug) for p in with_links)
        assert any(p.startswith(f"{slug}/units/") for p in with_links)


def test_closed_gongshi_keeps_its_dates_and_list_without_objection_links(life):
    for stage in ("closed", "decided"):
        doc = soup(life[stage] / A / "gongshi/index.html")
        assert not doc.select(".col-objection, section.objection-top, section.objection-bottom"), stage
        assert not doc.select("a[href*='subject=']"), stage
        closed = doc.select_one("section.period-closed").get_text()
        assert "公示时间：2018年11月5日至9日" in closed and "（已结束）" in closed
        assert len(doc.select("tr[data-search]")) == 495  # the list as published
        assert "朱婉" in doc.get_text()
        footer = doc.select_one(".site-footer").get_text()
        assert "公示受理" not in footer and "联系：" in footer
    waiting = soup(life["closed"] / A / "gongshi/index.html").select_one("section.period-closed").get_text()
    assert "表彰决定印发后，最终名单将在本站公布" in waiting
    decided = soup(life["decided"] / A / "gongshi/index.html").select_one("section.period-closed")
    assert "有 2 处变更" in decided.get_text()
    assert decided.select_one("a[href='/2018-mofan/decision/#changes']")


def test_open_pages_carry_the_closed_state_hidden_for_the_script(life):
    """Built while objections are open: each part of the objection channel is marked for the
    open state, and what a page built after the period shows is there too, hidden, with the
    period's closed label (static/js/site.js shows it once the reader's day is past the period)."""
    doc = soup(life["open"] / A / "gongshi/index.html")
    assert doc.main["data-built-state"] == "open" and doc.main.get("data-period")
    for part in doc.select("section.objection-top, section.objection-bottom, .col-objection"):
        assert part.get("data-while") == "open" and not part.has_attr("hidden"), part.name
    closed = soup(life["closed"] / A / "gongshi/index.html").select_one("section.period-closed")
    waiting = doc.select_one("section.period-closed")
    assert waiting["data-while"] == "closed" and waiting.has_attr("hidden")
    del waiting["data-while"], waiting["hidden"]
    assert str(waiting) == str(closed)  # as a page built after the period has it
    footer = doc.select_one(".site-footer p:nth-of-type(2)")
    assert [(span.get_text(), span.get("data-while"), span.has_attr("hidden"))
            for span in footer.find_all("span")] == [("公示受理", "open", False), ("联系", "closed", True)]
    unit = soup(life["open"] / A / "units/qinyang/index.html")
    lines = {p["data-while"]: p for p in unit.select("p.compact-contact")}
    assert "有异议请联系" in lines["open"].get_text() and not lines["open"].has_attr("hidden")
    assert lines["closed"].has_attr("hidden")
    assert lines["closed"].get_text() == "公示时间：2018年11月5日至9日（已结束）。公示已经结束，不再受理异议。"
    for page in ("search/index.html", "404.html"):  # their footer says 公示受理 too
        assert soup(life["open"] / page).main["data-built-state"] == "open", page


def test_only_pages_built_while_objections_are_open_change_in_the_browser(life):
    """A page built after the period is final as built; one built before the 公示 (the notice
    stage) has nothing the script could turn into 公示中."""
    for stage in ("before", "notice", "closed", "decided", "next-decided"):
        for path in life[stage].rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert "data-while" not in text and "data-built-state" not in text, (stage, path)
            if stage in ("before", "notice"):
                assert "data-period" not in text, (stage, path)


def test_the_gongshi_downloads_stay_as_published(life):
    for name in ("gongshi.xlsx", "gongshi.csv", "gongshi.json"):
        first = (life["open"] / A / "downloads" / name).read_bytes()
        for stage in ("closed", "decided", "next-decided"):
            assert (life[stage] / A / "downloads" / name).read_bytes() == first, (name, stage)


# ---------------------------------------------------------------------------- the 决定


def test_decision_page_is_the_document_then_the_final_list(life):
    doc = soup(life["decided"] / A / "decision/index.html")
    article = doc.select_one("article.document")
    assert article.select_one(".doc-issuer").get_text() == "焦作市总工会"
    assert article.select_one(".doc-number").get_text() == "示例〔2018〕1号"
    assert article.h1.get_text().startswith("关于表彰焦作市模范职工之家") and len(doc.find_all("h1")) == 1
    assert article.select_one(".doc-date").get_text() == "2018年11月20日"
    lists = doc.select_one("section.decision-list")
    assert lists.h2.get_text() == "焦作市模范职工之家等表彰（命名）名单"
    rows = lists.select("tr[data-search]")
    assert len(rows) == 494 and not lists.select(".col-objection")
    assert "朱婉" not in lists.get_text()
    assert "沁阳市示例嘉祥食品有限公司工会副主席" in lists.get_text()
    worker = lists.select_one("section#worker")
    assert worker.h3.get_text() == "焦作市优秀工会工作者（95名）"
    assert [int(td.get_text()) for td in worker.select("td.col-number")] == list(range(1, 96))
    # ordered and grouped as the 公示 list is: the same rows in the same order, less the withdrawn
    gongshi = soup(life["decided"] / A / "gongshi/index.html").select_one("section#worker")
    names = [th.select_one(".name").get_text() for th in gongshi.select("tbody th.col-name")]
    assert [th.select_one(".name").get_text() for th in worker.select("tbody th.col-name")] == [
        n for n in names if n != "朱婉"]
    assert doc.main.get("data-period") is None


def test_change_log_says_what_changed_publicly_and_nothing_private(life):
    doc = soup(life["decided"] / A / "decision/index.html")
    items = [li.get_text() for li in doc.select("section#changes li")]
    assert items == [
        "撤销　焦作市优秀工会工作者　朱婉（沁阳市）。原因：经核查不符合条件（2018年11月14日）",
        ("更正　焦作市优秀工会积极分子　陆璐（沁阳市）：工作单位及职务由“沁阳市示例嘉祥食品有限公司车间工会主席”"
         "更正为“沁阳市示例嘉祥食品有限公司工会副主席”。原因：公示信息有误，予以更正（2018年11月15日）")]
    for stage in DAYS:
        assert NOTE not in text_of(life[stage]), stage
    # What a template could ever reach of a change or an announcement: no note, no lists.
    assert "note" not in {f.name for f in msgspec.structs.fields(PublicChange)}
    assert not {"decision", "recipients", "rules", "blocks"} & {f.name for f in msgspec.structs.fields(PublicAnnouncement)}


def test_decision_downloads_beside_the_gongshi_ones(life):
    folder = life["decided"] / A / "downloads"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{stem}.{ext}" for stem in ("gongshi", "decision") for ext in ("xlsx", "csv", "json"))
    rows = list(csv.reader(io.StringIO((folder / "decision.csv").read_bytes().decode("utf-8-sig"))))[1:]
    assert len(rows) == 494 and not [r for r in rows if r[2] == "朱婉"]
    data = json.loads((folder / "decision.json").read_text(encoding="utf-8"))
    # written directly, as json.dumps(…, indent=1) writes it (json's indenting encoder is slow)
    assert (folder / "decision.json").read_bytes() == (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()
    assert (data["number"], data["date"]) == ("示例〔2018〕1号", "2018-11-20")
    assert [c["action"] for c in data["changes"]] == ["撤销", "更正"]
    assert data["changes"][1]["corrections"] == [{"field": "工作单位及职务", "before": "沁阳市示例嘉祥食品有限公司车间工会主席",
                                                  "after": "沁阳市示例嘉祥食品有限公司工会副主席"}]
    from openpyxl import load_workbook
    assert load_workbook(folder / "decision.xlsx").sheetnames == ["表彰名单"]
    links = [a["href"] for a in soup(life["decided"] / A / "decision/index.html").select(".downloads li a")]
    assert links == [f"/{A}/downloads/decision.{ext}" for ext in ("xlsx", "csv", "json")]


def test_unit_pages_and_search_follow_the_stage(life):
    for stage, listed in (("open", True), ("decided", False)):
        unit = soup(life[stage] / A / "units/qinyang/index.html")
        assert ("朱婉" in unit.get_text()) is listed, stage
        assert ("朱婉" in names_in_search(life[stage], "朱婉")) is listed, stage
    unit = soup(life["decided"] / A / "units/qinyang/index.html")
    assert "表彰（命名）对象" in unit.select("h2")[-1].get_text()
    assert unit.select_one(".compact-contact a[href='/2018-mofan/decision/']")
    assert "示例甲" not in names_in_search(life["next-notice"], "示例甲")
    assert "示例甲" in names_in_search(life["next-open"], "示例甲")
    assert "示例丙" in names_in_search(life["next-open"], "示例丙")
    assert "示例丙" not in names_in_search(life["next-decided"], "示例丙")


# ---------------------------------------------------------------------------- across announcements


def test_front_page_lists_announcements_newest_first_with_their_stage(life):
    home = soup(life["next-open"] / "index.html")
    assert home.h1.get_text() == "2019年度示例市优秀工会工作者等评选表彰（示例）"
    assert home.select_one(".status-label").get_text() == "公示中（还剩 3 个工作日）"
    assert [li.get_text() for li in home.select(".archive li")] == [
        "2018年度焦作市模范职工之家等评选表彰（2018年10月9日，已发布表彰决定）"]
    assert [a.get_text() for a in home.select(".site-nav a")] == ["通知", "公示名单", "推荐单位", "查找"]
    home = soup(life["decided"] / "index.html")
    assert home.h1.get_text() == "2018年度焦作市模范职工之家等评选表彰" and not home.select(".archive")
    assert [a.get_text() for a in home.select(".site-nav a")] == ["通知", "公示名单", "表彰决定", "推荐单位", "查找"]
    search = soup(life["next-decided"] / "search/index.html")
    assert [a["aria-label"] for a in search.select(".search-lists a")] == [
        f"{title} {what}" for title in ("2019年度示例市优秀工会工作者等评选表彰（示例）", "2018年度焦作市模范职工之家等评选表彰")
        for what in ("表彰决定", "公示名单", "推荐单位")]


def test_feed_has_an_entry_per_stage_reached(life):
    assert feed_ids(life["next-decided"]) == [
        f"tag:gongshi,2019:{B}/decision", f"tag:gongshi,2019:{B}/gongshi", f"tag:gongshi,2019:{B}/notice",
        f"tag:gongshi,2018:{A}/decision", f"tag:gongshi,2018:{A}/gongshi", f"tag:gongshi,2018:{A}/notice"]
    assert len(feed_ids(life["next-notice"])) == 4


def test_the_sample_announcement_is_marked_on_every_page(life):
    output = life["next-decided"]
    for page in (output / B).rglob("index.html"):
        doc = soup(page)
        assert "示例数据" in doc.select_one(".sample-banner").get_text(), page
        assert "示例" in doc.main.get_text(), page
    banner = soup(output / B / "decision/index.html").select_one(".sample-banner").get_text()
    assert "表彰决定文字和名单是演示用的示例" in banner


def test_sitemap_and_verify_cover_every_stage(tmp_path):
    project = add_2018_decision(copy_project(tmp_path / "project"))
    result = run_cli("build", "--today", DAYS["next-decided"], "--base-url", "https://portal.example/gs/",
                     project=project)
    assert result.code == 0, result.output
    output = project / "output"
    locs = {e.text for e in ET.fromstring((output / "sitemap.xml").read_bytes()).iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for slug in (A, B):
        for path in ("notice/", "gongshi/", "decision/", "units/"):
            assert f"https://portal.example/gs/{slug}/{path}" in locs
    # verify compares every file SHA256SUMS lists, and SHA256SUMS lists every published file
    listed = {line.split("  ", 1)[1] for line in (output / "SHA256SUMS").read_text().splitlines()}
    assert {f"{A}/decision/index.html", f"{A}/downloads/decision.csv", f"{B}/decision/index.html"} <= listed
    assert run_cli("verify", str(output), project=project).code == 0
    (output / A / "decision/index.html").write_text("changed", encoding="utf-8")
    changed = run_cli("verify", str(output), project=project)
    assert changed.code == 1 and f"{A}/decision/index.html" in changed.stdout


# ---------------------------------------------------------------------------- the checks


def test_a_decision_being_prepared_is_checked_and_not_published(tmp_path):
    project = add_2018_decision(copy_project(tmp_path / "project"))
    (project / "content/2018-mofan/decision.md").unlink()
    result = run_cli("build", "--today", DAYS["decided"], project=project)
    assert result.code == 0, result.output
    assert "警告 J009：有决定名单或 changes.yaml，但没有 content/2018-mofan/decision.md" in result.stdout
    assert not (project / "output" / A / "decision").exists()
    assert "已结束" in (project / "output" / A / "gongshi/index.html").read_text(encoding="utf-8")
    worker = project / "data/2018-mofan/decision/worker.yaml"
    worker.write_text(worker.read_text(encoding="utf-8").replace("    title: 沁阳市示例瑞德钢构有限公司工会副主席\n",
                                                                 "    title: 沁阳市示例瑞德钢构有限公司工会主席\n"),
                      encoding="utf-8")
    result = run_cli("check", "--today", FIXED_DAY, project=project)
    assert result.code == 1 and "错误 J003：决定名单中“许静俊”（焦作市优秀工会工作者，沁阳市）的公开信息与公示不同" in result.stdout


def test_a_new_announcement_without_a_gongshi_period_stays_in_the_notice_stage(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "data/2019-shili/announcement.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("gongshi:\n  start: 2019-05-06\n  end: 2019-05-10\n", ""), encoding="utf-8")
    (project / "content/2019-shili/decision.md").unlink()
    (project / "data/2019-shili/changes.yaml").unlink()
    for name in ("worker.yaml", "home.yaml"):
        (project / "data/2019-shili/decision" / name).unlink()
    (project / "data/2019-shili/decision").rmdir()
    (project / "content/2019-shili/gongshi.md").write_text("not read while there is no 公示 period", encoding="utf-8")
    result = run_cli("build", "--today", DAYS["next-decided"], project=project)
    assert result.code == 0, result.output
    assert pages(project / "output", B) == NOTICE_PAGES | units(B)
