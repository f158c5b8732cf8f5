"""Working days and 公示 periods: the calendar, its data file, and the period arithmetic."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import chinese_calendar
import pytest

from gongshi.files.yamlfile import DataFileError
from gongshi.findings import Location
from gongshi.zh.workdays import (
    CALENDAR_DAYS,
    HOLIDAYS_FILE,
    WORKDAYS,
    CalendarNotCoveredError,
    HolidaysFileError,
    WorkCalendar,
    count_days,
    package_years,
    parse_holidays,
    period_end,
    period_mismatch,
    period_state,
    resolve_period,
)

REPO = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture(scope="module")
def package() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def bundled() -> WorkCalendar:
    return WorkCalendar.for_project(REPO)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def year_text(year: int, holidays: list[str] | str, workdays: list[str] | str = (),
              number: str = "") -> str:
    """One year's section; line 1 is the year, 5 the first holiday, then the workdays."""
    number = number or f"国办发明电〔{year - 1}〕99号"

    def block(items: list[str] | str) -> str:
        if isinstance(items, str):
            return f" {items}\n"
        return "".join(f"\n    - {item}" for item in items) + "\n" if items else " []\n"

    return (f"{year}:\n"
            f"  notice: 国务院办公厅关于{year}年部分节假日安排的通知\n"
            f"  notice_number: {number}\n"
            f"  holidays:{block(holidays)}"
            f"  workdays:{block(workdays)}")


# --------------------------------------------------------------------------- the calendar


def test_weekends_off_weekdays_on(package):
    assert package.is_workday(D(2018, 10, 29))      # Monday
    assert not package.is_workday(D(2018, 11, 3))   # Saturday
    assert not package.is_workday(D(2018, 11, 4))   # Sunday


def test_national_day_break_and_its_makeup_days(package):
    assert package.is_workday(D(2018, 9, 29))       # Saturday, worked
    assert package.is_workday(D(2018, 9, 30))       # Sunday, worked
    for day in range(1, 8):
        assert not package.is_workday(D(2018, 10, day))
    assert package.is_workday(D(2018, 10, 8))


def test_datetime_is_taken_as_its_date(package):
    assert package.is_workday(dt.datetime(2018, 9, 29, 15, 30))


def test_agrees_with_the_package_on_every_covered_day_but_the_last_days_of_its_last_year(
        package):
    years = package_years()
    day, last = D(years[0], 1, 1), D(years[-1], 12, 27)
    while day <= last:
        assert package.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


# --------------------------------------------------------------------------- periods


def test_five_workdays_from_a_monday():
    assert period_end(D(2018, 10, 29), 5, WORKDAYS, WorkCalendar()) == D(2018, 11, 2)


def test_default_length_is_five_workdays(package):
    assert period_end(D(2018, 10, 29), calendar=package) == D(2018, 11, 2)


def test_five_workdays_across_national_day(package):
    # 9-27 Thu, 9-28 Fri, 9-29 Sat (worked), 9-30 Sun (worked), 10-1..7 off, 10-8 Mon.
    assert period_end(D(2018, 9, 27), 5, WORKDAYS, package) == D(2018, 10, 8)


def test_start_day_counts(package):
    assert period_end(D(2018, 10, 29), 1, WORKDAYS, package) == D(2018, 10, 29)


def test_start_on_a_weekend_counts_from_the_next_working_day(package):
    assert period_end(D(2018, 10, 27), 5, WORKDAYS, package) == D(2018, 11, 2)  # Saturday
    assert period_end(D(2018, 10, 28), 1, WORKDAYS, package) == D(2018, 10, 29)  # Sunday


def test_start_inside_a_holiday_counts_from_the_first_working_day_after_it(package):
    assert period_end(D(2018, 10, 1), 1, WORKDAYS, package) == D(2018, 10, 8)
    assert period_end(D(2018, 10, 1), 5, WORKDAYS, package) == D(2018, 10, 12)


def test_calendar_days_count_every_day_from_the_start():
    assert period_end(D(2018, 10, 29), 7, CALENDAR_DAYS) == D(2018, 11, 4)
    assert period_end(D(2018, 10, 29), 1, CALENDAR_DAYS) == D(2018, 10, 29)
    # No shift on a day off, no stretching over a holiday: 自然日 are natural days.
    assert period_end(D(2018, 9, 29), 5, CALENDAR_DAYS) == D(2018, 10, 3)
    assert period_end(D(2018, 12, 28), 7, CALENDAR_DAYS) == D(2019, 1, 3)


def test_calendar_days_need_no_calendar_even_in_unknown_years():
    assert period_end(D(2031, 3, 3), 7, CALENDAR_DAYS) == D(2031, 3, 9)


