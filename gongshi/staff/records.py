"""Turning the data rows of a sheet into recipient records, each value tied to its cell.

Below the header: blank rows, 合计/小计/总计 rows and footers (填表人、审核人、注：…) are passed
over; every other row becomes one record of RecipientEntry's fields. Text is cleaned the way
the loader cleans names (spaces, full-width spaces, line breaks, 间隔号); numbers and dates
stored as text are read as such; title is 工作单位及职务, or 工作单位 followed by 职务; a name
written as 公示 lists print it, “张三（女，回族）”, gives its gender and 民族 too. The
internal fields take plain cell forms: 是/否 (√/×), a percentage as 98%, 98 or 0.98, a 干部类别
from its list, and 此前荣誉 as “称号（级别，年份）” items separated by “；”. A value that cannot
be read is reported at its cell and left out, so one import reports every problem at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any, get_args

from msgspec import Struct, field

from ..files.schema import CadreLevel, RecipientEntry
from ..findings import Findings, did_you_mean
from ..zh.names import normalise_name
from .headers import SheetLayout
from .lookup import CategoryMatcher, UnitMatcher, compact
from .tables import CellLocation, Table, cell_text

RECORD_FIELDS = tuple(RecipientEntry.model_fields)  # the order fields are written in
PERCENT_FIELDS = ("membership_rate", "ballot_approval", "satisfaction", "group_secondary_share")
BOOL_FIELDS = ("non_public", "mega_group")
TEXT_FIELDS = ("name", "unit", "title", "workplace", "position", "ethnicity", "applicant")
CADRE_LEVELS: tuple[str, ...] = get_args(CadreLevel)

_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "有", "1"}
_FALSE = {"否", "×", "✗", "x", "n", "no", "false", "无", "0", "不是"}
_SUBTOTAL = re.compile(r"^(?:合计|小计|总计|共计|累计)")
_FOOTER = re.compile(r"^(?:填表人|制表人|审核人|联系人|填报人|负责人|经办人|注:|说明:|备注:|单位\(盖章\)|"
                     r"\(盖章\)|盖章|填报日期|填表日期|日期:|附:|\(此表|此表)")
_UNIT_LINE = re.compile(r"(?:填报|推荐|申报)单位(?:名称)?[:：]\s*(.*)$")
_STAMP = re.compile(r"[（(]\s*(?:盖章|公章|章)\s*[)）]")
_LEVELS = {"县级": "县级", "县区级": "县级", "县市区级": "县级", "市级": "市级", "省级": "省级",
           "全国": "全国", "国家级": "全国", "全国级": "全国"}
_HONOUR = re.compile(r"^(?:(\d{4})年度?)?(.+?)\((" + "|".join(_LEVELS) + r")(?:[,、\s]*(\d{4})年?度?)?\)$")


class ImportedRecord(Struct):
    category: str                         # category id
    values: dict[str, Any]                # RecipientEntry fields, typed
    cells: dict[str, CellLocation]        # field -> the cell it came from
    row: CellLocation                     # the row (its name cell)
    order: tuple = ()                     # sort key: unit order, file, sheet, row

    def cell(self, name: str) -> CellLocation:
        return self.cells.get(name, self.row)


class SheetResult(Struct):
    records: list[ImportedRecord] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # category id -> records
    passed_over: int = 0                               # 合计 rows and footers


class RowReader:
    """Reads the rows of one sheet with a known layout."""

    def __init__(self, table: Table, layout: SheetLayout, sheet_category: str | None,
                 sheet_category_problem: str, categories: CategoryMatcher, units: UnitMatcher,
                 findings: Findings, unit_names: list[str], file_order: int):
        self.table, self.layout = table, layout
        self.sheet_category, self.sheet_category_problem = sheet_category, sheet_category_problem
        self.categories, self.units, self.findings = categories, units, findings
        self.unit_names, self.file_order = unit_names, file_order
        self.default_unit, self.default_unit_text = self._unit_from_title()

    def _unit_from_title(self) -> tuple[str | None, str]:
        """填报单位：沁阳市总工会 above the header, when there is no 推荐单位 column."""
        above = self.layout.above
        for index, text in enumerate(above):
            found = _UNIT_LINE.search(text)
            if not found:
                continue
            written = found.group(1).strip() or (above[index + 1] if index + 1 < len(above) else "")
            written = _STAMP.sub("", re.split(r"\s{2,}|填报日期|填表日期|日期", written)[0]).strip()
            if written:
                return self.units.match(written), written
        return None, ""

    def read(self) -> SheetResult:
        result = SheetResult()
        layout = self.layout
        if "unit" not in layout.fields and self.default_unit is None:
            column = layout.fields["name"]
            if self.default_unit_text:
                self.findings.error("I006", f"表头上方的填报单位“{self.default_unit_text}”不在名额分配表中，"
                                    "表中又没有“推荐单位”列。",
                                    self.table.location(layout.header_top),
                                    did_you_mean(self.default_unit_text, self.unit_names) +
                                    "也可以在表中加一列“推荐单位”。")
            else:
                self.findings.error("I006", "找不到“推荐单位”列，表头上方也没有写“填报单位：……”。",
                                    self.table.location(layout.header_top, column.index),
                                    "请加一列“推荐单位”，逐行填写附件表中的单位名称。")
            return result
        for r in range(layout.header_bottom + 1, len(self.table.rows)):
            record = self._row(r, result)
            if record is not None:
                result.records.append(record)
                result.counts[record.category] += 1
        return result

    def _texts(self, r: int) -> list[str]:
        return [cell_text(v) for v in self.table.rows[r]]

    def _row(self, r: int, result: SheetResult) -> ImportedRecord | None:
        texts = self._texts(r)
        fields = self.layout.fields
        used = {name: texts[col.index] if col.index < len(texts) else ""
                for name, col in fields.items()}
        if not any(used.values()):
            return None
        leading = [compact(t) for t in texts if t][:3]
        if any(_SUBTOTAL.match(t) for t in leading) or (leading and _FOOTER.match(leading[0])):
            result.passed_over += 1
            return None
        table = self.table
        cells = {name: table.location(r, col.index) for name, col in fields.items()}
        name_cell = cells["name"]
        name = normalise_name(used["name"])
        if not name:
            self.findings.error("I008", "这一行填了内容，但姓名（名称）是空的。", name_cell,
                                "请补上姓名或单位全称；如这一行不是名单，请删除它。")
            return None
        category = self._category(used.get("category", ""), cells.get("category", name_cell))
        name, noted = split_name_note(name) if category in self.categories.people else (name, {})
        values: dict[str, Any] = {"name": name}
        unit_text = normalise_name(used.get("unit", ""))
        if unit_text:
            values["unit"] = self.units.match(unit_text) or unit_text
        elif self.default_unit is not None:
            values["unit"] = self.default_unit
            cells.pop("unit", None)
        else:
            self.findings.error("I009", f"“{name}”的推荐单位是空的。", cells["unit"],
                                "请填写附件表中的推荐单位名称。")
            return None
        title, title_cell = self._title(used, cells)
        if title and title_cell is not None:
            values["title"] = title
            cells["title"] = title_cell
        for name_ in RECORD_FIELDS:
            if name_ in values or name_ in ("name", "unit", "title") or not used.get(name_):
                continue
            value = self._convert(name_, used[name_], r, fields[name_].index, cells[name_])
            if value is not None:
                values[name_] = value
        for name_, value in noted.items():  # 张三（女） in the name cell
            if values.setdefault(name_, value) != value:
                column = {"gender": "性别", "ethnicity": "民族"}[name_]
                self.findings.error("I010", f"姓名中注明的“{value}”与{column}一列的“{values[name_]}”不一致。",
                                    name_cell, "请核对后改正其中一处。")
            cells.setdefault(name_, name_cell)
        if category is None:
            return None
        ordered = {k: values[k] for k in RECORD_FIELDS if k in values}
        unit_rank = self.unit_names.index(ordered["unit"]) if ordered["unit"] in self.unit_names \
            else len(self.unit_names)
        return ImportedRecord(category, ordered, cells, name_cell,
                              (unit_rank, self.file_order, table.index, r))

    def _category(self, written: str, cell: CellLocation) -> str | None:
        if written:
            found, candidates = self.categories.match(written)
            if found:
                return found
            if candidates:
                self.findings.error("I005", f"类别“{written}”可能是{'、'.join(candidates)}，无法确定。",
                                    cell, "请写出类别的完整名称，例如“" + candidates[0] + "”。")
            else:
                self.findings.error("I005", f"类别“{written}”不是本次评选的类别。", cell,
                                    "请写 categories.yaml 中的类别名称，例如“" +
                                    self.categories.categories[0].name + "”。")
            return None
        if self.sheet_category:
            return self.sheet_category
        self.findings.error("I005", "这一行没有填写类别，" + self.sheet_category_problem, cell,
                            "请在类别一列填写类别名称。")
        return None

    @staticmethod
    def _title(used: dict[str, str], cells: dict[str, CellLocation]) -> tuple[str, CellLocation | None]:
        if used.get("title"):
            return normalise_name(used["title"]), cells["title"]
        parts = [normalise_name(used.get(p, "")) for p in ("workplace", "position")]
        if not any(parts):
            return "", None
        cell = cells.get("workplace") if parts[0] else cells.get("position")
        return normalise_name("".join(parts)), cell

    def _convert(self, name: str, text: str, r: int, c: int, cell: CellLocation):
        raw = self.table.rows[r][c]
        try:
            if name in PERCENT_FIELDS:
                return parse_percent(raw, text)
            if name in BOOL_FIELDS:
                return parse_bool(raw, text)
            if name == "gender":
                return parse_gender(text)
            if name == "cadre_level":
                return parse_cadre_level(text)
            if name == "prior_honours":
                return parse_honours(text)
            if name in ("ethnicity", "applicant"):
                return normalise_name(text) or None
        except ValueError as problem:
            message, hint = problem.args
            self.findings.error("I010", message, cell, hint)
            return None
        return None


_NAME_NOTE = re.compile(r"^(.+?)[（(]\s*(男|女)?\s*[,，、]?\s*([^\s()（）,，、]{1,8}族)?\s*[)）]$")


def split_name_note(name: str) -> tuple[str, dict[str, str]]:
    """“张三（女）”, “李四（女，回族）” -> the name, and the gender and 民族 noted after it."""
    found = _NAME_NOTE.match(name)
    if not found or not (found.group(2) or found.group(3)):
        return name, {}
    noted = {"gender": found.group(2), "ethnicity": found.group(3)}
    return found.group(1).strip(), {k: v for k, v in noted.items() if v}


def parse_percent(raw: Any, text: str) -> float:
    """98%, "98", 98, 0.98 -> 98.0 (a number of 1 or less is a fraction, as Excel stores %)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
        return _tidy(value * 100 if value <= 1 else value)
    folded = unicodedata.normalize("NFKC", text).replace(" ", "")
    found = re.fullmatch(r"(\d+(?:\.\d+)?)(%?)", folded)
    if not found:
        raise ValueError(f"“{text}”不是百分比。", "请只写数字，例如 98 或 98%（也可以写 0.98）。")
    value = float(found.group(1))
    return _tidy(value if found.group(2) or value > 1 else value * 100)


