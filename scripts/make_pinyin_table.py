"""Write gongshi/zh/pinyin.txt, the pinyin table the build reads, from the installed pypinyin.

    python scripts/make_pinyin_table.py            # rewrite the table
    python scripts/make_pinyin_table.py --check    # exit 1 if it differs from what is committed

The table holds, for every character pypinyin knows, its readings without tones (pypinyin's
NORMAL style: ü written v), the usual one first; and the words of pypinyin's phrase list, with
their reading where it is not their characters' usual readings (银行 yin hang). The build
reads only this file (gongshi/zh/pinyin.py): importing pypinyin costs more than a small build, and
asking it name by name cost seconds at 10,000 names. tests/test_pinyin.py checks that the
committed table is what this script makes from the pinned pypinyin.

Format (UTF-8): `#` comment lines, then sections opened by a line `=<name>`:
  =dense 3400 9fff   one line per code point of that range: readings joined by ",", or empty
  =sparse            "<hex code point> <readings>" for characters outside the dense range
  =words             one line for each character that starts a word: the character, the
                     lengths of its words (hex digits, longest first), a tab, then its words
                     separated by spaces: "<word>" when it is read as its characters' usual
                     readings, else "<word>=<syllable>,<syllable>,..."
The words are grouped by their first character so that the build reads only the groups of the
characters it meets (a small build meets a few hundred of the 3,888).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "gongshi" / "zh" / "pinyin.txt"
DENSE = (0x3400, 0x9FFF)


def readings(char: str) -> list[str]:
    from pypinyin import Style, pinyin
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return list(dict.fromkeys(r for r in (found[0] if found else []) if r.isalpha()))


def make_table() -> str:
    import pypinyin
    from pypinyin import lazy_pinyin
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    table = {code: readings(chr(code)) for code in sorted(pinyin_dict)}
    table = {code: found for code, found in table.items() if found}
    lines = [
        "# Pinyin of Chinese characters (readings without tones, the usual one first; ü is written v)",
        "# and of the words whose reading differs from their characters' usual ones.",
        f"# Made by scripts/make_pinyin_table.py from pypinyin {pypinyin.__version__} (MIT licence,",
        "# data from pinyin-data and phrase-pinyin-data). Do not edit: run the script again.",
        f"=dense {DENSE[0]:x} {DENSE[1]:x}",
    ]
    lines += [",".join(table.get(code, ())) for code in range(DENSE[0], DENSE[1] + 1)]
    lines.append("=sparse")
    lines += [f"{code:x} {','.join(found)}" for code, found in table.items()
              if not DENSE[0] <= code <= DENSE[1]]
    groups: dict[str, list[str]] = {}
    sizes: dict[str, set[int]] = {}
    for word in sorted(phrases_dict):
        usual = [table[ord(ch)][0] for ch in word if ord(ch) in table]
        said = [s for s in lazy_pinyin(word, errors="ignore") if s.isalpha()]
        if len(word) < 2 or len(usual) != len(word):
            continue  # a single character, or one without a reading: nothing to look up
        plain = said == usual or len(said) != len(word)
        groups.setdefault(word[0], []).append(word if plain else f"{word}={','.join(said)}")
        sizes.setdefault(word[0], set()).add(len(word))
    lines.append("=words")
    lines += [char + "".join(f"{size:x}" for size in sorted(sizes[char], reverse=True)) + "\t"
              + " ".join(groups[char]) for char in sorted(groups)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="生成 gongshi/zh/pinyin.txt（拼音表）")
    parser.add_argument("--check", action="store_true", help="只比较，不写入；不同时以 1 退出")
    args = parser.parse_args()
    text = make_table()
    if args.check:
        same = TABLE.is_file() and TABLE.read_text(encoding="utf-8") == text
        print("拼音表与 pypinyin 一致。" if same else "拼音表与 pypinyin 不一致，请运行 scripts/make_pinyin_table.py。")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8", newline="\n")
    print(f"已写入 {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
