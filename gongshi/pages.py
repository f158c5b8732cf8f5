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
keeps its id (search_index.row_anchors()) wherever it is listed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from .chinese_dates import format_date, format_period
from .downloads import announcement_downloads
from .model import Announcement, Category, PublicRecipient, Site, Unit
from .quota import Allocation
from .search_index import row_anchors, search_page_context
from .workdays import WorkCalendar, period_state

# The 公示 list stays one page up to this many rows; above it, it is split (see above).
LIST_PAGE_ROWS = 3000


@dataclass(frozen=True)
class Page:
    path: str  # URL path under the base URL: "" (front page), "x/y/" or "404.html"
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path


@dataclass(frozen=True)
class ListRow:
    """One row of a list as a template shows it."""

    number: int    # 序号
    anchor: str    # the row's id (search_index.row_anchors())
    recipient: PublicRecipient


@dataclass(frozen=True)
class UnitGroup:
    unit: Unit | None  # None: the list is not grouped by 推荐单位
    recipients: tuple[PublicRecipient, ...]
    first_number: int  # 序号 of the first recipient, counted through the category
    anchors: tuple[str, ...] = ()  # the rows' ids, one per recipient
    unit_count: int = 0  # the unit's recipients in the category, when this group is a slice
    continued: bool = False  # the unit's rows began on the page before (a split list)

    @property
    def count(self) -> int:
        return self.unit_count or len(self.recipients)

    @property
    def rows(self) -> list[ListRow]:
        return [ListRow(self.first_number + i, anchor, recipient)
                for i, (anchor, recipient) in enumerate(zip(self.anchors, self.recipients))]


@dataclass(frozen=True)
class ListPart:
    """One page of a category's list, when the 公示 list is split."""

    path: str       # "2018-mofan/gongshi/worker/" (first page) or "2018-mofan/gongshi/worker/2/"
    number: int     # 1, 2, ...
    groups: tuple[UnitGroup, ...]
    rows: int
    first_number: int  # 序号 range of the page
    last_number: int

    @property
    def label(self) -> str:
        """第2页（序号 3001—6000，沁阳市—温县）"""
        units = [g.unit.name for g in self.groups if g.unit is not None]
        span = "" if not units else f"，{units[0]}" + ("" if units[-1] == units[0] else f"—{units[-1]}")
        return f"第{self.number}页（序号 {self.first_number}—{self.last_number}{span}）"


@dataclass(frozen=True)
class CategoryList:
    category: Category
    count: int
    groups: tuple[UnitGroup, ...]
    parts: tuple[ListPart, ...] = ()  # its pages when the 公示 list is split, else ()

    @property
    def path(self) -> str | None:
        """The page that lists it when the list is split (its first page), else None."""
        return self.parts[0].path if self.parts else None


@dataclass(frozen=True)
class PeriodStatus:
    text: str      # the period as officially written: 2018年11月5日至9日
    state: str     # upcoming / open / closed
    label: str     # 未开始 / 公示中（还剩 N 个工作日） / 已结束
    calendar_json: str  # working days and days off, for the script that keeps the label current


def period_status(announcement: Announcement, today: dt.date, calendar: WorkCalendar) -> PeriodStatus:
    period = announcement.period
    state, label, _ = period_state(period.start, period.end, today, calendar)
    data = dict(period.calendar, start=period.start.isoformat(), end=period.end.isoformat())
    return PeriodStatus(format_period(period.start, period.end, period.end_clock), state, label,
                        json.dumps(data, separators=(",", ":")))


def category_lists(announcement: Announcement, anchors: tuple[str, ...] | None = None) -> list[CategoryList]:
    """Recipients grouped by category, then by unit in the 附件's own order; split into
    pages (`parts`) when the whole list has more than LIST_PAGE_ROWS rows. `anchors`: the
    rows' ids, when already made (row_anchors())."""
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
        lists = [replace(item, parts=list_parts(f"{announcement.slug}/gongshi/{item.category.id}/", item))
                 for item in lists]
    return lists


def list_parts(path: str, item: CategoryList) -> tuple[ListPart, ...]:
    """A category's list cut into pages of at most LIST_PAGE_ROWS rows: whole units in order,
    a unit larger than a page cut into slices. The first page is `path`, then `path<n>/`."""
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
        parts.append(ListPart(path if number == 1 else f"{path}{number}/", number, tuple(groups), rows,
                              groups[0].first_number, groups[-1].first_number + len(groups[-1].recipients) - 1))
    return tuple(parts)


