"""The shape of every data file, declared once, and its validation errors in Chinese.

Each YAML file under `data/` is validated by a pydantic model below (unknown keys refused,
types strict, integers non-negative). `validate()` turns pydantic's errors into findings that
name the file and line and say how to fix the value, with a "did you mean" for misspelt keys.

Two files have codes of their own (data/holidays.yaml: K001–K015, data/strokes.yaml:
B003–B007): their models say so through `PROBLEMS` (a pydantic error kind on a model, such as
a missing key, as a code and a Chinese message) and validators that raise `problem()`. What
needs more than one value at a time (a day both off and worked, K010; a character listed
twice, B008) is checked by the module that reads the file, after its schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from msgspec import Struct
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from ..findings import Findings, Location, did_you_mean, shorten
from ..urls import SLUG_PATTERN
from .list_order import ListOrder
from .values import (
    EARLIEST,
    HOLIDAYS_KEYS,
    LATEST,
    RECORD,
    STROKES_EXAMPLE,
    Level,
    Problem,
    Reason,
    base_url_problem,
    day_list_problem,
    day_span,
    holiday_year,
    no_holidays_problem,
    notice_number_problem,
    notice_problem,
    one_character_problem,
    stroke_sequence,
    stroke_text,
    year_body_problem,
    year_key_problem,
)
from .yamlfile import SourceList, SourceMap


class _Strict(BaseModel):
    # allow_inf_nan=False: `.nan` or `.inf` in a percentage would pass every "≥"/"≤" bound
    # (a comparison with NaN is always false) and silently switch its rule off.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


Count = Annotated[int, Field(ge=0)]

class SiteFile(_Strict):
    name: str = Field(min_length=1, description="网站名称")
    owner: str = Field(min_length=1, description="网站主办单位")
    base_url: str = Field(default="/", description="网站发布地址")
    announcements: list[Annotated[str, Field(pattern=SLUG_PATTERN)]] = Field(
        min_length=1, description="本站发布的公告（文件夹名，小写字母、数字和连字符）")

    @field_validator("base_url")
    @classmethod
    def _base_url_form(cls, value: str) -> str:
        problem = base_url_problem(value)
        if problem:
            raise PydanticCustomError("base_url", "not a path or a full http(s) address",
                                      {"hint": problem})
        return value


class ContactsEntry(_Strict):
    people: list[str] = Field(min_length=1, description="联系人")
    phone: str = Field(pattern=r"^0\d{2,3}-\d{7,8}$", description="电话（区号-号码）")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="电子邮箱")
    address: str | None = Field(default=None, min_length=1, description="信函地址（发文单位提供时才填）")
    postcode: str | None = Field(default=None, pattern=r"^\d{6}$", description="邮政编码")


class PeriodEntry(_Strict):
    start: dt.date = Field(ge=EARLIEST, le=LATEST, description="公示开始日期")
    end: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST, description="公示结束日期（含）")
    length: int | None = Field(default=None, ge=1, le=60, description="公示天数")
    unit: Literal["工作日", "自然日"] = Field(default="工作日", description="天数的单位")
    end_clock: str | None = Field(default=None, pattern=r"^\d{1,2}时(\d{1,2}分)?前?$",
                                  description="最后一天的截止时刻，如 17时前")
    noindex_after_end: bool = Field(default=False, description="公示结束后不让搜索引擎收录名单")


class AnnouncementFile(_Strict):
    sample: bool = Field(default=False, description="是否示例数据")
    short_title: str = Field(min_length=1, description="简称")
    issuer: str = Field(min_length=1, description="发文单位")
    department: str = Field(min_length=1, description="受理部门")
    contacts: ContactsEntry
    gongshi: PeriodEntry | None = Field(default=None, description="公示期（确定后再填；不写时只发布通知）")
    group_by_unit: bool = Field(default=True, description="名单是否按推荐单位分组")


class CategoryEntry(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="类别代号")
    name: str = Field(min_length=1, description="正式名称")
    table_label: str = Field(min_length=1, description="附件表格列名")
    measure: Literal["个", "名"] = Field(description="计量单位")
    subject: Literal["organisation", "person"] = Field(description="集体或个人")
    action: Literal["表彰", "命名"] = Field(description="表彰或命名")
    total: int = Field(ge=0, description="合计")
    confers: str | None = Field(default=None, description="同时授予的荣誉称号")
    # strict=False: the enum takes its values as written (strict would want ListOrder objects).
    order: ListOrder | None = Field(
        default=None, strict=False, description="名单排序方式（个人默认姓氏笔画，集体默认笔画）")


class CategoriesFile(_Strict):
    categories: list[CategoryEntry] = Field(min_length=1)


class UnitEntry(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="单位代号")
    name: str = Field(min_length=1, description="单位名称")
    kind: Literal["县市区", "产业系统", "市直", "其它"] = Field(description="单位类型")
    quotas: dict[str, Count] = Field(default_factory=dict, description="本单位名额")


class SharedQuotaEntry(_Strict):
    category: str = Field(min_length=1, description="类别代号")
    quota: int = Field(ge=0, description="共用名额")
    units: list[str] = Field(min_length=2, description="共用名额的单位")


class UnitsFile(_Strict):
    units: list[UnitEntry] = Field(min_length=1)
    shared_quotas: list[SharedQuotaEntry] = Field(default_factory=list)


CadreLevel = Literal["基层工会干部", "社会化工会工作者", "工会领导机关县级及以下干部",
                     "工会领导机关县级以上干部"]


class PriorHonourEntry(_Strict):
    title: str = Field(min_length=1, description="荣誉称号")
    level: Level = Field(description="级别")
    year: int | None = Field(default=None, ge=1949, le=2100, description="年份")


class RecipientEntry(_Strict):
    # Public fields: these are what a 公示 shows.
    name: str = Field(min_length=1, description="姓名或单位全称")
    unit: str = Field(min_length=1, description="推荐单位")
    title: str | None = Field(default=None, min_length=1, description="工作单位及职务")
    gender: Literal["男", "女"] | None = Field(default=None, description="性别")
    ethnicity: str | None = Field(default=None, min_length=1, description="民族")
    # Internal fields: kept for the rule checks, never rendered.
    non_public: bool | None = Field(default=None, description="是否非公有制企业工会")
    cadre_level: CadreLevel | None = Field(default=None, description="干部类别")
    membership_rate: float | None = Field(default=None, ge=0, le=100, description="职工入会率（%）")
    ballot_approval: float | None = Field(default=None, ge=0, le=100, description="同意票率（%）")
    satisfaction: float | None = Field(default=None, ge=0, le=100, description="会员评家满意度（%）")
    prior_honours: list[PriorHonourEntry] | None = Field(default=None, description="此前获得的荣誉称号")
    applicant: str | None = Field(default=None, min_length=1, description="申报单位")
    mega_group: bool | None = Field(default=None, description="是否特大型企业集团工会")
    group_secondary_share: float | None = Field(
        default=None, ge=0, le=100, description="二级单位获市级以上模范职工之家的比例（%）")


class RecipientsFile(_Strict):
    category: str = Field(min_length=1, description="类别代号")
    sample: bool = Field(default=False, description="是否示例数据")
    recipients: list[RecipientEntry] = Field(default_factory=list)


class PriorHonourRule(_Strict):
    categories: list[str] = Field(min_length=1, description="适用类别")
    minimum_level: Level = Field(description="最低级别")
    titles: list[str] = Field(min_length=1, description="认可的荣誉称号")
    in_principle: bool = Field(default=False, description="“原则上”：不满足时只警告")


class ShareRule(_Strict):
    categories: list[str] = Field(min_length=1, description="适用类别")
    percent: float = Field(ge=0, le=100, description="百分比")


class CadreRule(_Strict):
    categories: list[str] = Field(min_length=1, description="适用类别")
    maximum_percent: float = Field(ge=0, le=100, description="县级（含）以下工会领导机关干部比例上限（%）")
    capped: CadreLevel = Field(description="受比例限制的干部类别")
    ineligible: CadreLevel = Field(description="不能推荐的干部类别")


class OnePerApplicantRule(_Strict):
    categories: list[str] = Field(min_length=1, description="适用类别")
    unit_is_applicant: list[Literal["县市区", "产业系统", "市直", "其它"]] = Field(
        default_factory=list, description="推荐单位本身就是申报单位的单位类型")


class RulesFile(_Strict):
    non_public_share: ShareRule | None = Field(default=None, description="非公有制企业工会比例下限")
    leadership_cadres: CadreRule | None = Field(default=None, description="工会领导机关干部的限制")
    membership_rate: dict[str, float] = Field(default_factory=dict, description="入会率下限（%）")
    ballot_approval: dict[str, float] = Field(default_factory=dict, description="同意票率下限（%）")
    satisfaction: dict[str, float] = Field(default_factory=dict, description="满意度下限（%）")
    mega_group_secondary_share: dict[str, float] = Field(
        default_factory=dict, description="特大型企业集团二级单位比例下限（%）")
    prior_honours: list[PriorHonourRule] = Field(default_factory=list, description="此前荣誉要求")
    one_per_applicant: OnePerApplicantRule | None = Field(
        default=None, description="每个申报单位限推荐一名（个）的类别")
    grassroots_only: list[str] = Field(default_factory=list, description="原则上从基层工会产生的类别")


class HistoryEntry(_Strict):
    name: str = Field(min_length=1, description="姓名或单位全称")
    category: str = Field(min_length=1, description="荣誉称号（正式名称）")
    year: int = Field(ge=1949, le=2100, description="年份")
    title: str | None = Field(default=None, description="当时的工作单位及职务")


class HistoryFile(_Strict):
    sample: bool = Field(default=False, description="是否示例数据")
    honours: list[HistoryEntry] = Field(default_factory=list, description="往年获得者")


class ChangeTarget(_Strict):
    """What a 更正 changes a recipient's public fields to (models.CORRECTABLE)."""

    name: str | None = Field(default=None, min_length=1, description="更正后的姓名或单位全称")
    unit: str | None = Field(default=None, min_length=1, description="更正后的推荐单位")
    category: str | None = Field(default=None, min_length=1, description="更正后的类别代号")
    title: str | None = Field(default=None, min_length=1, description="更正后的工作单位及职务")
    gender: Literal["男", "女"] | None = Field(default=None, description="更正后的性别")
    ethnicity: str | None = Field(default=None, min_length=1, description="更正后的民族")


