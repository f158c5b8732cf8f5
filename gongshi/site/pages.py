"""The site map: every page the site has, its URL, template and what it shows.

`site_pages()` is the one place that decides which pages exist. Each page's context holds
view objects built for templates (recipients only as `PublicRecipient`), so nothing a
template can reach was not meant for the public. Work is linear in the data: recipients are
grouped once per announcement, and each unit page gets only its own recipients.

The 公示 list is one page, `<slug>/gongshi/`, while it has at most LIST_PAGE_ROWS rows (the
one threshold). Above that the same URL becomes the list's index (the 公示 text, a table of
contents and the site search), and each category gets a page of its own,
`<slug>/gongshi/<category>/`; a category with more than LIST_PAGE_ROWS rows is cut into
numbered pages, `<slug>/gongshi/<category>/<n>/` from n = 2, each made of whole units in the
附件's order (a unit larger than a page alone is cut too, its heading marked 续). Every row
keeps its id (search_index.row_anchors()) wherever it is listed. The 决定's final list is
laid out the same way under `<slug>/decision/`.

Which pages an announcement has depends on its stage on the build day (stages.py): the
notice, the allocation and the unit pages from the notice's date; the 公示 (its list, parts
and downloads) from the 公示's first day; the 决定 (its list, the 变更说明 and downloads) from
the decision's date. Unit pages and the search show the list of the current stage. An
announcement not yet published has no page; the front page lists the others newest first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from .. import urls
from ..check.decision import public_changes
from ..check.quota import Allocation
from ..load.model import Announcement, Recipient, Site, Unit
from ..load.stages import DECISION, GONGSHI, NOTICE, current_list, published, stage_status
from ..zh.chinese_dates import format_date, format_period
from ..zh.workdays import WorkCalendar, period_state
from .downloads import Parts, announcement_downloads, decision_downloads
from .lists import CategoryList, ListPart, SplitCategory, UnitGroup
from .search_index import row_anchors, search_page_context

# The 公示 list stays one page up to this many rows; above it, it is split (see above).
LIST_PAGE_ROWS = 3000


class Page(Struct, frozen=True):
    path: str  # URL path under the base URL: "" (front page), "x/y/" or "404.html"
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path


class PeriodStatus(Struct, frozen=True):
    text: str      # the period as officially written: 2018年11月5日至9日
    state: str     # upcoming / open / closed
    label: str     # 未开始 / 公示中（还剩 N 个工作日） / 已结束
    calendar_json: str  # working days and days off, for the script that keeps the label current


def period_status(announcement: Announcement, today: dt.date, calendar: WorkCalendar | None) -> PeriodStatus:
    period = announcement.period
    assert period is not None and calendar is not None  # the loader makes a period only with a calendar
    state, label, _ = period_state(period.start, period.end, today, calendar)
    data = dict(period.calendar, start=period.start.isoformat(), end=period.end.isoformat())
    return PeriodStatus(format_period(period.start, period.end, period.end_clock), state, label,
                        json.dumps(data, separators=(",", ":")))


def category_lists(announcement: Announcement, section: str = "gongshi",
                   anchors: tuple[str, ...] | None = None) -> list[CategoryList]:
    """Recipients grouped by category, then by unit in the 附件's own order; split into
    pages (`parts`, under `<slug>/<section>/`) when the whole list has more than
    LIST_PAGE_ROWS rows. `anchors`: the rows' ids, when already made (row_anchors())."""
    anchors = anchors if anchors is not None else row_anchors(announcement)
    grouped: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, recipient in enumerate(announcement.recipients):
        grouped[recipient.category.id][recipient.unit.id].append(index)

    def group(unit: Unit | None, indexes: list[int], first_number: int) -> UnitGroup:
        return UnitGroup(unit, tuple(announcement.recipients[i].public for i in indexes), first_number,
                         tuple(anchors[i] for i in indexes))

    lists = []
    for category in announcement.categories:
        by_unit = grouped.get(category.id, {})
        if not announcement.group_by_unit:
            indexes = [i for members in by_unit.values() for i in members]
            groups = (group(None, sorted(indexes), 1),) if indexes else ()
            lists.append(CategoryList(category, len(indexes), groups))
            continue
        unit_groups, number = [], 1
        for unit in announcement.units:
            members = by_unit.get(unit.id)
            if members:
                unit_groups.append(group(unit, members, number))
                number += len(members)
        lists.append(CategoryList(category, number - 1, tuple(unit_groups)))
    if sum(item.count for item in lists) > LIST_PAGE_ROWS:
        lists = [replace(item, parts=list_parts(announcement.slug, section, item)) for item in lists]
    return lists


