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
from dataclasses import replace
from pathlib import Path

from .findings import Findings
from .model import Announcement, Category, Recipient, Site
from .pinyin import syllables
from .strokes import (Mode, StrokeTable, bare_name, char_kind, non_han_message, sort_by_strokes,
                      table_for_project)
from .yamlfile import DataFileError

STROKE_MODES = {"姓氏笔画": Mode.SURNAME, "姓名笔画": Mode.FULLNAME, "笔画": Mode.ORGANISATION}


def order_note(category: Category) -> str:
    """How a list says it is ordered, as official lists do."""
    return {
        "姓氏笔画": "（按姓氏笔画排序）",
        "姓名笔画": "（按姓名笔画排序）",
        "笔画": "（按单位名称笔画排序）",
        "拼音": "（按姓名拼音排序）" if category.is_person else "（按单位名称拼音排序）",
        "原顺序": "（排名不分先后）",
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
        ordered.extend(_sort_group(groups[key], table, findings))
    return replace(announcement, recipients=tuple(ordered))


def _sort_group(members: list[Recipient], table: StrokeTable, findings: Findings) -> list[Recipient]:
    category = members[0].category
    if category.order == "原顺序":
        return members
    if category.order == "拼音":
        person = category.is_person
        return sorted(members, key=lambda r: syllables(bare_name(r.name), person))
    outcome = sort_by_strokes(members, lambda r: r.name, STROKE_MODES[category.order], table)
    for tie in outcome.ties:
        first = tie.items[0]
        lines = "、".join(f"第 {r.location.line} 行" for r in tie.items)
        findings.warning("O001", f"“{category.name}”中{tie.message}（{first.location.file} {lines}）",
                         first.location, "请人工确定先后，并按确定的顺序排列这些记录；程序不会按字符编码擅自决定。")
    not_han: dict[str, list] = {}
    for char, entries in outcome.missing_by_char().items():
        if char_kind(char) == "other":  # letters, digits, symbols: no stroke data can exist
            for entry in entries:
                not_han.setdefault(entry.name, [entry.item]).append(char)
            continue
        first = entries[0].item
        names = "、".join(f"“{e.name}”" for e in entries[:5]) + ("等" if len(entries) > 5 else "")
        findings.warning("O002", f"“{char}”（U+{ord(char):04X}）没有笔画数据，无法按笔画确定 {names} 的位置，"
                         "暂排在同位置已知字之后。", first.location,
                         f"请在 data/strokes.yaml 中为“{char}”加一项（字、笔顺、说明），格式见该文件开头。")
    for name, (item, *chars) in not_han.items():
        findings.warning("O002", non_han_message(name, chars, STROKE_MODES[category.order]), item.location,
                         "如是笔误请改正；外文姓名请人工确认它在名单中的位置。")
    return outcome.items
