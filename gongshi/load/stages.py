"""Where an announcement is in its life on a given day: 通知 → 公示 → 决定.

The stage comes from dates in the data, never from a switch staff must remember to flip:

* before the notice's date (content/<slug>/notice.md `date`) the announcement is not
  published at all (nothing of it in any page, feed or index);
* from that date, the 通知 stage: the notice and the allocation (附件, 推荐单位 and their
  quotas), no list;
* from the 公示's first day (announcement.yaml `gongshi.start`; without a `gongshi` period the
  announcement stays in the 通知 stage), the 公示 stage: the proposed list, the period and the
  objection channel; after its last day the 公示 is closed (dates kept, no objection links);
* from the decision's date (content/<slug>/decision.md `date`), the 决定 stage: the decision
  with its final list (data/<slug>/decision/) and the 变更说明; the 公示 page stays, closed.

A later stage adds pages and never removes one: every address the public once found keeps
answering. `current_list()` is which list the unit pages and the search show at a stage.

`StageStatus` is what templates see of the stage (the `status` of a page): during the 公示 it
carries the period's own label and the data the page script keeps current; before and after,
a fixed label and no script data, so a page built before the 公示 never claims it is running.
"""

from __future__ import annotations

import datetime as dt

from msgspec import Struct
from msgspec.structs import replace

from ..zh.chinese_dates import CLOSED_LABEL, format_date, format_period
from .model import Announcement, Recipient, Site

NOTICE, GONGSHI, DECISION = "notice", "gongshi", "decision"
STAGES = (NOTICE, GONGSHI, DECISION)

# What `gongshi new` writes where staff must fill something in; the loader refuses any text
# that still holds it (J015), so a placeholder can never be published.
PLACEHOLDER = "【请填写"


def stage_on(announcement: Announcement, day: dt.date) -> str | None:
    """The announcement's stage on `day`, or None before its notice's date."""
    if day < announcement.notice.date:
        return None
    decision = announcement.decision_text
    if decision is not None and announcement.period is not None and day >= decision.date:
        return DECISION
    if announcement.period is not None and day >= announcement.period.start:
        return GONGSHI
    return NOTICE


def stage_report(announcement: Announcement, day: dt.date) -> str:
    """One line of the build report: what the site shows of `announcement` on `day`, so staff
    who build before a notice's date (or with a wrong --today) see why its pages are missing."""
    name = f"{announcement.slug}（{announcement.short_title}）"
    stage = stage_on(announcement, day)
    if stage is None:
        return (f"{name}：未发布。通知日期 {format_date(announcement.notice.date)} 晚于发布日期 "
                f"{format_date(day)}，到通知日期再构建即发布；日期有误请改 "
                f"content/{announcement.slug}/notice.md 的 date 或构建时的 --today。")
    if stage == NOTICE:
        period = announcement.period
        later = f"，公示自 {format_date(period.start)} 开始" if period is not None else "，尚未设定公示时间"
        return f"{name}：通知阶段（发布通知和名额分配，不含名单{later}）。"
    if stage == GONGSHI:
        period = announcement.period
        assert period is not None  # stage_on gives GONGSHI only with a period
        state = "公示中" if day <= period.end else "公示已结束，等待表彰决定"
        return f"{name}：公示阶段（{format_period(period.start, period.end, period.end_clock)}，{state}）。"
    decision = announcement.decision_text
    assert decision is not None  # stage_on gives DECISION only with a decision
    return f"{name}：表彰决定已于 {format_date(decision.date)} 发布。"


def published(site: Site, day: dt.date) -> list[tuple[Announcement, str]]:
    """The announcements published on `day`, each with its stage, newest first (by the
    notice's date; among equal dates, in the order of data/site.yaml)."""
    shown = [(a, stage) for a in site.announcements if (stage := stage_on(a, day)) is not None]
    return sorted(shown, key=lambda item: item[0].notice.date, reverse=True)


def current_list(announcement: Announcement, stage: str) -> tuple[Recipient, ...]:
    """The list the unit pages and the search show: none before the 公示, the 公示's during
    it, the 决定's once it is published."""
    if stage == NOTICE:
        return ()
    if stage == DECISION and announcement.decision is not None:
        return announcement.decision.recipients
    return announcement.recipients


class StageStatus(Struct, frozen=True):
    """The stage as a page shows it (the attribute names of pages.PeriodStatus, so the 公示's
    templates read it unchanged)."""

    stage: str          # notice / gongshi / decision
    state: str          # for the styles: upcoming (通知), open, closed
    label: str          # 通知已发布 / 公示中（还剩 N 个工作日）/ 已结束 / 已发布表彰决定
    text: str           # the 公示 period as written, "" before it is set
    period_label: str   # the period's own label (未开始 / 公示中… / 已结束), "" without a period
    calendar_json: str  # for the script that keeps the label current; "" outside the 公示 stage
    decision_date: str  # 2018年11月20日 at the 决定 stage, else ""

    @property
    def live(self) -> bool:
        """Whether the page script may keep the label current (the 公示 stage only)."""
        return bool(self.calendar_json)

    @property
    def objections_open(self) -> bool:
        """Whether the page offers the objection channel and a link per recipient."""
        return self.stage == GONGSHI and self.state == "open"

    @property
    def after_period(self) -> StageStatus:
        """The status once the period is over, as a page built after it shows it: a page
        built while objections are open also carries, hidden, the parts the script shows
        when the reader's day is past the period."""
        return replace(self, state="closed", label=CLOSED_LABEL, period_label=CLOSED_LABEL)

    @property
    def summary(self) -> str:
        """The stage in a few words, for a list of announcements."""
        if self.stage == GONGSHI and self.state == "closed":
            return "公示已结束"
        return self.label


def stage_status(announcement: Announcement, stage: str, period) -> StageStatus:
    """The status of `announcement` at `stage`; `period` is its pages.PeriodStatus on the
    build day, or None without a 公示 period."""
    text = period.text if period is not None else ""
    period_label = period.label if period is not None else ""
    if stage == GONGSHI:
        return StageStatus(stage, period.state, period.label, text, period_label, period.calendar_json, "")
    if stage == DECISION:
        decision = announcement.decision_text
        return StageStatus(stage, "closed", "已发布表彰决定", text, period_label, "",
                           format_date(decision.date) if decision else "")
    return StageStatus(stage, "upcoming", "通知已发布", "", "", "", "")
