"""Machine-readable copies of a 公示 list: CSV (UTF-8 with BOM, for Excel), XLSX and JSON.

The same public fields as the page, nothing else: category, 序号, name, gender, ethnicity,
工作单位及职务, 推荐单位. Files are byte-for-byte reproducible: no clock goes into them (the
XLSX, written by xlsxfile, has the 公示 date as its document dates and fixed zip timestamps).

No cell can attack its reader: a text starting with = + - @, a tab or a carriage return is
what Excel and WPS run as a formula (=HYPERLINK(…), DDE). Every text cell of the XLSX is a
shared-string cell (xlsxfile writes nothing else: no formula or error cell), with Excel's quote
prefix where it starts like a formula; in the CSV such a cell gets a leading ' (the OWASP advice for CSV
injection), which Excel hides and which keeps the text from being evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pages builds the lists and imports this module
    from .pages import CategoryList

HEADERS = ["类别", "序号", "姓名或单位名称", "性别", "民族", "工作单位及职务", "推荐单位"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str | None) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return bool(text) and text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    return "'" + text if starts_like_formula(text) else text


@dataclass(frozen=True)
class DownloadLink:
    """What a page shows of a download: where, what, how big."""

    path: str      # output-relative
    label: str     # shown on the page
    size: int      # bytes

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024:.1f} KB" if self.size >= 1024 else f"{self.size} 字节"


@dataclass(frozen=True)
class Download:
    path: str      # output-relative
    label: str     # shown on the page
    data: bytes

    @property
    def link(self) -> DownloadLink:
        return DownloadLink(self.path, self.label, len(self.data))


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
        "categories": [{
            "name": item.category.name,
            "action": item.category.action,
            "measure": item.category.measure,
            "count": item.count,
            "recipients": [{"number": group.first_number + i, "name": p.name, "gender": p.gender,
                            "ethnicity": p.ethnicity, "title": p.title, "unit": p.unit_name}
                           for group in item.groups for i, p in enumerate(group.recipients)],
        } for item in lists],
    }
    return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_xlsx(title: str, stamp: dt.date, lists: list[CategoryList]) -> bytes:
    from .xlsxfile import HEADER, NORMAL, TITLE, workbook

    table: list[tuple[int, list[str | int]]] = [(TITLE, [title]), (HEADER, HEADERS)]
    table += [(NORMAL, [int(value) if i == 1 else value for i, value in enumerate(row)]) for row in rows(lists)]
    return workbook("公示名单", table, (26, 6, 40, 6, 8, 46, 14), frozen=2, print_titles=2,
                    created=dt.datetime.combine(stamp, dt.time()), creator="gongshi",
                    quoted=starts_like_formula)


def announcement_downloads(slug: str, title: str, period: tuple[dt.date, dt.date], stamp: dt.date,
                           lists: list[CategoryList]) -> list[Download]:
    base = f"{slug}/downloads/gongshi"
    return [
        Download(base + ".xlsx", "Excel 表格（XLSX）", to_xlsx(title, stamp, lists)),
        Download(base + ".csv", "CSV（UTF-8，可用 Excel 打开）", to_csv(lists)),
        Download(base + ".json", "JSON（供程序读取）", to_json(title, period, lists)),
    ]
