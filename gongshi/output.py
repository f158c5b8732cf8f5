"""Writing the site: into a temporary folder beside `output/`, then swapped in whole.

A failed or killed build never leaves a half-written or emptied `output/`: pages are written
to `.gongshi-build-<pid>/` next to it, and only a complete folder replaces the old one — in a
single atomic `renameat2(RENAME_EXCHANGE)` on Linux, or by two renames elsewhere. A lock file
makes a second build wait for the first instead of both writing at once.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import time
from pathlib import Path
from typing import IO

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputBusy(Exception):
    """Another build holds the lock for longer than we are willing to wait."""


class BuildLock:
    """An exclusive lock on `<project>/.gongshi.lock`, waited for up to `timeout` seconds."""

    def __init__(self, path: Path, timeout: float = 120.0, on_wait=None):
        self.path = path
        self.timeout = timeout
        self.on_wait = on_wait
        self._handle: IO | None = None

    def __enter__(self) -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        deadline = time.monotonic() + self.timeout
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced and self.on_wait:
                    self.on_wait()
                    announced = True
                if time.monotonic() >= deadline:
                    handle.close()
                    raise OutputBusy()
                time.sleep(0.1)
        self._handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._handle:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class StagedOutput:
    """A temporary folder that becomes `target` on `commit()` and vanishes otherwise."""

    def __init__(self, target: Path):
        self.target = target
        self.staging = target.parent / f".gongshi-build-{os.getpid()}"
        self.files_written = 0

    def __enter__(self) -> "StagedOutput":
        remove_stale(self.target.parent)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir()
        return self

    def write(self, relative: str, data: bytes) -> None:
        path = self.staging / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            raise ValueError(f"refusing to write outside the output folder: {relative}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files_written += 1

    def copy_tree(self, source: Path, relative: str) -> None:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def commit(self) -> None:
        if self.target.exists():
            old = self.target.parent / f".gongshi-old-{os.getpid()}"
            if _exchange(self.staging, self.target):
                os.rename(self.staging, old)
            else:
                os.rename(self.target, old)
                os.rename(self.staging, self.target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.staging, self.target)

    def __exit__(self, *exc) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)


def remove_stale(folder: Path) -> None:
    """Remove folders left by builds that were killed. Call only while holding the lock."""
    if not folder.is_dir():
        return
    for leftover in list(folder.glob(".gongshi-build-*")) + list(folder.glob(".gongshi-old-*")):
        if not _alive(leftover.name.rsplit("-", 1)[-1]):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid_text: str) -> bool:
    """Whether the build that named its folder with this pid is still running."""
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return int(pid_text) != os.getpid()  # our own earlier folder is a leftover


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2; False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