class ChangeEntry(_Strict):
    date: dt.date = Field(ge=EARLIEST, le=LATEST, description="变更日期")
    action: Literal["撤销", "更正"] = Field(description="撤销（不再表彰或命名）或 更正")
    category: str = Field(min_length=1, description="公示时的类别代号")
    unit: str = Field(min_length=1, description="公示时的推荐单位")
    name: str = Field(min_length=1, description="公示时的姓名或单位全称")
    to: ChangeTarget | None = Field(default=None, description="更正后的内容（只写改动的项）")
    reason: Reason = Field(description="变更原因（类别，公开）")
    note: str | None = Field(default=None, min_length=1, description="内部说明（不公开）")


class ChangesFile(_Strict):
    """data/<slug>/changes.yaml: every change of the list between the 公示 and the 决定."""

    sample: bool = Field(default=False, description="是否示例数据")
    changes: list[ChangeEntry] = Field(default_factory=list, description="变更")


# The front matter of the Markdown documents under content/<slug>/.

class AttachmentEntry(_Strict):
    title: str = Field(min_length=1, description="附件标题")
    table: Literal["quota_table"] = Field(description="附件表格")


class NoticeFront(_Strict):
    issuer: str = Field(min_length=1, description="发文单位")
    title: str = Field(min_length=1, description="标题")
    addressees: str = Field(min_length=1, description="主送机关")
    signature: str = Field(min_length=1, description="署名")
    date: dt.date = Field(ge=EARLIEST, le=LATEST, description="成文日期")
    attachments: list[AttachmentEntry] = Field(default_factory=list, description="附件")