def test_period_across_the_new_year_uses_the_next_years_notice(package):
    # The 2019 notice: 2018-12-29 (Sat) worked, 2018-12-30 to 2019-01-01 off.
    assert package.is_workday(D(2018, 12, 29))
    assert not package.is_workday(D(2018, 12, 31))
    assert period_end(D(2018, 12, 27), 5, WORKDAYS, package) == D(2019, 1, 3)


@pytest.mark.parametrize("length, unit", [(0, WORKDAYS), (-1, WORKDAYS), (True, WORKDAYS),
                                          (2.5, CALENDAR_DAYS), (5, "天"), (5, "workdays")])
def test_bad_length_or_unit_is_refused_in_chinese(package, length, unit):
    with pytest.raises(ValueError, match="公示期"):
        period_end(D(2018, 10, 29), length, unit, package)


def test_workdays_need_a_calendar():
    with pytest.raises(TypeError, match="WorkCalendar"):
        period_end(D(2018, 10, 29), 5, WORKDAYS)


def test_count_days(package):
    assert count_days(D(2018, 9, 27), D(2018, 10, 8), WORKDAYS, package) == 5
    assert count_days(D(2018, 9, 27), D(2018, 10, 8), CALENDAR_DAYS) == 12
    assert count_days(D(2018, 10, 8), D(2018, 9, 27), WORKDAYS, package) == 0


# --------------------------------------------------------------------------- stated end vs length


def test_mismatch_message(package):
    message = period_mismatch(D(2018, 10, 29), D(2018, 11, 5), 5, WORKDAYS, package)
    assert message.startswith("公示期 2018年10月29日至11月5日 含 6 个工作日，与设定的 5 个工作日不符")
    assert "应为 2018年10月29日至11月2日" in message


def test_no_mismatch_when_the_counts_agree(package):
    assert period_mismatch(D(2018, 10, 29), D(2018, 11, 2), 5, WORKDAYS, package) is None
    assert period_mismatch(D(2018, 9, 27), D(2018, 10, 8), 5, WORKDAYS, package) is None
    # Days off after the last working day do not count, as in period_end.
    assert period_mismatch(D(2018, 10, 29), D(2018, 11, 4), 5, WORKDAYS, package) is None


def test_mismatch_in_calendar_days():
    assert period_mismatch(D(2018, 10, 29), D(2018, 11, 4), 7, CALENDAR_DAYS) is None
    message = period_mismatch(D(2018, 10, 29), D(2018, 11, 5), 7, CALENDAR_DAYS)
    assert message.startswith("公示期 2018年10月29日至11月5日 含 8 个自然日，与设定的 7 个自然日不符")


def test_mismatch_end_before_start(package):
    assert "早于开始日期" in period_mismatch(D(2018, 11, 5), D(2018, 11, 1), 5, WORKDAYS, package)


def test_resolve_period(package):
    start = D(2018, 10, 29)
    assert resolve_period(start, calendar=package) == (D(2018, 11, 2), None)
    assert resolve_period(start, length=7, unit=CALENDAR_DAYS) == (D(2018, 11, 4), None)
    assert resolve_period(start, end=D(2018, 11, 9)) == (D(2018, 11, 9), None)
    end, problem = resolve_period(start, D(2018, 11, 5), 5, WORKDAYS, package)
    assert end == D(2018, 11, 5) and "不符" in problem
    end, problem = resolve_period(start, D(2018, 10, 1))
    assert "早于开始日期" in problem


# --------------------------------------------------------------------------- state on a day


def test_state_before_the_start(package):
    assert period_state(D(2018, 10, 29), D(2018, 11, 2), D(2018, 10, 28), package) == (
        "upcoming", "未开始", 5)


def test_state_during_the_period(package):
    start, end = D(2018, 10, 29), D(2018, 11, 2)
    assert period_state(start, end, start, package) == ("open", "公示中（还剩 5 个工作日）", 5)
    assert period_state(start, end, D(2018, 10, 31), package) == (
        "open", "公示中（还剩 3 个工作日）", 3)
    assert period_state(start, end, end, package) == ("open", "公示中（还剩 1 个工作日）", 1)


def test_state_during_a_holiday_inside_the_period(package):
    assert period_state(D(2018, 9, 27), D(2018, 10, 8), D(2018, 10, 3), package) == (
        "open", "公示中（还剩 1 个工作日）", 1)


def test_state_on_a_day_off_at_the_very_end(package):
    assert period_state(D(2018, 10, 29), D(2018, 11, 4), D(2018, 11, 3), package) == (
        "open", "公示中（已无剩余工作日）", 0)


