"""Writing one category's imported list as YAML, remembering which cell made each line.

The text depends only on the workbooks' contents and names and on the project's tables —
no dates, no folders — so importing the same workbooks twice gives the same bytes. Records
are ordered by the unit's row in the 附件 table, then file, sheet and row; fields in
RecipientEntry's order. Strings are written plain when YAML reads them back unchanged, else
double-quoted. The header comment names the source files; there is no `sample:` line:
imported lists are the real ones.
"""

from __future__ import annotations

import json
import re

import yaml
from msgspec import Struct

from .records import ImportedRecord
from .tables import CellLocation

_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")
_FLOW_SPECIAL = re.compile(r"[,\[\]{}]")


def scalar(value, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    plain = (_PLAIN.fullmatch(text) and ": " not in text and " #" not in text
             and not text.endswith((" ", ":")) and not (flow and _FLOW_SPECIAL.search(text)))
    if plain:
        try:
            plain = yaml.safe_load(text) == text
        except yaml.YAMLError:
            plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def _honours(items: list[dict]) -> str:
    parts = ["{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in item.items()) + "}"
             for item in items]
    return "[" + ", ".join(parts) + "]"


class LineSource(Struct):
    record: ImportedRecord
    field: str


class CategoryText(Struct):
    category: str
    text: str
    lines: dict[int, LineSource]   # 1-based line -> the record and field it writes
    records: list[ImportedRecord]

    def cell_at(self, line: int, field: str | None = None) -> CellLocation | None:
        source = self.lines.get(line)
        if source is None:
            return None
        return source.record.cell(field or source.field)


def render(category_id: str, category_name: str, records: list[ImportedRecord],
           sources: list[str]) -> CategoryText:
    ordered = sorted(records, key=lambda r: r.order)
    lines = [
        f"# {category_name}名单：由 gongshi import 从推荐单位的汇总表导入。来源：",
        *(f"#   {source}" for source in sources),
        "# 再次导入时，gongshi import 先列出与本文件的差别，加 --write 才替换本文件（原文件备份到 backups/）。",
        "# 公开字段：name、unit、title、gender、ethnicity；其余字段只用于核查，绝不公开。",
        f"category: {scalar(category_id)}",
        "recipients:",
    ]
    where: dict[int, LineSource] = {}
    for record in ordered:
        first = True
        for field, value in record.values.items():
            text = _honours(value) if field == "prior_honours" else scalar(value)
            lines.append(("  - " if first else "    ") + f"{field}: {text}")
            where[len(lines)] = LineSource(record, field)
            first = False
    if not ordered:
        lines[-1] = "recipients: []"
    return CategoryText(category_id, "\n".join(lines) + "\n", where, ordered)
