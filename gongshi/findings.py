"""Findings: what a load or a check has to tell the user, with severity and location.

Every problem the tool reports (bad YAML, a quota exceeded, a table that does not add up)
becomes a `Finding` with a stable code, a Chinese message, and the file and line it is about.
The code must be registered in `codes` with the finding's severity (see `Finding`).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from enum import Enum
from pathlib import Path

from msgspec import Struct, field
from msgspec.structs import force_setattr

from . import codes


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


class Location(Struct, frozen=True):
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


class Finding(Struct, frozen=True):
    code: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str = ""
    excerpt: str = ""

    def __post_init__(self) -> None:
        registered = codes.lookup(self.code)  # UnregisteredCode for a code not in the registry
        expected = Severity.WARNING if registered.level is codes.Level.WARNING else Severity.ERROR
        if self.severity is not expected and not registered.release_blocker:
            raise ValueError(f"{self.code} is registered as {registered.level.value}, "
                             f"reported as {self.severity.value}")
        if len(self.excerpt) > SHOWN_LIMIT:
            force_setattr(self, "excerpt", shorten(self.excerpt))

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


class Findings(Struct):
    """An ordered collection of findings gathered across the whole build."""

    items: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.items.append(finding)

    def report(self, code: str, message: str, location: Location | None = None,
               hint: str = "", excerpt: str = "") -> None:
        """Add a finding with the severity the registry gives `code`."""
        severity = Severity.WARNING if codes.is_warning(code) else Severity.ERROR
        self.add(Finding(code, severity, message, location, hint, excerpt))

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


def you_meant(guess: str) -> str:
    """The one wording of a suggestion: 您是否想写“…”？ ("" without a guess)."""
    return f"您是否想写“{guess}”？" if guess else ""


def did_you_mean(value: str, choices: list[str], listing: str = "可选", *, cutoff: float = 0.5,
                 aliases: Mapping[str, str] | None = None, always_list: bool = False) -> str:
    """A Chinese hint for a value that is not one of `choices`: the choice it most likely
    meant (an exact entry of `aliases` first, e.g. a Chinese word for an English key, else the
    closest spelling), else the list of choices; `always_list` lists them after a guess too."""
    guess = (aliases or {}).get(value, "")
    if guess not in choices:
        guess = closest(value, choices, cutoff)
    listed = f"{listing}：" + "、".join(choices) + "。"
    if not guess:
        return listed
    return you_meant(guess) + (listed if always_list else "")