class DecisionFront(_Strict):
    issuer: str = Field(min_length=1, description="发文单位")
    number: str | None = Field(default=None, pattern=r"^\S+〔\d{4}〕\d+号$", description="文号")
    title: str = Field(min_length=1, description="标题")
    addressees: str | None = Field(default=None, min_length=1, description="主送机关")
    signature: str = Field(min_length=1, description="署名")
    date: dt.date = Field(ge=EARLIEST, le=LATEST, description="成文日期（从这一天起发布）")
    list_title: str = Field(default="表彰（命名）名单", min_length=1, description="名单附件的标题")


class GongshiFront(_Strict):
    title: str = Field(min_length=1, description="公示标题")
    date: dt.date = Field(ge=EARLIEST, le=LATEST, description="落款日期")
    objection: str = Field(min_length=1, description="受理异议的说明")


# What a column of an imported workbook may become (gongshi import): a RecipientEntry field,
# the two halves of title, the category column, or skip/忽略 (never imported).
ImportField = Literal[
    "name", "unit", "title", "workplace", "position", "gender", "ethnicity", "category",
    "non_public", "cadre_level", "membership_rate", "ballot_approval", "satisfaction",
    "prior_honours", "applicant", "mega_group", "group_secondary_share", "skip", "忽略"]


