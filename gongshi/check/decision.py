"""The 决定 against the 公示: every difference between the two lists is a recorded change.

After the 公示, an upheld objection may withdraw a recipient (撤销) or correct what was
published (更正). That is a data change recorded in data/<slug>/changes.yaml - who (the
recipient as the 公示 listed them), what (撤销, or the fields a 更正 changes), when, and the
reason's category - never a silent edit. The 公示's list (recipients/) stays as it was
published; the 决定's list (decision/) is the final one, and `check_lifecycle()` refuses it
when it differs from the 公示 in any way the changes do not record (J001-J003), or when a
recorded change did not happen or names no one (J004-J006, J011, J012). The dates must run
in order: notice, 公示, changes, 决定 (J007, J010). The 决定's list is also checked against
the notice's rules like the 公示 (checks.run_checks).

`public_changes()` is the 变更说明 as published: category, name, 推荐单位, the public fields
changed and the reason's category. A change's `note` (the office's own record, which may name
a person's private matters) never leaves this module's input.

A recipient is identified by category, 推荐单位 and name, the way the rows of both lists are
written; the public fields compared are those a 更正 may change (model.CORRECTABLE).
"""

from __future__ import annotations

from msgspec import Struct

from ..findings import Findings, Location, did_you_mean
from ..load.model import CORRECTABLE, Announcement, Change, PublicChange, Recipient, Site
from ..zh.chinese_dates import format_date

Key = tuple[str, str, str]  # (category id, unit id, name)


def key_of(recipient: Recipient) -> Key:
    return (recipient.category.id, recipient.unit.id, recipient.name)


def _values(recipient: Recipient) -> dict[str, str]:
    """The public fields a 更正 may change, as text ("" when not given)."""
    return {"name": recipient.name, "unit": recipient.unit.name, "category": recipient.category.name,
            "title": recipient.title or "", "gender": recipient.gender or "",
            "ethnicity": recipient.ethnicity or ""}


class _Expected(Struct):
    """A row the 决定 should have: the 公示's row, as a recorded 更正 leaves it."""

    source: Recipient
    values: dict[str, str]
    change: Change | None = None


class _Resolved(Struct):
    """A change that names a recipient of the 公示, and the row it leaves (None: 撤销)."""

    change: Change
    source: Recipient
    key: Key
    result: tuple[Key, dict[str, str]] | None


def _where(location: Location) -> str:
    return f"{location.file} 第 {location.line} 行"


def check_lifecycle(site: Site) -> Findings:
    findings = Findings()
    for announcement in site.announcements:
        _check_dates(announcement, findings)
        if announcement.decision is not None:
            _check_decision(announcement, findings)
    return findings


def _check_dates(ann: Announcement, findings: Findings) -> None:
    period, decision = ann.period, ann.decision_text
    if period is not None and period.start < ann.notice.date:
        findings.error("J010", f"公示从 {format_date(period.start)} 开始，早于通知的日期 "
                       f"{format_date(ann.notice.date)}（{_where(ann.notice.location)}）。",
                       period.location, "公示必须在通知之后：请核对 announcement.yaml 中 gongshi 的 start "
                       "和 notice.md 的 date。")
    if decision is None:
        return
    if period is None:
        findings.error("J013", "有表彰决定（decision.md），但 announcement.yaml 中没有公示期（gongshi）。",
                       decision.location, "表彰决定之前须经公示：请在 announcement.yaml 中写明公示期"
                       "（start、end），并准备好 content/<公告>/gongshi.md。")
    elif decision.date <= period.end:
        findings.error("J010", f"表彰决定的日期 {format_date(decision.date)} 不在公示结束（"
                       f"{format_date(period.end)}）之后。", decision.location,
                       "决定只能在公示期满之后印发：请核对 decision.md 的 date 和 announcement.yaml 中"
                       "公示期的 end。")


