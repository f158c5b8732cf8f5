"""Reading YAML data files: encodings, line numbers, duplicate keys, and Chinese errors.

PyYAML forgets where a value came from and silently keeps the last of two equal keys. This
module keeps both: mappings load as `SourceMap` (a dict that knows the line of every key),
sequences as `SourceList` (a list that knows the line of every item), and a repeated key is
refused. Files must be UTF-8 (a BOM is accepted); GBK/GB18030 files are recognised and named.
`read_text` also refuses invisible and control characters (see `invisible`), for every file
kind read through it: data YAML, content Markdown, holidays and strokes.

Before any value is built, the composed node graph is inspected once: aliases that would
expand into more than `MAX_ALIAS_NODES` values ("billion laughs"), nesting deeper than
`MAX_DEPTH`, and a missing space after a key's colon (`name:王五`, which YAML reads as one
string) are refused with the line. A full-width colon after a key (`name：王五`) is found by
scanning the text, since YAML sees no key there at all.

A file in the usual shape of a list (top keys with one-line values, one block list of records
whose keys have one-line values) is read directly, three times faster (`read_usual`), with the
same values, types and lines; any other text, and every problem, is PyYAML's.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..findings import Location, shorten
from ..fsproblems import os_error_finding
from ..lastuse import using
from .errors import DataFileError, FileProblems  # their home; read from here by most callers
from .invisible import invisible_findings

# Values that aliases (`*name`) may add in one file; real data uses none or a handful.
MAX_ALIAS_NODES = 10_000
# Nesting levels of lists and mappings; real data needs fewer than ten.
MAX_DEPTH = 100


class SourceMap(dict):
    """A mapping from a YAML file that remembers the line of itself and of each key."""

    line: int = 0
    # Each key's line. None: the keys are on consecutive lines from `line`, in order (a record
    # of a list in the usual shape, as `_read_usual` reads almost every one): no dict of lines
    # is made, pickled and read again for each of them (at 100,000 names a dict a record).
    key_lines: dict | None = None

    def line_of(self, key: Any) -> int:
        lines = self.key_lines
        if lines is not None:
            return lines.get(key, self.line)
        for place, known in enumerate(self):
            if known == key:
                return self.line + place
        return self.line


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
if TYPE_CHECKING:  # the C loader offers the same methods as SafeLoader
    _BaseLoader = yaml.SafeLoader
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_MAP_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_RENAMED_KEY_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")  # flatten_mapping's


class _LineLoader(_BaseLoader):
    """SafeLoader that records lines, refuses duplicate keys, and inspects the node graph
    (alias expansion, depth, `key:value` slips) before building any value."""

    text: str | None = None  # the document, when parse_yaml gave it (see _inspect)

    def resolve(self, kind, value, implicit):
        # libyaml asks this once per value (a million times at 100,000 names). A text no
        # implicit resolver can claim (a quoted one, or a plain one whose first character
        # starts no bool, number, date or null) is a str; a short plain one (keys, numbers,
        # true/false) gets the answer PyYAML gave it before.
        if kind is ScalarNode and not self.yaml_path_resolvers:
            if not implicit[0] or (value and value[0] not in _RESOLVED_FIRSTS):
                return _STR_TAG
            if len(value) <= _RESOLVED_LENGTH:
                tag = _RESOLVED.get((value, implicit))
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    if len(_RESOLVED) < _RESOLVED_SIZE:
                        _RESOLVED[(value, implicit)] = tag
                return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node, current_index):
        if self.yaml_path_resolvers:  # pragma: no cover - SafeLoader has none
            super().descend_resolver(current_node, current_index)

    def ascend_resolver(self):
        if self.yaml_path_resolvers:  # pragma: no cover - SafeLoader has none
            super().ascend_resolver()

    def construct_document(self, node):
        _inspect(node, self.text)
        try:
            return _build(self, node)
        finally:
            self.constructed_objects, self.recursive_objects = {}, {}


# The first characters some implicit resolver looks at (None would mean "any": then no shortcut).
_RESOLVED_FIRSTS = frozenset(_LineLoader.yaml_implicit_resolvers)
# Tags of short plain scalars already resolved: keys, numbers, booleans repeat in every record.
_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}
_RESOLVED_LENGTH, _RESOLVED_SIZE = 24, 20_000
if None in _RESOLVED_FIRSTS:  # pragma: no cover - not so in PyYAML's SafeLoader
    _RESOLVED_FIRSTS = frozenset(chr(c) for c in range(0x110000))


def _build(loader: _LineLoader, root: Node):
    """The document's value: mappings as SourceMap, sequences as SourceList, text as str, and
    the rest (numbers, dates, booleans, other tags) by PyYAML's constructors. A node reached
    twice (an alias) gives the same object, as in PyYAML."""
    built: dict[int, Any] = {}

    def value_of(node: Node):
        tag = node.tag
        if tag == _STR_TAG and type(node) is ScalarNode:
            return node.value
        known = built.get(id(node))
        if known is not None:
            return known
        if tag == _MAP_TAG and type(node) is MappingNode:
            value: Any = mapping(node)
        elif tag == _SEQ_TAG and type(node) is SequenceNode:
            value = SourceList(map(value_of, node.value))
            value.line = node.start_mark.line + 1
            value.item_lines = [child.start_mark.line + 1 for child in node.value]
        else:
            value = loader.construct_object(node, deep=True)
        built[id(node)] = value
        return value

    def mapping(node: MappingNode) -> SourceMap:
        if any(key.tag in _RENAMED_KEY_TAGS for key, _ in node.value):
            loader.flatten_mapping(node)
        return _source_map(node, value_of)

    return value_of(root)


# `name:王五` read as a plain string: a field-like word, a colon, then no space.
_MISSING_SPACE = re.compile(r"[a-z_][a-z0-9_]*:(?![\s/])")


def _check_scalar(node: ScalarNode) -> None:
    if not node.style and ":" in node.value and _MISSING_SPACE.match(node.value):
        raise _MissingSpace(node.value, node.start_mark)


def _edges(node: Node):
    """The children of a node, each with the mark to report a problem with it at."""
    if isinstance(node, SequenceNode):
        return ((child, child.start_mark if isinstance(child, ScalarNode) else node.start_mark)
                for child in node.value)
    if isinstance(node, MappingNode):
        return (pair for key, value in node.value for pair in ((key, key.start_mark),
                                                             (value, key.start_mark)))
    return iter(())


def _inspect(root: Node, text: str | None = None) -> None:
    """Walk the composed graph once, without recursion, counting what aliases would expand
    to (a node reached again is an alias) and how deep it nests; refuse a plain scalar that
    is a key with its value glued on (`name:王五`).

    With the document's `text`: when it has no anchor ("&") there is no alias, and when
    nothing in it looks like `name:王五` no scalar can; then only the depth is walked."""
    if text is not None and "&" not in text and not _MISSING_SPACE.search(text):
        _check_depth(root)
        return
    if isinstance(root, ScalarNode):
        _check_scalar(root)
        return
    done: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded values, height)
    added = 0
    path: set[int] = {id(root)}
    stack = [[root, _edges(root), 1, 1]]  # node, its pending edges, expanded values, height
    while stack:
        frame = stack[-1]
        for child, mark in frame[1]:
            if isinstance(child, ScalarNode):
                _check_scalar(child)
                frame[2] += 1
                continue
            key = id(child)
            if key in path:
                raise _AliasProblem(mark, recursive=True)
            if key in done:
                size, height = done[key]
                added += size
                if added > MAX_ALIAS_NODES:
                    raise _AliasProblem(mark)
                if len(stack) + height > MAX_DEPTH:
                    raise _TooDeep(mark)
                frame[2] += size
                frame[3] = max(frame[3], height + 1)
                continue
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep(child.start_mark)
            path.add(key)
            stack.append([child, _edges(child), 1, 1])
            break
        else:
            stack.pop()
            node = frame[0]
            path.discard(id(node))
            done[id(node)] = (frame[2], frame[3])
            if stack:
                stack[-1][2] += frame[2]
                stack[-1][3] = max(stack[-1][3], frame[3] + 1)


def _check_depth(root: Node) -> None:
    """The depth check of `_inspect` alone, for a graph without aliases: the same node found
    too deep, in the same order."""
    stack = [iter(_children(root))]
    while stack:
        for child in stack[-1]:
            if isinstance(child, ScalarNode):
                continue
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep(child.start_mark)
            stack.append(iter(_children(child)))
            break
        else:
            stack.pop()


def _children(node: Node) -> list:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _construct_mapping(loader: _LineLoader, node: MappingNode) -> SourceMap:
    loader.flatten_mapping(node)
    return _source_map(node, lambda child: loader.construct_object(child, deep=True))


def _source_map(node: MappingNode, value_of: Callable[[Node], Any]) -> SourceMap:
    """A mapping node's SourceMap with each key's line; `value_of` builds a key or a value.
    A duplicate or unhashable key stops it (the fast path and PyYAML's constructor share it)."""
    result = SourceMap()
    result.line = node.start_mark.line + 1
    lines: dict = {}
    result.key_lines = lines
    for key_node, value_node in node.value:
        key = value_of(key_node)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(None, None, "unhashable key", key_node.start_mark)
        line = key_node.start_mark.line + 1
        if key in result:
            raise _DuplicateKey(key, lines[key], line, key_node.start_mark)
        result[key] = value_of(value_node)
        lines[key] = line
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


def _construct_number(loader: _LineLoader, node):
    """An int or a float as PyYAML makes it; a value its resolver takes for a number that it
    then cannot make (0b_, 0x_: YAML 1.1 binary and hexadecimal with no digit; an int of more
    than 4,300 digits) is the file's problem, not a program error."""
    make = yaml.SafeLoader.construct_yaml_int if node.tag.endswith(":int") else yaml.SafeLoader.construct_yaml_float
    try:
        return make(loader, node)
    except ValueError:
        raise _BadNumber(node.value, node.start_mark) from None


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_number)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_number)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _AliasProblem(Exception):
    def __init__(self, mark, recursive: bool = False):
        super().__init__("alias")
        self.mark, self.recursive = mark, recursive


