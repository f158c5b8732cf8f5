"""argparse in Chinese, through argparse's own hooks: its gettext calls and `error()`.

argparse builds every text it prints (usage prefix, headings, error messages) by passing an
English message id to `argparse._` (gettext) or `argparse.ngettext`, then formatting it.
`ChineseArgumentParser` swaps those two for `translate`/`ntranslate` while it builds, parses
and formats, so each message id is looked up in `MESSAGES`. A message id that a later Python
words differently is not in the table: it becomes a Chinese "用法有误" that keeps the message's
values (what the user typed), never argparse's English words. tests/test_cli_text.py checks
that the table covers every message id of the running Python's argparse.

`error()` prints the usage, the message in Chinese and where to find help, and exits 2.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import re
import sys
from collections.abc import Iterator

EXIT_USAGE = 2

# argparse's message ids (Python 3.11 to 3.13) and their Chinese. Placeholders are kept by name
# and kind; %r (a repr, with English quotes) becomes %s inside Chinese quotes.
MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "subcommands": "命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择“%(value)s”，可选：%(choices)s",
    "invalid %(type)s value: %(value)r": "值“%(value)s”无效",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "ignored explicit argument %r": "这个选项不带值，不能写“%s”",
    "unexpected option string: %s": "无法识别的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令“%(parser_name)s”，可选：%(choices)s",
    "option '%(option)s' is deprecated": "选项 %(option)s 已不再使用",
    "argument '%(argument_name)s' is deprecated": "参数 %(argument_name)s 已不再使用",
    "command '%(parser_name)s' is deprecated": "命令 %(parser_name)s 已不再使用",
    # Mistakes in the program's own parser definition, not in what a user typed.
    "conflicting option string: %s": "选项重复：%s",
    "conflicting option strings: %s": "选项重复：%s",
    "conflicting subparser: %s": "命令重复：%s",
    "conflicting subparser alias: %s": "命令别名重复：%s",
    "cannot have multiple subparser arguments": "不能有多组命令",
    "cannot merge actions - two groups are named %r": "无法合并：两组同名 %r",
    "'required' is an invalid argument for positionals": "位置参数不能设置 required",
    "mutually exclusive arguments must be optional": "互斥的参数必须是可选的",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "选项 %(option)r 写法不对：必须以 %(prefix_chars)r 开头",
    "dest= is required for options like %r": "选项 %r 需要 dest=",
    "invalid conflict_resolution value: %r": "conflict_resolution 的值无效：%r",
    "%r is not callable": "%r 不能调用",
    ".__call__() not defined": "没有定义 .__call__()",
    'argument "-" with mode %r': "参数“-”不能以 %r 方式打开",
}

_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sdr]")


@functools.cache
def translate(message: str | None) -> str | None:
    """argparse's gettext: the Chinese for `message`, keeping its placeholders."""
    if message is None:
        return None
    known = MESSAGES.get(message)
    if known is not None:
        return known
    if not _PLACEHOLDER.search(message) and not re.search(r"[A-Za-z]", message):
        return message  # already Chinese: a title or description the program passed in
    values = _PLACEHOLDER.findall(message)
    return "命令用法有误" + ("：" + "，".join(values) if values else "")


def ntranslate(singular: str, plural: str, count: int) -> str:
    """argparse's ngettext."""
    return translate(singular if count == 1 else plural) or ""


@contextlib.contextmanager
def chinese() -> Iterator[None]:
    """argparse speaks Chinese inside this block (it looks `_` and `ngettext` up at each call)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, ntranslate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese headings, help and error messages; usage errors exit 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("add_help", False)
        with chinese():
            super().__init__(*args, **kwargs)
            self._positionals.title = "命令"
            self._optionals.title = "选项"
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出")

    def add_subparsers(self, **kwargs):
        with chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        with chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese():
            return super().format_help()

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{message}\n运行“{self.prog} --help”查看用法。\n")
