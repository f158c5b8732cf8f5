"""Official date formats: no zero padding; a period names the year and month once."""

import datetime as dt

import pytest

from gongshi.zh.chinese_dates import format_date, format_period


def test_date_is_not_zero_padded():
    assert format_date(dt.date(2018, 10, 9)) == "2018年10月9日"


@pytest.mark.parametrize("start, end, expected", [
    ((2024, 3, 12), (2024, 3, 18), "2024年3月12日至18日"),
    ((2018, 10, 29), (2018, 11, 2), "2018年10月29日至11月2日"),
    ((2018, 12, 28), (2019, 1, 4), "2018年12月28日至2019年1月4日"),
])
def test_period_repeats_only_what_changes(start, end, expected):
    assert format_period(dt.date(*start), dt.date(*end)) == expected


def test_period_with_clock_time_on_last_day():
    assert format_period(dt.date(2024, 3, 12), dt.date(2024, 3, 18), "17时前") == "2024年3月12日至18日17时前"
