"""Machine-readable copies of a 公示 list, and of a 决定's final list: CSV (UTF-8 with BOM, for
Excel), XLSX and JSON, under <slug>/downloads/ as gongshi.* and decision.* (both stay once
published: the 公示's beside the 决定's).

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
import functools
import io
import json
from collections.abc import Callable
from itertools import chain
from json.encoder import encode_basestring

from msgspec import Struct

from ..check.formulas import FORMULA_STARTS, any_starts_like_formula
from ..load.model import DecisionText, PublicChange
from ..load.stages import DECISION, GONGSHI
from ..urls import download
from .lists import CategoryList

HEADERS = ["类别", "序号", "姓名或单位名称", "性别", "民族", "工作单位及职务", "推荐单位"]
_FORMULA_FIRSTS = frozenset(FORMULA_STARTS)

# (kind: "csv" or "json", a category's list, make) -> make(): that category's part of the file;
# a preview's memo gives what it made before for a list with the same fingerprint (site.memo).
# Each category's lines depend on its list alone (the 序号 start at 1 in each category).
Parts = Callable[[str, CategoryList, Callable[[], str]], str]


class DownloadLink(Struct, frozen=True):
    """What a page shows of a download: where, what, how big."""

    path: str      # output-relative
    label: str     # shown on the page
    size: int      # bytes

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024:.1f} KB" if self.size >= 1024 else f"{self.size} 字节"


class Download(Struct, frozen=True):
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


def to_csv(lists: list[CategoryList], table: list[list[str]] | None = None, parts: Parts | None = None) -> bytes:
    """`table`: rows(lists), when the caller has it; `parts`: see Parts."""
    if parts is not None:
        body = "".join([parts("csv", item, functools.partial(_category_csv, item)) for item in lists])
    else:
        body = _csv_rows(rows(lists) if table is None else table)
    return (_csv_rows([HEADERS]) + body).encode("utf-8-sig")


def _category_csv(item: CategoryList) -> str:
    """One category's lines of `to_csv`."""
    return _csv_rows(rows([item]))


def _csv_rows(table: list[list[str]]) -> str:
    """The CSV lines of `table`; a cell that starts like a formula gets a leading '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if any_starts_like_formula(chain.from_iterable(table)):  # else, as almost always, none to look at
        firsts = _FORMULA_FIRSTS
        table = [["'" + value if value[:1] in firsts else value for value in row] for row in table]
    writer.writerows(table)
    return buffer.getvalue()


def to_json(title: str, period: tuple[dt.date, dt.date], lists: list[CategoryList], parts: Parts | None = None) -> bytes:
    """The list as `json.dumps(…, ensure_ascii=False, indent=1)` writes it (tests compare),
    written directly: with an indent, json uses its pure-Python encoder, seconds at 100,000 names."""
    text = encode_basestring
    return "".join(['{\n "title": ', text(title), ',\n "period": {\n  "start": ', text(period[0].isoformat()),
                    ',\n  "end": ', text(period[1].isoformat()), '\n },\n "categories": ',
                    _categories_json(lists, parts), "\n}\n"]).encode("utf-8")


def _categories_json(lists: list[CategoryList], parts: Parts | None = None) -> str:
    """The "categories" value of a download's JSON, indented as a key of the top object."""
    categories = [_category_json(item) if parts is None else parts("json", item, functools.partial(_category_json, item))
                  for item in lists]
    return "[\n" + ",\n".join(categories) + "\n ]" if categories else "[]"


def _json_value(item: str | None) -> str:
    return "null" if item is None else encode_basestring(item)


def _category_json(item: CategoryList) -> str:
    """One category of `_categories_json`."""
    value = _json_value
    people = [f'    {{\n     "number": {group.first_number + i},\n     "name": {value(p.name)},\n'
              f'     "gender": {value(p.gender)},\n     "ethnicity": {value(p.ethnicity)},\n'
              f'     "title": {value(p.title)},\n     "unit": {value(p.unit_name)}\n    }}'
              for group in item.groups for i, p in enumerate(group.recipients)]
    recipients = "[\n" + ",\n".join(people) + "\n   ]" if people else "[]"
    category = item.category
    return (f'  {{\n   "name": {value(category.name)},\n   "action": {value(category.action)},\n'
            f'   "measure": {value(category.measure)},\n   "count": {item.count},\n'
            f'   "recipients": {recipients}\n  }}')


def to_xlsx(title: str, stamp: dt.date, lists: list[CategoryList], table: list[list[str]] | None = None,
            sheet_name: str = "公示名单") -> bytes:
    from .xlsxfile import HEADER, NORMAL, TITLE, workbook

    sheet: list[tuple[int, list[str | int]]] = [(TITLE, [title]), (HEADER, list(HEADERS))]
    sheet += [(NORMAL, [row[0], int(row[1]), *row[2:]]) for row in (rows(lists) if table is None else table)]
    return workbook(sheet_name, sheet, (26, 6, 40, 6, 8, 46, 14), frozen=2, print_titles=2,
                    created=dt.datetime.combine(stamp, dt.time()), creator="gongshi",
                    quoted=_FORMULA_FIRSTS)


def announcement_downloads(slug: str, title: str, period: tuple[dt.date, dt.date], stamp: dt.date,
                           lists: list[CategoryList], parts: Parts | None = None) -> list[Download]:
    """`parts`: see Parts."""
    table = rows(lists)
    return [
        Download(download(slug, GONGSHI, "xlsx"), "Excel 表格（XLSX）", to_xlsx(title, stamp, lists, table)),
        Download(download(slug, GONGSHI, "csv"), "CSV（UTF-8，可用 Excel 打开）", to_csv(lists, table, parts)),
        Download(download(slug, GONGSHI, "json"), "JSON（供程序读取）", to_json(title, period, lists, parts)),
    ]


def decision_downloads(slug: str, text: DecisionText, lists: list[CategoryList],
                       changes: tuple[PublicChange, ...], parts: Parts | None = None) -> list[Download]:
    """The 决定's final list, with its 文号 and date, and the 变更说明 in the JSON (`parts`: see
    Parts)."""
    table = rows(lists)
    changes_list = [{"date": c.date.isoformat(), "action": c.action, "category": c.category_name,
                     "name": c.name, "unit": c.unit_name, "reason": c.reason,
                     "corrections": [{"field": f, "before": old, "after": new} for f, old, new in c.corrections]}
                    for c in changes]
    # As json.dumps(…, indent=1) writes the whole object (tests compare); the few changes by
    # json itself, one level deeper (json escapes line breaks, so every line is one of its own).
    changes_text = "\n ".join(json.dumps(changes_list, ensure_ascii=False, indent=1).split("\n"))
    quoted = encode_basestring
    number = "null" if text.number is None else quoted(text.number)
    data = "".join(['{\n "title": ', quoted(text.title), ',\n "number": ', number,
                    ',\n "date": ', quoted(text.date.isoformat()), ',\n "categories": ', _categories_json(lists, parts),
                    ',\n "changes": ', changes_text, "\n}\n"]).encode("utf-8")
    return [
        Download(download(slug, DECISION, "xlsx"), "Excel 表格（XLSX）",
                 to_xlsx(text.title, text.date, lists, table, "表彰名单")),
        Download(download(slug, DECISION, "csv"), "CSV（UTF-8，可用 Excel 打开）", to_csv(lists, table, parts)),
        Download(download(slug, DECISION, "json"), "JSON（供程序读取）", data),
    ]
