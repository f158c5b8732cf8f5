"""Presenting findings and the build summary to staff (Chinese text) or machines (JSON)."""

from __future__ import annotations

import json
from itertools import groupby

from ..findings import Finding, Findings


def _file_key(finding: Finding) -> str:
    return finding.location.file if finding.location else ""


def format_findings(findings: Findings, strict: bool = False) -> str:
    """Findings grouped by file, in file order, each with line, severity, code and fix."""
    if not len(findings):
        return ""
    lines: list[str] = []
    ordered = sorted(findings, key=lambda f: (_file_key(f), f.location.line if f.location else 0))
    for file, group in groupby(ordered, key=_file_key):
        lines.append(file or "（整体）")
        for finding in group:
            severity = "错误" if finding.is_error or strict else "警告"
            where = ""
            if finding.location and finding.location.line:
                where = f"第 {finding.location.line} 行"
                if finding.location.column:
                    where += f"第 {finding.location.column} 列"
                where += "  "
            lines.append(f"  {where}{severity} {finding.code}：{finding.message}")
            if finding.excerpt:
                lines.append(f"      | {finding.excerpt}")
            if finding.hint:
                lines.append(f"      处理办法：{finding.hint}")
        lines.append("")
    return "\n".join(lines)


def counts_line(findings: Findings, strict: bool = False) -> str:
    errors, warnings = len(findings.errors), len(findings.warnings)
    if strict and warnings:
        return f"共 {errors + warnings} 个错误（其中 {warnings} 个警告按 --strict 视为错误）。"
    return f"共 {errors} 个错误，{warnings} 个警告。"


def findings_json(findings: Findings, strict: bool = False) -> str:
    payload = {
        "findings": [f.as_dict() for f in findings],
        "errors": len(findings.errors) + (len(findings.warnings) if strict else 0),
        "warnings": 0 if strict else len(findings.warnings),
        "strict": strict,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