def test_state_after_the_end(package):
    assert period_state(D(2018, 10, 29), D(2018, 11, 2), D(2018, 11, 3), package) == (
        "closed", "已结束", 0)


def test_closed_periods_need_no_calendar_data():
    assert period_state(D(2003, 1, 6), D(2003, 1, 10), D(2018, 1, 1), WorkCalendar())[0] == "closed"


# --------------------------------------------------------------------------- for the browser


def test_days_for_the_browser_partition_the_span(package):
    data = package.days_off_and_workdays(D(2018, 9, 27), D(2018, 10, 8), margin=3)
    assert data["from"] == "2018-09-24" and data["to"] == "2018-10-11"
    assert "2018-09-29" in data["workdays"] and "2018-09-30" in data["workdays"]
    assert "2018-09-24" in data["days_off"]  # 中秋节
    assert all(f"2018-10-0{day}" in data["days_off"] for day in range(1, 8))
    every = sorted(data["workdays"] + data["days_off"])
    assert len(every) == len(set(every)) == 18
    assert every[0] == data["from"] and every[-1] == data["to"]
    # What a script does with it: ISO strings compare as dates.
    today, end = "2018-10-03", "2018-10-08"
    assert sum(1 for day in data["workdays"] if today <= day <= end) == 1


def test_days_for_the_browser_is_plain_json(package):
    import json
    data = package.days_off_and_workdays(D(2018, 10, 29), D(2018, 11, 2))
    assert json.loads(json.dumps(data)) == data
    assert data["from"] == "2018-10-22" and data["to"] == "2018-11-09"


def test_days_for_the_browser_margin_stops_where_knowledge_ends(package):
    last = package_years()[-1]
    data = package.days_off_and_workdays(D(last, 12, 21), D(last, 12, 25), margin=7)
    assert data["to"] == D(last, 12, 27).isoformat()
    assert data["from"] == D(last, 12, 14).isoformat()


def test_days_for_the_browser_refuse_an_uncovered_period(package):
    with pytest.raises(CalendarNotCoveredError):
        package.days_off_and_workdays(D(2031, 3, 3), D(2031, 3, 7))


# --------------------------------------------------------------------------- coverage


def test_year_outside_coverage_raises_naming_the_year(package):
    assert 2031 not in package_years(), "this test assumes the package stops before 2031"
    with pytest.raises(CalendarNotCoveredError) as caught:
        period_end(D(2031, 3, 3), 5, WORKDAYS, package)
    error = caught.value
    assert error.year == 2031
    assert "2031 年" in error.message and "2031年3月3日" in error.message
    assert "周一至周五" in error.message  # says it will not guess
    assert "国务院办公厅关于2031年部分节假日安排的通知" in error.hint
    assert "国办发明电〔2030〕" in error.hint
    assert HOLIDAYS_FILE in error.hint and "2031:" in error.hint
    assert error.code == "K100" and error.location == Location(HOLIDAYS_FILE)
    assert "2031" in str(error) and "data/holidays.yaml" in str(error)


def test_period_running_into_an_unknown_year_raises(package):
    last = package_years()[-1]
    with pytest.raises(CalendarNotCoveredError) as caught:
        period_end(D(last, 12, 20), 10, WORKDAYS, package)
    assert caught.value.year == last + 1


def test_last_days_of_the_last_year_wait_for_the_next_notice(package):
    last = package_years()[-1]
    assert package.covers(D(last, 12, 27))
    for day in (28, 29, 30, 31):
        with pytest.raises(CalendarNotCoveredError) as caught:
            package.is_workday(D(last, 12, day))
        assert caught.value.year == last + 1
        assert "元旦" in caught.value.message


def test_year_before_the_package(package):
    with pytest.raises(CalendarNotCoveredError) as caught:
        package.is_workday(D(2003, 6, 2))
    assert caught.value.year == 2003


# --------------------------------------------------------------------------- the data file


def test_bundled_file_2018_equals_the_package(bundled, package):
    entry = bundled.notice_years[2018]
    assert entry.notice == "国务院办公厅关于2018年部分节假日安排的通知"
    assert entry.notice_number == "国办发明电〔2017〕12号"
    assert set(bundled.notice_years) <= {2018}
    day = D(2017, 12, 28)
    while day <= D(2019, 1, 5):
        assert bundled.is_workday(day) == package.is_workday(day), day
        day += dt.timedelta(days=1)
    # And, against the package's own tables, not only through this module:
    # Against the package's own tables too (its 2018-12-30/31 belong to the 2019 notice):
    assert entry.own.days_off == {d for d in chinese_calendar.holidays
                                  if d.year == 2018 and d.month < 12}
    assert entry.own.workdays == {d for d in chinese_calendar.workdays
                                  if d.year == 2018 and d.month < 12}
    assert not entry.year_end.days_off and not entry.year_end.workdays


