"""What a spreadsheet takes for a formula: a text starting with = + - @, a tab or a carriage
return (Excel and WPS run such a cell: =HYPERLINK(…), DDE).

One home for the check that warns about such a public value (X003, checks) and for the
downloads that keep it from being run (site/downloads.py quotes it in the CSV and the XLSX).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str | None) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text is not None and text.startswith(FORMULA_STARTS)
