"""The import's report in Chinese: what was read, which columns were left out, every problem
at its file, sheet, row and column, and what would change in the lists."""

from __future__ import annotations

from .changes import FileChanges
from .importer import ImportOutcome, SheetReport
from .tables import CellLocation, column_letter

_SKIPPED = {
    "hidden": "隐藏的工作表，跳过",
    "instructions": "填表说明，跳过",
    "skipped": "按 import.yaml 不导入",
    "empty": "空白，跳过",
    "no-header": "找不到列标题，未导入",
    "no-category": "看不出类别，未导入",
}


def read_summary(outcome: ImportOutcome) -> list[str]:
    lines = ["读取的表格："]
    for file in outcome.files:
        encoding = f"（{file.encoding} 编码）" if file.encoding else ""
        if file.unreadable:
            lines.append(f"  {file.shown}：无法读取")
            continue
        if len(file.sheets) == 1 and not file.sheets[0].table.sheet:
            lines.append(f"  {file.shown}{encoding}：{_sheet_text(file.sheets[0], outcome)}")
            continue
        lines.append(f"  {file.shown}{encoding}")
        for sheet in file.sheets:
            lines.append(f"    工作表“{sheet.table.sheet}”：{_sheet_text(sheet, outcome)}")
    return lines


def _sheet_text(sheet: SheetReport, outcome: ImportOutcome) -> str:
    if sheet.status in _SKIPPED:
        return _SKIPPED[sheet.status]
    if not sheet.counts:
        text = "没有名单行"
    else:
        text = "，".join(f"{outcome.categories.get(c, c)} {n} 条" for c, n in sorted(sheet.counts.items()))
    if sheet.passed_over:
        text += f"（略过合计、落款等 {sheet.passed_over} 行）"
    return text


def left_out(outcome: ImportOutcome) -> list[str]:
    lines = []
    for file in outcome.files:
        for sheet in file.sheets:
            where = CellLocation(file.shown, 0, 0, sheet.table.sheet).where
            if sheet.personal:
                lines.append(f"  {where}：个人信息，不导入、不公开：{_columns(sheet.personal)}")
            if sheet.unknown:
                lines.append(f"  {where}：未识别，未导入：{_columns(sheet.unknown)}"
                             f"（如需导入，在 {outcome.mapping_file} 的 columns 中写明）")
    return (["未导入的列："] + lines) if lines else []


def _columns(columns) -> str:
    return "、".join(f"{column_letter(c.index)} 列“{c.header}”" if c.header
                    else f"{column_letter(c.index)} 列（没有列标题）" for c in columns)


def findings_text(outcome: ImportOutcome) -> list[str]:
    """Every finding, grouped by workbook sheet (or project file), in row and column order."""
    items = list(outcome.findings)
    if not items:
        return []

    order: dict[str, int] = {}
    for file in outcome.files:  # workbooks and sheets in the order they were read
        order.setdefault(file.shown, len(order))
        for sheet in file.sheets:
            order.setdefault(CellLocation(file.shown, 0, 0, sheet.table.sheet).where, len(order))

    def key(finding):
        location = finding.location
        if location is None:
            return (2, 0, "", 0, 0)
        if isinstance(location, CellLocation):
            return (0, order.get(location.where, 0), location.where, location.line, location.column)
        return (1, 0, location.file, location.line, location.column)

    lines = ["问题："]
    current = None
    for finding in sorted(items, key=key):
        location = finding.location
        heading = "（整体）" if location is None else (
            location.where if isinstance(location, CellLocation) else location.file)
        if heading != current:
            if current is not None:
                lines.append("")
            lines.append(heading)
            current = heading
        where = ""
        if isinstance(location, CellLocation):
            where = location.cell
        elif location is not None and location.line:
            where = f"第 {location.line} 行"
        severity = finding.severity.label
        lines.append(f"  {where + '  ' if where else ''}{severity} {finding.code}：{finding.message}")
        if finding.excerpt:
            lines.append(f"      | {finding.excerpt}")
        if finding.hint:
            lines.append(f"      处理办法：{finding.hint}")
    return lines


def changes_text(changes: list[FileChanges]) -> list[str]:
    if not changes:
        return []
    lines = ["与现有名单比较："]
    for change in changes:
        head = f"  {change.category_name} → {change.path}："
        if not change.exists:
            lines.append(head + f"新文件，{len(change.added)} 条")
            continue
        if not change.readable:
            lines.append(head + "现有文件有错误，无法逐条比较；写入时整个替换（原文件会备份）")
            continue
        if not change.any:
            same = "文件内容相同" if change.same_bytes else "名单内容相同（只有注释或格式不同）"
            lines.append(head + f"没有变化（{same}）")
            continue
        counts = f"新增 {len(change.added)} 条，删除 {len(change.removed)} 条，修改 {len(change.changed)} 条"
        lines.append(head + counts + ("（原文件是示例数据）" if change.sample else ""))
        if change.added:
            lines.append("    新增：" + "、".join(f"{n}（{u}）" for n, u in change.added))
        if change.removed:
            lines.append("    删除：" + "、".join(f"{n}（{u}）" for n, u in change.removed))
        for item in change.changed:
            details = "；".join(f"{label}“{old}”→“{new}”" for label, old, new in item.fields)
            lines.append(f"    修改：{item.name}（{item.unit}）：{details}")
    return lines