def test_missing_file_means_the_package_alone(tmp_path):
    calendar = WorkCalendar.from_file(tmp_path / "nothing.yaml")
    assert calendar.notice_years == {}
    assert period_end(D(2018, 9, 27), 5, WORKDAYS, calendar) == D(2018, 10, 8)


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有说明，还没有年份\n"])
def test_empty_or_comment_only_file_is_fine(tmp_path, text):
    assert WorkCalendar.from_file(write(tmp_path, text)).notice_years == {}


def test_file_takes_precedence_over_the_package_for_its_year(tmp_path, package):
    # A (fictional) correction of 2018: 2018-11-01 off, and no National Day break at all.
    path = write(tmp_path, year_text(2018, ["2018-01-01", "2018-11-01"]))
    calendar = WorkCalendar.from_file(path, "data/holidays.yaml")
    assert not calendar.is_workday(D(2018, 11, 1))
    assert period_end(D(2018, 10, 29), 5, WORKDAYS, calendar) == D(2018, 11, 5)
    assert period_end(D(2018, 10, 29), 5, WORKDAYS, package) == D(2018, 11, 2)
    # The whole year is the file's: the package's 2018 days no longer apply...
    assert calendar.is_workday(D(2018, 10, 1))
    assert not calendar.is_workday(D(2018, 9, 29))
    # ...while other years are still the package's.
    assert not calendar.is_workday(D(2019, 10, 1))
    assert not calendar.is_workday(D(2018, 12, 31))  # set by the 2019 notice, in the package


def test_file_extends_coverage_to_a_new_year(tmp_path):
    path = write(tmp_path, year_text(2031, ["2031-01-01", "2031-03-04 至 2031-03-05"],
                                     ["2031-03-08"]))
    calendar = WorkCalendar.from_file(path)
    assert period_end(D(2031, 3, 3), 5, WORKDAYS, calendar) == D(2031, 3, 10)
    with pytest.raises(CalendarNotCoveredError) as caught:
        calendar.is_workday(D(2032, 1, 5))
    assert caught.value.year == 2032


def test_file_year_end_days_come_from_the_next_years_section(tmp_path, package):
    last = package_years()[-1]
    path = write(tmp_path, year_text(last + 1, [f"{last}-12-31 至 {last + 1}-01-01"]))
    calendar = WorkCalendar.from_file(path)
    assert not calendar.is_workday(D(last, 12, 31))
    assert calendar.covers(D(last, 12, 28))
    with pytest.raises(CalendarNotCoveredError):
        package.is_workday(D(last, 12, 31))


def test_file_year_replaces_the_packages_year_end_days_too(tmp_path, package):
    # A (fictional) 2019 section without the 2019 notice's days at the end of 2018.
    calendar = WorkCalendar.from_file(write(tmp_path, year_text(2019, ["2019-01-01"])))
    assert package.is_workday(D(2018, 12, 29)) and not package.is_workday(D(2018, 12, 31))
    assert not calendar.is_workday(D(2018, 12, 29))  # Saturday
    assert calendar.is_workday(D(2018, 12, 31))      # Monday


def test_calendar_index_is_built_once(bundled):
    """Built once per process; the speed of period arithmetic is in scripts/benchmark.py."""
    from gongshi.zh.workdays import _package_index
    assert _package_index() is _package_index()


# --------------------------------------------------------------------------- file problems


def problems_of(tmp_path: Path, text: str) -> HolidaysFileError:
    with pytest.raises(HolidaysFileError) as caught:
        WorkCalendar.from_file(write(tmp_path, text), "data/holidays.yaml")
    error = caught.value
    assert isinstance(error, DataFileError)  # the loader's usual catch works
    return error


def test_impossible_date_is_reported_with_its_line(tmp_path):
    with pytest.raises(DataFileError) as caught:  # found by the YAML reader itself
        WorkCalendar.from_file(write(tmp_path, year_text(2018, ["2018-01-01", "2018-02-30"])),
                               "data/holidays.yaml")
    assert caught.value.location.file == "data/holidays.yaml"
    assert caught.value.location.line == 6 and "2018-02-30" in caught.value.message


def test_impossible_date_inside_a_range(tmp_path):
    error = problems_of(tmp_path, year_text(2018, ["2018-02-15 至 2018-02-30"]))
    assert error.location.line == 5 and "不是真实存在的日期" in error.message