class _TooDeep(Exception):
    def __init__(self, mark):
        super().__init__("depth")
        self.mark = mark


class _MissingSpace(Exception):
    def __init__(self, text: str, mark):
        super().__init__(text)
        self.text, self.mark = text, mark


class _BadDate(Exception):
    def __init__(self, text: str, mark):
        super().__init__(text)
        self.text, self.mark = text, mark


class _BadNumber(_BadDate):
    """A value YAML takes for a number, which is not one."""


class _DuplicateKey(Exception):
    def __init__(self, key, first_line: int, line: int, mark):
        super().__init__(key)
        self.key, self.first_line, self.line, self.mark = key, first_line, line, mark


# While a preview rebuilds: (name, SHA-256 of the bytes) -> the pickled value parsing gave,
# from the last rebuild and from this one (see `parsed_cache`).
_PARSED: contextvars.ContextVar[tuple[dict, dict] | None] = contextvars.ContextVar("parsed", default=None)


def parsed_cache(store: dict) -> contextlib.AbstractContextManager[None]:
    """YAML files read meanwhile are parsed again only when their bytes changed since `store`
    was filled (a preview keeps it between rebuilds; afterwards it holds what this load read).
    Parsing is a function of the name and the bytes alone; each read gets its own copy of the
    value (unpickled), so whatever a build does to what it read never reaches the next one."""
    return using(_PARSED, store)


