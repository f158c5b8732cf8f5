"""The command line speaks Chinese through argparse's own hooks (gongshi/argparse_zh.py): its
gettext message ids are translated from a table, and a message id the table does not know (a
later Python's rewording) still gives Chinese, never argparse's English."""

import argparse
import ast
import gettext
import inspect
import re

import pytest
from conftest import run_cli

from gongshi import argparse_zh

ENGLISH = re.compile(r"usage:|error:|options:|unrecognized|required|invalid|choose from|expected|"
                     r"argument|show this help")


def argparse_message_ids() -> set[str]:
    """Every message id the running Python's argparse passes to gettext or ngettext."""
    ids = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("_", "ngettext"):
            ids |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return ids


def test_the_table_covers_every_argparse_message():
    assert argparse_message_ids() - set(argparse_zh.MESSAGES) == set()


def test_translations_keep_the_placeholders():
    """The same positional placeholders; named ones may be left out (argparse's English type
    names such as "int"), never added."""
    holes = re.compile(r"%(?:\(([^)]*)\))?[sdr]")
    for english, chinese in argparse_zh.MESSAGES.items():
        before, after = holes.findall(english), holes.findall(chinese)
        assert before.count("") == after.count(""), english
        assert set(after) <= set(before), english
        assert re.search(r"[\u4e00-\u9fff]", chinese), chinese


def usage_error(*args: str) -> str:
    result = run_cli(*args)
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert not ENGLISH.search(result.stderr), result.stderr
    assert result.stderr.startswith("用法：gongshi") and "运行“gongshi" in result.stderr
    return result.stderr


def test_unknown_option():
    assert "gongshi：错误：无法识别的参数：--frobnicate" in usage_error("check", "--frobnicate")


def test_missing_argument():
    assert "缺少必需的参数：文件" in usage_error("import")
    assert "参数 --project：需要一个值" in usage_error("--project")


def test_bad_choice():
    assert "参数 --format：无效的选择“xml”，可选：" in usage_error("check", "--format", "xml")
    assert "无效的选择“frobnicate”" in usage_error("frobnicate")


def test_options_that_exclude_each_other_and_values_that_are_not_allowed():
    assert "参数 --sums：不能与 --output 同时使用" in usage_error("verify", "x", "--output", "a", "--sums", "b")
    assert "参数 --strict：这个选项不带值" in usage_error("check", "--strict=2")


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["import", "-h"]])
def test_help_is_chinese(args):
    result = run_cli(*args)
    assert result.code == 0
    assert result.stdout.startswith("用法：gongshi")
    assert "显示本帮助并退出" in result.stdout
    assert not ENGLISH.search(result.stdout), result.stdout


def test_a_reworded_message_still_gives_chinese(monkeypatch):
    """What a later Python, wording a message differently, would show: Chinese and the value."""
    monkeypatch.delitem(argparse_zh.MESSAGES, "unrecognized arguments: %s")
    argparse_zh.translate.cache_clear()
    try:
        stderr = usage_error("check", "--frobnicate")
    finally:
        argparse_zh.translate.cache_clear()
    assert "gongshi：错误：命令用法有误：--frobnicate" in stderr
    assert argparse_zh.translate("a new wording: %(value)r (%(choices)s)") == "命令用法有误：%(value)r，%(choices)s"
    assert argparse_zh.translate("a new wording") == "命令用法有误"


def test_argparse_is_left_as_it_was():
    run_cli("check", "--frobnicate")
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")
