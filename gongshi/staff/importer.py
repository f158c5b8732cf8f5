"""The whole import: read the workbooks, map them to lists, check them as a build would,
and only then (with --write) replace the lists in data/<slug>/recipients/.

Nothing is written while any error remains. The candidate YAML of each category is made in
memory with a map from every line back to its cell; the project is copied (data/, content/)
into a temporary folder outside the project, the candidates put in place there, and the
ordinary `check_project` run on it — so units, quotas, duplicates, personal numbers and all
rules of rules.yaml are checked exactly as `gongshi check` would. Each finding about a
candidate file is then moved back to the workbook cell it came from.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from msgspec import Struct, field
from msgspec.structs import replace

from ..check.quota import Allocation
from ..files import schema
from ..files.yamlfile import DataFileError, load_yaml, parse_yaml, read_text
from ..findings import Finding, Findings, Location, relative_name
from ..load.model import Site
from ..pipeline import BuildOptions, check_project
from ..site.output import BuildLock, OutputBusy
from .changes import FileChanges, compare, read_records
from .files import WriteOutcome, replace_files
from .headers import COLUMN_TITLES, Column, find_layout
from .lookup import CategoryMatcher, UnitMatcher, compact
from .mapping import MAPPING_FILE, ImportMapping, load_mapping
from .records import ImportedRecord, RowReader
from .tables import CellLocation, Table, TableError, cell_text, read_tables
from .yamltext import CategoryText, render

INSTRUCTION_SHEETS = ("填表说明", "说明", "填报说明", "使用说明", "填写说明")

# Findings the loader and the checks place on a record's first line, and the column they
# are really about.
CODE_FIELDS = {
    "L008": "unit", "L010": "title", "L011": "title", "M001": "membership_rate",
    "M002": "ballot_approval", "M003": "satisfaction", "M004": "group_secondary_share",
    "P001": "non_public", "P002": "cadre_level", "P003": "cadre_level", "G001": "cadre_level",
    "H001": "prior_honours", "H002": "prior_honours", "U001": "applicant",
}

# Hints that speak of YAML lines, said again for a workbook.
_HONOUR_HINT = ("请在“此前荣誉”列写明，每项写成“称号（级别，年份）”，如“焦作市模范职工之家（市级，2015）”，"
                "多项之间用“；”分开。")
CELL_HINTS = {
    "L010": "请在“工作单位及职务”列（或“工作单位”“职务”两列）填写，这是公示必须列出的内容。",
    "H001": _HONOUR_HINT,
    "H002": _HONOUR_HINT,
    "L011": "集体只填单位全称和推荐单位，不填工作单位及职务、性别、民族；如这是个人，请移到个人类别的工作表。",
    "D001": "请删除重复的一行（比较时已忽略空格和间隔号的差别）。",
    "Q001": "请核对审批结果，删去多出的行，或在 units.yaml 中按正式文件更正名额。",
}


class SheetReport(Struct):
    table: Table
    status: str                                  # imported, hidden, instructions, skipped, empty, no-header, no-category
    counts: Counter = field(default_factory=Counter)
    passed_over: int = 0
    personal: list[Column] = field(default_factory=list)
    unknown: list[Column] = field(default_factory=list)


class FileReport(Struct):
    shown: str
    encoding: str = ""
    sheets: list[SheetReport] = field(default_factory=list)
    unreadable: bool = False


class ImportOutcome(Struct):
    findings: Findings = field(default_factory=Findings)
    files: list[FileReport] = field(default_factory=list)
    changes: list[FileChanges] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)   # id -> name
    unrelated_warnings: int = 0
    sample_flags: list[Location] = field(default_factory=list)
    written: WriteOutcome | None = None
    busy: bool = False
    mapping_file: str = ""

    @property
    def ok(self) -> bool:
        return not self.findings.errors and not self.busy and not (
            self.written and self.written.failed)


class Project(Struct):
    root: Path
    slug: str
    categories: list          # schema.CategoryEntry
    units: list               # schema.UnitEntry
    shared_quotas: list       # schema.SharedQuotaEntry
    rules: schema.RulesFile
    announcement: schema.AnnouncementFile | None


def read_project(root: Path, slug: str, findings: Findings) -> Project | None:
    """The announcement's tables the import and the template need, validated."""
    folder = root / "data" / slug

    def table(name: str, model):
        path = folder / name
        shown = relative_name(path, root)
        try:
            raw = load_yaml(path, shown)
        except DataFileError as exc:
            findings.error(exc.code, exc.message, exc.location, exc.hint, exc.excerpt)
            return None
        if raw is None:
            findings.error("Y003", f"{shown} 中没有内容（只有注释或空行）。", Location(shown, 1),
                           "请参照同类文件的格式填写内容。")
            return None
        return schema.validate(model, raw, shown, findings)

    categories = table("categories.yaml", schema.CategoriesFile)
    units = table("units.yaml", schema.UnitsFile)
    announcement = table("announcement.yaml", schema.AnnouncementFile)
    rules = table("rules.yaml", schema.RulesFile) if (folder / "rules.yaml").is_file() \
        else schema.RulesFile()
    if categories is None or units is None or rules is None:
        return None
    return Project(root, slug, list(categories.categories), list(units.units),
                   list(units.shared_quotas), rules, announcement)


