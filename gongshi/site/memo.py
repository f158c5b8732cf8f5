"""What a preview (`gongshi serve`) keeps between rebuilds, so that one save re-makes only
what depends on it: the Jinja environment, and each published file's bytes by a fingerprint
of everything it is made from. A clean build never has one (`memo=None` everywhere).

A fingerprint (`Fingerprints.of`) is a digest of a value's whole content: its type and, inside
it, every item, field and text, down to plain values (str, int, date...). Two values with one
fingerprint are made of the same things in the same order, so a page rendered from them is
the same page; a value of any other kind (an object whose state is not its dataclass fields)
cannot be fingerprinted (`Unfingerprintable`) and what it feeds is simply made again. Shared
immutable parts (a recipient on twenty pages) are digested once per rebuild.

Every memo keeps only what the last rebuild used (`begin()` starts a rebuild), so the memory
stays one site's worth. The templates and static files are read whole each rebuild: any byte
changed in them gives a new environment and new keys (a changed macro file can never leave a
stale `{% import %}` behind). tests/test_serve_cache.py compares every byte a memoized rebuild
writes with a clean build's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

_PLAIN = (str, int, float, bool, type(None), bytes, dt.date, dt.datetime, dt.time, decimal.Decimal, enum.Enum)
_SEQUENCES = (tuple, list)
_SETS = (frozenset, set)


class Unfingerprintable(Exception):
    """A value whose content a fingerprint cannot see: what it feeds is made again."""


class Fingerprints:
    """Fingerprints of values within one rebuild (shared immutable parts digested once).

    Use one instance for values that no longer change: an immutable part is remembered by its
    identity, and only when nothing mutable (list, dict, set) is inside it."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, bytes]] = {}  # id -> (the value, kept alive; digest)

    def of(self, value: Any) -> bytes:
        return self._digest(value)[0]

    def _digest(self, value: Any) -> tuple[bytes, bool]:
        """(digest, whether nothing mutable is inside)."""
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1], True
        parts: list[bytes] = []
        frozen = self._feed(value, parts)
        digest = hashlib.blake2b(b"\0".join(parts), digest_size=20).digest()
        if frozen and not isinstance(value, _PLAIN):
            self._known[id(value)] = (value, digest)
        return digest, frozen

    def _feed(self, value: Any, parts: list[bytes]) -> bool:
        kind = type(value)
        if isinstance(value, _PLAIN):
            # repr names the type of everything but str and int; a str subclass (Markup) too.
            parts.append(f"{kind.__module__}.{kind.__qualname__}:{value!r}".encode())
            return True
        name = f"{kind.__module__}.{kind.__qualname__}".encode()
        frozen = True
        if isinstance(value, _SEQUENCES) or isinstance(value, _SETS):
            frozen = kind in (tuple, frozenset)
            parts.append(name + b"[%d" % len(value))
            for item in value:
                digest, inner = self._digest(item)
                parts.append(digest)
                frozen = frozen and inner
        elif isinstance(value, dict):
            frozen = False
            parts.append(name + b"{%d" % len(value))
            for key, item in value.items():
                parts.append(self._digest(key)[0])
                parts.append(self._digest(item)[0])
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            params = getattr(kind, "__dataclass_params__", None)
            frozen = bool(params is not None and params.frozen)
            parts.append(name + b"(")
            for field in dataclasses.fields(value):
                digest, inner = self._digest(getattr(value, field.name))
                parts.append(field.name.encode())
                parts.append(digest)
                frozen = frozen and inner
        elif isinstance(getattr(kind, "FINGERPRINTED", None), tuple):
            # a plain class that names the attributes its answers depend on (the rest: memos)
            frozen = False
            parts.append(name + b"<")
            for field_name in kind.FINGERPRINTED:
                parts.append(field_name.encode())
                parts.append(self._digest(getattr(value, field_name))[0])
        elif isinstance(getattr(kind, "model_fields", None), dict) and hasattr(value, "model_dump"):
            # a pydantic model (the checked rules): its declared fields and any extra ones
            frozen = bool(getattr(kind, "model_config", {}).get("frozen"))
            parts.append(name + b"<")
            extra = getattr(value, "__pydantic_extra__", None) or {}
            for field_name in [*kind.model_fields, *sorted(extra)]:
                digest, inner = self._digest(getattr(value, field_name))
                parts.append(field_name.encode())
                parts.append(digest)
                frozen = frozen and inner
        else:
            raise Unfingerprintable(f"{kind.__module__}.{kind.__qualname__}")
        return frozen


def folder_digest(folder: Path) -> bytes:
    """A digest of every file's path and bytes under `folder` (none: an empty digest)."""
    h = hashlib.blake2b(digest_size=20)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            h.update(path.relative_to(folder).as_posix().encode() + b"\0%d\0" % len(data))
            h.update(data)
    return h.digest()


class Memo:
    """One kind of made thing by key; a rebuild keeps only the entries it used."""

    def __init__(self) -> None:
        self._last: dict[Any, Any] = {}
        self._used: dict[Any, Any] = {}
        self.hits = 0
        self.misses = 0

    def begin(self) -> None:
        self._last, self._used = self._used or self._last, {}
        self.hits = self.misses = 0

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        if key in self._used:
            self.hits += 1
            return self._used[key]
        if key in self._last:
            self.hits += 1
            value = self._used[key] = self._last[key]
            return value
        self.misses += 1
        value = self._used[key] = make()
        return value

    def __len__(self) -> int:
        return len(self._used) or len(self._last)


class PublishMemo:
    """What a preview's rebuilds share: the Jinja environment (for the templates and static
    files as they are now) and the published files made before (see the module docstring)."""

    def __init__(self) -> None:
        self.environment: Any = None
        self.sources = b""  # digest of templates/ and static/ the environment was made for
        self.pages = Memo()      # fingerprint of a page's inputs -> its HTML
        self.files = Memo()      # fingerprint of a task's inputs -> the files it makes
        self.guard = Memo()      # (phone forms, path, digest of the bytes) -> the guard's hits
        self.prints = Fingerprints()

    def begin(self, root: Path) -> bytes:
        """Start a rebuild of the project at `root`; returns the digest of its templates and
        static files (a new one drops the environment)."""
        sources = folder_digest(root / "templates") + folder_digest(root / "static")
        if sources != self.sources:
            self.environment = None
            self.sources = sources
        for memo in (self.pages, self.files, self.guard):
            memo.begin()
        self.prints = Fingerprints()
        return sources

    @property
    def warm(self) -> bool:
        return self.environment is not None