def _check_decision(ann: Announcement, findings: Findings) -> None:
    decision = ann.decision
    assert decision is not None
    list_folder = f"data/{ann.slug}/decision/"
    if decision.text is None:
        findings.warning("J009", f"有决定名单或 changes.yaml，但没有 content/{ann.slug}/decision.md："
                         "表彰决定和最终名单都不会发布。", decision.sources[0],
                         f"决定印发后，照 notice.md 的格式写好 content/{ann.slug}/decision.md（含 date，"
                         "从这一天起发布）；还在准备中可以不管这条警告（--strict 时为错误）。")
    elif not decision.has_list:
        findings.error("J008", f"有表彰决定，但没有决定名单文件夹 {list_folder}。", decision.text.location,
                       f"把 data/{ann.slug}/recipients/ 整个复制为 {list_folder}，再按决定改动；"
                       f"每一处改动在 data/{ann.slug}/changes.yaml 中记一项。")
    published: dict[Key, Recipient] = {}
    for recipient in ann.recipients:
        published.setdefault(key_of(recipient), recipient)
    resolved = _resolve_changes(ann, published, findings)
    if not decision.has_list:
        return
    expected: dict[Key, _Expected] = {k: _Expected(r, _values(r)) for k, r in published.items()}
    removed: dict[Key, Change] = {}
    corrected: dict[Key, Change] = {}
    for item in resolved:
        expected.pop(item.key, None)
        if item.result is None:
            removed[item.key] = item.change
        else:
            corrected[item.key] = item.change
            new_key, values = item.result
            expected[new_key] = _Expected(item.source, values, item.change)
    actual: dict[Key, Recipient] = {}
    for recipient in decision.recipients:
        actual.setdefault(key_of(recipient), recipient)
    for key, row in actual.items():
        _compare(ann, key, row, expected.get(key), removed, corrected, findings)
    for key, wanted in expected.items():
        if key in actual or key[0] in decision.incomplete:
            continue  # present, or its category's list could not be read whole (reported)
        if wanted.change is not None:
            findings.error("J006", f"按这项更正，决定名单中应有“{wanted.values['name']}”"
                           f"（{wanted.values['category']}，{wanted.values['unit']}），但 {list_folder} 中没有。",
                           wanted.change.location,
                           "请按决定核对：更正后的内容写在 to 下，决定名单中的这条记录要与之一致。")
        else:
            source = wanted.source
            findings.error("J001", f"公示名单中的“{source.name}”（{source.category.name}，{source.unit.name}）"
                           f"不在决定名单 {list_folder} 中，changes.yaml 也没有记录撤销。", source.location,
                           _removal_hint(ann, source))


def _removal_hint(ann: Announcement, source: Recipient) -> str:
    from ..files.values import REASONS

    return (f"如果确已撤销，请在 data/{ann.slug}/changes.yaml 的 changes 下加一项：{{date: 日期, action: 撤销, "
            f"category: {source.category.id}, unit: {source.unit.name}, name: {source.name}, reason: 原因}}"
            f"（原因只能写：{'、'.join(REASONS)}；详情可写在 note 中，不公开）；如果是漏录，请把这条记录补回决定名单。")


def _compare(ann: Announcement, key: Key, row: Recipient, wanted: _Expected | None,
             removed: dict[Key, Change], corrected: dict[Key, Change], findings: Findings) -> None:
    """One row of the 决定's list against what the 公示 and the changes say it should be."""
    if ann.incomplete and key[0] in ann.incomplete and wanted is None:
        return  # the 公示's list of this category could not be read whole (reported)
    where = f"“{row.name}”（{row.category.name}，{row.unit.name}）"
    if wanted is None:
        if key in removed:
            findings.error("J005", f"{where}在 changes.yaml 中记为撤销（{_where(removed[key].location)}），"
                           "却仍在决定名单中。", row.location,
                           "请按决定核对：确已撤销的，从决定名单中删去这条记录；没有撤销的，删去 changes.yaml 中的那一项。")
        elif key in corrected:
            findings.error("J006", f"{where}在 changes.yaml 中记为更正（{_where(corrected[key].location)}），"
                           "决定名单中却还是公示时的写法。", row.location,
                           "请让决定名单中的这条记录与 changes.yaml 的 to 一致。")
        else:
            findings.error("J002", f"决定名单中的{where}没有经过公示：公示名单中没有它，changes.yaml 也没有"
                           "把谁更正为它。", row.location,
                           "没有公示过的对象不能列入决定。如果是公示名单中某一条的更正（改了姓名、单位或类别），"
                           "请在 changes.yaml 中记一项 action: 更正（to 下写改后的内容）；如果是录入错误，请改正。")
        return
    have = _values(row)
    differences = [(CORRECTABLE[f], wanted.values[f], have[f]) for f in ("title", "gender", "ethnicity")
                   if wanted.values[f] != have[f]]
    if not differences:
        return
    shown = "；".join(f"{label}：公示为“{old or '（空）'}”，决定为“{new or '（空）'}”"
                     for label, old, new in differences)
    if wanted.change is None:
        findings.error("J003", f"决定名单中{where}的公开信息与公示不同（{shown}），changes.yaml 没有记录这一更正。",
                       row.location,
                       f"如果确是更正，请在 data/{ann.slug}/changes.yaml 中记一项 action: 更正，to 下写改后的内容；"
                       "否则请把决定名单改回公示时的写法。")
    else:
        findings.error("J006", f"决定名单中{where}与 changes.yaml 记录的更正"
                       f"（{_where(wanted.change.location)}）不符（{shown}）。", row.location,
                       "请按决定核对，让决定名单与 changes.yaml 的 to 一致。")