def shown_names(paths: list[Path]) -> list[str]:
    """File names as the report shows them: the bare name unless two share it."""
    names = [p.name for p in paths]
    return [p.name if names.count(p.name) == 1 else str(p) for p in paths]


def run_import(root: Path, slug: str, paths: list[Path], write: bool) -> ImportOutcome:
    outcome = ImportOutcome()
    findings = outcome.findings
    project = read_project(root, slug, findings)
    if project is None:
        return outcome
    outcome.categories = {c.id: c.name for c in project.categories}
    mapping = load_mapping(root, slug, project.categories, project.units, findings)
    outcome.mapping_file = mapping.shown or f"data/{slug}/{MAPPING_FILE}"
    if findings.errors:
        return outcome
    matcher = CategoryMatcher(project.categories)
    units = UnitMatcher(project.units, mapping.units)
    unit_names = [u.name for u in project.units]
    records: list[ImportedRecord] = []
    sources: dict[str, list[str]] = defaultdict(list)
    inputs = sorted(zip(shown_names(paths), paths), key=lambda pair: pair[0].casefold())
    for file_order, (shown, path) in enumerate(inputs):
        report = FileReport(shown)
        outcome.files.append(report)
        try:
            tables = read_tables(path, shown)
        except TableError as problem:
            report.unreadable = True
            findings.error(problem.code, problem.message, CellLocation(shown), problem.hint)
            continue
        report.encoding = tables[0].encoding if tables else ""
        for table in tables:
            sheet = _read_sheet(table, mapping, matcher, units, unit_names, file_order, findings,
                                outcome.mapping_file)
            report.sheets.append(sheet.report)
            records.extend(sheet.records)
            for category_id in sorted(sheet.report.counts):
                where = f"{shown}（工作表“{table.sheet}”）" if table.sheet else shown
                if where not in sources[category_id]:
                    sources[category_id].append(where)
    if not records and not findings.errors:
        findings.error("I012", "给出的表格中没有读到任何名单。", None,
                       "请确认表格中有“姓名”或“名称”列，且列标题下面填有名单。")
    if findings.errors and not records:
        return outcome
    by_category: dict[str, list[ImportedRecord]] = defaultdict(list)
    for record in records:
        by_category[record.category].append(record)
    targets = _targets(root, slug, sorted(by_category), findings)
    if targets is None:
        return outcome

    def texts_of(groups: dict[str, list[ImportedRecord]]) -> dict[str, CategoryText]:
        return {relative_name(targets[c], root): render(c, outcome.categories[c], groups[c], sources[c])
                for c in sorted(groups)}

    texts = texts_of(by_category)
    _check(root, slug, texts, texts_of, outcome)
    outcome.changes = _changes(root, project, texts)
    if write and not findings.errors:
        _write(root, texts, outcome)
    return outcome


class _Sheet(Struct):
    report: SheetReport
    records: list[ImportedRecord] = field(default_factory=list)


