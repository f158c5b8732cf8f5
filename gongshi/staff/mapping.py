"""data/<slug>/import.yaml: the office's own header, sheet and unit names (optional).

    columns:            # 列标题 → 字段（见 README “从 Excel 汇总表导入”）
      单位职务: title
      备注: 忽略
    sheets:             # 工作表名称 → 类别代号（或类别名称；忽略 表示不导入这张表）
      积极分子名单: activist
    units:              # 表格中的单位写法 → units.yaml 中的推荐单位
      焦作市财贸工会: 财贸工会系统

The file is validated like every data file (schema.ImportMapFile: field names, types, line
numbers in Chinese); then its categories and units are checked against the announcement.
A column of personal details (身份证号、手机……) cannot be mapped to anything but 忽略.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct, field

from ..files import schema
from ..files.yamlfile import DataFileError, load_yaml
from ..findings import Findings, Location, did_you_mean, relative_name
from .headers import SKIP, header_key, is_personal

MAPPING_FILE = "import.yaml"


class ImportMapping(Struct):
    columns: dict[str, str] = field(default_factory=dict)   # header_key -> field or skip
    sheets: dict[str, str] = field(default_factory=dict)    # sheet name -> category id or skip
    units: dict[str, str] = field(default_factory=dict)     # as written -> unit name
    shown: str = ""                                         # the file, when there is one


def load_mapping(root: Path, slug: str, categories, units, findings: Findings) -> ImportMapping:
    path = root / "data" / slug / MAPPING_FILE
    if not path.is_file():
        return ImportMapping()
    shown = relative_name(path, root)
    try:
        raw = load_yaml(path, shown)
    except DataFileError as exc:
        findings.error(exc.code, exc.message, exc.location, exc.hint, exc.excerpt)
        return ImportMapping(shown=shown)
    if raw is None:
        return ImportMapping(shown=shown)  # only comments: nothing to map
    parsed = schema.validate(schema.ImportMapFile, raw, shown, findings)
    if parsed is None:
        return ImportMapping(shown=shown)
    mapping = ImportMapping(shown=shown)
    for header, target in parsed.columns.items():
        key = header_key(header)
        if is_personal(key) and target not in SKIP:
            findings.error("I011", f"列“{header}”是不公开的个人信息，不能对应到“{target}”。",
                           Location(shown, raw["columns"].line_of(header)),
                           "身份证号、手机、出生年月等列一律不导入；请删去这一行。")
            continue
        mapping.columns[key] = target
    by_name = {c.name: c.id for c in categories}
    ids = [c.id for c in categories]
    for sheet, wanted in parsed.sheets.items():
        value = wanted if wanted in SKIP or wanted in ids else by_name.get(wanted)
        if value is None:
            findings.error("I011", f"工作表“{sheet}”对应的类别“{wanted}”不存在。",
                           Location(shown, raw["sheets"].line_of(sheet)),
                           did_you_mean(wanted, ids + list(by_name)) + "（或写 忽略，表示不导入这张表）")
            continue
        mapping.sheets[sheet.strip()] = "skip" if value in SKIP else value
    names = {u.name for u in units}
    by_id = {u.id: u.name for u in units}
    for written, unit_name in parsed.units.items():
        unit = unit_name if unit_name in names else by_id.get(unit_name)
        if unit is None:
            findings.error("I011", f"单位写法“{written}”对应的推荐单位“{unit_name}”不在 units.yaml 中。",
                           Location(shown, raw["units"].line_of(written)),
                           did_you_mean(unit_name, sorted(names)))
            continue
        mapping.units[written] = unit
    return mapping