def list_parts(slug: str, section: str, item: CategoryList) -> tuple[ListPart, ...]:
    """A category's list cut into pages of at most LIST_PAGE_ROWS rows: whole units in order,
    a unit larger than a page cut into slices (urls.list_page() names them)."""
    pages: list[list[UnitGroup]] = [[]]
    room = LIST_PAGE_ROWS
    for whole in item.groups:
        start = 0
        while start < len(whole.recipients):
            if room == 0 or (start == 0 and len(whole.recipients) > room and pages[-1]
                             and len(whole.recipients) <= LIST_PAGE_ROWS):
                pages.append([])  # a unit that fits a page is not cut: it starts the next one
                room = LIST_PAGE_ROWS
            end = min(len(whole.recipients), start + room)
            piece = whole if (start, end) == (0, len(whole.recipients)) else replace(
                whole, recipients=whole.recipients[start:end], anchors=whole.anchors[start:end],
                first_number=whole.first_number + start, unit_count=len(whole.recipients),
                continued=start > 0)
            pages[-1].append(piece)
            room -= end - start
            start = end
    parts = []
    for number, groups in enumerate(pages, start=1):
        if not groups:
            continue
        rows = sum(len(g.recipients) for g in groups)
        parts.append(ListPart(urls.list_page(slug, section, item.category.id, number), number, tuple(groups), rows,
                              groups[0].first_number, groups[-1].first_number + len(groups[-1].recipients) - 1))
    return tuple(parts)


# The downloads a summary lists (summary key): the 公示 list's, and the 决定's.
DOWNLOAD_KEYS = ("downloads", "decision_downloads")


class DownloadLinks(list):
    """The downloads of an announcement's list as its page shows them (DownloadLink: path,
    label, size). Empty when the pages are planned, filled in once the files are made: they
    are made while other pages render (publish), and only the list pages need their sizes."""


def planned_summaries(pages: list[Page]) -> dict[str, dict[str, Any]]:
    """The summary of each published announcement in the planned pages, by slug."""
    return {page.context["summary"]["announcement"].slug: page.context["summary"]
            for page in pages if page.context.get("summary") is not None}


def planned_downloads(pages: list[Page]) -> dict[str, dict[str, DownloadLinks]]:
    """The download links each list page shows, by slug, then DOWNLOAD_KEYS key (filled in
    there: see download_files())."""
    found: dict[str, dict[str, DownloadLinks]] = defaultdict(dict)
    for page in pages:
        if "section" in page.context and "part" not in page.context:
            key = DOWNLOAD_KEYS[0] if page.context["section"] == "gongshi" else DOWNLOAD_KEYS[1]
            found[page.context["announcement"].slug][key] = page.context["downloads"]
    return found


def planned_lists(pages: list[Page]) -> dict[tuple[str, str], list[CategoryList]]:
    """The category lists of each list page planned, by (slug, section): what the downloads
    hold. (The summaries do not carry them: a page shows an announcement's summary, and what
    it is given is what it is made from, for a preview's memo too: site.memo.)"""
    return {(page.context["announcement"].slug, page.context["section"]): page.context["lists"]
            for page in pages if "section" in page.context and "part" not in page.context}


def download_files(announcement: Announcement, summary: dict[str, Any],
                   lists: dict[tuple[str, str], list[CategoryList]], parts: Parts | None = None) -> dict[str, list]:
    """The downloads of an announcement at its stage (downloads.Download: path, label, bytes),
    by summary key: the 公示 list's from the 公示 on, the 决定's once it is published.
    `lists`: planned_lists(); `parts`: see downloads.Parts."""
    made: dict[str, list] = {key: [] for key in DOWNLOAD_KEYS}
    stage = summary["stage"]
    if stage != NOTICE:
        period = announcement.period
        assert announcement.gongshi is not None and period is not None  # stages.stage_on
        made["downloads"] = announcement_downloads(announcement.slug, announcement.gongshi.title,
                                                   (period.start, period.end), announcement.gongshi.date,
                                                   lists[announcement.slug, "gongshi"], parts)
    if stage == DECISION:
        assert announcement.decision_text is not None  # stages.stage_on
        made["decision_downloads"] = decision_downloads(announcement.slug, announcement.decision_text,
                                                        lists[announcement.slug, "decision"], summary["changes"], parts)
    return made