def _read_sheet(table: Table, mapping: ImportMapping, matcher: CategoryMatcher, units: UnitMatcher,
                unit_names: list[str], file_order: int, findings: Findings,
                mapping_file: str) -> _Sheet:
    name = table.name_for_category.strip()  # the sheet's name; a CSV file's name
    if table.hidden:
        return _Sheet(SheetReport(table, "hidden"))
    if mapping.sheets.get(name) == "skip":
        return _Sheet(SheetReport(table, "skipped"))
    if table.sheet and compact(name) in INSTRUCTION_SHEETS:
        return _Sheet(SheetReport(table, "instructions"))
    if not any(cell_text(v) for row in table.rows for v in row):
        return _Sheet(SheetReport(table, "empty"))
    layout = find_layout(table, mapping.columns)
    if layout is None:
        findings.error("I003", "找不到列标题行（前 20 行中没有“姓名”或“名称”列）。", table.location(-1),
                       f"请在名单上方加一行列标题，或在 {mapping_file} 的 columns 中写明姓名所在列的标题；"
                       f"这张表不是名单的话，在 {mapping_file} 的 sheets 中写“{name}: 忽略”。")
        return _Sheet(SheetReport(table, "no-header"))
    report = SheetReport(table, "imported", personal=layout.personal, unknown=layout.unknown)
    for first, second in layout.duplicates + layout.conflicts:
        findings.error("I007", f"“{first.header}”（{_letter(first)} 列）和“{second.header}”"
                       f"（{_letter(second)} 列）对应同一项内容，无法确定用哪一列。",
                       table.location(second.header_row, second.index),
                       f"请删去或改名其中一列，或在 {mapping_file} 的 columns 中写明各列的对应关系"
                       "（不需要的列写 忽略）。")
    if layout.duplicates or layout.conflicts:
        return _Sheet(report)
    category, problem = _sheet_category(table, mapping, matcher, mapping_file)
    if category is None and "category" not in layout.fields:
        findings.error("I004", problem[0], table.location(-1), problem[1])
        report.status = "no-category"
        return _Sheet(report)
    reader = RowReader(table, layout, category, problem[0] if problem else "", matcher, units,
                       findings, unit_names, file_order)
    result = reader.read()
    report.counts, report.passed_over = result.counts, result.passed_over
    return _Sheet(report, result.records)


def _letter(column: Column) -> str:
    from .tables import column_letter
    return column_letter(column.index)


_GENERIC_SHEET = re.compile(r"(?i)(?:sheet|工作表|表)\d*")


def _sheet_category(table: Table, mapping: ImportMapping, matcher: CategoryMatcher,
                    mapping_file: str) -> tuple[str | None, tuple[str, str]]:
    """The category a sheet (or a CSV file, by its name) holds, or why it is not certain."""
    name = table.name_for_category.strip()
    if name in mapping.sheets:
        return mapping.sheets[name], ("", "")
    found, candidates = matcher.match(name)
    if found:
        return found, ("", "")
    if not candidates and _GENERIC_SHEET.fullmatch(compact(name)):
        # Sheet1 says nothing: the workbook's name may (沁阳市优秀工会积极分子推荐表.xlsx)
        found, candidates = matcher.match(Path(table.file).stem)
        if found:
            return found, ("", "")
    what = f"工作表“{name}”" if table.sheet else f"文件名“{name}”"
    rename = "把工作表改名为" if table.sheet else "把文件改名为"
    example = candidates[0] if candidates else matcher.categories[0].name
    example_id = next(c.id for c in matcher.categories if c.name == example)
    hint = (f"请{rename}类别的完整名称（如“{example}”），或在 {mapping_file} 的 sheets 中写明"
            f"“{name}: {example_id}”，或在表中加一列“荣誉称号”逐行填写类别。")
    if candidates:
        return None, (f"{what}可能是{'、'.join(candidates)}，无法确定是哪个类别。", hint)
    return None, (f"{what}看不出是哪个类别。", hint)


def _targets(root: Path, slug: str, category_ids: list[str], findings: Findings) -> dict[str, Path] | None:
    """The file each category's list goes to: the existing file of that category, else <id>.yaml."""
    folder = root / "data" / slug / "recipients"
    owners: dict[str, list[Path]] = defaultdict(list)
    file_category: dict[Path, str] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            category = _category_of(path, root)
            if category:
                owners[category].append(path)
                file_category[path] = category
    targets = {}
    for category_id in category_ids:
        found = owners.get(category_id, [])
        if len(found) > 1:
            names = "、".join(relative_name(p, root) for p in found)
            findings.error("I013", f"类别“{category_id}”有 {len(found)} 个名单文件（{names}），"
                           "无法确定导入的名单替换哪一个。", Location(relative_name(found[1], root)),
                           "请先把它们合并为一个文件（或删去多余的），再导入。")
            continue
        path = found[0] if found else folder / f"{category_id}.yaml"
        other = file_category.get(path)
        if other and other != category_id:
            findings.error("I013", f"文件 {relative_name(path, root)} 是类别“{other}”的名单，"
                           f"不能用来存放类别“{category_id}”。", Location(relative_name(path, root)),
                           "请把这个文件改名为其类别代号（如 " + other + ".yaml）后再导入。")
            continue
        targets[category_id] = path
    return None if findings.errors and len(targets) < len(category_ids) else targets