class ImportMapFile(_Strict):
    """data/<slug>/import.yaml: how this office's workbooks map to the lists (optional)."""

    columns: dict[str, ImportField] = Field(default_factory=dict, description="列标题对应的字段")
    sheets: dict[str, str] = Field(default_factory=dict,
                                   description="工作表名称对应的类别代号（或 skip/忽略）")
    units: dict[str, str] = Field(default_factory=dict, description="表格中的单位写法对应的推荐单位")


# --------------------------------------------------------------------------- own codes

T = TypeVar("T")

# A pydantic error kind on a model, as (code, message, hint): called with the error's location
# (keys and list indices, as in the file) and the value found there.
ProblemText = Callable[[tuple, Any], tuple[str, str, str]]


def problem(code: str, message: str, hint: str = "", at_record: bool = False) -> PydanticCustomError:
    """What a validator raises to report `code` at the line of the value it checks (or, with
    `at_record`, of the list item that holds it)."""
    return PydanticCustomError("gongshi", "{message}", {"code": code, "message": message,
                                                         "hint": hint, "at_record": at_record})


def _raised(found: T | Problem) -> T:
    """A check's value (values.py), or its Problem raised as problem()."""
    if isinstance(found, Problem):
        raise problem(*found)
    return found


# --------------------------------------------------------------------------- data/holidays.yaml

_NOTICE_YEAR: ContextVar[int] = ContextVar("notice_year")


def _year_key(key: Any) -> int:
    year = holiday_year(key)
    return _raised(year_key_problem(key) if year is None else year)


def _day_span(item: Any, info: ValidationInfo) -> tuple[dt.date, dt.date]:
    """One item of holidays/workdays: a day or a range of days of its year's arrangement."""
    return _raised(day_span(item, _NOTICE_YEAR.get(), str(info.field_name)))


DaySpan = Annotated[Any, AfterValidator(_day_span)]


class _YearSection(Struct, frozen=True):
    """A section of data/holidays.yaml with the year of its key (None: not a year)."""

    year: int | None
    body: Any


class HolidayYearEntry(_Strict):
    """One year of data/holidays.yaml: a State Council notice and the days it arranges."""

    notice: str = Field(description=HOLIDAYS_KEYS["notice"])
    notice_number: str = Field(description=HOLIDAYS_KEYS["notice_number"])
    holidays: list[DaySpan] = Field(description=HOLIDAYS_KEYS["holidays"])
    workdays: list[DaySpan] = Field(description=HOLIDAYS_KEYS["workdays"])

    PROBLEMS: ClassVar[dict[str, ProblemText]] = {
        "extra_forbidden": lambda loc, value: (
            "K005", f"{loc[0]} 年下有无法识别的项“{loc[-1]}”。",
            did_you_mean(str(loc[-1]), list(HOLIDAYS_KEYS), "可填写的项")),
        "missing": lambda loc, value: (
            "K006", f"{loc[0]} 年缺少“{loc[-1]}”（{HOLIDAYS_KEYS[loc[-1]]}）。",
            "没有调休上班日时写“workdays: []”。" if loc[-1] == "workdays" else "请照国务院办公厅的通知填写。"),
    }

    @model_validator(mode="wrap")
    @classmethod
    def _in_its_year(cls, data: Any, handler: Callable) -> Any:
        if not isinstance(data, _YearSection):
            return handler(data)
        if data.year is None:
            return None  # the key is reported (K003); its section is not looked at
        if not isinstance(data.body, dict):
            raise problem(*year_body_problem(data.year))
        token = _NOTICE_YEAR.set(data.year)
        try:
            return handler(data.body)
        finally:
            _NOTICE_YEAR.reset(token)

    @field_validator("notice", mode="before")
    @classmethod
    def _notice(cls, value: Any) -> str:
        found = notice_problem(value, _NOTICE_YEAR.get())
        return _raised(value if found is None else found)

    @field_validator("notice_number", mode="before")
    @classmethod
    def _notice_number(cls, value: Any) -> str:
        found = notice_number_problem(value, _NOTICE_YEAR.get())
        return _raised(value if found is None else found)

    @field_validator("holidays", "workdays", mode="before")
    @classmethod
    def _a_list(cls, value: Any, info: ValidationInfo) -> Any:
        found = day_list_problem(value, _NOTICE_YEAR.get(), str(info.field_name))
        return _raised(value if found is None else found)

    @field_validator("holidays")
    @classmethod
    def _some_holidays(cls, value: list) -> list:
        return _raised(value if value else no_holidays_problem(_NOTICE_YEAR.get()))


