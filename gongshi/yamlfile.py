"""Reading YAML data files: encodings, line numbers, duplicate keys, and Chinese errors.

PyYAML forgets where a value came from and silently keeps the last of two equal keys. This
module keeps both: mappings load as `SourceMap` (a dict that knows the line of every key),
sequences as `SourceList` (a list that knows the line of every item), and a repeated key is
refused. Files must be UTF-8 (a BOM is accepted); GBK/GB18030 files are recognised and named.
`read_text` also refuses invisible and control characters (see `invisible`), for every file
kind read through it: data YAML, content Markdown, holidays and strokes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, SequenceNode

from .findings import Location
from .fsproblems import os_error_finding
from .invisible import invisible_findings


class DataFileError(Exception):
    """A data file that cannot be read at all. Carries a Chinese message and a location.

    `problems` lists every problem to report: the error itself, or (for `FileProblems`)
    all the problems found in the file.
    """

    def __init__(self, code: str, message: str, location: Location, hint: str = "",
                 excerpt: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
        self.excerpt = excerpt
        self.problems: list[DataFileError] = [self]


class FileProblems(DataFileError):
    """Several problems in one file: behaves as the first, `problems` holds them all."""

    def __init__(self, problems: list[DataFileError]):
        first = problems[0]
        super().__init__(first.code, first.message, first.location, first.hint, first.excerpt)
        self.problems = problems


class SourceMap(dict):
    """A mapping from a YAML file that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class SourceList(list):
    """A sequence from a YAML file that remembers the line of itself and of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


# libyaml's parser where PyYAML was built with it (ten times faster on long lists); the
# constructors below, which keep lines and refuse duplicates, are the same either way.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """SafeLoader that records lines and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: MappingNode) -> SourceMap:
    loader.flatten_mapping(node)
    result = SourceMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(None, None, "unhashable key", key_node.start_mark)
        line = key_node.start_mark.line + 1
        if key in result:
            raise _DuplicateKey(key, result.key_lines[key], line, key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: SequenceNode) -> SourceList:
    result = SourceList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _LineLoader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise _BadDate(node.value, node.start_mark)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _BadDate(Exception):
    def __init__(self, text: str, mark):
        super().__init__(text)
        self.text, self.mark = text, mark


class _DuplicateKey(Exception):
    def __init__(self, key, first_line: int, line: int, mark):
        super().__init__(key)
        self.key, self.first_line, self.line, self.mark = key, first_line, line, mark


def read_text(path: Path, shown_as: str) -> str:
    """Read a UTF-8 text file (BOM accepted); name other encodings in a Chinese error, and
    every invisible or control character in it (FileProblems)."""
    text = _decode(path, shown_as)
    found = invisible_findings(text, shown_as)
    if found:
        raise FileProblems([DataFileError(f.code, f.message, f.location or Location(shown_as),
                                          f.hint, f.excerpt) for f in found])
    return text