def read_text(path: Path, shown_as: str) -> str:
    """Read a UTF-8 text file (BOM accepted); name other encodings in a Chinese error, and
    every invisible or control character in it (FileProblems)."""
    return text_of(read_bytes(path, shown_as)[0], shown_as)


def text_of(raw: bytes, shown_as: str) -> str:
    """`read_text` of a file's bytes already read."""
    return _checked(_decode(raw, shown_as), shown_as)


def _checked(text: str, shown_as: str) -> str:
    found = invisible_findings(text, shown_as)
    if found:
        raise FileProblems([DataFileError(f.code, f.message, f.location or Location(shown_as),
                                          f.hint, f.excerpt) for f in found])
    return text


def read_bytes(path: Path, shown_as: str) -> tuple[bytes, bytes]:
    """The file's bytes and their SHA-256."""
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
    return raw, hashlib.sha256(raw).digest()


def _decode(raw: bytes, shown_as: str) -> str:
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


# A tab where YAML wants spaces: in the indentation, or right after a list item's "-".
_TAB_IN_INDENT = re.compile(r"([ ]*(?:-[ ]*)*)\t")
# `name：王五`: a field name and a full-width colon at the start of a line or list item.
_FULL_WIDTH_KEY = re.compile(r"^[ ]*(?:-[ ]+)*([A-Za-z_][A-Za-z0-9_]*)[ ]*：", re.MULTILINE)
# The same with any word (姓名：王五), looked for only near a line YAML could not parse.
_ANY_FULL_WIDTH_KEY = re.compile(r"[ ]*(?:-[ ]+)*([^\s:：#'\"\[\]{}，。、；]{1,20}?)[ ]*：")
# `name:王五`: a field name, a colon, and no space, at the start of a line or list item.
_GLUED_KEY = re.compile(r"[ ]*(?:-[ ]+)*([a-z_][a-z0-9_]*):(?=[^\s/])")
# A line that opens a block scalar (`objection: |-`): the lines below it are text.
_BLOCK_SCALAR_HEADER = re.compile(r"(?:^|[ ]|:)[|>][0-9+-]*[ \t]*(?:#.*)?$")


