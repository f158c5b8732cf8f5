"""Working days in mainland China, and 公示 periods counted in them.

This module owns:

* `WorkCalendar`: whether a date is a working day — weekends off, public holidays off,
  调休 make-up days (weekend days that are worked) on. The dates come from the
  `chinese-calendar` package (import name `chinese_calendar`, 2004–2026 in 1.11.0) and from
  the project file data/holidays.yaml, which adds years or replaces them, one State Council
  notice per year. The file's format is documented at its top, in Chinese, for office staff.
* `CalendarNotCoveredError`: raised whenever a computation needs a day whose year neither
  source covers. Nothing here ever falls back to "Monday to Friday" on its own.
* `HolidaysFileError`: what is wrong with data/holidays.yaml, with file and line.
* The arithmetic of 公示 periods: the end date from a length in 工作日 or 自然日
  (`period_end`, `resolve_period`), the check of a stated end against a stated length
  (`period_mismatch`), the state of a period on a given day (`period_state`), and the
  compact day lists a browser script uses to keep that state current after publication
  (`WorkCalendar.days_off_and_workdays`).

Sources and precedence, per *notice year* (the year a 部分节假日安排 notice is for):

* A year written in data/holidays.yaml replaces the package for that year entirely: its
  dates are exactly the file's, every other day follows the weekend rule.
* Otherwise the package decides, for the years it has.
* The notice for year N+1 may arrange the last days of year N (the 2019 notice made
  2018-12-30/31 days off and 2018-12-29 a working day). So a day from 28 to 31 December of
  year N also needs year N+1's notice; it is looked up there first, then in year N's. In
  the package, those days are the December entries named "New Year's Day". 28 December is
  the earliest such a day can be (a Saturday worked before a Wednesday 1 January; the
  earliest seen 2004–2026 is the 29th).

Counting rules (see `period_end`): the start day counts. In 工作日, counting begins at the
first working day on or after the start, so a period that starts on a Saturday or inside a
holiday starts counting on the next working day. 自然日 count every day from the start.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chinese_calendar

from .chinese_dates import format_date, format_period
from .findings import Location, did_you_mean
from .yamlfile import DataFileError, SourceList, SourceMap, parse_yaml, read_text

HOLIDAYS_FILE = "data/holidays.yaml"

WORKDAYS = "工作日"
CALENDAR_DAYS = "自然日"
UNITS = (WORKDAYS, CALENDAR_DAYS)
DEFAULT_LENGTH = 5

# From this day of December on, a day may be arranged by the next year's notice.
YEAR_END_FIRST_DAY = 28

# Limits used when checking data/holidays.yaml.
FILE_YEARS = range(2000, 2100)
LONGEST_RANGE_DAYS = 15  # the longest national break so far: 10 days (Spring Festival 2020)

_PACKAGE_NEW_YEAR = "New Year's Day"
_FILE_KEYS = ("notice", "notice_number", "holidays", "workdays")
_RANGE_SEPARATOR = re.compile(r"\s*(?:至|到|~|～)\s*")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NOTICE_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_WEEKDAY_NAMES = "一二三四五六日"


# --------------------------------------------------------------------------- errors


class CalendarNotCoveredError(Exception):
    """A computation needs a year whose holidays neither the package nor the file has.

    Shaped like `DataFileError` (code, message, location, hint, excerpt) so a caller can
    turn it into a finding; `str()` gives message and hint together.
    """

    code = "K100"

    def __init__(self, year: int, day: dt.date, shown_as: str, package_years: range,
                 year_end: bool = False):
        self.year = year
        self.day = day
        self.location = Location(shown_as)
        self.excerpt = ""
        covered = f"chinese-calendar 软件包只收录了 {package_years[0]}—{package_years[-1]} 年"
        if year_end:
            self.message = (
                f"计算公示期需要知道 {format_date(day)} 是否上班。每年 12月{YEAR_END_FIRST_DAY}日"
                f"至31日可能被下一年元旦的放假调休占用，但 {year} 年的节假日安排还没有收录"
                f"（{covered}，{shown_as} 里也没有 {year} 年）。程序不会自行按“周一至周五上班”推算。"
            )
        else:
            self.message = (
                f"计算公示期需要知道 {format_date(day)} 是否上班，但 {year} 年的节假日安排"
                f"还没有收录（{covered}，{shown_as} 里也没有 {year} 年）。"
                "程序不会自行按“周一至周五上班”推算。"
            )
        self.hint = (
            f"请找到国务院办公厅《关于{year}年部分节假日安排的通知》（一般在 {year - 1} 年"
            f"10月至12月发布，文号形如“国办发明电〔{year - 1}〕×号”，中国政府网 www.gov.cn 可查），"
            f"按 {shown_as} 开头的说明，在文件末尾添加一段（没有这个文件就新建一个）：\n"
            f"{year}:\n"
            f"  notice: 国务院办公厅关于{year}年部分节假日安排的通知\n"
            f"  notice_number: 国办发明电〔{year - 1}〕×号（照通知填写）\n"
            f"  holidays:          # 通知中每一段放假日期，连续几天写“起始日期 至 结束日期”\n"
            f"    - {year}-01-01\n"
            f"  workdays:          # 通知中每一个调休上班的周六、周日；没有就写 []\n"
            f"    - …\n"
            "所有日期照通知逐一抄写，然后重新运行。也可以请技术人员把 chinese-calendar 软件包"
            f"升级到已收录 {year} 年的版本。"
        )
        super().__init__(f"{self.message}\n{self.hint}")


class HolidaysFileError(DataFileError):
    """data/holidays.yaml is wrong. Reports the first problem; `problems` holds them all."""

    def __init__(self, problems: list[DataFileError]):
        first = problems[0]
        super().__init__(first.code, first.message, first.location, first.hint, first.excerpt)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(f"{p.location}：{p.message}" for p in self.problems)


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Arrangement:
    """Days set against the weekend rule: weekdays off and weekend days worked."""

    days_off: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class NoticeYear:
    """One year of data/holidays.yaml: a State Council notice and the days it sets."""

    year: int
    notice: str          # title, as printed
    notice_number: str   # 文号, e.g. 国办发明电〔2017〕12号
    own: Arrangement     # days in `year`
    year_end: Arrangement  # days in late December of `year - 1`
    line: int


@dataclass(frozen=True)
class _PackageIndex:
    years: range
    own: dict[int, Arrangement]       # by notice year: the days of that calendar year
    year_end: dict[int, Arrangement]  # by calendar year N: 28–31 Dec set by notice N+1


def _is_year_end(day: dt.date) -> bool:
    return day.month == 12 and day.day >= YEAR_END_FIRST_DAY


@functools.lru_cache(maxsize=1)
def _package_index() -> _PackageIndex:
    """The package's dates regrouped by notice year; built once per process."""
    years_seen = {day.year for day in chinese_calendar.holidays}
    years = range(min(years_seen), max(years_seen) + 1)
    own: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    year_end: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for index, table in ((0, chinese_calendar.holidays), (1, chinese_calendar.workdays)):
        for day, name in table.items():
            target = year_end if _is_year_end(day) and name == _PACKAGE_NEW_YEAR else own
            target[day.year][index].add(day)

    def frozen(pair: tuple[set, set]) -> Arrangement:
        return Arrangement(frozenset(pair[0]), frozenset(pair[1]))

    return _PackageIndex(
        years,
        {year: frozen(own[year]) for year in years},
        # Notice N+1 is in the package for every N before the last year.
        {year: frozen(year_end[year]) for year in years if year + 1 in years},
    )


