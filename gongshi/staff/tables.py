"""Reading the units' workbooks into plain grids: .xlsx/.xlsm/.xlsb/.xls/.ods and .csv.

Spreadsheets are read with python-calamine (one reader for Excel, old binary .xls from Excel
and WPS, and OpenDocument); merged cells are filled with their top-left value, so a 推荐单位
written once over several rows, or a header spanning two columns, reads as if repeated. CSV
files may be UTF-8 (with or without BOM), UTF-16 (Excel's “Unicode 文本”) or GBK/GB18030;
the encoding found is reported. Cells are addressed as Excel shows them: row 1, column A.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

from msgspec import Struct

from ..findings import Location

SPREADSHEETS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_TABLES = (".csv", ".txt")


class CellLocation(Location, frozen=True):
    """A cell of an imported workbook: file, sheet, 1-based row (`line`) and column."""

    sheet: str = ""

    @property
    def letter(self) -> str:
        return column_letter(self.column - 1) if self.column else ""

    @property
    def where(self) -> str:
        """The file and sheet, as the report heads them."""
        return f"{self.file} 工作表“{self.sheet}”" if self.sheet else self.file

    @property
    def cell(self) -> str:
        """第 14 行 C 列 (or only the row, or nothing)."""
        if not self.line:
            return ""
        return f"第 {self.line} 行" + (f" {self.letter} 列" if self.column else "")

    def __str__(self) -> str:
        return f"{self.where} {self.cell}".strip()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Table(Struct):
    """One sheet (or one CSV file) as a rectangular grid of raw cell values ('' when empty)."""

    file: str            # as shown to the user
    sheet: str           # sheet name; "" for a CSV file
    index: int           # position of the sheet in its workbook
    rows: list[list[Any]]
    hidden: bool = False
    encoding: str = ""   # CSV only: the encoding found
    name_for_category: str = ""  # the sheet name, or the CSV file's stem

    def at(self, row: int, column: int) -> Any:
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]):
            return self.rows[row][column]
        return ""

    def location(self, row: int, column: int | None = None) -> CellLocation:
        """The cell at 0-based (row, column) as the user sees it."""
        return CellLocation(self.file, row + 1, 0 if column is None else column + 1, self.sheet)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclasses.dataclass  # an exception: a dataclass, since a msgspec Struct cannot be one
class TableError(Exception):
    code: str
    message: str
    hint: str = ""


def read_tables(path: Path, shown: str) -> list[Table]:
    """Every sheet of a workbook, or the one table of a CSV file; TableError in Chinese."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise TableError("I001", f"找不到文件 {shown}。", "请确认文件名和所在文件夹；文件名含空格时请用引号括起来。")
    if not path.is_file():
        raise TableError("I001", f"{shown} 不是文件。", "请给出表格文件本身，而不是文件夹。")
    if suffix in TEXT_TABLES:
        return [_read_csv(path, shown)]
    if suffix not in SPREADSHEETS:
        what = "WPS 表格格式（.et）" if suffix == ".et" else f"“{suffix or '无扩展名'}”格式"
        raise TableError("I001", f"{shown} 是{what}，无法读取。",
                         "请用 Excel 或 WPS 打开后“另存为” .xlsx（Excel 工作簿）格式再导入；"
                         "可以读取的格式：.xlsx、.xls、.ods、.csv。")
    return _read_workbook(path, shown)


def _read_workbook(path: Path, shown: str) -> list[Table]:
    import python_calamine as calamine

    try:
        with open(path, "rb") as handle:  # a clear message when WPS/Excel holds the file
            handle.read(1)
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise TableError("I001", f"{shown} 设置了打开密码，无法读取。",
                         "请在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存，再导入。")
    except PermissionError:
        raise TableError("I001", f"无法读取 {shown}（系统拒绝读取，文件可能正被其他程序打开）。",
                         "请关闭打开这个文件的 Excel 或 WPS 后重试。")
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, OSError, ValueError) as exc:
        raise TableError("I001", f"{shown} 无法作为表格读取（文件损坏，或扩展名与实际格式不符）：{exc}。",
                         "请用 Excel 或 WPS 打开确认，再“另存为” .xlsx 格式后导入。")
    tables = []
    try:
        for index, meta in enumerate(book.sheets_metadata):
            if str(getattr(meta, "typ", "")).rsplit(".", 1)[-1] != "WorkSheet":
                continue  # a chart or dialog sheet holds no list
            sheet = book.get_sheet_by_index(index)
            rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            hidden = str(getattr(meta, "visible", "")).rsplit(".", 1)[-1].lower() != "visible"
            tables.append(Table(shown, meta.name, index, rows, hidden, "", meta.name))
    except (calamine.CalamineError, calamine.XmlError, ValueError) as exc:
        raise TableError("I001", f"{shown} 中有无法读取的工作表（文件可能已损坏）：{exc}。",
                         "请用 Excel 或 WPS 打开确认，再“另存为” .xlsx 格式后导入。")
    finally:
        book.close()
    return tables


def _fill_merged(rows: list[list[Any]], merged) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        if value == "" or value is None:
            continue
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value


ENCODINGS = (("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030"))


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding label) for UTF-8 (BOM or not), UTF-16 with BOM, GBK or GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8（带 BOM）"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    for codec, label in ENCODINGS:
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", raw, 0, len(raw), "not a known encoding")


def _read_csv(path: Path, shown: str) -> Table:
    try:
        raw = path.read_bytes()
    except OSError:
        raise TableError("I001", f"无法读取 {shown}（系统拒绝读取，文件可能正被其他程序打开）。",
                         "请关闭打开这个文件的程序后重试。")
    try:
        text, label = decode_text(raw)
    except UnicodeDecodeError:
        raise TableError("I002", f"{shown} 的编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）。",
                         "请用 Excel 或 WPS 打开后“另存为” .xlsx，或另存为“CSV UTF-8（逗号分隔）”。")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""),
                                                         delimiter=delimiter)]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    return Table(shown, "", 0, rows, False, label, path.stem)


def cell_text(value: Any) -> str:
    """A cell as text: 3.0 -> "3", a date -> 2018-11-05, True -> 是; no outer spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip().strip("\u3000\u00a0\ufeff").strip()