def _excerpt(text: str, line: int) -> str:
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1]
    return ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_scalar_lines(lines: list[str], upto: int) -> set[int]:
    """Indexes (0-based, below `upto`) of lines that are the text of a block scalar."""
    inside: set[int] = set()
    header_indent = -1
    for index in range(upto + 1):
        line = lines[index]
        if header_indent >= 0 and (not line.strip() or _indent(line) > header_indent):
            inside.add(index)
            continue
        header_indent = _indent(line) if _BLOCK_SCALAR_HEADER.search(line) else -1
    return inside


def _full_width_colon(text: str) -> tuple[int, str] | None:
    """The first line (1-based) where a field name is followed by a full-width colon."""
    if "：" not in text:  # as in almost every file: one pass for the character, not a regex a line
        return None      # (a list of 31,878 names: 1 ms instead of 47)
    lines: list[str] | None = None
    for match in _FULL_WIDTH_KEY.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        lines = lines if lines is not None else text.splitlines()
        if line - 1 not in _block_scalar_lines(lines, line - 1):
            return line, match.group(1)
    return None


def _full_width_error(shown_as: str, text: str, line: int, key: str) -> DataFileError:
    return DataFileError(
        "Y007", f"第 {line} 行用了全角冒号“：”，请改成半角冒号加空格“: ”。", Location(shown_as, line),
        f"把“{shorten(key)}：”改成“{shorten(key)}: ”（英文冒号，后面加一个空格），"
        "否则 YAML 认不出这是一个字段。", _excerpt(text, line))


def _glued_error(shown_as: str, text: str, line: int, key: str) -> DataFileError:
    return DataFileError(
        "Y008", f"第 {line} 行“{shorten(key)}:”的冒号后面缺少空格，YAML 会把整行当作一段文字，"
        "而不是字段和值。", Location(shown_as, line),
        f"请在冒号后加一个空格，写成“{shorten(key)}: 值”。", _excerpt(text, line))


def _slip_near(text: str, line: int, shown_as: str) -> DataFileError | None:
    """A full-width colon or a missing space on the line YAML stopped at or just above it:
    the usual cause of a parse error there, said in words staff recognise."""
    for pattern, error in ((_ANY_FULL_WIDTH_KEY, _full_width_error), (_GLUED_KEY, _glued_error)):
        for candidate in range(line, max(line - 3, 0), -1):
            match = pattern.match(_excerpt(text, candidate))
            if match:
                return error(shown_as, text, candidate, match.group(1))
    return None


def _tab_error(text: str, line: int, shown_as: str) -> DataFileError | None:
    for candidate in (line, line + 1):
        match = _TAB_IN_INDENT.match(_excerpt(text, candidate))
        if not match:
            continue
        column = len(match.group(1)) + 1
        if "-" in match.group(1):
            message = f"第 {candidate} 行的“-”后面用了制表符（Tab），YAML 只允许空格。"
            hint = "请把“-”后面的 Tab 换成一个空格。"
        else:
            message = f"第 {candidate} 行用了制表符（Tab）缩进，YAML 只允许空格缩进。"
            hint = "请把这一行开头的 Tab 换成空格（每级两个空格），与上下行对齐。"
        return DataFileError("Y001", message, Location(shown_as, candidate, column), hint,
                             _excerpt(text, candidate))
    return None


