"""Writing files safely: atomic replacement, and a dated backup of whatever is replaced.

Each new file is first written whole into a staging folder at the project root
(`.gongshi-import-<pid>/`, never under data/, where a half-written or stray file would be
read by a build), then moved into place with os.replace, which is atomic on Windows too.
Every file about to be replaced is first copied to `backups/<年月日-时分秒>/<same path>`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from msgspec import Struct, field

BACKUPS = "backups"


class WriteOutcome(Struct):
    written: list[Path] = field(default_factory=list)
    backup: Path | None = None
    failed: Path | None = None
    error: str = ""


def backup_folder(root: Path, now: dt.datetime | None = None) -> Path:
    """A new folder backups/<YYYYmmdd-HHMMSS>[-n]/ that no earlier import used."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = root / BACKUPS / stamp
    number = 2
    while folder.exists():
        folder = root / BACKUPS / f"{stamp}-{number}"
        number += 1
    return folder


def write_atomically(path: Path, data: bytes, staging: Path) -> None:
    staging.mkdir(parents=True, exist_ok=True)
    temporary = staging / f"{len(list(staging.iterdir()))}.part"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, path)


def replace_files(root: Path, files: list[tuple[Path, bytes]]) -> WriteOutcome:
    """Back up every existing target, then move each new file into place."""
    outcome = WriteOutcome()
    staging = root / f".gongshi-import-{os.getpid()}"
    try:
        existing = [path for path, _ in files if path.exists()]
        if existing:
            outcome.backup = backup_folder(root)
            for path in existing:
                target = outcome.backup / path.relative_to(root)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                except OSError as exc:  # nothing replaced yet: stop here
                    outcome.failed, outcome.error = target, exc.strerror or type(exc).__name__
                    return outcome
        for path, data in files:
            try:
                write_atomically(path, data, staging)
            except OSError as exc:
                outcome.failed, outcome.error = path, exc.strerror or type(exc).__name__
                break
            outcome.written.append(path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outcome
