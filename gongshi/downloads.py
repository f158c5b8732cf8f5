"""Machine-readable copies of a 公示 list, and of a 决定's final list: CSV (UTF-8 with BOM, for
Excel), XLSX and JSON, under <slug>/downloads/ as gongshi.* and decision.* (both stay once
published: the 公示's beside the 决定's).

The same public fields as the page, nothing else: category, 序号, name, gender, ethnicity,
工作单位及职务, 推荐单位. Files are byte-for-byte reproducible: no clock goes into them (the
XLSX's document dates are the 公示 date, and its zip entries carry a fixed timestamp).

No cell can attack its reader: a text starting with = + - @, a tab or a carriage return is
what Excel and WPS run as a formula (=HYPERLINK(…), DDE). Every text cell of the XLSX is an
explicit string cell (never a formula or error cell), with Excel's quote prefix where it
starts like a formula; in the CSV such a cell gets a leading ' (the OWASP advice for CSV
injection), which Excel hides and which keeps the text from being evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import DecisionText, PublicChange
from .stages import DECISION, GONGSHI
from .urls import download

if TYPE_CHECKING:  # pages builds the lists and imports this module
    from .pages import CategoryList

HEADERS = ["类别", "序号", "姓名或单位名称", "性别", "民族", "工作单位及职务", "推荐单位"]
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str | None) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text is not None and text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    return "'" + text if starts_like_formula(text) else text


@dataclass(frozen=True)
class Download:
    path: str      # output-relative
    label: str     # shown on the page
    data: bytes

    @property
    def size_text(self) -> str:
        size = len(self.data)
        return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} 字节"


def rows(lists: list[CategoryList]) -> list[list[str]]:
    result = []
    for item in lists:
        number = 1
        for group in item.groups:
            for person in group.recipients:
                result.append([item.category.name, str(number), person.name, person.gender or "",
                               person.ethnicity or "", person.title or "", person.unit_name])
                number += 1
    return result


def to_csv(lists: list[CategoryList]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([[csv_text(value) for value in row] for row in rows(lists)])
    return buffer.getvalue().encode("utf-8-sig")


def to_json(title: str, period: tuple[dt.date, dt.date], lists: list[CategoryList]) -> bytes:
    payload = {
        "title": title,
        "period": {"start": period[0].isoformat(), "end": period[1].isoformat()},
        "categories": _categories_json(lists),
    }
    return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _categories_json(lists: list[CategoryList]) -> list[dict]:
    return [{
            "name": item.category.name,
            "action": item.category.action,
            "measure": item.category.measure,
            "count": item.count,
            "recipients": [{"number": group.first_number + i, "name": p.name, "gender": p.gender,
                            "ethnicity": p.ethnicity, "title": p.title, "unit": p.unit_name}
                           for group in item.groups for i, p in enumerate(group.recipients)],
        } for item in lists]


def to_xlsx(title: str, stamp: dt.date, lists: list[CategoryList], sheet_name: str = "公示名单") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append([title])
    _as_text(sheet["A1"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows(lists):
        sheet.append([int(row[1]) if i == 1 else value for i, value in enumerate(row)])
        for column, value in enumerate(row, 1):
            if value[:1] in _RETYPED_STARTS:
                _as_text(sheet.cell(sheet.max_row, column))
    for letter, width in zip("ABCDEFG", (26, 6, 40, 6, 8, 46, 14)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    moment = dt.datetime.combine(stamp, dt.time())
    book.properties.created = book.properties.modified = moment
    book.properties.creator = book.properties.lastModifiedBy = "gongshi"
    raw = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() stamps the current time into the file.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_zip(raw.getvalue())


# openpyxl stores a str starting with "=" as a formula, and "#N/A" and the like as errors.
_RETYPED_STARTS = frozenset(FORMULA_STARTS) | {"#"}


def _as_text(cell) -> None:
    """Keep a str cell a string cell, quote-prefixed if it starts like a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if starts_like_formula(cell.value):
            cell.quotePrefix = True


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with sorted entries and a fixed timestamp, so rebuilds are identical."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def announcement_downloads(slug: str, title: str, period: tuple[dt.date, dt.date], stamp: dt.date,
                           lists: list[CategoryList]) -> list[Download]:
    return [
        Download(download(slug, GONGSHI, "xlsx"), "Excel 表格（XLSX）", to_xlsx(title, stamp, lists)),
        Download(download(slug, GONGSHI, "csv"), "CSV（UTF-8，可用 Excel 打开）", to_csv(lists)),
        Download(download(slug, GONGSHI, "json"), "JSON（供程序读取）", to_json(title, period, lists)),
    ]


def decision_downloads(slug: str, text: DecisionText, lists: list[CategoryList],
                       changes: tuple[PublicChange, ...]) -> list[Download]:
    """The 决定's final list, with its 文号 and date, and the 变更说明 in the JSON."""
    payload = {
        "title": text.title,
        "number": text.number,
        "date": text.date.isoformat(),
        "categories": _categories_json(lists),
        "changes": [{"date": c.date.isoformat(), "action": c.action, "category": c.category_name,
                     "name": c.name, "unit": c.unit_name, "reason": c.reason,
                     "corrections": [{"field": f, "before": old, "after": new} for f, old, new in c.corrections]}
                    for c in changes],
    }
    data = (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return [
        Download(download(slug, DECISION, "xlsx"), "Excel 表格（XLSX）",
                 to_xlsx(text.title, text.date, lists, "表彰名单")),
        Download(download(slug, DECISION, "csv"), "CSV（UTF-8，可用 Excel 打开）", to_csv(lists)),
        Download(download(slug, DECISION, "json"), "JSON（供程序读取）", data),
    ]