def _too_deep_error(text: str, mark, shown_as: str) -> DataFileError:
    line = mark.line + 1 if mark else 0
    return DataFileError(
        "Y006", f"第 {line} 行处嵌套超过 {MAX_DEPTH} 层（“[”“{{”或缩进套得太深），本程序拒绝读取。",
        Location(shown_as, line, mark.column + 1 if mark else 0),
        "数据文件只需要两三层：请检查是否多了成对的“[”或“{”，或复制粘贴时出了错。",
        _excerpt(text, line))


def parse_yaml(text: str, shown_as: str) -> Any:
    """Parse YAML text into SourceMap/SourceList values; raise DataFileError in Chinese."""
    if not text.strip():
        raise DataFileError("Y003", f"文件 {shown_as} 是空的。", Location(shown_as, 1),
                            "请参照同目录下其他文件的格式填写内容，或删除这个文件。")
    slip = _full_width_colon(text)
    if slip:
        raise _full_width_error(shown_as, text, *slip)
    usual = read_usual(text)
    if usual is not None:
        return usual
    loader = _LineLoader(text)
    loader.text = text
    try:
        return loader.get_single_data()
    except _DuplicateKey as dup:
        raise DataFileError(
            "Y002",
            f"字段“{shorten(dup.key)}”在同一处出现了两次（第 {dup.first_line} 行和第 {dup.line} 行），"
            "后一个会悄悄覆盖前一个。",
            Location(shown_as, dup.line, dup.mark.column + 1),
            "请删除或改名其中一个；如果是两条记录，请在第二条前加“- ”使其成为新的列表项。",
            _excerpt(text, dup.line),
        )
    except _BadNumber as bad:
        line = bad.mark.line + 1
        raise DataFileError(
            "Y009", f"“{shorten(bad.text)}”看起来是数字（YAML 把 0b、0x 开头的读作二进制、十六进制数），却读不出数来。",
            Location(shown_as, line, bad.mark.column + 1),
            "数字请只写阿拉伯数字，如 96.5、2018；如果它是文字（编号等），请用英文引号括起来，例如 \"0b_\"。",
            _excerpt(text, line))
    except _BadDate as bad:
        line = bad.mark.line + 1
        raise DataFileError(
            "Y004", f"日期“{shorten(bad.text)}”不存在。", Location(shown_as, line, bad.mark.column + 1),
            "请核对年、月、日（例如 11 月只有 30 天），写成 2018-11-05 的形式。", _excerpt(text, line))
    except _AliasProblem as bad:
        line = bad.mark.line + 1
        problem = ("引用了包含它自己的内容（无限循环）" if bad.recursive
                   else f"展开后超过 {MAX_ALIAS_NODES} 个值")
        raise DataFileError(
            "Y005", f"第 {line} 行的别名（“*”开头的引用）{problem}，本程序拒绝读取。",
            Location(shown_as, line, bad.mark.column + 1),
            "名单数据用不着“&锚点”和“*别名”：请把别名换成实际内容，或删去这几行。"
            "文件若不是您自己编辑的，请不要使用它。", _excerpt(text, line))
    except _TooDeep as deep:
        raise _too_deep_error(text, deep.mark, shown_as)
    except RecursionError:
        # The pure-Python parser (where libyaml is missing) recurses while it reads.
        mark = loader.get_mark() if hasattr(loader, "get_mark") else None
        raise _too_deep_error(text, mark, shown_as) from None
    except _MissingSpace as glued:
        line = glued.mark.line + 1
        raise _glued_error(shown_as, text, line, glued.text.split(":", 1)[0])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        problem = exc.problem or ""
        if "maximum nesting depth" in problem:
            raise _too_deep_error(text, mark, shown_as)
        better = _tab_error(text, line, shown_as) or _slip_near(text, line, shown_as)
        if better:
            raise better
        raise DataFileError("Y001", f"YAML 格式错误：{_translate_problem(problem)}。",
                            Location(shown_as, line, column),
                            "请检查这一行及上一行：冒号后要有空格，缩进要与同级对齐，"
                            "含有冒号、井号等符号的文字请用引号括起来。", _excerpt(text, line))
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors above
        raise DataFileError("Y001", f"YAML 格式错误：{shorten(exc)}", Location(shown_as), "")
    finally:
        loader.dispose()


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