_CATEGORY_LINE = re.compile(r"^category:[ \t]*([a-z][a-z0-9_]*)[ \t]*(?:#.*)?$", re.MULTILINE)


def _category_of(path: Path, root: Path) -> str:
    """The category a list file holds (its top-level `category:`), else its name's guess."""
    shown = relative_name(path, root)
    try:
        text = read_text(path, shown)
    except DataFileError:
        return path.stem  # unreadable: its name is the best guess of what it holds
    found = _CATEGORY_LINE.findall(text)
    if len(found) == 1:
        return found[0]
    try:
        raw = parse_yaml(text, shown)
    except DataFileError:
        return path.stem
    if isinstance(raw, dict) and isinstance(raw.get("category"), str):
        return raw["category"]
    return path.stem


# -- checking like a build ------------------------------------------------------------------

CHECK_ROUNDS = 3


def _check(root: Path, slug: str, texts: dict[str, CategoryText], texts_of,
           outcome: ImportOutcome) -> None:
    """Check the candidates as a build would. The loader stops before the rules when a record
    is wrong (an unknown unit, say); the records it refused are then set aside and the rest
    checked again, so the rules' findings come in the same report."""
    seen: set[tuple] = set()
    for _ in range(CHECK_ROUNDS):
        result = _check_copy(root, texts)
        refused = _add_findings(result, slug, texts, outcome, seen)
        if result.site is not None or not refused:
            break
        groups: dict[str, list[ImportedRecord]] = defaultdict(list)
        for text in texts.values():
            groups[text.category] += [r for r in text.records if id(r) not in refused]
        texts = texts_of({c: records for c, records in groups.items() if records})
        if not texts:
            break
    if result.site is not None:
        for announcement in result.site.announcements:
            if announcement.slug == slug:
                outcome.sample_flags = [f for f in announcement.sample_flags if f.file not in texts]


def _check_copy(root: Path, texts: dict[str, CategoryText]):
    """check_project on a copy of data/ and content/ (outside the project) with the candidates."""
    with tempfile.TemporaryDirectory(prefix="gongshi-import-") as scratch:
        copy = Path(scratch) / "project"
        for part in ("data", "content"):
            if (root / part).is_dir():
                shutil.copytree(root / part, copy / part)
        for relative, text in texts.items():
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.text.encode("utf-8"))
        return check_project(copy, BuildOptions())


def _add_findings(result, slug: str, texts: dict[str, CategoryText], outcome: ImportOutcome,
                  seen: set[tuple]) -> set[int]:
    """Add a round's findings (each once); return the ids of the records that have errors."""
    extra = _quota_rows(result.site, slug, texts)
    refused: set[int] = set()
    for finding in result.findings:
        location = finding.location
        if location is not None and location.file in texts:
            source = texts[location.file].lines.get(location.line)
            if finding.is_error and source is not None:
                refused.add(id(source.record))
            finding = _to_cell(finding, texts, extra.get(location) if finding.code == "Q001" else None)
        elif not finding.is_error:
            if ("unrelated", finding.code, finding.location, finding.message) not in seen:
                seen.add(("unrelated", finding.code, finding.location, finding.message))
                outcome.unrelated_warnings += 1
            continue
        key = (finding.code, finding.location, finding.message)
        if key not in seen:
            seen.add(key)
            outcome.findings.add(finding)
    return refused


_FIELD_WORD = re.compile(r" ?\b(" + "|".join(sorted(COLUMN_TITLES, key=len, reverse=True)) +
                         r")\b(?: 字段)? ?")


def _column_words(match: re.Match) -> str:
    return f"“{COLUMN_TITLES[match.group(1)]}”列"


_REFERENCE = re.compile(r"(?:(\S+\.ya?ml) )?第 (\d+) 行")
_NAMED_FIELD = re.compile(r"没有填写 (\w+)（|的 (\w+) 中有")