def package_years() -> range:
    """The years the installed chinese-calendar package covers."""
    return _package_index().years


# --------------------------------------------------------------------------- calendar


def _as_date(value: Any, what: str = "日期") -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"{what}应当是日期（datetime.date），收到的是 {value!r}。")


class WorkCalendar:
    """Whether a day is a working day in mainland China, from the package and the file.

    Build one per build (`for_project`, `from_file`, or `WorkCalendar()` for the package
    alone); answers are memoised per instance.
    """

    def __init__(self, notice_years: dict[int, NoticeYear] | None = None,
                 shown_as: str = HOLIDAYS_FILE):
        self.notice_years: dict[int, NoticeYear] = dict(notice_years or {})
        self.shown_as = shown_as
        self._memo: dict[dt.date, bool] = {}

    @classmethod
    def from_file(cls, path: Path, shown_as: str = HOLIDAYS_FILE) -> WorkCalendar:
        """The package plus the holidays file at `path`; a missing file adds nothing."""
        if not path.exists():
            return cls(shown_as=shown_as)
        return cls(load_holidays_file(path, shown_as), shown_as)

    @classmethod
    def for_project(cls, root: Path) -> WorkCalendar:
        """The calendar of the project at `root` (its data/holidays.yaml, if any)."""
        return cls.from_file(Path(root) / HOLIDAYS_FILE, HOLIDAYS_FILE)

    # -- single days

    def is_workday(self, day: dt.date) -> bool:
        """True on a working day. Raises CalendarNotCoveredError if the year is unknown."""
        day = _as_date(day)
        known = self._memo.get(day)
        if known is None:
            known = self._memo[day] = self._decide(day)
        return known

    def covers(self, day: dt.date) -> bool:
        """True if `is_workday(day)` can answer."""
        try:
            self.is_workday(day)
        except CalendarNotCoveredError:
            return False
        return True

    def _decide(self, day: dt.date) -> bool:
        own = self._own(day)  # first, so an unknown year is named as itself
        if _is_year_end(day):
            arranged = self._year_end(day)
            if day in arranged.days_off:
                return False
            if day in arranged.workdays:
                return True
        if day in own.days_off:
            return False
        if day in own.workdays:
            return True
        return day.weekday() < 5

    def _own(self, day: dt.date) -> Arrangement:
        entry = self.notice_years.get(day.year)
        if entry is not None:
            return entry.own
        package = _package_index()
        if day.year in package.years:
            return package.own[day.year]
        raise CalendarNotCoveredError(day.year, day, self.shown_as, package.years)

    def _year_end(self, day: dt.date) -> Arrangement:
        entry = self.notice_years.get(day.year + 1)
        if entry is not None:
            return entry.year_end
        package = _package_index()
        if day.year in package.year_end:
            return package.year_end[day.year]
        raise CalendarNotCoveredError(day.year + 1, day, self.shown_as, package.years,
                                      year_end=True)

    # -- spans

    def count_workdays(self, start: dt.date, end: dt.date) -> int:
        """Working days from `start` to `end`, both included (0 if end < start)."""
        start, end = _as_date(start), _as_date(end)
        return sum(1 for day in _days(start, end) if self.is_workday(day))

    def days_off_and_workdays(self, start: dt.date, end: dt.date,
                              margin: int = 7) -> dict[str, Any]:
        """Every day of a period's span plus `margin` days each side, as ISO date strings.

        Returns {"from": first day, "to": last day, "workdays": [...], "days_off": [...]}.
        The two lists partition from..to (weekends included in days_off), so a browser
        script needs no weekday arithmetic: with `today` as "YYYY-MM-DD" in China time, the
        working days left are the `workdays` items with today <= item <= end (ISO strings
        compare as dates). A day outside from..to is unknown: keep the status built in.
        The period itself must be covered (else CalendarNotCoveredError); the margins stop
        quietly where the calendar's knowledge ends.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            raise ValueError(f"结束日期 {format_date(end)} 早于开始日期 {format_date(start)}。")
        for day in _days(start, end):
            self.is_workday(day)
        first, last = start, end
        for _ in range(max(margin, 0)):
            if not self.covers(first - dt.timedelta(days=1)):
                break
            first -= dt.timedelta(days=1)
        for _ in range(max(margin, 0)):
            if not self.covers(last + dt.timedelta(days=1)):
                break
            last += dt.timedelta(days=1)
        workdays: list[str] = []
        days_off: list[str] = []
        for day in _days(first, last):
            (workdays if self.is_workday(day) else days_off).append(day.isoformat())
        return {"from": first.isoformat(), "to": last.isoformat(),
                "workdays": workdays, "days_off": days_off}


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


# --------------------------------------------------------------------------- periods


def _check_length(length: Any, unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"公示期的计算单位只能是“{WORKDAYS}”或“{CALENDAR_DAYS}”，收到的是“{unit}”。")
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise ValueError(f"公示期天数应当是正整数（如 5），收到的是“{length}”。")


def _need_calendar(calendar: WorkCalendar | None) -> WorkCalendar:
    if calendar is None:
        raise TypeError("按工作日计算公示期需要传入 WorkCalendar。")
    return calendar


def period_end(start: dt.date, length: int = DEFAULT_LENGTH, unit: str = WORKDAYS,
               calendar: WorkCalendar | None = None) -> dt.date:
    """The last day of a period of `length` 工作日 or 自然日 starting on `start`.

    The start day counts. In 工作日, counting begins at the first working day on or after
    `start`: 2018-10-27 (a Saturday) + 5 工作日 ends on 2018-11-02, like 2018-10-29 does.
    In 自然日, every day counts from `start` itself, working or not.
    """
    start = _as_date(start, "开始日期")
    _check_length(length, unit)
    if unit == CALENDAR_DAYS:
        return start + dt.timedelta(days=length - 1)
    calendar = _need_calendar(calendar)
    day, counted = start, 0
    while True:
        if calendar.is_workday(day):
            counted += 1
            if counted == length:
                return day
        day += dt.timedelta(days=1)


def count_days(start: dt.date, end: dt.date, unit: str = WORKDAYS,
               calendar: WorkCalendar | None = None) -> int:
    """Days of `unit` from `start` to `end`, both included."""
    start, end = _as_date(start, "开始日期"), _as_date(end, "结束日期")
    _check_length(1, unit)
    if unit == CALENDAR_DAYS:
        return max((end - start).days + 1, 0)
    calendar = _need_calendar(calendar)
    return calendar.count_workdays(start, end)


def period_mismatch(start: dt.date, end: dt.date, length: int = DEFAULT_LENGTH,
                    unit: str = WORKDAYS, calendar: WorkCalendar | None = None) -> str | None:
    """A Chinese message if the period start..end does not hold `length` `unit`, else None.

    The count follows `period_end`: non-working days before the first or after the last
    working day do not count, so 2018-10-29 to 2018-11-04 (a Sunday) is 5 工作日.
    """
    start, end = _as_date(start, "开始日期"), _as_date(end, "结束日期")
    _check_length(length, unit)
    if end < start:
        return (f"公示期的结束日期 {format_date(end)} 早于开始日期 {format_date(start)}，"
                "请核对。")
    counted = count_days(start, end, unit, calendar)
    if counted == length:
        return None
    expected = period_end(start, length, unit, calendar)
    return (f"公示期 {format_period(start, end)} 含 {counted} 个{unit}，"
            f"与设定的 {length} 个{unit}不符。按 {length} 个{unit}计算，"
            f"公示期应为 {format_period(start, expected)}。")


def resolve_period(start: dt.date, end: dt.date | None = None, length: int | None = None,
                   unit: str = WORKDAYS,
                   calendar: WorkCalendar | None = None) -> tuple[dt.date, str | None]:
    """A period given by its start and an end, a length, or both: (end, problem or None).

    With neither, the length is DEFAULT_LENGTH 工作日. With both, the end is kept and the
    problem says how it disagrees with the length (see `period_mismatch`).
    """
    start = _as_date(start, "开始日期")
    if end is None:
        return period_end(start, DEFAULT_LENGTH if length is None else length, unit,
                          calendar), None
    end = _as_date(end, "结束日期")
    if length is None:
        if end < start:
            return end, (f"公示期的结束日期 {format_date(end)} 早于开始日期 "
                         f"{format_date(start)}，请核对。")
        return end, None
    return end, period_mismatch(start, end, length, unit, calendar)


def period_state(start: dt.date, end: dt.date, today: dt.date,
                 calendar: WorkCalendar) -> tuple[str, str, int]:
    """(state, label, remaining_workdays) of the period start..end on `today`.

    state is "upcoming" / "open" / "closed" (as in pages.PeriodStatus); label is 未开始 /
    公示中（还剩 N 个工作日） / 已结束. remaining_workdays counts working days from today
    (included) to end; before the start it is the whole period's, after the end 0. On a
    day off at the very end (no working day left) the label reads 公示中（已无剩余工作日）.
    """
    start, end = _as_date(start, "开始日期"), _as_date(end, "结束日期")
    today = _as_date(today, "当天日期")
    if today > end:
        return "closed", "已结束", 0
    if today < start:
        return "upcoming", "未开始", calendar.count_workdays(start, end)
    remaining = calendar.count_workdays(today, end)
    if remaining:
        return "open", f"公示中（还剩 {remaining} 个工作日）", remaining
    return "open", "公示中（已无剩余工作日）", 0


# --------------------------------------------------------------------------- the file


class _Problems:
    """Collects the problems of one holidays file, each with a line and its text."""

    def __init__(self, shown_as: str, text: str):
        self.shown_as = shown_as
        self.lines = text.splitlines()
        self.items: list[DataFileError] = []

    def add(self, code: str, line: int, message: str, hint: str = "") -> None:
        excerpt = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
        self.items.append(DataFileError(code, message, Location(self.shown_as, line), hint,
                                        excerpt))

    def raise_if_any(self) -> None:
        if self.items:
            raise HolidaysFileError(self.items)


def load_holidays_file(path: Path, shown_as: str = HOLIDAYS_FILE) -> dict[int, NoticeYear]:
    """Read and check data/holidays.yaml: {year: NoticeYear}. Raises HolidaysFileError
    (a DataFileError) naming file and line for every problem found."""
    text = read_text(path, shown_as)
    return parse_holidays(text, shown_as)


def parse_holidays(text: str, shown_as: str = HOLIDAYS_FILE) -> dict[int, NoticeYear]:
    """Check the text of a holidays file; see `load_holidays_file`."""
    problems = _Problems(shown_as, text)
    if not text.strip():
        return {}
    raw = parse_yaml(text, shown_as)  # an impossible bare date is its Y004
    if raw is None:  # only comments: no years
        return {}
    if not isinstance(raw, SourceMap):
        problems.add("K002", getattr(raw, "line", 1) or 1,
                     f"{shown_as} 应当按年份分段，每段以“2018:”这样的年份开头。",
                     "请参照文件开头的说明和示例填写。")
        problems.raise_if_any()

    result: dict[int, NoticeYear] = {}
    seen: dict[dt.date, tuple[bool, int, int]] = {}  # day -> (is workday, line, year)
    for key, body in raw.items():
        line = raw.line_of(key)
        year = _year_key(key)
        if year is None:
            problems.add("K003", line, f"“{key}”不是年份。每段应以四位数字的年份开头，如“2018:”。",
                         f"年份只能是 {FILE_YEARS[0]} 至 {FILE_YEARS[-1]} 之间的四位数字，后面紧跟英文冒号。")
            continue
        entry = _notice_year(year, body, line, problems, seen)
        if entry is not None:
            result[year] = entry
    problems.raise_if_any()
    return result


def _year_key(key: Any) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key.strip())
    if isinstance(key, int) and key in FILE_YEARS:
        return key
    return None


def _notice_year(year: int, body: Any, line: int, problems: _Problems,
                 seen: dict) -> NoticeYear | None:
    if not isinstance(body, SourceMap):
        problems.add("K004", line, f"{year} 年下面应当有 notice、notice_number、holidays、"
                     "workdays 四项。",
                     "请参照文件开头的示例，在年份下一行起缩进两个空格逐项填写。")
        return None
    ok = True
    for key in body:
        if key not in _FILE_KEYS:
            hint = did_you_mean(str(key), list(_FILE_KEYS), "可填写的项")
            problems.add("K005", body.line_of(key), f"{year} 年下有无法识别的项“{key}”。", hint)
            ok = False
    for key in _FILE_KEYS:
        if key not in body:
            problems.add("K006", line, f"{year} 年缺少“{key}”（{_KEY_MEANING[key]}）。",
                         "没有调休上班日时写“workdays: []”。" if key == "workdays"
                         else "请照国务院办公厅的通知填写。")
            ok = False

    notice = body.get("notice")
    if "notice" in body and (not isinstance(notice, str) or f"{year}年" not in notice):
        problems.add("K007", body.line_of("notice"),
                     f"{year} 年的 notice 应当是通知标题，并写明“{year}年”，"
                     f"如“国务院办公厅关于{year}年部分节假日安排的通知”。",
                     "请照通知原文抄写标题，核对年份是否与这一段的年份一致。")
        ok = False
    number = body.get("notice_number")
    if "notice_number" in body and (not isinstance(number, str)
                                    or not _NOTICE_NUMBER.search(number)):
        problems.add("K008", body.line_of("notice_number"),
                     f"{year} 年的 notice_number 应当是通知文号，如“国办发明电〔{year - 1}〕12号”。",
                     "请照通知原文抄写文号，年份用六角括号〔〕括起来。")
        ok = False

    days: dict[str, dict[dt.date, int]] = {}
    for key, is_workday in (("holidays", False), ("workdays", True)):
        if key not in body:
            continue
        listed = _day_list(year, key, body[key], body.line_of(key), is_workday, problems)
        if listed is None:
            ok = False
            continue
        days[key] = listed
        if key == "holidays" and not listed:
            problems.add("K009", body.line_of(key), f"{year} 年的 holidays 是空的。",
                         "请照通知填写放假日期。")
            ok = False
    if not ok:
        return None

    for key, is_workday in (("holidays", False), ("workdays", True)):
        for day, item_line in days[key].items():
            earlier = seen.get(day)
            if earlier is not None and earlier[0] != is_workday:
                off_line, work_line = ((earlier[1], item_line) if is_workday
                                       else (item_line, earlier[1]))
                problems.add("K010", item_line,
                             f"{day.isoformat()} 既写在放假日期（第 {off_line} 行）里，"
                             f"又写在调休上班日期（第 {work_line} 行）里。",
                             "一天只能是其中一种，请对照通知删去错误的一处。")
                ok = False
            elif earlier is None:
                seen[day] = (is_workday, item_line, year)
    if not ok or not isinstance(notice, str) or not isinstance(number, str):  # str: checked above
        return None

    def split(listed: dict[dt.date, int], in_year: bool) -> frozenset[dt.date]:
        return frozenset(d for d in listed if (d.year == year) == in_year)

    off, work = days["holidays"], days["workdays"]
    return NoticeYear(
        year, notice, number,
        own=Arrangement(split(off, True), split(work, True)),
        year_end=Arrangement(split(off, False), split(work, False)),
        line=line,
    )


_KEY_MEANING = {
    "notice": "通知标题",
    "notice_number": "通知文号",
    "holidays": "放假日期",
    "workdays": "调休上班日期",
}


def _day_list(year: int, key: str, value: Any, line: int, is_workday: bool,
              problems: _Problems) -> dict[dt.date, int] | None:
    """The days one list names, each with its line; None if the list has a problem."""
    if not isinstance(value, SourceList):
        problems.add("K011", line, f"{year} 年的 {key} 应当是日期列表，每项一行，以“- ”开头。",
                     "例如：\n    - 2018-10-01 至 2018-10-07" if not is_workday
                     else "例如：\n    - 2018-09-29\n没有调休上班日时写“workdays: []”。")
        return None
    result: dict[dt.date, int] = {}
    before = len(problems.items)
    for index, item in enumerate(value):
        item_line = value.line_of(index)
        span = _parse_item(item)
        if isinstance(span, str):
            problems.add("K001", item_line, f"{year} 年 {key} 中的“{item}”{span}",
                         "日期写成 2018-10-01 这样的“年-月-日”；连续几天写成"
                         "“2018-10-01 至 2018-10-07”。")
            continue
        first, last = span
        if last < first:
            problems.add("K012", item_line, f"“{item}”的结束日期早于开始日期。",
                         "请对照通知核对起止日期。")
            continue
        if (last - first).days + 1 > LONGEST_RANGE_DAYS:
            problems.add("K013", item_line,
                         f"“{item}”长达 {(last - first).days + 1} 天，超过 {LONGEST_RANGE_DAYS} 天，"
                         "很可能写错了。", "请对照通知核对起止日期。")
            continue
        for day in _days(first, last):
            if not _belongs_to(day, year):
                problems.add("K014", item_line,
                             f"{day.isoformat()} 不属于 {year} 年的安排。",
                             f"{year} 年下只能写 {year} 年的日期；只有通知明确安排的元旦调休，"
                             f"可以写上一年 12月{YEAR_END_FIRST_DAY}日至31日的日期。")
                break
            if is_workday and day.weekday() < 5:
                problems.add("K015", item_line,
                             f"{day.isoformat()} 是星期{_WEEKDAY_NAMES[day.weekday()]}，本来就上班，"
                             "不是调休上班日。",
                             "workdays 只写通知中要求上班的星期六、星期日；请核对日期。")
                break
            result.setdefault(day, item_line)
    if len(problems.items) > before:
        return None
    return result


def _belongs_to(day: dt.date, year: int) -> bool:
    return day.year == year or (day.year == year - 1 and _is_year_end(day))


def _parse_item(item: Any) -> tuple[dt.date, dt.date] | str:
    """(first, last) of a date or a range; or the reason it is not one, in Chinese."""
    if isinstance(item, dt.datetime):
        return "带有时间，只需写日期。"
    if isinstance(item, dt.date):
        return item, item
    if not isinstance(item, str):
        return "不是日期。"
    parts = _RANGE_SEPARATOR.split(item.strip())
    if len(parts) > 2:
        return "无法识别：一项只能是一个日期或一段日期。"
    days = []
    for part in parts:
        match = _ISO_DATE.match(part)
        if not match:
            return "不是“年-月-日”格式的日期。"
        try:
            days.append(dt.date(*(int(group) for group in match.groups())))
        except ValueError as exc:
            return f"不是真实存在的日期（{_date_problem(exc)}）。"
    return days[0], days[-1]


def _date_problem(exc: ValueError) -> str:
    text = str(exc)
    if "day is out of range" in text:
        return "这个月没有这一天"
    if "month must be" in text:
        return "月份应在 1 至 12 之间"
    return text