@pytest.mark.parametrize("item", ["2018/10/01", "2018年10月1日", "10-01", "国庆节",
                                  "2018-10-01 至 2018-10-03 至 2018-10-05"])
def test_unreadable_date_is_reported(tmp_path, item):
    error = problems_of(tmp_path, year_text(2018, ["2018-01-01", item]))
    assert error.code == "K001" and error.location.line == 6


def test_day_both_holiday_and_workday(tmp_path):
    error = problems_of(tmp_path, year_text(2018, ["2018-09-29 至 2018-10-07"],
                                            ["2018-09-29"]))
    assert error.code == "K010" and error.location.line == 7
    assert "2018-09-29" in error.message and "第 5 行" in error.message and "第 7 行" in error.message


def test_day_both_holiday_and_workday_across_two_years(tmp_path):
    text = (year_text(2030, ["2030-12-29"])
            + year_text(2031, ["2031-01-01"], ["2030-12-29"]))
    error = problems_of(tmp_path, text)
    assert error.code == "K010" and error.location.line == 13


def test_unknown_key_is_reported_with_a_suggestion(tmp_path):
    error = problems_of(tmp_path, year_text(2018, ["2018-01-01"]) + "  workday: []\n")
    assert error.code == "K005" and error.location.line == 7
    assert "workday" in error.message and "workdays" in error.hint


def test_missing_key_is_reported(tmp_path):
    error = problems_of(tmp_path, "2018:\n  notice: 国务院办公厅关于2018年部分节假日安排的通知\n"
                                  "  holidays:\n    - 2018-01-01\n  workdays: []\n")
    assert error.code == "K006" and "notice_number" in error.message and error.location.line == 1


def test_every_problem_is_collected(tmp_path):
    text = year_text(2018, ["2018-02-31 至 2018-03-01"], ["2018-09-28"]) + "  extra: 1\n"
    error = problems_of(tmp_path, text)
    assert {p.code for p in error.problems} == {"K001", "K005", "K015"}
    assert len(str(error).splitlines()) == 3


@pytest.mark.parametrize("text, code, line", [
    ("- 2018\n", "K002", 1),
    ("二〇一八:\n  notice: x\n", "K003", 1),
    ("1899:\n  notice: x\n", "K003", 1),
    ("2018: 国庆节\n", "K004", 1),
    (year_text(2018, ["2018-01-01"]).replace("2018年部分", "2017年部分"), "K007", 2),
    (year_text(2018, ["2018-01-01"], number="12号"), "K008", 3),
    (year_text(2018, "[]"), "K009", 4),
    (year_text(2018, "2018-01-01"), "K011", 4),
    (year_text(2018, ["2018-10-07 至 2018-10-01"]), "K012", 5),
    (year_text(2018, ["2018-10-01 至 2018-10-31"]), "K013", 5),
    (year_text(2018, ["2019-01-01"]), "K014", 5),
    (year_text(2018, ["2017-12-20"]), "K014", 5),
    (year_text(2018, ["2018-01-01"], ["2018-09-28"]), "K015", 7),
    (year_text(2018, ["2018-01-01 10:00:00"]), "K001", 5),
])
def test_file_checks(tmp_path, text, code, line):
    error = problems_of(tmp_path, text)
    assert (error.code, error.location.line) == (code, line), error.message
    assert error.location.file == "data/holidays.yaml"
    assert error.hint


def test_previous_december_days_are_allowed_in_a_years_section():
    years = parse_holidays(year_text(2019, ["2018-12-30 至 2019-01-01"],
                                     ["2018-12-29"]))
    entry = years[2019]
    assert entry.own.days_off == {D(2019, 1, 1)}
    assert entry.year_end.days_off == {D(2018, 12, 30), D(2018, 12, 31)}
    assert entry.year_end.workdays == {D(2018, 12, 29)}


def test_quoted_year_and_quoted_dates_are_accepted():
    years = parse_holidays('"2018":\n  notice: 国务院办公厅关于2018年部分节假日安排的通知\n'
                           '  notice_number: 国办发明电〔2017〕12号\n'
                           '  holidays: ["2018-01-01", "2018-02-15至2018-02-21"]\n'
                           '  workdays: ["2018-02-11"]\n')
    assert D(2018, 2, 18) in years[2018].own.days_off


def test_yaml_syntax_errors_still_come_from_the_yaml_reader(tmp_path):
    with pytest.raises(DataFileError) as caught:
        WorkCalendar.from_file(write(tmp_path, "2018:\n  notice: [\n"))
    assert caught.value.code == "Y001"
