"""The order in which each list is published, as official lists order them.

Each category has an order setting (categories.yaml `order`): 姓氏笔画 (persons' default),
姓名笔画, 笔画 (organisations' default: the whole name, no blank rule), 拼音, or 原顺序 (as
given, published as （排名不分先后）). Lists are grouped by 推荐单位 in the 附件's own order
unless the announcement turns grouping off. Stroke order comes from `strokes`; names that tie
on the whole key keep their input order and are reported (O001), and a character with no
stroke data is reported with how to add it (O002) — a warning, an error under --strict and
--release.
"""

from __future__ import annotations

import re
from pathlib import Path

from msgspec.structs import replace

from ..files.errors import DataFileError
from ..files.list_order import ListOrder
from ..findings import Findings
from ..zh.pinyin import syllables
from ..zh.strokes import Mode, StrokeTable, bare_name, missing_reports, sort_by_strokes, table_for_project
from .model import Announcement, Category, Recipient, Site
from .reuse import Same, reused

STROKE_MODES = {ListOrder.SURNAME_STROKES: Mode.SURNAME, ListOrder.NAME_STROKES: Mode.FULLNAME,
                ListOrder.STROKES: Mode.ORGANISATION}


def order_note(category: Category) -> str:
    """How a list says it is ordered, as official lists do."""
    return {
        ListOrder.SURNAME_STROKES: "（按姓氏笔画排序）",
        ListOrder.NAME_STROKES: "（按姓名笔画排序）",
        ListOrder.STROKES: "（按单位名称笔画排序）",
        ListOrder.PINYIN: "（按姓名拼音排序）" if category.is_person else "（按单位名称拼音排序）",
        ListOrder.AS_GIVEN: "（排名不分先后）",
    }[category.order]


def order_site(site: Site, root: Path, findings: Findings) -> Site:
    """The site with every announcement's recipients in publication order."""
    try:
        table = table_for_project(root)
    except DataFileError as exc:
        for problem in exc.problems:
            findings.error(problem.code, problem.message, problem.location, problem.hint,
                           problem.excerpt)
        return site
    return replace(site, announcements=tuple(_order_both(a, table, findings) for a in site.announcements))


def _order_both(announcement: Announcement, table: StrokeTable, findings: Findings) -> Announcement:
    """The 公示's list and the 决定's, each in publication order. A finding the 决定's list
    repeats (the same names tie, the same character lacks data) is reported once."""
    ordered = _order(announcement, table, findings)
    decision = announcement.decision
    if decision is None or not decision.recipients:
        return ordered
    own = Findings()
    final = _order(announcement.decision_view, table, own).recipients
    said = {_gist(f.message) for f in findings if f.code in ("O001", "O002")}
    findings.extend([f for f in own if _gist(f.message) not in said])
    return replace(ordered, decision=replace(decision, recipients=final))


def _gist(message: str) -> str:
    """A message without the file and lines it cites."""
    return re.sub(r"（[^（）]*第 [^（）]*行）", "", message)


def _order(announcement: Announcement, table: StrokeTable, findings: Findings) -> Announcement:
    unit_rank = {u.id: u.order for u in announcement.units}
    groups: dict[tuple, list[Recipient]] = {}
    for recipient in announcement.recipients:
        unit_key = unit_rank[recipient.unit.id] if announcement.group_by_unit else 0
        groups.setdefault((recipient.category.id, unit_key), []).append(recipient)
    category_rank = {c.id: i for i, c in enumerate(announcement.categories)}
    ordered: list[Recipient] = []
    for key in sorted(groups, key=lambda k: (category_rank[k[0]], k[1])):
        members = groups[key]
        # In a preview, the very records the load handed out again (load.reuse) are sorted once:
        # the sorted list keeps them alive, so their identities name them while it is kept.
        ordered += reused(("order", Same(table), *map(id, members)), findings, _sort_group, members, table, findings)
    return replace(announcement, recipients=tuple(ordered))


def _sort_group(members: list[Recipient], table: StrokeTable, findings: Findings) -> list[Recipient]:
    category = members[0].category
    if category.order is ListOrder.AS_GIVEN:
        return members
    if category.order is ListOrder.PINYIN:
        person = category.is_person
        return sorted(members, key=lambda r: syllables(bare_name(r.name), person))
    outcome = sort_by_strokes(members, lambda r: r.name, STROKE_MODES[category.order], table)
    for tie in outcome.ties:
        first = tie.items[0]
        lines = "、".join(f"第 {r.location.line} 行" for r in tie.items)
        findings.warning("O001", f"“{category.name}”中{tie.message}（{first.location.file} {lines}）",
                         first.location, "请人工确定先后，并按确定的顺序排列这些记录；程序不会按字符编码擅自决定。")
    for report in missing_reports(outcome):
        findings.warning("O002", report.message, report.item.location, report.hint)
    return outcome.items
