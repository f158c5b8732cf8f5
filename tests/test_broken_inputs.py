"""The corpus of broken inputs (tests/broken/*.yaml): each a precise Chinese message, exit 1,
and the previous output/ untouched. No traceback reaches the user for any of them.

A case file says how to break a copy of the bundled project and what the user must be told:

    about: 一句话说明
    file: data/…/x.yaml          # one edit: replace / append / content / delete / encoding
    replace: [old, new]
    edits: [{file: …, …}, …]     # or several edits of the same kinds
    symlink: {path: static/x, to: /etc}   # make a symbolic link (to: relative or absolute)
    args: [--strict]             # extra arguments after `build --today …`; "{project}" and
                                 # "{tmp}" stand for the project and a scratch folder
    create: {"{tmp}/a.txt": 文字} # files to make before the run ("{project}", "{tmp}" as in args)
    unchanged: [data, "{tmp}"]   # folders (project-relative, or "{tmp}"…) that must stay
                                 # byte-identical
    expect: {code: Q001, file: …, line: 3, text: …, hint: …, excerpt: …}
    expect: {stderr: 文字}        # for refusals that are not about a data file ({tmp} expanded)

Every case: exit 1, the expected message, output/ and the `unchanged` folders byte-identical,
no staging folder or lock of a staging folder left behind.
"""

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXED_DAY, REPO, copy_project, run_cli

CASES = sorted((REPO / "tests" / "broken").glob("*.yaml"))


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def good_output(built_site) -> Path:
    """The output/ each case starts from: the bundled project's good build."""
    return built_site


def apply_edit(project: Path, edit: dict) -> None:
    path = project / edit["file"]
    if edit.get("delete"):
        path.unlink()
        return
    if "content" in edit:
        text = edit["content"]
    else:
        text = path.read_text(encoding="utf-8")
    if "replace" in edit:
        old, new = edit["replace"]
        assert old in text, f"case does not match the bundled file: {old!r}"
        text = text.replace(old, new, 1)
    text += edit.get("append", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(edit.get("encoding", "utf-8")))


def break_project(project: Path, case: dict) -> None:
    if "file" in case:
        apply_edit(project, case)
    for edit in case.get("edits", []):
        apply_edit(project, edit)
    if "symlink" in case:
        link = project / case["symlink"]["path"]
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(case["symlink"]["to"])


def expand(arg: str, project: Path, scratch: Path) -> str:
    return arg.replace("{project}", str(project)).replace("{tmp}", str(scratch))


def report_line(stdout: str, code: str) -> tuple[str, str, list[str]]:
    """The file heading, the finding's line, and the lines that follow it (excerpt, hint)."""
    lines = stdout.splitlines()
    for index, line in enumerate(lines):
        if f" {code}：" in line and "错误" in line:
            heading = next(text for text in reversed(lines[:index]) if text and not text.startswith(" "))
            following = []
            for extra in lines[index + 1:]:
                if not extra.startswith("      "):
                    break
                following.append(extra.strip())
            return heading, line, following
    raise AssertionError(f"{code} not reported:\n{stdout}")


def check_finding(stdout: str, expect: dict) -> None:
    heading, line, following = report_line(stdout, expect["code"])
    assert heading == expect["file"]
    if "line" in expect:
        assert f"第 {expect['line']} 行" in line, line
    assert expect["text"] in line, line
    if "excerpt" in expect:
        assert any(f.startswith("|") and f[1:].strip() == expect["excerpt"] for f in following)
    if "hint" in expect:
        assert any(expect["hint"] in f for f in following if f.startswith("处理办法")), following
    assert "output/ 保持原样未改动" in stdout


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_broken_input_is_refused_precisely(case_path, tmp_path, good_output):
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    project = copy_project(tmp_path / "project")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    shutil.copytree(good_output, project / "output")
    watched = ["output"] + [expand(a, project, scratch) for a in case.get("unchanged", [])]
    break_project(project, case)
    for name, text in case.get("create", {}).items():
        path = Path(expand(name, project, scratch))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    before = {name: tree_digest(project / name) for name in watched}

    args = [expand(a, project, scratch) for a in case.get("args", [])]
    result = run_cli("build", "--today", FIXED_DAY, *args, project=project)

    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    expect = case["expect"]
    if "code" in expect:
        check_finding(result.stdout, expect)
    if "stderr" in expect:
        assert expand(expect["stderr"], project, scratch) in result.stderr, result.output
    assert {name: tree_digest(project / name) for name in watched} == before
    for folder in (project, project.parent, scratch):
        assert not [p for p in folder.glob(".gongshi-*") if p.name != ".gongshi.lock"]


def test_utf8_with_bom_is_accepted(project):
    path = project / "data/2018-mofan/announcement.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0


def test_normalised_name_is_shown_and_stored(project):
    path = project / "data/2018-mofan/recipients/activist.yaml"
    path.write_text(path.read_text(encoding="utf-8") +
                    "  - name: 纪　晓\n    unit: 市直\n    title: 焦作市示例测试有限公司工会干事\n",
                    encoding="utf-8")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    assert "警告 N001：名称“纪　晓”含有多余的空格或非标准间隔号，已按“纪晓”处理" in result.stdout
    html = (project / "output/2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    assert ">纪晓<" in html and "纪　晓" not in html


def test_internal_error_apology(monkeypatch, capsys, project):
    from gongshi import cli, pipeline

    def boom(*args, **kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(pipeline, "build_project", boom)
    assert cli.main(["--project", str(project), "build"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "抱歉" in err and "ZeroDivisionError" in err and "--debug" in err
    assert "Traceback" not in err
    assert cli.main(["--project", str(project), "--debug", "build"]) == 3
    assert "Traceback" in capsys.readouterr().err
