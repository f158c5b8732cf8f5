"""Dates written the way Chinese official documents write them.

2018年10月9日, never zero-padded. A period writes the year once and the month again only when
it changes: 2018年11月5日至9日, 2018年11月30日至12月6日, 2018年12月28日至2019年1月4日.
"""

from __future__ import annotations

import datetime as dt

# The label of a period that is over (the page script, static/js/site.js, writes it too). Here,
# not with the working days that decide it (workdays.period_state): the pages read it, and the
# build's second process imports neither the holidays nor their data files' parser.
CLOSED_LABEL = "已结束"


def format_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def format_period(start: dt.date, end: dt.date, end_clock: str = "") -> str:
    if start == end:
        return format_date(start) + end_clock
    if start.year != end.year:
        tail = format_date(end)
    elif start.month != end.month:
        tail = f"{end.month}月{end.day}日"
    else:
        tail = f"{end.day}日"
    return f"{format_date(start)}至{tail}{end_clock}"