def _tidy(value: float) -> float | int:
    value = round(value, 4)
    return int(value) if value.is_integer() else value


def parse_bool(raw: Any, text: str) -> bool:
    if isinstance(raw, bool):
        return raw
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"“{text}”不是“是”或“否”。", "请填写“是”或“否”。")


def parse_gender(text: str) -> str:
    word = compact(text)
    if word in ("男", "男性"):
        return "男"
    if word in ("女", "女性"):
        return "女"
    raise ValueError(f"性别“{text}”无法识别。", "请填写“男”或“女”，或留空。")


def parse_cadre_level(text: str) -> str:
    word = compact(text).replace("(含)以下", "及以下")
    for level in CADRE_LEVELS:
        if word == compact(level):
            return level
    raise ValueError(f"干部类别“{text}”不在可选范围内。", "可选：" + "、".join(CADRE_LEVELS) + "。")


def parse_honours(text: str) -> list[dict]:
    """“沁阳市模范职工之家（县级，2015）；焦作市优秀工会工作者（市级）” -> prior_honours."""
    if compact(text) in ("无", "没有", "/", "-"):
        return []
    honours = []
    for item in re.split(r"[;；\n]+", text):
        folded = unicodedata.normalize("NFKC", item).strip().rstrip("。.")
        if not folded:
            continue
        found = _HONOUR.match(re.sub(r"\s+", "", folded))
        if not found:
            raise ValueError(f"此前荣誉“{item.strip()}”看不出级别。",
                             "每项写成“称号（级别，年份）”，级别为 县级、市级、省级 或 全国，年份可省略，"
                             "多项之间用“；”分开，例如“沁阳市模范职工之家（县级，2015）”；没有写“无”。")
        year = found.group(1) or found.group(4)
        honour: dict[str, Any] = {"title": found.group(2), "level": _LEVELS[found.group(3)]}
        if year:
            honour["year"] = int(year)
        honours.append(honour)
    return honours
