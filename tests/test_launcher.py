"""Starting the tool: the `gongshi` command, `python build.py`, and a Python without the packages."""

import subprocess
import sys

from conftest import FIXED_DAY, REPO, run_cli_process

from gongshi import launcher


def test_build_py_starts_a_real_process_and_builds(project):
    result = run_cli_process("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    assert (project / "output/index.html").is_file()


def test_python_without_the_packages_gets_one_chinese_line():
    # -S: no site-packages, as with a system Python on which nothing was installed
    done = subprocess.run([sys.executable, "-S", str(REPO / "build.py"), "check"],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == launcher.EXIT_SETUP
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "缺少所需的软件包" in done.stderr and "Jinja2" in done.stderr
    assert "pip install" in done.stderr


def test_python_m_gongshi_is_the_same_command():
    done = subprocess.run([sys.executable, "-m", "gongshi", "--help"], capture_output=True,
                          text=True, cwd=REPO)
    assert done.returncode == 0 and done.stdout.startswith("用法：gongshi")


def test_every_required_package_is_pinned_and_declared():
    pinned = (REPO / "requirements.txt").read_text(encoding="utf-8").lower()
    declared = (REPO / "pyproject.toml").read_text(encoding="utf-8").lower()
    for package in launcher.REQUIRED.values():
        assert f"\n{package.lower()}==" in pinned, package
        assert f'"{package.lower()}>=' in declared, package


def test_a_project_in_a_folder_with_chinese_characters_and_spaces_builds(tmp_path):
    from conftest import copy_project

    project = copy_project(tmp_path / "焦作市 总工会" / "公示 网站")
    result = run_cli_process("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    assert (project / "output" / "2018-mofan" / "gongshi" / "index.html").is_file()
    assert "output/" in result.stdout


def test_a_project_path_that_loops_is_a_chinese_usage_error(tmp_path):
    from conftest import run_cli

    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = run_cli("check", project=tmp_path / "a")
    assert result.code == 2 and "不是 gongshi 项目目录" in result.stderr
    assert "Traceback" not in result.output


def test_a_refused_build_names_the_folder_it_left_alone(project, tmp_path):
    from conftest import run_cli

    (project / "data/2018-mofan/units.yaml").write_text("units: 四\n", encoding="utf-8")
    result = run_cli("build", "--output", str(tmp_path / "site"), project=project)
    assert result.code == 1
    assert f"{tmp_path / 'site'}/ 保持原样未改动" in result.stdout


class _Ended(Exception):
    """What the stand-in for os._exit raises, so that the test goes on."""


def _run_launcher(monkeypatch, main) -> list[int]:
    """launcher.run() with `main` as the command and os._exit recorded, not done."""
    import gc
    import os

    from gongshi import cli

    ended: list[int] = []

    def end(code: int):
        ended.append(code)
        raise _Ended

    monkeypatch.setattr(cli, "main", main)
    monkeypatch.setattr(os, "_exit", end)
    collecting = gc.isenabled()
    try:
        launcher.run()
    except _Ended:
        pass
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
    return ended


def test_a_command_ends_the_process_with_its_code_once_its_output_is_out(monkeypatch, capsys):
    import gc

    seen = {}

    def command() -> int:
        seen["collecting"] = gc.isenabled()
        print("构建完成", end="")  # no newline: still in the buffer until flushed
        return 3

    assert _run_launcher(monkeypatch, command) == [3]
    # The cycle collector stays paused for a command that runs once (nothing for it to free
    # before the process ends), and what it printed is written out before the end.
    assert seen["collecting"] is False
    assert capsys.readouterr().out == "构建完成"


def test_a_command_whose_output_pipe_is_closed_still_ends_with_its_code(monkeypatch):
    import io
    import sys

    class Closed(io.StringIO):
        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert _run_launcher(monkeypatch, lambda: 1) == [1]


def test_what_a_build_or_check_made_is_held_until_the_process_ends(project):
    """The result of `build` and `check` (the site, its findings) is held when the command
    returns, not freed object by object just before the process ends (0.1 s at 100,000 names);
    only the last, so commands run one after another in one process free the one before."""
    from conftest import run_cli

    from gongshi import process
    from gongshi.pipeline import BuildResult

    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    built = process._HELD[0]
    assert isinstance(built, BuildResult) and built.site is not None and built.written
    assert run_cli("check", "--today", FIXED_DAY, project=project).code == 0
    assert len(process._HELD) == 1 and process._HELD[0] is not built and process._HELD[0].site is not None
