"""The notice's rules as checks over a loaded announcement, each finding with a stable code.

Every code the checks report is registered, with its severity and title, in `codes`. A rule
is a function registered with `@rule`; it gets a `CheckContext` (the announcement, its quota
arithmetic, the thresholds from rules.yaml, the history of earlier recipients) and reports
through it. Thresholds are data, never literals here. A rule whose field is absent from some
records says so once per category (A001) rather than passing those records silently.

The checks also run when some records could not be loaded (their errors are already reported,
and the build is refused anyway), so one run tells everything. Rules about single records or
pairs of records still judge the records that were read; the rules about a whole list's make-up
(P001, P002) skip a category with records left out, since a partial list would mislead them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING

import msgspec
from msgspec import Struct

from ..codes import CODES
from ..files import quick
from ..files.values import LEVELS
from ..findings import Findings, Location
from ..load.model import Announcement, Category, HistoryRecord, QuotaBlock, Recipient, Site
from ..zh.variants import simplified_forms, variant_pairs
from .decision import check_lifecycle
from .formulas import any_starts_like_formula, starts_like_formula
from .privacy import allowed_numbers, find_personal_numbers, may_hold_numbers
from .quota import Allocation

if TYPE_CHECKING:
    from ..files.schema import RulesFile


class CheckContext(Struct, frozen=True):
    announcement: Announcement
    allocation: Allocation
    rules: RulesFile  # or the same fields as quick read them (quick.Fields)
    history: tuple[HistoryRecord, ...]
    findings: Findings
    by_category: dict[str, list[Recipient]] = msgspec.field(default_factory=dict)  # grouped once
    cache: dict = msgspec.field(default_factory=dict)  # what several rules read, made once

    def report(self, code: str, message: str, location: Location | None, hint: str = "") -> None:
        self.findings.report(code, message, location, hint)

    def complete(self, category: Category) -> bool:
        """Whether every record of the category was loaded (see `Announcement.incomplete`)."""
        return category.id not in self.announcement.incomplete

    def members(self, category_id: str) -> list[Recipient]:
        return list(self.by_category.get(category_id, ()))

    def public_fields(self) -> list[tuple[str, str, str, Location]]:
        """`public_fields(announcement)`, listed once for the rules that read them all."""
        found = self.cache.get("public_fields")
        if found is None:
            found = self.cache["public_fields"] = list(public_fields(self.announcement))
        return found

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.announcement.categories if c.id == category_id), None)

    def each(self, category_ids: Iterable[str]) -> Iterator[tuple[Category, list[Recipient]]]:
        """(category, its recipients) for each named category the announcement has."""
        for category_id in category_ids:
            category = self.category(category_id)
            if category is not None:
                yield category, self.members(category_id)

    def absent(self, category: Category, records: list[Recipient], field: str, label: str,
               rule_title: str) -> None:
        """Say once per category and field that some records could not be checked."""
        if records:
            self.report("A001", f"“{category.name}”名单中有 {len(records)} 条记录没有填写 {field}"
                        f"（{label}），“{rule_title}”无法核查这些记录。", records[0].location,
                        f"请按申报材料为这些记录补上 {field}。")


Rule = Callable[[CheckContext], None]
RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    RULES.append(func)
    return func


def run_checks(site: Site) -> Findings:
    """Every rule on every announcement's 公示 list and, where there is one, its 决定's list
    (a finding the 决定's list repeats word for word at the same place, such as a table's
    total, is reported once); then the 决定 against the 公示 (decision.check_lifecycle)."""
    findings = Findings()
    for announcement in site.announcements:
        lists = [announcement]
        if announcement.decision is not None and announcement.decision.has_list:
            lists.append(announcement.decision_view)
        seen: set[tuple] = set()
        for checked in lists:
            found = Findings()
            by_category: dict[str, list[Recipient]] = defaultdict(list)
            for recipient in checked.recipients:
                by_category[recipient.category.id].append(recipient)
            context = CheckContext(checked, Allocation(checked), checked.rules or quick.defaults("RulesFile"),
                                   site.history, found, by_category)
            for check in RULES:
                check(context)
            for finding in found:
                key = (finding.code, finding.message, finding.location)
                if key not in seen:
                    seen.add(key)
                    findings.add(finding)
    findings.extend(check_lifecycle(site))
    return findings


def _percent(value: float) -> str:
    return f"{value:g}%"


@rule
def declared_totals(ctx: CheckContext) -> None:
    for category in ctx.announcement.categories:
        allotted = ctx.allocation.allotted(category.id)
        if allotted != category.total:
            ctx.report(
                "T001",
                f"附件“表彰名额分配表”的“{category.table_label}”一列：各单位名额之和为 {allotted}，"
                f"但合计行写的是 {category.total}（相差 {abs(category.total - allotted)}）。",
                category.location,
                "数据按通知原文照录，请勿为凑平而改数；请向发文单位核实原表，"
                "如确认有误，以更正通知为准修改 units.yaml 或 categories.yaml。")


def _holders(block: QuotaBlock) -> str:
    """Whose places these are: "沁阳市 的" or "温县、武陟县 共用的"."""
    if block.shared:
        return "、".join(u.name for u in block.units) + " 共用的"
    return block.units[0].name + " 的"


@rule
def quota_within_total(ctx: CheckContext) -> None:
    for block in ctx.announcement.blocks:
        category = ctx.announcement.category(block.category_id)
        if block.quota <= category.total:
            continue
        who = _holders(block)
        where = f"{category.location.file} 第 {category.location.line} 行"
        ctx.report("T002", f"{who}“{category.name}”名额为 {block.quota} {category.measure}，"
                   f"大于这个类别的合计 {category.total} {category.measure}（见 {where}）。",
                   block.location,
                   "一个单位（或一组单位）的名额不可能超过全市合计，多半是录入时多打或错位了："
                   "请对照通知附件“表彰名额分配表”改正 units.yaml 中的这个数字。")


@rule
def quotas_respected(ctx: CheckContext) -> None:
    for block in ctx.announcement.blocks:
        used = ctx.allocation.used_by_block(block)
        if used <= block.quota:
            continue
        # The records beyond the quota, in the order of the files (the report's order).
        listed = sorted(ctx.allocation.recipients_in_block(block),
                        key=lambda r: (r.location.file, r.location.line))
        beyond = listed[block.quota:]
        here = beyond[0].location
        category = ctx.announcement.category(block.category_id)
        measure = category.measure
        who = _holders(block)
        have = "有" if ctx.complete(category) else "能读取的记录就有"
        names = "、".join(f"“{r.name}”（{_line_of(r.location, here.file)}）" for r in beyond)
        ctx.report("Q001", f"{who}“{category.name}”名额为 {block.quota} {measure}，名单中{have} "
                   f"{used} {measure}，超出 {used - block.quota} {measure}。按名单顺序，"
                   f"第 {block.quota} {measure}之后的是：{names}。", here,
                   f"请按审批结果删去多出的 {used - block.quota} 条记录（删哪几条以审批结果为准，不一定是上面列出的），"
                   "或在 units.yaml 中按正式文件更正名额。")


def _line_of(location: Location, file: str) -> str:
    """“第 N 行”, with the file named when it is not the one the finding is filed under."""
    where = f"第 {location.line} 行"
    return where if location.file == file else f"{location.file} {where}"


@rule
def unit_has_quota(ctx: CheckContext) -> None:
    for recipient in ctx.announcement.recipients:
        if ctx.allocation.block_for(recipient.category.id, recipient.unit.id) is None:
            ctx.report("Q002", f"{recipient.unit.name} 在“{recipient.category.name}”中没有分配名额，"
                       f"名单中却有“{recipient.name}”。", recipient.location,
                       "请核对推荐单位是否写错；如确有名额，请在 units.yaml 中补上。")


@rule
def non_public_share(ctx: CheckContext) -> None:
    setting = ctx.rules.non_public_share
    if setting is None:
        return
    for category, members in ctx.each(setting.categories):
        if not members or not ctx.complete(category):
            continue
        allotted = ctx.allocation.allotted(category.id)
        required = math.ceil(allotted * setting.percent / 100)
        unknown = [r for r in members if r.facts.non_public is None]
        count = sum(1 for r in members if r.facts.non_public)
        ctx.absent(category, unknown, "non_public", "是否非公有制企业工会", CODES["P001"].title)
        if count + len(unknown) < required:
            ctx.report("P001", f"“{category.name}”名单中非公有制企业工会 {count} {category.measure}，"
                       f"低于分配名额 {allotted} {category.measure}的 {_percent(setting.percent)}"
                       f"（至少 {required} {category.measure}）。", members[0].location,
                       "请核对各单位的 non_public 字段；如确实不足，请按通知要求调整推荐名单。")


@rule
def leadership_cadres(ctx: CheckContext) -> None:
    setting = ctx.rules.leadership_cadres
    if setting is None:
        return
    for category, members in ctx.each(setting.categories):
        if not members:
            continue
        ctx.absent(category, [r for r in members if r.facts.cadre_level is None], "cadre_level",
                   "干部类别", CODES["P002"].title)
        for recipient in members:
            if recipient.facts.cadre_level == setting.ineligible:
                ctx.report("P003", f"“{recipient.name}”是{setting.ineligible}，按通知不作为"
                           f"“{category.name}”评选推荐对象。", recipient.location,
                           "请从名单中删除，或核实 cadre_level 是否填错。")
        capped = [r for r in members if r.facts.cadre_level == setting.capped]
        allowed = math.floor(len(members) * setting.maximum_percent / 100)
        if len(capped) > allowed and ctx.complete(category):
            ctx.report("P002", f"“{category.name}”名单 {len(members)} 名中{setting.capped} {len(capped)} 名，"
                       f"超过 {_percent(setting.maximum_percent)}（至多 {allowed} 名）。",
                       capped[allowed].location,
                       "请核对 cadre_level；如确实超出，请按通知要求调整推荐名单。")


def _threshold_rule(ctx: CheckContext, code: str, thresholds: dict[str, float], field: str,
                    label: str) -> None:
    for category, members in ctx.each(sorted(thresholds)):
        minimum = thresholds[category.id]
        ctx.absent(category, [r for r in members if getattr(r.facts, field) is None], field,
                   label, CODES[code].title)
        for recipient in members:
            value = getattr(recipient.facts, field)
            if value is not None and value < minimum:
                ctx.report(code, f"“{recipient.name}”的{label}为 {_percent(value)}，低于"
                           f"“{category.name}”要求的 {_percent(minimum)}。", recipient.location,
                           f"请核对申报材料中的{label}；如确实不足，不能列入名单。")


@rule
def membership_rate(ctx: CheckContext) -> None:
    _threshold_rule(ctx, "M001", ctx.rules.membership_rate, "membership_rate", "职工入会率")


@rule
def ballot_approval(ctx: CheckContext) -> None:
    _threshold_rule(ctx, "M002", ctx.rules.ballot_approval, "ballot_approval", "同意票率")


@rule
def satisfaction(ctx: CheckContext) -> None:
    _threshold_rule(ctx, "M003", ctx.rules.satisfaction, "satisfaction", "会员评家满意度")


@rule
def mega_group_share(ctx: CheckContext) -> None:
    thresholds = ctx.rules.mega_group_secondary_share
    for category, members in ctx.each(sorted(thresholds)):
        minimum = thresholds[category.id]
        groups = [r for r in members if r.facts.mega_group]
        ctx.absent(category, [r for r in groups if r.facts.group_secondary_share is None],
                   "group_secondary_share", "二级单位获市级以上模范职工之家的比例", CODES["M004"].title)
        for recipient in groups:
            share = recipient.facts.group_secondary_share
            if share is not None and share < minimum:
                ctx.report("M004", f"特大型企业集团工会“{recipient.name}”的二级单位中获市级以上模范职工之家"
                           f"的比例为 {_percent(share)}，低于要求的 {_percent(minimum)}。",
                           recipient.location, "请核对申报材料；如确实不足，不能列入名单。")


def _qualifies(recipient: Recipient, minimum_level: str, titles: Iterable[str]) -> bool:
    floor = LEVELS.index(minimum_level)
    return any(LEVELS.index(h.level) >= floor and any(t in h.title for t in titles)
               for h in recipient.facts.prior_honours or ())


@rule
def prior_honours(ctx: CheckContext) -> None:
    for setting in ctx.rules.prior_honours:
        code = "H002" if setting.in_principle else "H001"
        wanted = "、".join(setting.titles)
        for category, members in ctx.each(setting.categories):
            ctx.absent(category, [r for r in members if r.facts.prior_honours is None],
                       "prior_honours", "此前获得的荣誉称号", CODES[code].title)
            for recipient in members:
                if recipient.facts.prior_honours is None:
                    continue
                if not _qualifies(recipient, setting.minimum_level, setting.titles):
                    principle = "原则上" if setting.in_principle else ""
                    ctx.report(code, f"“{recipient.name}”列入“{category.name}”，{principle}应获得过"
                               f"{setting.minimum_level}（含）以上{wanted}荣誉称号，记录中没有。",
                               recipient.location,
                               "请在 prior_honours 中补上获得的称号和级别，例如"
                               f"“- {{title: 焦作市{setting.titles[0]}, level: 市级, year: 2015}}”。")


@rule
def one_per_applicant(ctx: CheckContext) -> None:
    setting = ctx.rules.one_per_applicant
    if setting is None:
        return
    for category, members in ctx.each(setting.categories):
        seen: dict[str, Recipient] = {}
        unknown = []
        for recipient in members:
            applicant = _applicant(ctx, recipient, setting.unit_is_applicant)
            if applicant is None:
                unknown.append(recipient)
                continue
            first = seen.setdefault(applicant, recipient)
            if first is not recipient:
                ctx.report("U001", f"申报单位“{applicant}”在“{category.name}”中已推荐“{first.name}”"
                           f"（第 {first.location.line} 行），每个申报单位只能推荐 1 {category.measure}。",
                           recipient.location, "请只保留一条，或核实推荐单位、申报单位是否写错。")
        ctx.absent(category, unknown, "applicant", "申报单位", CODES["U001"].title)


def _applicant(ctx: CheckContext, recipient: Recipient, unit_is_applicant: Collection[str]) -> str | None:
    """The 申报单位: as given; else the 推荐单位 itself where it applies directly — unless the
    table gives it more than one place of its own, which must then come from several 申报单位;
    else an organisation's own union (市属基层工会 apply for themselves)."""
    if recipient.facts.applicant:
        return recipient.facts.applicant
    block = ctx.allocation.block_for(recipient.category.id, recipient.unit.id)
    several = block is not None and not block.shared and block.quota > 1
    if recipient.unit.kind in unit_is_applicant and not several:
        return recipient.unit.name
    if not recipient.category.is_person:
        return recipient.name
    return None