def _resolve_changes(ann: Announcement, published: dict[Key, Recipient],
                     findings: Findings) -> list[_Resolved]:
    """The recorded changes that name a recipient of the 公示, each checked on its own."""
    decision = ann.decision
    assert decision is not None
    units = {u.name: u for u in ann.units} | {u.id: u for u in ann.units}
    categories = {c.id: c for c in ann.categories}
    seen: dict[Key, Change] = {}
    resolved: list[_Resolved] = []
    for change in decision.changes:
        unit, category = units.get(change.unit), categories.get(change.category_id)
        key = (change.category_id, unit.id if unit else "", change.name)
        source = published.get(key)
        if source is None:
            findings.error("J004", f"这项变更说的“{change.name}”（类别 {change.category_id}，{change.unit}）"
                           "不在公示名单中。", change.location, _unknown_hint(change, unit, category, ann))
            continue
        if key in seen:
            findings.error("J011", f"“{change.name}”已有一项变更（{_where(seen[key].location)}）。",
                           change.location, "一个对象只记一项：同时改几处的，写在同一项的 to 下。")
            continue
        seen[key] = change
        _check_date(ann, change, findings)
        if change.action == "撤销":
            if change.to:
                findings.error("J012", f"“{change.name}”记为撤销，却写了 to（更正后的内容）。", change.location,
                               "撤销不写 to；如果是更正，请把 action 改为 更正。")
                continue
            resolved.append(_Resolved(change, source, key, None))
            continue
        result = _corrected(change, source, units, categories, findings)
        if result is not None:
            resolved.append(_Resolved(change, source, key, result))
    return resolved


def _unknown_hint(change: Change, unit, category, ann: Announcement) -> str:
    if category is None:
        return "类别写 categories.yaml 中的代号。" + did_you_mean(change.category_id, [c.id for c in ann.categories])
    if unit is None:
        return "推荐单位写名额分配表中的名称。" + did_you_mean(change.unit, [u.name for u in ann.units])
    names = [r.name for r in ann.recipients if r.category.id == category.id and r.unit.id == unit.id]
    return ("category、unit、name 都要照公示名单（recipients/）写，写公示时的姓名或名称。"
            + (did_you_mean(change.name, names, "该单位在这一类别公示的有") if names else
               f"{unit.name}在“{category.name}”中没有公示对象。"))


def _check_date(ann: Announcement, change: Change, findings: Findings) -> None:
    period, decision = ann.period, ann.decision_text
    if period is not None and change.date < period.start:
        findings.error("J007", f"变更日期 {format_date(change.date)} 早于公示开始（{format_date(period.start)}）。",
                       change.location, "公示之后的变更才记在这里；公示之前的改动直接改公示名单即可。")
    elif decision is not None and change.date > decision.date:
        findings.error("J007", f"变更日期 {format_date(change.date)} 晚于表彰决定（{format_date(decision.date)}）。",
                       change.location, "决定印发之后不能再改名单；请核对日期。")


def _corrected(change: Change, source: Recipient, units, categories, findings: Findings
               ) -> tuple[Key, dict[str, str]] | None:
    """The row a 更正 leaves: its key and public values; None (reported) when it says nothing
    or names a unit or category that does not exist."""
    if not change.to:
        findings.error("J012", f"“{change.name}”记为更正，但没有写改成什么（to）。", change.location,
                       "在这一项下加 to:，只写改动的项，如 to: {title: 某单位某职务}；如果是撤销，请把 action 改为 撤销。")
        return None
    values = _values(source)
    to = dict(change.to)
    unit, category = source.unit, source.category
    if "unit" in to:
        unit = units.get(to["unit"])
        if unit is None:
            findings.error("J012", f"更正后的推荐单位“{to['unit']}”不在名额分配表中。", change.location,
                           did_you_mean(to["unit"], [u.name for u in units.values()]))
            return None
    if "category" in to:
        category = categories.get(to["category"])
        if category is None:
            findings.error("J012", f"更正后的类别“{to['category']}”不存在。", change.location,
                           did_you_mean(to["category"], list(categories)))
            return None
    for field, value in to.items():
        values[field] = value
    values["unit"], values["category"] = unit.name, category.name
    if all(values[f] == v for f, v in _values(source).items()):
        findings.error("J012", f"“{change.name}”记为更正，但 to 中的内容与公示时相同。", change.location,
                       "只写改动了的项；没有改动就删去这一项。")
        return None
    return (category.id, unit.id, values["name"]), values


def public_changes(ann: Announcement) -> tuple[PublicChange, ...]:
    """The 变更说明: each recorded change that names a recipient of the 公示, in date order,
    with only what is public (never the change's note)."""
    decision = ann.decision
    if decision is None:
        return ()
    published: dict[Key, Recipient] = {}
    for recipient in ann.recipients:
        published.setdefault(key_of(recipient), recipient)
    units = {u.name: u for u in ann.units} | {u.id: u for u in ann.units}
    categories = {c.id: c for c in ann.categories}
    lines = []
    for change in sorted(decision.changes, key=lambda c: c.date):
        unit = units.get(change.unit)
        source = published.get((change.category_id, unit.id if unit else "", change.name))
        if source is None:
            continue
        before = _values(source)
        corrections = []
        for field, value in change.to:
            if field == "unit" and value in units:
                value = units[value].name
            if field == "category" and value in categories:
                value = categories[value].name
            corrections.append((CORRECTABLE[field], before[field], value))
        lines.append(PublicChange(change.date, change.action, source.category.name, source.name,
                                  source.unit.name, tuple(corrections), change.reason))
    return tuple(lines)
