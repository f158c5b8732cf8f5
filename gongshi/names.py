"""Normalising names as typed by people: spaces, padding and the 间隔号.

Lists arrive from Word and Excel with names padded to align (张　三), full-width or half-width
spaces, and any of several look-alike dots in names such as 阿依古丽·买买提. `normalise_name`
returns the one form the tool stores, compares and shows: no space between Chinese characters,
single spaces elsewhere, and U+00B7 (·) as the 间隔号.
"""

from __future__ import annotations

import re

# Look-alikes of the 间隔号 seen in real lists, all mapped to U+00B7 MIDDLE DOT.
INTERPUNCT_VARIANTS = "\u00b7\u30fb\uff65\u2022\u2027\u2219\u22c5\u0387\u16eb\u2e31"
INTERPUNCT = "\u00b7"
_INTERPUNCT = re.compile(f"\\s*[{INTERPUNCT_VARIANTS}]\\s*")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2002-\u200b\u202f\u205f\ufeff]+")
_HAN = "\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}（）]) (?=[{_HAN}（）])")


_SPACE_OR_DOT = re.compile(f"[\\s\u3000\u00a0\u2002-\u200b\u202f\u205f\ufeff{INTERPUNCT_VARIANTS}]")


def normalise_name(text: str) -> str:
    if not _SPACE_OR_DOT.search(text):
        return text  # the common case: nothing to change
    text = _SPACES.sub(" ", text).strip()
    text = _INTERPUNCT.sub(INTERPUNCT, text)
    return _SPACE_BETWEEN_HAN.sub("", text)