@rule
def grassroots_only(ctx: CheckContext) -> None:
    for category, members in ctx.each(ctx.rules.grassroots_only):
        ctx.absent(category, [r for r in members if r.facts.cadre_level is None], "cadre_level",
                   "干部类别", CODES["G001"].title)
        for recipient in members:
            level = recipient.facts.cadre_level
            if level is not None and level != "基层工会干部":
                ctx.report("G001", f"“{recipient.name}”是{level}；“{category.name}”原则上从基层工会产生。",
                           recipient.location, "请核实；如属特殊情况，请在报批材料中说明。")


@rule
def no_duplicates(ctx: CheckContext) -> None:
    first_of: dict[tuple[str, str], Recipient] = {}
    repeats: dict[tuple[str, str], list[Recipient]] = {}  # only names met again: the others
    for recipient in ctx.announcement.recipients:
        key = (recipient.category.id, recipient.name)
        first = first_of.setdefault(key, recipient)
        if first is not recipient:
            repeats.setdefault(key, []).append(recipient)
    if not repeats:
        return
    for key, first in first_of.items():  # in the order first met
        name = key[1]
        for other in repeats.get(key, ()):
            same = not first.category.is_person or first.title == other.title
            where = f"{first.location.file} 第 {first.location.line} 行"
            if same:
                ctx.report("D001", f"“{name}”在“{first.category.name}”中重复出现（第一次见 {where}）。",
                           other.location, "请删除重复的一条（比较时已忽略空格和间隔号的差别）。")
            else:
                ctx.report("D002", f"“{first.category.name}”中有两位“{name}”（另一位见 {where}），"
                           "工作单位及职务不同。", other.location,
                           "如是同一人，请删除一条；如确是同名的两个人，可忽略此警告。")