def download_inputs(announcement: Announcement, summary: dict[str, Any]) -> tuple:
    """All that download_files() reads of the announcement and its summary (besides the
    lists): what a preview's memo keys the downloads by (site.memo)."""
    gongshi, period = announcement.gongshi, announcement.period
    return (announcement.slug, summary["stage"], summary["changes"], announcement.decision_text,
            None if gongshi is None else (gongshi.title, gongshi.date),
            None if period is None else (period.start, period.end))


def searched_site(site: Site, today: dt.date) -> Site:
    """The site as the search index holds it: what the unit pages show, the list of each
    published announcement's stage."""
    shown = tuple(replace(a, recipients=current_list(a, stage)) for a, stage in published(site, today))
    return replace(site, announcements=shown)


def _anchors(announcement: Announcement, stage: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The row ids of the 公示 list and of the list of the stage (the unit pages'), made once."""
    if stage == NOTICE:
        return (), ()
    listed = row_anchors(announcement)
    return listed, row_anchors(announcement.decision_view) if stage == DECISION else listed


def site_pages(site: Site, today: dt.date) -> list[Page]:
    pages = []
    shown = published(site, today)
    anchors = [_anchors(a, stage) for a, stage in shown]
    made = [_summary(a, stage, today, site.calendar, ids) for (a, stage), ids in zip(shown, anchors)]
    summaries = [summary for summary, _ in made]
    featured = summaries[0] if summaries else None
    shared = {"announcement": featured["announcement"] if featured else None,
              "stage": featured["stage"] if featured else None,
              "sample": any(s["sample"] for s in summaries),
              "objections_open": featured is not None and featured["status"].objections_open}
    if featured and featured["status"].objections_open:
        # The search page and 404.html say 公示受理 in their footer: with the status, the page
        # script turns it into 联系 once the period is over, as on the announcement's pages.
        shared["status"] = featured["status"]
    home = shared | {"featured": featured, "others": summaries[1:]}
    if featured:
        home["status"] = featured["status"]
    pages.append(Page(urls.home(), "home.html", site.name, home))
    for (announcement, _), (summary, lists), ids in zip(shown, made, anchors):
        pages.extend(_announcement_pages(announcement, summary, lists, ids[1]))
    search = search_page_context(replace(site, announcements=tuple(a for a, _ in shown))) if shown else {}
    pages.append(Page(urls.search(), "search.html", "查找姓名或单位", search | shared | {"summaries": summaries}))
    pages.append(Page(urls.NOT_FOUND, "404.html", "页面不存在", shared | {"summary": featured}))
    return pages


def _summary(announcement: Announcement, stage: str, today: dt.date, calendar: WorkCalendar | None,
             anchors: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[dict[str, Any], dict[str, list]]:
    """What the front block of an announcement shows, public views only; and its lists by
    section (the list pages show them, not the summary)."""
    period = announcement.period
    status = stage_status(announcement, stage, period_status(announcement, today, calendar) if period else None)
    lists = category_lists(announcement, anchors=anchors[0]) if stage != NOTICE else []
    summary: dict[str, Any] = {
        "announcement": announcement.public,
        "stage": stage,
        "status": status,
        "sample": announcement.is_sample,
        "notice_date": format_date(announcement.notice.date),
        "changes": (),
    }
    decision_lists: list[CategoryList] = []
    if stage == DECISION:
        decision_lists = category_lists(announcement.decision_view, "decision", anchors[1])
        summary.update(changes=public_changes(announcement))
    counts = {item.category.id: item.count for item in lists}
    final_counts = {item.category.id: item.count for item in decision_lists}
    summary["counts"] = [(c, counts.get(c.id), final_counts.get(c.id)) for c in announcement.categories]
    return summary, {"gongshi": lists, "decision": decision_lists}


def _feed(announcement: Announcement, stage: str, day: dt.date, title: str) -> tuple[dt.date, str, str]:
    """A page's entry in feed.xml: its date, title and a tag URI that never changes."""
    return day, title, f"tag:gongshi,{announcement.notice.date.year}:{announcement.slug}/{stage}"


def _announcement_pages(ann: Announcement, summary: dict[str, Any], lists: dict[str, list],
                        anchors: tuple[str, ...]) -> list[Page]:
    """`lists`: the category lists by section; `anchors`: the row ids of the list of the stage."""
    stage, status = summary["stage"], summary["status"]
    view = replace(ann, recipients=current_list(ann, stage))  # what the unit pages list
    allocation = Allocation(view)
    common = {"announcement": ann.public, "stage": stage, "status": status, "summary": summary,
              "sample": ann.is_sample, "objections_open": status.objections_open}
    hide_lists = bool(ann.period and ann.period.noindex_after_end and status.state == "closed")
    lists_context = common | {"noindex": hide_lists}
    pages = [
        Page(urls.announcement(ann.slug), "announcement.html", ann.short_title, common),
        Page(urls.notice(ann.slug), "notice.html", ann.notice.title,
             common | {"table_rows": allocation.table_rows(),
                       "feed": _feed(ann, NOTICE, ann.notice.date, ann.notice.title)}),
    ]
    if stage in (GONGSHI, DECISION):
        assert ann.gongshi is not None  # stages.stage_on
        pages.extend(_list_pages(ann, "gongshi", lists["gongshi"], lists_context | {
            "feed": _feed(ann, GONGSHI, ann.gongshi.date, ann.gongshi.title),
            "downloads": DownloadLinks()}))  # see download_files()
    if stage == DECISION:
        text = ann.decision_text
        assert text is not None  # stages.stage_on
        pages.extend(_list_pages(ann, "decision", lists["decision"], common | {
            "feed": _feed(ann, DECISION, text.date, text.title),
            "downloads": DownloadLinks(), "changes": summary["changes"]}))
    pages.append(Page(urls.units(ann.slug), "units.html", "推荐单位",
                      common | {"unit_rows": [(u, allocation.unit_quotas(u)) for u in ann.units]}))
    by_unit = _unit_groups(view.recipients, lists["decision" if stage == DECISION else "gongshi"], anchors)
    for unit in ann.units:
        pages.append(Page(urls.unit(ann.slug, unit.id), "unit.html", unit.name, lists_context | {
            "unit": unit,
            "quotas": allocation.unit_quotas(unit),
            "recipients": by_unit.get(unit.id, {}),
        }))
    return pages


def _unit_groups(recipients: tuple[Recipient, ...], lists: list[CategoryList],
                 anchors: tuple[str, ...]) -> dict[str, dict[str, UnitGroup]]:
    """Unit id -> category id -> that unit's rows in that category, numbered from 1, as its
    page lists them (`recipients`: the list of the stage, `lists`: its category lists,
    `anchors`: its row ids). When the lists are grouped by unit, their groups hold exactly
    these rows (at 100,000 names, not grouping them again saves ~0.14 s in each process)."""
    by_unit: dict[str, dict[str, UnitGroup]] = defaultdict(dict)
    groups = [(item.category.id, group) for item in lists for group in item.groups]
    if recipients and sum(len(group.recipients) for _, group in groups) == len(recipients) \
            and all(group.unit is not None for _, group in groups):
        for category_id, group in groups:
            assert group.unit is not None
            by_unit[group.unit.id][category_id] = UnitGroup(None, group.recipients, 1, group.anchors)
        return by_unit
    indexes: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, recipient in enumerate(recipients):
        indexes[recipient.unit.id][recipient.category.id].append(index)
    for unit_id, mine in indexes.items():
        by_unit[unit_id] = {category_id: UnitGroup(None, tuple(recipients[i].public for i in members), 1,
                                                   tuple(anchors[i] for i in members))
                            for category_id, members in mine.items()}
    return by_unit


# The two lists an announcement publishes: the 公示's and the 决定's (its attachment).
LIST_SECTIONS = {"gongshi": ("gongshi.html", "公示名单"), "decision": ("decision.html", "表彰决定")}


def _list_pages(ann: Announcement, section: str, lists: list[CategoryList], context: dict) -> list[Page]:
    """The page of a list (`<slug>/<section>/`) and, when it is split, one page per part."""
    template, name = LIST_SECTIONS[section]
    home = urls.list_page(ann.slug, section)
    text = ann.gongshi if section == "gongshi" else ann.decision_text
    assert text is not None  # a list page is made only at the stage that has its text
    title = text.title
    split = any(item.parts for item in lists)
    context = context | {"lists": lists, "split": split, "section": section, "list_home": home,
                         "list_name": name, "list_title": title}
    pages = [Page(home, template, "公示名单" if section == "gongshi" else title, context)]
    # A part shows its own category (the table of contents is on the list's own page), and of
    # that only what SplitCategory holds, not the list: so a change to one category leaves the
    # other categories' pages as they were, and a change on one page the category's other
    # pages (site.memo).
    part_context = {k: v for k, v in context.items() if k not in ("feed", "downloads", "lists")}
    for item in lists:
        if not item.parts:
            continue
        summary = SplitCategory.of(item)
        for part in item.parts:
            heading = item.category.name + ("" if len(item.parts) == 1 else f"（第{part.number}页）")
            pages.append(Page(part.path, "gongshi_part.html", heading, part_context | {
                "item": summary, "part": part}))
    return pages
