"""The registry of message codes (gongshi/codes.py) is the one home of every code: the source
uses only registered codes, every registered code is used (or reserved, with a reason), the
README's table lists the same codes with the same levels, and a finding cannot carry an
unregistered code or a severity other than the registered one."""

import ast
import re

import pytest
from conftest import REPO

from gongshi import codes
from gongshi.findings import Finding, Findings, Severity

CODE = re.compile(r"^[A-Z]\d{3}$")


def used_codes() -> dict[str, list[str]]:
    """Every string literal of the package that is a code, with the modules that use it."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / "gongshi").rglob("*.py")):
        if path.name == "codes.py" and path.parent.name == "gongshi":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                found.setdefault(node.value, []).append(path.relative_to(REPO).as_posix())
    return found


def readme_table() -> dict[str, tuple[str, str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## 检查项目与代码"):]
    section = section[:section.index("\n## ", 1)]
    rows = re.findall(r"^\| ([A-Z]\d{3}) \| ([^|]+?) \| (.+) \|$", section, re.MULTILINE)
    table = {code: (level, meaning) for code, level, meaning in rows}
    assert len(table) == len(rows), "a code has two rows in the README"
    return table


def test_every_code_used_is_registered():
    unregistered = {code: where for code, where in used_codes().items() if code not in codes.CODES}
    assert unregistered == {}


def test_every_registered_code_is_used_or_reserved_with_a_reason():
    used = used_codes()
    unused = [c.code for c in codes.CODES.values() if c.code not in used and not c.reserved]
    assert unused == []
    assert [c.code for c in codes.CODES.values() if c.reserved and c.code in used] == []


def test_readme_table_has_the_registered_codes_and_levels():
    table = readme_table()
    assert set(table) == set(codes.CODES)
    for code, entry in codes.CODES.items():
        level, meaning = table[code]
        assert level == entry.level.value, code
        assert entry.title and meaning.replace("`", "").startswith(entry.title), code


def test_titles_are_chinese_and_codes_well_formed():
    for code, entry in codes.CODES.items():
        assert CODE.match(code) and entry.code == code
        assert re.search(r"[\u4e00-\u9fff]", entry.title), code


def test_a_finding_with_an_unregistered_code_is_refused():
    with pytest.raises(codes.UnregisteredCode, match="Z999"):
        Finding("Z999", Severity.ERROR, "？")
    with pytest.raises(codes.UnregisteredCode):
        Findings().report("Q999", "？")


def test_a_finding_must_have_the_registered_severity():
    with pytest.raises(ValueError, match="T001"):
        Findings().error("T001", "附件合计不符")  # registered as a warning
    with pytest.raises(ValueError, match="Q001"):
        Findings().warning("Q001", "超出名额")  # registered as an error
    # A release blocker is a warning that --strict and --release turn into an error.
    assert codes.CODES["O002"].release_blocker and "O002" in codes.RELEASE_BLOCKERS
    assert Finding("O002", Severity.ERROR, "没有笔画数据").is_error


def test_report_takes_the_severity_from_the_registry():
    findings = Findings()
    findings.report("T001", "附件合计不符")
    findings.report("Q001", "超出名额")
    assert [f.severity for f in findings] == [Severity.WARNING, Severity.ERROR]


def test_unregistered_lookup_names_the_registry():
    with pytest.raises(codes.UnregisteredCode, match="gongshi/codes.py"):
        codes.lookup("A000")
    assert codes.lookup("A001").level is codes.Level.WARNING