def _to_cell(finding: Finding, texts: dict[str, CategoryText], extra: str | None) -> Finding:
    """The finding at the workbook cell its YAML line came from, its references too."""
    location = finding.location
    assert location is not None
    text = texts[location.file]
    named = _NAMED_FIELD.search(finding.message)
    field_name = CODE_FIELDS.get(finding.code) or (named and (named.group(1) or named.group(2)))
    cell: Location | None = text.cell_at(location.line, field_name or None)
    if cell is None:  # the file's own lines (category:) — name the file's first source
        first = text.records[0].row if text.records else None
        cell = CellLocation(first.file, 0, 0, first.sheet) if first else location

    def reference(match: re.Match) -> str:
        file = match.group(1) or location.file
        if file not in texts:
            return match.group(0)
        other = texts[file].cell_at(int(match.group(2)), "name")
        return str(other) if other else match.group(0)

    message = _REFERENCE.sub(reference, finding.message)
    if extra:
        message += extra
    hint = CELL_HINTS.get(finding.code) or _FIELD_WORD.sub(_column_words, finding.hint)
    if finding.code == "A001" and field_name in COLUMN_TITLES:
        hint = f"请在表中加上“{COLUMN_TITLES[field_name]}”列，按申报材料逐行填写。"
    return replace(finding, location=cell, message=message, hint=hint, excerpt="")


def _quota_rows(site: Site | None, slug: str, texts: dict[str, CategoryText]) -> dict[Location, str]:
    """For each exceeded quota: the rows of the records that share it, keyed by the finding's place."""
    if site is None:
        return {}
    extra = {}
    for announcement in site.announcements:
        if announcement.slug != slug:
            continue
        allocation = Allocation(announcement)
        for block in announcement.blocks:
            members = allocation.recipients_in_block(block)
            if len(members) <= block.quota:
                continue
            rows: dict[str, list[int]] = defaultdict(list)
            for recipient in members:
                location = recipient.location
                cell = texts[location.file].cell_at(location.line, "name") \
                    if location.file in texts else None
                where, line = (cell.where, cell.line) if cell else (location.file, location.line)
                rows[where].append(line)
            listing = "；".join(f"{where} 第 {'、'.join(map(str, sorted(lines)))} 行"
                               for where, lines in rows.items())
            extra[members[block.quota].location] = f"这一名额下的 {len(members)} 行：{listing}。"
    return extra


# -- comparing and writing ------------------------------------------------------------------

def _changes(root: Path, project: Project, texts: dict[str, CategoryText]) -> list[FileChanges]:
    unit_names = {u.id: u.name for u in project.units} | {u.name: u.name for u in project.units}
    names = {c.id: c.name for c in project.categories}
    result = []
    for relative, text in texts.items():
        path = root / relative
        changes = FileChanges(text.category, names[text.category], relative, path.is_file())
        new, _ = read_records(text.text, relative, unit_names)
        old: list[dict] = []
        if changes.exists:
            try:
                old_text = read_text(path, relative)
            except DataFileError:
                old_text = None
            changes.same_bytes = old_text == text.text and \
                path.read_bytes() == text.text.encode("utf-8")
            parsed, changes.sample = read_records(old_text, relative, unit_names) if old_text \
                else (None, False)
            if parsed is None:
                changes.readable = False
            else:
                old = parsed
        compare(changes, old if changes.readable else [], new or [])
        result.append(changes)
    return result


def _write(root: Path, texts: dict[str, CategoryText], outcome: ImportOutcome) -> None:
    files = [(root / relative, text.text.encode("utf-8")) for relative, text in texts.items()]
    files = [(path, data) for path, data in files
             if not (path.is_file() and path.read_bytes() == data)]
    if not files:
        outcome.written = WriteOutcome()
        return
    try:
        with BuildLock(root / ".gongshi.lock", timeout=120.0):
            outcome.written = replace_files(root, files)
    except OutputBusy:
        outcome.busy = True
        return
    failed = outcome.written.failed
    if failed is not None:
        outcome.findings.error(
            "I014", f"无法写入 {relative_name(failed, root)}（{outcome.written.error}）。",
            Location(relative_name(failed, root)),
            "请关闭打开这个文件的程序（记事本、WPS 等）后重新导入；已替换的文件的原件在 backups/ 中。")
