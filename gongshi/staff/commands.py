"""`gongshi import`, `gongshi template` and `gongshi new` (staff.new): choosing the
announcement, printing, exit codes.

Called from gongshi.cli (which declares the arguments); everything the user reads is here or
in staff.report. Exit codes as for the other commands: 0 done, 1 the data has errors (nothing
written), 2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..check.report import format_findings
from ..files import schema
from ..files.yamlfile import DataFileError, load_yaml
from ..findings import Findings, relative_name
from .importer import ImportOutcome, run_import
from .new import new_command  # noqa: F401 - gongshi.cli calls it from here
from .report import changes_text, findings_text, left_out, read_summary

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def choose_announcement(root: Path, wanted: str | None) -> tuple[str | None, int]:
    """(slug, 0), or (None, exit code) after saying why in Chinese."""
    findings = Findings()
    shown = "data/site.yaml"
    try:
        raw = load_yaml(root / "data" / "site.yaml", shown)
    except DataFileError as exc:
        findings.error(exc.code, exc.message, exc.location, exc.hint, exc.excerpt)
        raw = None
    site = schema.validate(schema.SiteFile, raw, shown, findings) if raw is not None else None
    if site is None:
        print(format_findings(findings) or f"{shown} 中没有内容。")
        print("请先改正 data/site.yaml。")
        return None, EXIT_DATA
    slugs = list(site.announcements)
    if wanted is not None and wanted not in slugs:
        print(f"错误：公告“{wanted}”不在 data/site.yaml 的 announcements 中（有：{'、'.join(slugs)}）。",
              file=sys.stderr)
        return None, EXIT_USAGE
    if wanted is None and len(slugs) > 1:
        print(f"错误：本站有 {len(slugs)} 个公告（{'、'.join(slugs)}），请用 --announcement 指定导入哪一个。",
              file=sys.stderr)
        return None, EXIT_USAGE
    return wanted or slugs[0], EXIT_OK


def import_command(root: Path, args) -> int:
    slug, code = choose_announcement(root, args.announcement)
    if slug is None:
        return code
    outcome = run_import(root, slug, [Path(p) for p in args.files], args.write)
    sections = [read_summary(outcome) if outcome.files else [], left_out(outcome),
                findings_text(outcome), changes_text(outcome.changes)]
    for section in sections:
        if section:
            print("\n".join(section))
            print()
    print(_closing(root, outcome, args.write))
    return EXIT_OK if outcome.ok else EXIT_DATA


def _closing(root: Path, outcome: ImportOutcome, write: bool) -> str:
    errors, warnings = len(outcome.findings.errors), len(outcome.findings.warnings)
    notes = []
    if outcome.unrelated_warnings:
        notes.append(f"另有 {outcome.unrelated_warnings} 个警告与本次导入无关（运行 gongshi check 查看）。")
    if outcome.sample_flags:
        files = "、".join(sorted({f.file for f in outcome.sample_flags}))
        notes.append(f"注意：{files} 仍标记为示例数据（sample: true）；换成正式名单后删去该行，"
                     "否则 --release 会拒绝发布。")
    if outcome.busy:
        notes.append("错误：另一个构建一直没有结束，本次没有写入任何文件。处理办法：等它完成后重新导入。")
    written = outcome.written
    if written is not None and written.failed is not None:
        done = "、".join(relative_name(p, root) for p in written.written) or "无"
        closing = f"导入未全部完成：已替换的文件：{done}。"
    elif errors or outcome.busy:
        closing = f"导入未完成：发现 {errors} 个错误，{warnings} 个警告，没有写入任何文件。"
    elif not write:
        closing = (f"检查通过（{warnings} 个警告）。没有写入任何文件：确认以上变化无误后，"
                   "加 --write 再运行一次即写入。")
    elif written is None or not written.written:
        closing = f"检查通过（{warnings} 个警告）。名单与现有文件完全相同，没有写入任何文件。"
    else:
        files = "、".join(relative_name(p, root) for p in written.written)
        closing = f"已写入 {len(written.written)} 个文件：{files}（{warnings} 个警告）。"
        if written.backup is not None:
            closing += f"被替换的原文件备份在 {relative_name(written.backup, root)}/。"
    if written is not None and written.backup is not None and written.failed is not None:
        closing += f"被替换的原文件备份在 {relative_name(written.backup, root)}/。"
    return "\n".join(notes + [closing])


def template_command(root: Path, args) -> int:
    from .template import TemplateProblem, write_template

    slug, code = choose_announcement(root, args.announcement)
    if slug is None:
        return code
    findings = Findings()
    try:
        path = write_template(root, slug, args.output, findings)
    except TemplateProblem as problem:
        print(f"错误 {problem.code}：{problem.message}\n处理办法：{problem.hint}")
        return EXIT_DATA
    if path is None:
        print(format_findings(findings))
        print("无法生成模板：请先改正以上文件。")
        return EXIT_DATA
    print(f"已生成导入模板：{path}\n请把它发给各推荐单位，每个类别一张工作表；收回后用 "
          f"gongshi import 文件… 导入。")
    return EXIT_OK
