"""How a gongshi process ends: at once, once what it printed is out (`end_process`).

Used by the command line (launcher) and by a build's second process (site.parallel), so both
end the same way. Standard library only: the launcher imports it before it knows the project's
packages are installed.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

# What the command made, held until `end_process`: when the function that made it returns,
# Python would free it object by object first (a 100,000-name build's site and findings:
# 0.1 s between the last line printed and the end). Only the last is held, so a process that
# runs commands one after another (the tests) frees each when the next one comes.
_HELD: list[object] = []


def hold_until_end(value: object) -> None:
    """Keep `value` alive until the process ends (see _HELD)."""
    _HELD[:] = [value]


def end_process(code: int) -> NoReturn:
    """End the process with `code` once what it printed is out, without Python freeing every
    object one by one first (0.09 s of a 10,000-name build, 0.5 s at 100,000): every file the
    command wrote is closed, and its helper process has ended. (coverage.py saves its data
    first: pyproject.toml patches os._exit.)"""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (gongshi check | head): nothing to add
            pass
    os._exit(code)
