"""Findings: what a load or a check has to tell the user, with severity and location.

Every problem the tool reports (bad YAML, a quota exceeded, a table that does not add up)
becomes a `Finding` with a stable code, a Chinese message, and the file and line it is about.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True)
class Location:
    """A place in a source file; `line` and `column` are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = self.file
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


SHOWN_LIMIT = 80  # characters of a user's value or source line echoed in a message


def shorten(value: object, limit: int = SHOWN_LIMIT) -> str:
    """A user's value as echoed in a message: at most `limit` characters, then "…".

    The one place that caps what a message repeats back, so a huge value (a pasted book, a
    very long line) never floods the report. (Values are bounded by the file they came from:
    yamlfile refuses aliases that would expand beyond it.)
    """
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str = ""
    excerpt: str = ""

    def __post_init__(self) -> None:
        if len(self.excerpt) > SHOWN_LIMIT:
            object.__setattr__(self, "excerpt", shorten(self.excerpt))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict:
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Findings:
    """An ordered collection of findings gathered across the whole build."""

    items: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.items.append(finding)

    def error(self, code: str, message: str, location: Location | None = None,
              hint: str = "", excerpt: str = "") -> None:
        self.add(Finding(code, Severity.ERROR, message, location, hint, excerpt))

    def warning(self, code: str, message: str, location: Location | None = None,
                hint: str = "", excerpt: str = "") -> None:
        self.add(Finding(code, Severity.WARNING, message, location, hint, excerpt))

    def extend(self, findings: Findings | list[Finding]) -> None:
        self.items.extend(findings.items if isinstance(findings, Findings) else findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if not f.is_error]

    def fails(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def relative_name(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the project when possible, with '/'."""
    try:  # os.path.realpath, not Path.resolve: Python 3.11 raises RuntimeError on a link loop
        return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        return path.as_posix()


def closest(value: str, choices: list[str], cutoff: float = 0.5) -> str:
    """The choice a misspelt `value` most likely meant, or ""."""
    found = difflib.get_close_matches(value, choices, n=1, cutoff=cutoff)
    return found[0] if found else ""


def did_you_mean(value: str, choices: list[str], listing: str = "可选") -> str:
    """A Chinese hint: the likely intended choice, else the list of choices."""
    guess = closest(value, choices)
    return f"您是否想写“{guess}”？" if guess else f"{listing}：" + "、".join(choices) + "。"
