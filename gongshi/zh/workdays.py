"""Working days in mainland China, and 公示 periods counted in them.

This module owns:

* `WorkCalendar`: whether a date is a working day — weekends off, public holidays off,
  调休 make-up days (weekend days that are worked) on. The dates come from the
  `chinese-calendar` package (import name `chinese_calendar`, 2004–2026 in 1.11.0) and from
  the project file data/holidays.yaml, which adds years or replaces them, one State Council
  notice per year. The file's format is documented at its top, in Chinese, for office staff.
* `CalendarNotCoveredError`: raised whenever a computation needs a day whose year neither
  source covers. Nothing here ever falls back to "Monday to Friday" on its own.
* `HolidaysFileError`: what is wrong with data/holidays.yaml, with file and line (its shape
  is `schema.HolidaysFile`; here, only that no day is both off and worked).
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
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import chinese_calendar
from msgspec import Struct

from ..files.errors import DataFileError
from ..files.year_end import YEAR_END_FIRST_DAY
from ..files.year_end import is_year_end as _is_year_end
from ..findings import Findings, Location
from .chinese_dates import CLOSED_LABEL, format_date, format_period

if TYPE_CHECKING:
    from ..files.schema import HolidayYearEntry

HOLIDAYS_FILE = "data/holidays.yaml"

WORKDAYS = "工作日"
CALENDAR_DAYS = "自然日"
UNITS = (WORKDAYS, CALENDAR_DAYS)
DEFAULT_LENGTH = 5

_PACKAGE_NEW_YEAR = "New Year's Day"


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


class Arrangement(Struct, frozen=True):
    """Days set against the weekend rule: weekdays off and weekend days worked."""

    days_off: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()


class NoticeYear(Struct, frozen=True):
    """One year of data/holidays.yaml: a State Council notice and the days it sets."""

    year: int
    notice: str          # title, as printed
    notice_number: str   # 文号, e.g. 国办发明电〔2017〕12号
    own: Arrangement     # days in `year`
    year_end: Arrangement  # days in late December of `year - 1`
    line: int


class _PackageIndex(Struct, frozen=True):
    years: range
    own: dict[int, Arrangement]       # by notice year: the days of that calendar year
    year_end: dict[int, Arrangement]  # by calendar year N: 28–31 Dec set by notice N+1


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
        return "closed", CLOSED_LABEL, 0
    if today < start:
        return "upcoming", "未开始", calendar.count_workdays(start, end)
    remaining = calendar.count_workdays(today, end)
    if remaining:
        return "open", f"公示中（还剩 {remaining} 个工作日）", remaining
    return "open", "公示中（已无剩余工作日）", 0


# --------------------------------------------------------------------------- the file


def load_holidays_file(path: Path, shown_as: str = HOLIDAYS_FILE) -> dict[int, NoticeYear]:
    """Read and check data/holidays.yaml: {year: NoticeYear}. Raises HolidaysFileError
    (a DataFileError) naming file and line for every problem found."""
    from ..files.yamlfile import read_text  # here and below: the pages need the calendar, not its file

    text = read_text(path, shown_as)
    return parse_holidays(text, shown_as)


def parse_holidays(text: str, shown_as: str = HOLIDAYS_FILE) -> dict[int, NoticeYear]:
    """Check the text of a holidays file (its shape: schema.HolidaysFile; then that no day is
    both off and worked, K010); see `load_holidays_file`."""
    from ..files.yamlfile import parse_yaml

    if not text.strip():
        return {}
    raw = parse_yaml(text, shown_as)  # an impossible bare date is its Y004
    if raw is None:  # only comments: no years
        return {}
    lines = text.splitlines()

    def problem(finding) -> DataFileError:
        line = finding.location.line
        excerpt = lines[line - 1] if 1 <= line <= len(lines) else ""
        return DataFileError(finding.code, finding.message, finding.location, finding.hint, excerpt)

    from ..files.quick import validate  # here: a calendar read from a site needs none of it

    findings = Findings()
    parsed = validate("HolidaysFile", raw, shown_as, findings)
    if parsed is None:
        raise HolidaysFileError([problem(f) for f in findings])
    result: dict[int, NoticeYear] = {}
    seen: dict[dt.date, tuple[bool, int]] = {}  # day -> (is workday, line)
    for (key, body), (year, entry) in zip(raw.items(), parsed.root.items()):  # same order
        for name, is_workday in (("holidays", False), ("workdays", True)):
            for index, (first, last) in enumerate(getattr(entry, name)):
                item_line = body[name].line_of(index)
                for day in _days(first, last):
                    earlier = seen.setdefault(day, (is_workday, item_line))
                    if earlier[0] != is_workday:
                        off_line, work_line = ((earlier[1], item_line) if is_workday
                                               else (item_line, earlier[1]))
                        findings.error("K010", f"{day.isoformat()} 既写在放假日期（第 {off_line} 行）里，"
                                       f"又写在调休上班日期（第 {work_line} 行）里。",
                                       Location(shown_as, item_line),
                                       "一天只能是其中一种，请对照通知删去错误的一处。")
        result[year] = _notice_year(year, entry, raw.line_of(key))
    if findings:
        raise HolidaysFileError([problem(f) for f in findings])
    return result


def _notice_year(year: int, entry: HolidayYearEntry, line: int) -> NoticeYear:
    def days(spans: list, in_year: bool) -> frozenset[dt.date]:
        return frozenset(day for first, last in spans for day in _days(first, last)
                         if (day.year == year) == in_year)

    return NoticeYear(
        year, entry.notice, entry.notice_number,
        own=Arrangement(days(entry.holidays, True), days(entry.workdays, True)),
        year_end=Arrangement(days(entry.holidays, False), days(entry.workdays, False)),
        line=line,
    )
