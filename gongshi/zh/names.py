"""Normalising names as typed by people: spaces, padding and the 间隔号.

Lists arrive from Word and Excel with names padded to align (张　三), full-width or half-width
spaces, and any of several look-alike dots in names such as 阿依古丽·买买提. `normalise_name`
returns the one form the tool stores, compares and shows: no space between Chinese characters,
single spaces elsewhere, and U+00B7 (·) as the 间隔号 (also for a full stop typed between two
Chinese characters, 阿依古丽.买买提: never punctuation inside one name).

`INTERPUNCT_VARIANTS` is the one list of what counts as a 间隔号: names map them to U+00B7,
stroke keys skip them (strokes.py), and the search ignores them (search_index.py in Python,
static/js/*.js through the page's `data-interpunct`, which the build writes from it).
"""

from __future__ import annotations

import functools
import re

# The 间隔号 of GB/T 15834, what the Chinese IMEs type for the ` key (微软拼音, 搜狗, WPS).
INTERPUNCT = "\u00b7"
# It and the dots staff end up with instead in names of 少数民族 and foreign people, all mapped
# to INTERPUNCT. None of them is ever part of a Chinese name, so mapping them loses nothing.
INTERPUNCT_VARIANTS = (
    INTERPUNCT
    + "\u30fb"  # ・ KATAKANA MIDDLE DOT: GB 2312's A1A4 in older converters, the 全角 dot of symbol panels
    + "\uff65"  # ･ HALFWIDTH KATAKANA MIDDLE DOT: the same, half-width
    + "\u2022"  # • BULLET: WPS and Word 插入符号, lists pasted from Word
    + "\u2027"  # ‧ HYPHENATION POINT: Big5's A145, the 間隔號 of 繁体 sources
    + "\u2219"  # ∙ BULLET OPERATOR: Word's symbol table
    + "\u22c5"  # ⋅ DOT OPERATOR: the equation editor
    + "\u0387"  # · GREEK ANO TELEIA: canonically the same character as U+00B7
    + "\u16eb"  # ᛫ RUNIC SINGLE PUNCTUATION: looks the same in most fonts
    + "\u2e31"  # ⸱ WORD SEPARATOR MIDDLE DOT: looks the same in most fonts
)
_INTERPUNCT = re.compile(f"\\s*[{INTERPUNCT_VARIANTS}]\\s*")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2002-\u200b\u202f\u205f\ufeff]+")
_HAN = "\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


# A full stop typed in place of the 间隔号 (阿依古丽.买买提, 阿依古丽．买买提): a full stop is
# ordinary punctuation elsewhere, so it is a 间隔号 only between two Chinese characters.
FULL_STOPS = ".\uff0e\u3002"


@functools.cache
def _between_han() -> tuple[re.Pattern, re.Pattern]:
    """A space, and a full stop, between two Chinese characters. Compiled when a name first
    has a space or a dot (2 ms for the classes of Chinese characters: most lists never do)."""
    return (re.compile(f"(?<=[{_HAN}（）]) (?=[{_HAN}（）])"),
            re.compile(f"(?<=[{_HAN}])\\s*[{FULL_STOPS}]\\s*(?=[{_HAN}])"))


_SPACE_OR_DOT = re.compile(f"[\\s\u3000\u00a0\u2002-\u200b\u202f\u205f\ufeff{INTERPUNCT_VARIANTS}{FULL_STOPS}]")


def normalise_name(text: str) -> str:
    if not _SPACE_OR_DOT.search(text):
        return text  # the common case: nothing to change
    text = _SPACES.sub(" ", text).strip()
    space_between_han, full_stop_between_han = _between_han()
    text = _INTERPUNCT.sub(INTERPUNCT, full_stop_between_han.sub(INTERPUNCT, text))
    return space_between_han.sub("", text)
