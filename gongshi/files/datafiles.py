"""Which files under data/ the tool reads (`KNOWN_DATA_FILES`, the one list of them), which it
ignores without a word, and a recipients folder's list files in the order they are read.

Hidden files and folders (name starting with “.”) and the litter of Windows, macOS and
Office (Thumbs.db, desktop.ini, ~$*.xlsx lock files, ~WRL*.tmp) are ignored without a word.
Every other file is reported by `stray.stray_files`. Apart from it, so that listing the list
files (the build's second process is started on their size) needs neither the findings nor
msgspec under them.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

ANNOUNCEMENT = "<公告>"
RECIPIENTS = "recipients"
DECISION = "decision"  # the 决定's final list, read like recipients/
LIST_FOLDERS = (RECIPIENTS, DECISION)

# Every file the tool reads under data/, by folder ("" is data/ itself, ANNOUNCEMENT each
# announcement folder listed in data/site.yaml). Patterns are case-sensitive (fnmatch).
KNOWN_DATA_FILES: dict[str, tuple[str, ...]] = {
    "": ("site.yaml", "history.yaml", "holidays.yaml", "strokes.yaml"),
    ANNOUNCEMENT: ("announcement.yaml", "categories.yaml", "units.yaml", "rules.yaml",
                   "import.yaml", "changes.yaml"),
    f"{ANNOUNCEMENT}/{RECIPIENTS}": ("*.yaml", "*.yml"),
    f"{ANNOUNCEMENT}/{DECISION}": ("*.yaml", "*.yml"),
}

# Files that systems and office programs leave behind; compared without regard to case.
IGNORED_FILES = ("thumbs.db", "desktop.ini", "~$*", "~*.tmp")


def is_ignored(name: str) -> bool:
    lower = name.lower()
    return name.startswith(".") or any(fnmatch.fnmatchcase(lower, p) for p in IGNORED_FILES)


def is_known(folder_kind: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in KNOWN_DATA_FILES.get(folder_kind, ()))


def recipient_files(folder: Path) -> list[Path]:
    """The list files of a recipients folder, as read: each pattern in turn, sorted."""
    if not folder.is_dir():
        return []
    # Not only regular files: a broken or looping link named *.yaml must be read, and fail
    # there with its own message, rather than vanish from the list.
    names = sorted(p.name for p in folder.iterdir() if not p.is_dir() and not is_ignored(p.name))
    patterns = KNOWN_DATA_FILES[f"{ANNOUNCEMENT}/{RECIPIENTS}"]
    return [folder / name for pattern in patterns for name in names
            if fnmatch.fnmatchcase(name, pattern)]