class DownloadLinks(list):
    """The downloads of an announcement's 公示 list as its page shows them (DownloadLink: path,
    label, size). Empty when the pages are planned, filled in once the files are made: they
    are made while other pages render (publish), and only the 公示 page needs their sizes."""


def download_links(pages: list[Page]) -> dict[str, DownloadLinks]:
    """Each announcement's DownloadLinks in the planned pages, by slug."""
    found: dict[str, DownloadLinks] = {}
    for page in pages:
        links = page.context.get("downloads")
        if isinstance(links, DownloadLinks):
            found.setdefault(page.context["announcement"].slug, links)
    return found


def site_pages(site: Site, today: dt.date) -> list[Page]:
    pages = []
    anchors = [row_anchors(a) for a in site.announcements]
    summaries = [_summary(a, today, site.calendar, ids) for a, ids in zip(site.announcements, anchors)]
    featured = summaries[0]
    pages.append(Page("", "home.html", site.name,
                      {"featured": featured, "others": summaries[1:],
                       "announcement": featured["announcement"], "status": featured["status"]}))
    for announcement, summary, ids in zip(site.announcements, summaries, anchors):
        pages.extend(_announcement_pages(announcement, summary, ids))
    pages.append(Page("search/", "search.html", "查找姓名或单位", search_page_context(site)))
    pages.append(Page("404.html", "404.html", "页面不存在", {"announcement": featured["announcement"]}))
    return pages


def _summary(announcement: Announcement, today: dt.date, calendar: WorkCalendar,
             anchors: tuple[str, ...]) -> dict[str, Any]:
    """What the front block of an announcement shows; public views only."""
    lists = category_lists(announcement, anchors)
    return {
        "announcement": announcement.public,
        "lists": lists,
        "status": period_status(announcement, today, calendar),
        "notice_date": format_date(announcement.notice.date),
        "downloads": DownloadLinks(),  # see download_files()
    }


def download_files(announcement: Announcement, lists: list[CategoryList]) -> list:
    """The downloads of an announcement's 公示 list (downloads.Download: path, label, bytes)."""
    period = announcement.period
    return announcement_downloads(announcement.slug, announcement.gongshi.title,
                                  (period.start, period.end), announcement.gongshi.date, lists)


def _announcement_pages(ann: Announcement, summary: dict[str, Any], anchors: tuple[str, ...]) -> list[Page]:
    allocation = Allocation(ann)
    base = f"{ann.slug}/"
    common = {"announcement": ann.public, "status": summary["status"], "summary": summary}
    hide_lists = ann.period.noindex_after_end and summary["status"].state == "closed"
    lists_context = common | {"noindex": hide_lists}
    lists: list[CategoryList] = summary["lists"]
    split = any(item.parts for item in lists)
    pages = [
        Page(base, "announcement.html", ann.short_title, common),
        Page(base + "notice/", "notice.html", ann.notice.title,
             common | {"table_rows": allocation.table_rows()}),
        Page(base + "gongshi/", "gongshi.html", "公示名单",
             lists_context | {"lists": lists, "split": split, "downloads": summary["downloads"]}),
        Page(base + "units/", "units.html", "推荐单位",
             common | {"unit_rows": [(u, allocation.unit_quotas(u)) for u in ann.units]}),
    ]
    for item in lists:
        for part in item.parts:
            title = item.category.name + ("" if len(item.parts) == 1 else f"（第{part.number}页）")
            pages.append(Page(part.path, "gongshi_part.html", title, lists_context | {
                "lists": lists, "item": item, "part": part}))
    by_unit: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, recipient in enumerate(ann.recipients):
        by_unit[recipient.unit.id][recipient.category.id].append(index)
    for unit in ann.units:
        mine = by_unit.get(unit.id, {})
        groups = {category_id: UnitGroup(None, tuple(ann.recipients[i].public for i in indexes), 1,
                                         tuple(anchors[i] for i in indexes))
                  for category_id, indexes in mine.items()}
        pages.append(Page(f"{base}units/{unit.id}/", "unit.html", unit.name, lists_context | {
            "unit": unit,
            "quotas": allocation.unit_quotas(unit),
            "recipients": groups,
        }))
    return pages