@rule
def not_honoured_before(ctx: CheckContext) -> None:
    earlier: dict[tuple[str, str], list[HistoryRecord]] = defaultdict(list)
    for record in ctx.history:
        earlier[(record.category_name, record.name)].append(record)
    names = {name for _, name in earlier}  # most recipients have none: one set lookup each
    for recipient in ctx.announcement.recipients:
        if recipient.name not in names:
            continue
        for record in earlier.get((recipient.category.name, recipient.name), ()):
            where = f"{record.location.file} 第 {record.location.line} 行"
            same = not recipient.category.is_person or (record.title and record.title == recipient.title)
            if same:
                ctx.report("D003", f"“{recipient.name}”已于 {record.year} 年获得“{record.category_name}”"
                           f"（见 {where}），按通知不重复参加同一档次荣誉称号的评选。",
                           recipient.location, "请从名单中删除；如往年名单有误，请更正 history.yaml。")
            else:
                ctx.report("D004", f"“{recipient.name}”与 {record.year} 年“{record.category_name}”获得者"
                           f"同名（见 {where}）。", recipient.location,
                           "如是同一人，按通知不能再次评选，请删除；如只是同名，可忽略此警告，"
                           "或在 history.yaml 该条记录中写明 title 以便区分。")


@rule
def traditional_simplified(ctx: CheckContext) -> None:
    """Names equal once traditional characters are simplified: within a category (D005),
    and against earlier recipients of the same honour (D006). Each name converts once."""
    recipients = ctx.announcement.recipients
    forms = simplified_forms([r.name for r in recipients] + [h.name for h in ctx.history])
    for members in ctx.by_category.values():
        for i, j in variant_pairs([m.name for m in members], forms):
            first, other = members[i], members[j]
            where = f"{first.location.file} 第 {first.location.line} 行"
            same_post = ("，工作单位及职务也相同" if first.category.is_person and first.title == other.title
                         else "")
            who = "人" if first.category.is_person else "单位"
            ctx.report("D005", f"“{other.name}”与“{first.name}”（见 {where}）只有繁体、简体写法不同"
                       f"{same_post}，可能是同一{who}列了两次。", other.location,
                       f"如是同一{who}，请删除一条，名称统一用简体字；如确是两个不同的名称，可忽略此警告。")
    earlier: dict[tuple[str, str], list[HistoryRecord]] = defaultdict(list)
    for record in ctx.history:
        earlier[(record.category_name, forms[record.name])].append(record)
    simplified = {form for _, form in earlier}  # most recipients have none: one set lookup each
    for recipient in recipients:
        form = forms[recipient.name]
        if form not in simplified:
            continue
        for record in earlier.get((recipient.category.name, form), ()):
            if record.name == recipient.name:
                continue  # the same spelling: D003/D004
            where = f"{record.location.file} 第 {record.location.line} 行"
            ctx.report("D006", f"“{recipient.name}”与 {record.year} 年“{record.category_name}”获得者"
                       f"“{record.name}”（见 {where}）只有繁体、简体写法不同。", recipient.location,
                       "如是同一人（同一单位），按通知不重复参加同一档次荣誉称号的评选，请从名单中删除；"
                       "如确是不同的名称，可忽略此警告。")