class HolidaysFile(RootModel[dict[Annotated[int, BeforeValidator(_year_key)], HolidayYearEntry]]):
    """data/holidays.yaml: {year: that year's notice}, each year's days within it."""

    PROBLEMS: ClassVar[dict[str, ProblemText]] = {
        "dict_type": lambda loc, value: (
            "K002", "{file} 应当按年份分段，每段以“2018:”这样的年份开头。", "请参照文件开头的说明和示例填写。"),
    }

    @model_validator(mode="before")
    @classmethod
    def _years(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: _YearSection(holiday_year(key), body) for key, body in data.items()}
        return data


# --------------------------------------------------------------------------- data/strokes.yaml


class StrokeCorrectionEntry(_Strict):
    """One entry of a stroke corrections file (data/strokes.yaml, gongshi/zh/strokes.yaml); the
    fields are named as staff write them."""

    字: str = Field(description="一个字")
    笔顺: str = Field(description="笔顺，数字 1–5 或 横竖撇点折")
    说明: str = Field(description="依据和原因")

    PROBLEMS: ClassVar[dict[str, ProblemText]] = {
        "model_type": lambda loc, value: (
            "B004", f"第 {loc[-1] + 1} 项不是“字、笔顺、说明”三个字段的格式。",
            f"每一项都要写成：\n{STROKES_EXAMPLE}"),
        "extra_forbidden": lambda loc, value: (
            "B005", f"第 {loc[0] + 1} 项有无法识别的字段“{loc[-1]}”。", "每一项只能有“字”“笔顺”“说明”三个字段。"),
        "missing": lambda loc, value: (
            "B005", f"第 {loc[0] + 1} 项缺少“{loc[-1]}”。",
            f"每一项都要写明字、笔顺和说明（依据和原因），例如：\n{STROKES_EXAMPLE}"),
    }

    @field_validator("字", "笔顺", "说明", mode="before")
    @classmethod
    def _written(cls, value: Any, info: ValidationInfo) -> str:
        return _raised(stroke_text(value, str(info.field_name)))

    @field_validator("字")
    @classmethod
    def _one_character(cls, value: str) -> str:
        found = one_character_problem(value)
        return _raised(value if found is None else found)

    @field_validator("笔顺")
    @classmethod
    def _digits(cls, value: str, info: ValidationInfo) -> str:
        return _raised(stroke_sequence(value, info.data.get("字", "?")))


class StrokeCorrectionsFile(RootModel[list[StrokeCorrectionEntry]]):
    """A stroke corrections file: a list of entries, each a character, its sequence and why."""

    PROBLEMS: ClassVar[dict[str, ProblemText]] = {
        "list_type": lambda loc, value: (
            "B003", "{file} 应当是一个列表，每一项以“- 字:”开头。", f"请参照文件开头的说明，例如：\n{STROKES_EXAMPLE}"),
    }


