"""Shorthands over gongshi.zh.strokes that only the tests use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from gongshi.zh.strokes import (
    Mode,
    SortOutcome,
    StrokeTable,
    missing_reports,
    sort_by_strokes,
)

T = TypeVar("T")


def sort_names(names: Iterable[str], mode: Mode | str = Mode.SURNAME,
               table: StrokeTable | None = None) -> list[str]:
    """Just the sorted names."""
    return sort_by_strokes(names, mode=mode, table=table).items


def sort_organisations(items: Iterable[T], name_of: Callable[[T], str] | None = None,
                       table: StrokeTable | None = None) -> SortOutcome[T]:
    return sort_by_strokes(items, name_of, Mode.ORGANISATION, table)


def messages(outcome: SortOutcome) -> list[str]:
    """Every message the build would give for this sort (O001, then O002), without locations."""
    return [tie.message for tie in outcome.ties] + [r.message for r in missing_reports(outcome)]


def clean(outcome: SortOutcome) -> bool:
    """Nothing that needs a person's attention."""
    return not outcome.ties and not outcome.missing
