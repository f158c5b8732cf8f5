"""The notice's rules as checks over a loaded announcement, each with a stable code.

A rule is a function registered with `@rule(code, severity, title)`; `run_checks` runs them
all and returns their findings. The registry also documents the codes (see `rule_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from .findings import Finding, Findings, Location, Severity
from .model import Announcement, Site
from .quota import Allocation


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    run: Callable[[Announcement, Allocation, "Reporter"], None]


RULES: list[Rule] = []


def rule(code: str, severity: Severity, title: str):
    def register(func):
        RULES.append(Rule(code, severity, title, func))
        return func
    return register


class Reporter:
    """Hands a rule a way to report findings under its own code and severity."""

    def __init__(self, rule_: Rule, findings: Findings):
        self._rule = rule_
        self._findings = findings

    def __call__(self, message: str, location: Location | None, hint: str = "") -> None:
        self._findings.add(Finding(self._rule.code, self._rule.severity, message, location, hint))


def run_checks(site: Site) -> Findings:
    findings = Findings()
    for announcement in site.announcements:
        allocation = Allocation(announcement)
        for rule_ in RULES:
            rule_.run(announcement, allocation, Reporter(rule_, findings))
    return findings


def rule_table() -> Iterator[tuple[str, str, str]]:
    for rule_ in sorted(RULES, key=lambda r: r.code):
        yield rule_.code, rule_.severity.label, rule_.title


@rule("T001", Severity.WARNING, "附件合计与各单位名额之和不符")
def declared_totals(ann: Announcement, allocation: Allocation, report: Reporter) -> None:
    for category in ann.categories:
        allotted = allocation.allotted(category.id)
        if allotted != category.total:
            difference = category.total - allotted
            report(
                f"附件“表彰名额分配表”的“{category.table_label}”一列：各单位名额之和为 {allotted}，"
                f"但合计行写的是 {category.total}（相差 {abs(difference)}）。",
                category.location,
                "数据按通知原文照录，请勿为凑平而改数；请向发文单位核实原表，"
                "如确认有误，以更正通知为准修改 units.yaml 或 categories.yaml。")


@rule("Q001", Severity.ERROR, "超出推荐单位名额（本单位名额或共用名额）")
def quotas_respected(ann: Announcement, allocation: Allocation, report: Reporter) -> None:
    for block in ann.blocks:
        used = allocation.used_by_block(block)
        if used <= block.quota:
            continue
        members = allocation.recipients_in_block(block)
        first_excess = members[block.quota]
        category = ann.category(block.category_id)
        if block.shared:
            who = "、".join(u.name for u in block.units)
            message = (f"{who} 共用的“{category.name}”名额为 {block.quota} {category.measure}，"
                       f"名单中却有 {used} {category.measure}，超出 {used - block.quota}。")
        else:
            message = (f"{block.units[0].name} 的“{category.name}”名额为 {block.quota} "
                       f"{category.measure}，名单中却有 {used} {category.measure}，"
                       f"超出 {used - block.quota}。")
        report(message, first_excess.location,
               f"请核对审批结果，删去多出的记录（此处是第 {block.quota + 1} 条起），"
               "或在 units.yaml 中按正式文件更正名额。")


@rule("Q002", Severity.ERROR, "推荐单位在该类别没有名额")
def unit_has_quota(ann: Announcement, allocation: Allocation, report: Reporter) -> None:
    for recipient in ann.recipients:
        if allocation.block_for(recipient.category.id, recipient.unit.id) is None:
            report(f"{recipient.unit.name} 在“{recipient.category.name}”中没有分配名额，"
                   f"名单中却有“{recipient.name}”。", recipient.location,
                   "请核对推荐单位是否写错；如确有名额，请在 units.yaml 中补上。")