@rule
def no_personal_numbers(ctx: CheckContext) -> None:
    """X001: what privacy.py counts as a personal number, in any written form, in a public field."""
    fields = ctx.public_fields()
    if not may_hold_numbers(value or "" for _, _, value, _ in fields):
        return  # as almost always: no digit in any name or title
    allowed = allowed_numbers([ctx.announcement.contacts.phone])
    for owner, field, value, location in fields:
        for hit in find_personal_numbers(value, allowed):
            ctx.report("X001", f"“{owner}”的 {field} 中有疑似{hit.kind}“{hit.masked}”，"
                       "公示不得公布个人身份证号和手机号。", location,
                       f"请从 {field} 中删去这串数字（写成带空格、横线、全角数字或 +86 的形式也不行）。")


@rule
def no_formula_starts(ctx: CheckContext) -> None:
    """X003: a public field that a spreadsheet would take for a formula."""
    fields = ctx.public_fields()
    if not any_starts_like_formula(value or "" for _, _, value, _ in fields):
        return
    for owner, field, value, location in fields:
        if starts_like_formula(value):
            shown = {"\t": "制表符", "\r": "回车符"}.get(value[0], f"“{value[0]}”")
            ctx.report("X003", f"“{owner}”的 {field} 以 {shown} 开头，在 Excel、WPS 中会被当作公式。",
                       location, f"请删去 {field} 开头的 {shown}（下载文件中已写成文字，不会执行，"
                       "但很可能是录入错误）；如确需以此开头，可忽略此警告。")


def public_fields(announcement: Announcement) -> Iterator[tuple[str, str, str, Location]]:
    """(whose, field, value, where) for every data value the 公示 publishes as text:
    recipients' fields, the units' and the categories' names."""
    for category in announcement.categories:
        yield category.name, "name", category.name, category.location
    for unit in announcement.units:
        yield unit.name, "name", unit.name, unit.location
    for recipient in announcement.recipients:
        public, location = recipient.public, recipient.location
        name = public.name
        if name:
            yield name, "name", name, location
        if public.title:
            yield name, "title", public.title, location
        if public.gender:
            yield name, "gender", public.gender, location
        if public.ethnicity:
            yield name, "ethnicity", public.ethnicity, location
