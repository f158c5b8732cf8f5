"""What an import would add, remove and change in the lists already in data/.

Records are compared by name and 推荐单位 (as the loader normalises them, a unit written by
id counts as its name); a record on both sides whose other fields differ is “changed”, field
by field, with the Chinese labels of RecipientEntry. An existing file that cannot be read as
a list is reported as such: it would be replaced whole (and backed up).
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from ..files import schema
from ..files.yamlfile import DataFileError, parse_yaml
from ..findings import Findings
from ..zh.names import normalise_name

Key = tuple[str, str]


class Change(Struct):
    name: str
    unit: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new


class FileChanges(Struct):
    category_id: str
    category_name: str
    path: str                   # project-relative
    exists: bool
    readable: bool = True
    sample: bool = False        # the old file was marked sample: true
    same_bytes: bool = False
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def label(name: str) -> str:
    info = schema.RecipientEntry.model_fields.get(name)
    return (info.description or name) if info else name


def shown_value(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        if not value:
            return "无"
        return "；".join(f"{h['title']}（{h['level']}" + (f"，{h['year']}" if h.get("year") else "") + "）"
                        for h in value)
    return str(value)


def read_records(text: str, shown: str, unit_names: dict[str, str]) -> tuple[list[dict] | None, bool]:
    """(records as plain dicts, sample flag); records None when the text is not a valid list."""
    try:
        raw = parse_yaml(text, shown)
    except DataFileError:
        return None, False
    if raw is None:
        return None, False
    parsed = schema.validate(schema.RecipientsFile, raw, shown, Findings())
    if parsed is None:
        return None, bool(isinstance(raw, dict) and raw.get("sample") is True)
    records = []
    for entry in parsed.recipients:
        record = entry.model_dump(exclude_none=True)
        record["name"] = normalise_name(record["name"])
        unit = normalise_name(record["unit"])
        record["unit"] = unit_names.get(unit, unit)
        records.append(record)
    return records, parsed.sample


def compare(changes: FileChanges, old: list[dict], new: list[dict]) -> None:
    def key(record: dict) -> Key:
        return record["name"], record["unit"]

    remaining: dict[Key, list[dict]] = {}
    for record in old:
        remaining.setdefault(key(record), []).append(record)
    for record in new:
        matches = remaining.get(key(record))
        if not matches:
            changes.added.append(key(record))
            continue
        before = matches.pop(0)
        differences = []
        for name in schema.RecipientEntry.model_fields:
            if name in ("name", "unit"):
                continue
            if before.get(name) != record.get(name):
                differences.append((label(name), shown_value(before.get(name)),
                                    shown_value(record.get(name))))
        if differences:
            changes.changed.append(Change(record["name"], record["unit"], differences))
    for records in remaining.values():
        changes.removed.extend(key(r) for r in records)