# Where another process may have parsed a file already (the build's second process, see
# site/parallel.py): (shown_as, SHA-256 of the bytes) -> the value, or None (parse it here).
_ELSEWHERE: contextvars.ContextVar[Callable[[str, bytes], Any] | None] = contextvars.ContextVar(
    "elsewhere", default=None)


@contextlib.contextmanager
def parsed_elsewhere(lookup: Callable[[str, bytes], Any]):
    """Files read meanwhile are first asked of `lookup` (by their name and the SHA-256 of the
    bytes read now: a file saved since the other process read it is parsed here)."""
    token = _ELSEWHERE.set(lookup)
    try:
        yield
    finally:
        _ELSEWHERE.reset(token)


def parse_bytes(raw: bytes, shown_as: str) -> Any:
    """What `load_yaml` makes of a file's bytes: decoded, checked, parsed (or DataFileError)."""
    return parse_yaml(_checked(_decode(raw, shown_as), shown_as), shown_as)


def load_yaml(path: Path, shown_as: str) -> Any:
    """Read and parse one YAML data file."""
    return parse_read(*read_bytes(path, shown_as), shown_as)


def parse_read(raw: bytes, digest: bytes, shown_as: str) -> Any:
    """What `load_yaml` makes of a file's bytes and their SHA-256, as `read_bytes` gave them."""
    elsewhere = _ELSEWHERE.get()
    if elsewhere is not None:
        value = elsewhere(shown_as, digest)
        if value is not None:
            return value
    cache = _PARSED.get()
    if cache is None:
        return parse_bytes(raw, shown_as)
    before, used = cache
    key = (shown_as, digest)
    kept = used.get(key) or before.get(key)
    if kept is None:  # a file that fails is read again each time (its error is not kept)
        value = parse_bytes(raw, shown_as)
        used[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        return value
    used[key] = kept
    return pickle.loads(kept)


def keep_parsed(shown_as: str, digest: bytes) -> None:
    """Keep for the next load what parsing these bytes gave, though this load did not ask for
    it (what was made from it was handed out again, load.reuse): a later change elsewhere that
    makes it again (units.yaml for the list files) then takes it from here, not from a parse."""
    cache = _PARSED.get()
    if cache is not None:
        before, used = cache
        key = (shown_as, digest)
        if key not in used and key in before:
            used[key] = before[key]


# ---------------------------------------------------------------- the usual shape, read directly

# A list file is almost always keys with one-line values at the top, and one block list of
# records whose keys all have one-line values (what `gongshi import` writes, and staff copy).
# Read by one regular expression, such a file costs under half of PyYAML's parser; anything
# else (flow collections, block scalars, anchors, tags, several lines to a value, …) is PyYAML's.
# A key is at most 1,024 characters: PyYAML (and libyaml) refuse a longer one before its colon.
# Each line of such a text, in order: a key with a one-line value (or none), or else a line that
# is blank or a comment (all four groups empty). A line of any other kind matches neither, and
# then there are fewer matches than lines: the text is not in the usual shape.
_USUAL_LINE = re.compile(r"^(?:( *)(- )?([A-Za-z_][A-Za-z0-9_]{0,1023}):(?:[ ]+(.*?))?[ ]*|[ ]*(?:#.*)?)$",
                         re.MULTILINE)
# What PyYAML's reader refuses, or takes for a line break besides \n and \r\n (NEL, LS, PS).
# Written as the characters it finds, not as those it does not: a class of most of Unicode costs
# 2 ms to compile (tests/test_yamlfile.py checks every character against PyYAML's own class).
_NOT_USUAL_CHARACTER = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
# What a one-line plain scalar may not start with (YAML indicators), or hold (a comment, a key).
_PLAIN_FIRSTS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_PLAIN_STOPS = re.compile(r": |:$| #")
_SIMPLE_TAGS = {"tag:yaml.org,2002:int": yaml.SafeLoader.construct_yaml_int,
                "tag:yaml.org,2002:float": yaml.SafeLoader.construct_yaml_float,
                "tag:yaml.org,2002:bool": yaml.SafeLoader.construct_yaml_bool,
                "tag:yaml.org,2002:null": yaml.SafeLoader.construct_yaml_null}
_SCALARS: list = []  # the loader that resolves and builds plain scalars, made when first needed
_USUAL_KEYS: dict[str, bool] = {}  # key -> whether PyYAML reads it as text
_MOST_USUAL_KEYS = 4096


class _NotUsual(Exception):
    """The text is not in the usual shape: PyYAML reads it."""


def read_usual(text: str) -> SourceMap | None:
    """The value PyYAML (through `_LineLoader`) gives a text in the usual shape, with the same
    lines; None when the text is in any other shape (tests/test_yamlfile.py compares the two
    on random texts of both kinds)."""
    if "\t" in text or _NOT_USUAL_CHARACTER.search(text):
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    try:
        return _read_usual(text)
    except _NotUsual:
        return None


def _read_usual(text: str) -> SourceMap | None:
    top = SourceMap()
    top.key_lines = {}
    items: SourceList | None = None  # the block list being read
    record: SourceMap | None = None  # its last record
    indent = -1  # the column of its "- "
    waiting: str | None = None  # a top key with no value yet: a block list must follow
    record_lines: dict | None = None  # the key_lines of `record`, once it has a gap
    following = 0  # the line after `record`'s last key
    lines = _USUAL_LINE.findall(text)  # (spaces, "- ", key, value) of each line, "" where none
    if len(lines) != text.count("\n") + 1:
        return None  # a line of another kind
    for number, (spaces, dash, key, value) in enumerate(lines, start=1):
        if not key:
            continue  # blank, or a comment
        text_key = _USUAL_KEYS.get(key)
        if text_key is None:
            text_key = _scalar_tag(key) == _STR_TAG
            if len(_USUAL_KEYS) < _MOST_USUAL_KEYS:  # a file of made-up keys fills it no further
                _USUAL_KEYS[key] = text_key
        if not text_key:
            raise _NotUsual  # a key PyYAML reads as a number, a boolean or null
        if dash:
            column = len(spaces)
            if waiting is not None:
                items = SourceList()
                items.line, items.item_lines, indent = number, [], column
                top[waiting] = items
                waiting = None
            if items is None or column != indent or not value:
                raise _NotUsual
            record = SourceMap()
            record.line = number  # its keys on the lines that follow: no key_lines (see SourceMap)
            record_lines, following = None, number + 1
            record[key] = _usual_scalar(value)
            items.append(record)
            items.item_lines.append(number)
        elif not spaces:
            if waiting is not None or key in top:
                raise _NotUsual
            if not top:
                top.line = number
            top.key_lines[key] = number
            items = record = None
            if value:
                top[key] = _usual_scalar(value)
            else:
                waiting = key
        else:
            if record is None or len(spaces) != indent + 2 or not value or key in record:
                raise _NotUsual
            record[key] = _usual_scalar(value)
            if record_lines is not None:
                record_lines[key] = number
            elif number != following:  # a blank or comment line before it: the record's lines
                record_lines = {known: record.line + place for place, known in enumerate(record)}
                record_lines[key] = number
                record.key_lines = record_lines
            following = number + 1
    if waiting is not None or not top:
        return None
    return top


def _usual_scalar(text: str) -> Any:
    """A one-line scalar as PyYAML reads it: quoted without escapes, or plain."""
    first = text[0]
    if first >= "\x80":  # no indicator, no implicit type, no `name:` slip starts so
        if ": " in text or " #" in text or text[-1] == ":":
            raise _NotUsual
        return text
    if first == '"' or first == "'":
        if len(text) < 2 or text[-1] != first or first in text[1:-1] or "\\" in text:
            raise _NotUsual
        return text[1:-1]
    if first in _PLAIN_FIRSTS or _PLAIN_STOPS.search(text) or _MISSING_SPACE.match(text):
        raise _NotUsual
    tag = _scalar_tag(text)
    if tag == _STR_TAG:
        return text
    build = _SIMPLE_TAGS.get(tag)
    if build is None:
        raise _NotUsual  # a date, or another type: PyYAML's constructors and their errors
    try:
        return build(_SCALARS[0], ScalarNode(tag, text))
    except ValueError:  # `0b_`, `._`, 5,000 digits: PyYAML's, after it has read the whole text
        raise _NotUsual


def _scalar_tag(text: str) -> str:
    if not _SCALARS:
        _SCALARS.append(_LineLoader(""))
    return _SCALARS[0].resolve(ScalarNode, text, (True, False))
