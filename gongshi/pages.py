"""The site map: every page the site has, its URL, template and what it shows.

`site_pages()` is the one place that decides which pages exist. Each page's context holds
view objects built for templates (recipients only as `PublicRecipient`), so nothing a
template can reach was not meant for the public. Work is linear in the data: recipients are
grouped once per announcement, and each unit page gets only its own recipients.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .chinese_dates import format_date, format_period
from .downloads import announcement_downloads
from .model import Announcement, Category, PublicRecipient, Site, Unit
from .quota import Allocation
from .search_index import build_search_index, search_page_context
from .workdays import WorkCalendar, period_state


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
class UnitGroup:
    unit: Unit | None  # None: the list is not grouped by 推荐单位
    recipients: tuple[PublicRecipient, ...]
    first_number: int  # 序号 of the first recipient, counted through the category


@dataclass(frozen=True)
class CategoryList:
    category: Category
    count: int
    groups: tuple[UnitGroup, ...]


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


def category_lists(announcement: Announcement) -> list[CategoryList]:
    """Recipients grouped by category, then by unit in the 附件's own order."""
    grouped: dict[str, dict[str, list[PublicRecipient]]] = defaultdict(lambda: defaultdict(list))
    for recipient in announcement.recipients:
        grouped[recipient.category.id][recipient.unit.id].append(recipient.public)
    lists = []
    for category in announcement.categories:
        by_unit = grouped.get(category.id, {})
        if not announcement.group_by_unit:
            members = tuple(r.public for r in announcement.recipients if r.category.id == category.id)
            groups = (UnitGroup(None, members, 1),) if members else ()
            lists.append(CategoryList(category, len(members), groups))
            continue
        groups, number = [], 1
        for unit in announcement.units:
            members = by_unit.get(unit.id)
            if members:
                groups.append(UnitGroup(unit, tuple(members), number))
                number += len(members)
        lists.append(CategoryList(category, number - 1, tuple(groups)))
    return lists


@dataclass(frozen=True)
class SitePlan:
    pages: list[Page]
    files: dict[str, bytes]  # other published files (downloads), output-relative


def plan_site(site: Site, today: dt.date) -> SitePlan:
    pages = site_pages(site, today)
    files: dict[str, bytes] = {}
    for page in pages:
        for download in page.context.get("downloads", ()):
            files[download.path] = download.data
    files.update(build_search_index(site))
    return SitePlan(pages, files)


def site_pages(site: Site, today: dt.date) -> list[Page]:
    pages = []
    summaries = [_summary(a, today, site.calendar) for a in site.announcements]
    featured = summaries[0]
    pages.append(Page("", "home.html", site.name,
                      {"featured": featured, "others": summaries[1:],
                       "announcement": featured["announcement"], "status": featured["status"]}))
    for announcement, summary in zip(site.announcements, summaries):
        pages.extend(_announcement_pages(announcement, summary))
    pages.append(Page("search/", "search.html", "查找姓名或单位", search_page_context(site)))
    pages.append(Page("404.html", "404.html", "页面不存在", {"announcement": featured["announcement"]}))
    return pages


def _summary(announcement: Announcement, today: dt.date, calendar: WorkCalendar) -> dict[str, Any]:
    """What the front block of an announcement shows; public views only."""
    lists = category_lists(announcement)
    period = announcement.period
    return {
        "announcement": announcement.public,
        "lists": lists,
        "status": period_status(announcement, today, calendar),
        "notice_date": format_date(announcement.notice.date),
        "downloads": announcement_downloads(announcement.slug, announcement.gongshi.title,
                                            (period.start, period.end), announcement.gongshi.date,
                                            lists),
    }


def _announcement_pages(ann: Announcement, summary: dict[str, Any]) -> list[Page]:
    allocation = Allocation(ann)
    base = f"{ann.slug}/"
    common = {"announcement": ann.public, "status": summary["status"], "summary": summary}
    hide_lists = ann.period.noindex_after_end and summary["status"].state == "closed"
    lists_context = common | {"noindex": hide_lists}
    pages = [
        Page(base, "announcement.html", ann.short_title, common),
        Page(base + "notice/", "notice.html", ann.notice.title,
             common | {"table_rows": allocation.table_rows()}),
        Page(base + "gongshi/", "gongshi.html", "公示名单",
             lists_context | {"lists": summary["lists"], "downloads": summary["downloads"]}),
        Page(base + "units/", "units.html", "推荐单位",
             common | {"unit_rows": [(u, allocation.unit_quotas(u)) for u in ann.units]}),
    ]
    by_unit: dict[str, dict[str, list[PublicRecipient]]] = defaultdict(lambda: defaultdict(list))
    for recipient in ann.recipients:
        by_unit[recipient.unit.id][recipient.category.id].append(recipient.public)
    for unit in ann.units:
        pages.append(Page(f"{base}units/{unit.id}/", "unit.html", unit.name, lists_context | {
            "unit": unit,
            "quotas": allocation.unit_quotas(unit),
            "recipients": by_unit.get(unit.id, {}),
        }))
    return pages