# Field names staff may type in Chinese, mapped to the key the file expects.
CHINESE_KEYS = {
    "姓名": "name", "名称": "name", "单位名称": "name", "推荐单位": "unit",
    "单位及职务": "title", "工作单位及职务": "title", "职务": "title", "性别": "gender",
    "民族": "ethnicity", "类别": "category", "名额": "quota", "示例": "sample",
}

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, file: str, findings: Findings) -> M | None:
    """Validate raw YAML data; on failure add one finding per problem and return None."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            _add_error(model, data, error, file, findings)
        return None


def validate_records(model: type[M], data: Any, file: str, findings: Findings,
                     records: str) -> tuple[M | None, list[int]]:
    """Validate like `validate()`, except that a record of the list `records` that fails is
    reported and left out instead of failing the whole file, so the others can still be
    checked. Returns the model holding the good records, and the index in the file of each."""
    try:
        parsed = model.model_validate(data)
        return parsed, list(range(len(getattr(parsed, records))))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    for error in errors:
        _add_error(model, data, error, file, findings)
    loc = [error["loc"] for error in errors]
    if not all(len(place) >= 2 and place[0] == records and isinstance(place[1], int) for place in loc):
        return None, []  # the file itself is wrong, not only some of its records
    failed = {place[1] for place in loc}
    kept = [index for index in range(len(data[records])) if index not in failed]
    trimmed = dict(data) | {records: [data[records][index] for index in kept]}
    try:
        return model.model_validate(trimmed), kept
    except ValidationError:
        return None, []


def _add_error(model: type[BaseModel], data: Any, error: ErrorDetails, file: str,
               findings: Findings) -> None:
    loc = tuple(part for part in error["loc"] if part != "[key]")
    line = line_at(data, loc)
    field = _field_label(model, loc)
    kind = error["type"]
    key = _key_name(loc)
    ctx = error.get("ctx") or {}
    hint = ""
    own = _own_problem(model, loc, kind, error, ctx)
    if own is not None:
        code, message, hint, at_record = own
        record = next((part for part in reversed(loc) if isinstance(part, int)), None)
        if at_record and record is not None:
            line = line_at(data, loc[:loc.index(record) + 1])
        message = message.replace(RECORD, f"第 {record + 1} 项" if record is not None else "")
        findings.error(code, message.replace("{file}", file), Location(file, line), hint)
        return
    if kind == "missing":
        code, message = "S001", f"缺少必填字段“{key}”{field}。"
        hint = f"请在这条记录中加上一行“{key}: …”。"
    elif kind == "extra_forbidden":
        code, message = "S002", f"未知字段“{key}”。"
        hint = _did_you_mean(model, loc)
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        code, message = "S003", f"“{key}”{field}应为整数，现在是“{_shown(error['input'])}”。"
        hint = "名额、合计等只能填写 0 或正整数，不要加引号、小数点或“个”“名”等字。"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        relation = "不能小于" if "greater" in kind else "不能大于"
        code, message = "S004", f"“{key}”{field}{relation} {bound}，现在是 {_shown(error['input'])}。"
        hint = "请核对原始材料后改正这个数字。"
    elif kind in ("string_type",):
        code, message = "S005", f"“{key}”{field}应为文字，现在是“{_shown(error['input'])}”。"
        hint = "如果内容是纯数字、日期或 yes/no 等，请用英文引号括起来，例如 \"0391\"。"
    elif kind in ("bool_type", "bool_parsing"):
        code, message = "S006", f"“{key}”{field}只能填 true 或 false，现在是“{_shown(error['input'])}”。"
    elif kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        code, message = "S007", f"“{key}”{field}应为日期，现在是“{_shown(error['input'])}”。"
        hint = "日期请写成 2018-11-05 的形式（年-月-日，不加引号）。"
    elif kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        code, message = "S008", f"“{key}”{field}的值“{_shown(error['input'])}”不在可选范围内。"
        hint = f"可选值：{'、'.join(part.strip() for part in expected.split(','))}。"
    elif kind in ("list_type",):
        code, message = "S009", f"“{key}”{field}应为列表。"
        hint = "列表的每一项另起一行，以“- ”开头；或写成 [甲, 乙]。"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        code, message = "S010", f"“{key}”{field}应为“字段: 值”的映射。"
        hint = "请参照同类文件的格式，检查缩进和冒号。"
    elif kind in ("too_short", "string_too_short"):
        code, message = "S011", f"“{key}”{field}不能为空。"
        hint = "请填写内容，或删除这一项。"
    elif kind in ("string_pattern_mismatch",):
        code, message = "S012", f"“{key}”{field}的格式不对：“{_shown(error['input'])}”。"
        hint = _pattern_hint(key)
    elif kind == "finite_number":
        code, message = "S013", (f"“{key}”{field}应为具体的数字，现在是“{_shown(error['input'])}”"
                                 "（YAML 把 .nan、.inf 读作“非数字”“无穷大”，会让核查失效）。")
        hint = "请照通知或原始材料填写具体的数字，例如 96.5。"
    elif kind in ("float_type", "float_parsing"):
        code, message = "S013", f"“{key}”{field}应为数字，现在是“{_shown(error['input'])}”。"
        hint = "百分比请只写数字，例如 96.5，不要加“%”。"
    elif kind == "base_url":
        code, message = "S014", f"“{key}”{field}的写法不对：“{_shown(error['input'])}”，网页中的链接会全部失效。"
        hint = ctx["hint"]
    else:
        code, message = "S099", f"“{key}”{field}的值“{_shown(error['input'])}”不符合要求。"
        hint = "请参照同类文件中的写法改正。"
    findings.error(code, message, Location(file, line), hint)


def _own_problem(model: type[BaseModel], loc: tuple, kind: str, error: ErrorDetails,
                 ctx: dict) -> tuple[str, str, str, bool] | None:
    """(code, message, hint, at_record) for a problem() a validator raised, or for an error
    kind the model that owns `loc` words itself (its PROBLEMS); None for the usual S codes."""
    if kind == "gongshi":
        return ctx["code"], ctx["message"], ctx["hint"], ctx["at_record"]
    owner = _sub_model(model, loc) if loc else model
    words = getattr(owner, "PROBLEMS", {}).get(kind) if owner is not None else None
    if words is None:
        return None
    code, message, hint = words(loc, error.get("input"))
    return code, message, hint, False


def _pattern_hint(key: Any) -> str:
    return {
        "phone": "电话请写成“区号-号码”，例如 0391-3999921。",
        "email": "电子邮箱形如 name@example.com。",
        "id": "代号只能用小写英文字母、数字和连字符，以字母开头，例如 qinyang。",
        "end_clock": "截止时刻写成“17时前”或“17时30分前”。",
        "postcode": "邮政编码是 6 位数字。",
        "number": "文号写成“焦工〔2018〕12号”的形式：机关代字、六角括号〔〕中的年份、序号和“号”。",
    }.get(str(key), "请参照同类文件中的写法。")


def _key_name(loc: tuple) -> str:
    """The field a problem is about, as staff see it: a key, or 第 N 项 of a list."""
    if not loc:
        return "文件"
    last = loc[-1]
    if isinstance(last, int):
        owner = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        return f"{owner} 的第 {last + 1} 项" if owner else f"第 {last + 1} 项"
    return str(last)


def _shown(value: Any) -> str:
    if value is None:
        return "空"
    return shorten(value)


def line_at(data: Any, loc: tuple) -> int:
    """The line in the source file of the value at `loc` (as deep as the data goes)."""
    line = getattr(data, "line", 0)
    node = data
    for part in loc:
        if isinstance(node, SourceMap) and part in node:
            line = node.line_of(part)
            node = node[part]
        elif isinstance(node, SourceList) and isinstance(part, int) and part < len(node):
            line = node.line_of(part)
            node = node[part]
        else:
            break
    return line


def _sub_model(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last element of `loc` (a root model's items' model)."""
    current: Any = model
    for part in loc[:-1]:
        current = _unroot(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    current = _unroot(current) if loc else current
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unroot(current: Any) -> Any:
    """What a RootModel holds (the model of its list items or mapping values)."""
    if isinstance(current, type) and issubclass(current, RootModel):
        return _inner_model(current.model_fields["root"].annotation)
    return current


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", ())
    for arg in args:
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return annotation


def _field_label(model: type[BaseModel], loc: tuple) -> str:
    owner = _sub_model(model, loc)
    if owner and loc and isinstance(loc[-1], str):
        info = owner.model_fields.get(loc[-1])
        if info is not None and info.description:
            return f"（{info.description}）"
    return ""


def _did_you_mean(model: type[BaseModel], loc: tuple) -> str:
    owner = _sub_model(model, loc)
    if owner is None:
        return ""
    return did_you_mean(str(loc[-1]), list(owner.model_fields), "这里可用的字段", cutoff=0.6,
                        aliases=CHINESE_KEYS, always_list=True)