def _decode(path: Path, shown_as: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError("F001", f"找不到文件 {shown_as}。", Location(shown_as),
                            "请确认文件存在、文件名拼写正确。")
    except IsADirectoryError:
        raise DataFileError("F002", f"{shown_as} 是一个文件夹，不是文件。", Location(shown_as),
                            "请确认文件名；文件夹里的内容应放在规定的文件中。")
    except OSError as exc:  # no permission, a link loop, …: the wording lives in fsproblems
        said = os_error_finding(exc, shown=shown_as)
        raise DataFileError("F002", said.message, Location(shown_as), said.hint)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = _guess_legacy_encoding(raw)
        found = f"看起来是 {guess} 编码（Windows 中文软件的常见默认）" if guess else "含有无法识别的字节"
        raise DataFileError(
            "F003",
            f"文件 {shown_as} 不是 UTF-8 编码：{found}。",
            Location(shown_as, line),
            "请用记事本或 WPS“另存为”，编码选择“UTF-8”后保存，再重新运行。",
        )


def _guess_legacy_encoding(raw: bytes) -> str:
    for name, label in (("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            raw.decode(name)
            return label
        except UnicodeDecodeError:
            continue
    return ""


def _tab_indented(line: str) -> bool:
    return line.lstrip(" ").startswith("\t")


def _excerpt(text: str, line: int) -> str:
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1]
    return ""


def parse_yaml(text: str, shown_as: str) -> Any:
    """Parse YAML text into SourceMap/SourceList values; raise DataFileError in Chinese."""
    if not text.strip():
        raise DataFileError("Y003", f"文件 {shown_as} 是空的。", Location(shown_as, 1),
                            "请参照同目录下其他文件的格式填写内容，或删除这个文件。")
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except _DuplicateKey as dup:
        raise DataFileError(
            "Y002",
            f"字段“{dup.key}”在同一处出现了两次（第 {dup.first_line} 行和第 {dup.line} 行），"
            "后一个会悄悄覆盖前一个。",
            Location(shown_as, dup.line, dup.mark.column + 1),
            "请删除或改名其中一个；如果是两条记录，请在第二条前加“- ”使其成为新的列表项。",
            _excerpt(text, dup.line),
        )
    except _BadDate as bad:
        line = bad.mark.line + 1
        raise DataFileError(
            "Y004", f"日期“{bad.text}”不存在。", Location(shown_as, line, bad.mark.column + 1),
            "请核对年、月、日（例如 11 月只有 30 天），写成 2018-11-05 的形式。", _excerpt(text, line))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        problem = exc.problem or ""
        tab_line = next((n for n in (line, line + 1) if _tab_indented(_excerpt(text, n))), 0)
        if tab_line:
            line, column = tab_line, 1
            message = f"第 {line} 行用了制表符（Tab）缩进，YAML 只允许空格缩进。"
            hint = "请把这一行开头的 Tab 换成空格（每级两个空格），与上下行对齐。"
        else:
            message = f"YAML 格式错误：{_translate_problem(problem)}。"
            hint = ("请检查这一行及上一行：冒号后要有空格，缩进要与同级对齐，"
                    "含有冒号、井号等符号的文字请用引号括起来。")
        raise DataFileError("Y001", message, Location(shown_as, line, column), hint,
                            _excerpt(text, line))
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors above
        raise DataFileError("Y001", f"YAML 格式错误：{exc}", Location(shown_as), "")


_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（常见原因：冒号后缺空格、缩进不齐，或文字中含有冒号却没加引号）",
    "could not find expected ':'": "缺少冒号“:”",
    "did not find expected key": "缩进不一致，找不到应有的字段名",
    "did not find expected '-' indicator": "列表项缩进不一致，缺少“- ”",
    "found undefined alias": "引用了未定义的别名",
    "found unexpected end of stream": "文件意外结束（可能有未闭合的引号或括号）",
    "found unknown escape character": "双引号字符串中有无法识别的转义符“\\”",
    "expected ',' or ']', but got": "方括号列表没有正确闭合",
    "expected ',' or '}', but got": "花括号映射没有正确闭合",
    "found character that cannot start any token": "出现了不能作为开头的字符",
    "expected <block end>, but found": "缩进不一致，某一行比同级的行多缩进或少缩进",
    "unhashable key": "字段名不能是列表或映射",
    "could not determine a constructor for the tag": "使用了本程序不支持的标记（以“!”开头的写法）",
    # the same problems as libyaml words them
    "mapping values are not allowed in this context": "此处不能出现“键: 值”（常见原因：冒号后缺空格、缩进不齐，或文字中含有冒号却没加引号）",
    "did not find expected ',' or ']'": "方括号列表没有正确闭合",
    "did not find expected ',' or '}'": "花括号映射没有正确闭合",
    "block sequence entries are not allowed in this context": "此处不能出现“- ”列表项（缩进不齐）",
    "found unexpected ':'": "出现了多余的冒号",
    "found a tab character": "用了制表符（Tab）缩进",
    "did not find expected node content": "缺少内容（可能多了逗号或冒号）",
    "did not find expected <document start>": "缩进不一致，或一行开头多了空格",
}


def _translate_problem(problem: str) -> str:
    for english, chinese in _PROBLEMS.items():
        if problem.startswith(english) or english in problem:
            return chinese
    return f"无法解析（{problem}）" if problem else "无法解析"


def load_yaml(path: Path, shown_as: str) -> Any:
    """Read and parse one YAML data file."""
    return parse_yaml(read_text(path, shown_as), shown_as)
