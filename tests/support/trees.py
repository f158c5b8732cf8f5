"""Reading a built site back as data, to compare two builds byte for byte."""

from __future__ import annotations

from pathlib import Path


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it (with /), and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
