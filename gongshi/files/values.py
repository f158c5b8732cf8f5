"""What a single value of a data file must be, beyond its type: the checks that the schema's
validators (pydantic) and the quick reading of usual files (quick) share, without pydantic.

Each check returns the value as the file means it, or a `Problem` (a code, a Chinese message
and how to fix it), which schema raises as its own error and quick takes as "not usual: let
pydantic read it" (so that the finding is always worded by schema). The words staff may write
(levels, reasons) are here too, for the modules that read them without validating a file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, NamedTuple, get_args
from urllib.parse import urlsplit

from ..findings import you_meant
from .year_end import YEAR_END_FIRST_DAY, is_year_end


class Problem(NamedTuple):
    """A value that is wrong: its code, what is wrong and how to fix it; `at_record`: reported
    at the line of the list item that holds it."""

    code: str
    message: str
    hint: str = ""
    at_record: bool = False


RECORD = "{record}"  # in a Problem's message: "第 N 项", N the record's place in its list

EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

Level = Literal["县级", "市级", "省级", "全国"]
LEVELS: tuple[str, ...] = get_args(Level)

# Why a recipient of the 公示 was withdrawn or corrected before the 决定: categories the
# 变更说明 publishes (the details stay in the office's own `note`).
Reason = Literal["经核查不符合条件", "推荐单位撤回推荐", "本人申请不再参评", "公示信息有误，予以更正", "其他"]
REASONS: tuple[str, ...] = get_args(Reason)

# --------------------------------------------------------------------------- data/site.yaml

BASE_URL_FORMS = ("请写成以 / 开头的路径（部署在站点根目录写 /，在子目录写 /gongshi/），"
                  "或以 http:// 或 https:// 开头的完整地址（如 https://www.example.gov.cn/gongshi/）。")


def base_url_problem(value: str) -> str | None:
    """How to fix `value` as the site's base_url, or None when it is one of the two forms every
    link can be built from: a path from the host's root ("/", "/gongshi/") or a full http(s)
    address ("https://host/gongshi/"). Anything else (www.host/gongshi/, gongshi/) breaks links."""
    if value.startswith("/") and not value.startswith("//"):
        if not re.search(r"[\s?#\\]", value):
            return None
    elif re.match(r"(?i)https?://", value):
        parts = urlsplit(value)
        if (parts.netloc and not parts.query and not parts.fragment and not re.search(r"[\s\\]", value)
                and parts.path[:1] in ("", "/")):
            return None
    guess = ""
    bare = value.strip().lstrip("/")
    if bare and not re.search(r"[\s?#:\\]", bare):
        host = bare.split("/", 1)[0]
        guess = f"https://{bare}" if "." in host else f"/{bare}"
    return you_meant(guess) + BASE_URL_FORMS


# --------------------------------------------------------------------------- data/holidays.yaml

HOLIDAYS_KEYS = {"notice": "通知标题", "notice_number": "通知文号", "holidays": "放假日期",
                 "workdays": "调休上班日期"}
HOLIDAY_YEARS = range(2000, 2100)
LONGEST_RANGE_DAYS = 15  # the longest national break so far: 10 days (Spring Festival 2020)

_RANGE_SEPARATOR = re.compile(r"\s*(?:至|到|~|～)\s*")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NOTICE_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_WEEKDAY_NAMES = "一二三四五六日"


def holiday_year(key: Any) -> int | None:
    """The year a section of data/holidays.yaml is for ("2018:" or a quoted "2018"), or None."""
    if isinstance(key, bool):
        return None
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key.strip())
    if isinstance(key, int) and key in HOLIDAY_YEARS:
        return key
    return None


def year_key_problem(key: Any) -> Problem:
    return Problem("K003", f"“{key}”不是年份。每段应以四位数字的年份开头，如“2018:”。",
                   f"年份只能是 {HOLIDAY_YEARS[0]} 至 {HOLIDAY_YEARS[-1]} 之间的四位数字，后面紧跟英文冒号。")


def year_body_problem(year: int) -> Problem:
    return Problem("K004", f"{year} 年下面应当有 notice、notice_number、holidays、workdays 四项。",
                   "请参照文件开头的示例，在年份下一行起缩进两个空格逐项填写。")


def notice_problem(value: Any, year: int) -> Problem | None:
    if not isinstance(value, str) or f"{year}年" not in value:
        return Problem("K007", f"{year} 年的 notice 应当是通知标题，并写明“{year}年”，"
                       f"如“国务院办公厅关于{year}年部分节假日安排的通知”。",
                       "请照通知原文抄写标题，核对年份是否与这一段的年份一致。")
    return None


def notice_number_problem(value: Any, year: int) -> Problem | None:
    if not isinstance(value, str) or not _NOTICE_NUMBER.search(value):
        return Problem("K008", f"{year} 年的 notice_number 应当是通知文号，如“国办发明电〔{year - 1}〕12号”。",
                       "请照通知原文抄写文号，年份用六角括号〔〕括起来。")
    return None


def day_list_problem(value: Any, year: int, key: str) -> Problem | None:
    """`holidays` and `workdays` are lists of days (`key`: which)."""
    if not isinstance(value, list):
        return Problem("K011", f"{year} 年的 {key} 应当是日期列表，每项一行，以“- ”开头。",
                       "例如：\n    - 2018-09-29\n没有调休上班日时写“workdays: []”。" if key == "workdays"
                       else "例如：\n    - 2018-10-01 至 2018-10-07")
    return None


def no_holidays_problem(year: int) -> Problem:
    return Problem("K009", f"{year} 年的 holidays 是空的。", "请照通知填写放假日期。")


def _date_problem(exc: ValueError) -> str:
    text = str(exc)
    if "day is out of range" in text:
        return "这个月没有这一天"
    if "month must be" in text:
        return "月份应在 1 至 12 之间"
    return text


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


def day_span(item: Any, year: int, key: str) -> tuple[dt.date, dt.date] | Problem:
    """One item of `key` (holidays or workdays) of `year`'s arrangement: a day or a range of
    days, as (first, last)."""
    span = _parse_item(item)
    if isinstance(span, str):
        return Problem("K001", f"{year} 年 {key} 中的“{item}”{span}",
                       "日期写成 2018-10-01 这样的“年-月-日”；连续几天写成“2018-10-01 至 2018-10-07”。")
    first, last = span
    if last < first:
        return Problem("K012", f"“{item}”的结束日期早于开始日期。", "请对照通知核对起止日期。")
    if (last - first).days + 1 > LONGEST_RANGE_DAYS:
        return Problem("K013", f"“{item}”长达 {(last - first).days + 1} 天，超过 {LONGEST_RANGE_DAYS} 天，"
                       "很可能写错了。", "请对照通知核对起止日期。")
    day = first
    while day <= last:
        if not (day.year == year or (day.year == year - 1 and is_year_end(day))):
            return Problem("K014", f"{day.isoformat()} 不属于 {year} 年的安排。",
                           f"{year} 年下只能写 {year} 年的日期；只有通知明确安排的元旦调休，"
                           f"可以写上一年 12月{YEAR_END_FIRST_DAY}日至31日的日期。")
        if key == "workdays" and day.weekday() < 5:
            return Problem("K015", f"{day.isoformat()} 是星期{_WEEKDAY_NAMES[day.weekday()]}，本来就上班，"
                           "不是调休上班日。", "workdays 只写通知中要求上班的星期六、星期日；请核对日期。")
        day += dt.timedelta(days=1)
    return first, last


# --------------------------------------------------------------------------- data/strokes.yaml

MAX_STROKES = 98  # two-digit counts in the sort key; 99 is reserved for "no data"
# Stroke names accepted in data/strokes.yaml besides the digits 1–5.
STROKE_NAMES = {"横": "1", "提": "1", "竖": "2", "撇": "3", "点": "4", "捺": "4", "折": "5"}
STROKES_EXAMPLE = "- 字: 达\n  笔顺: \"134454\"\n  说明: 依据和原因"
STROKES_KEYS = ("字", "笔顺", "说明")


def normalise_sequence(value: Any) -> str | None:
    """A stroke sequence as digits 1–5 (from digits, stroke names, spaces and commas), or None."""
    if isinstance(value, bool) or value is None:
        return None
    digits = []
    for ch in str(value):
        if ch in "12345":
            digits.append(ch)
        elif ch in STROKE_NAMES:
            digits.append(STROKE_NAMES[ch])
        elif ch.isspace() or ch in ",，、":
            continue
        else:
            return None
    return "".join(digits) or None


def stroke_text(value: Any, key: str) -> str | Problem:
    """An entry's `key` (字, 笔顺 or 说明) as text: written, whatever YAML read it as."""
    text = "" if value is None else str(value).strip()
    if not text:
        return Problem("B005", f"{RECORD}缺少“{key}”。",
                       f"每一项都要写明字、笔顺和说明（依据和原因），例如：\n{STROKES_EXAMPLE}", at_record=True)
    return text


def one_character_problem(value: str) -> Problem | None:
    if len(value) != 1:
        return Problem("B006", f"{RECORD}的“字”应当是一个字，现在是“{value}”。", "每一项只写一个字；多个字请分成多项。")
    return None


def stroke_sequence(value: str, character: str) -> str | Problem:
    """The sequence `value` of `character` as digits 1–5."""
    sequence = normalise_sequence(value)
    if sequence is None or not 1 <= len(sequence) <= MAX_STROKES:
        return Problem("B007", f"“{character}”的笔顺“{value}”写法不对。",
                       "笔顺按书写顺序写数字：横（含提）写 1，竖（含竖钩）写 2，撇写 3，"
                       "点（含捺）写 4，折（所有带转折的笔画）写 5，例如“达”写 \"134454\"。")
    return sequence
