"""What a spreadsheet takes for a formula: a text starting with = + - @, a tab or a carriage
return (Excel and WPS run such a cell: =HYPERLINK(…), DDE).

One home for the check that warns about such a public value (X003, checks) and for the
downloads that keep it from being run (site/downloads.py quotes it in the CSV and the XLSX).
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str | None) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text is not None and text.startswith(FORMULA_STARTS)


def any_starts_like_formula(texts: Iterable[str]) -> bool:
    """Whether any of `texts` starts like a formula (a list's thousands of fields are asked
    at once: a text after a line break of the joined ones is a start too, so a value with a
    line break followed by "=" only makes the caller look one by one)."""
    joined = "\n" + "\n".join(texts)
    return any(("\n" + start) in joined for start in FORMULA_STARTS)
