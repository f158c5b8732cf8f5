"""What a preview (`gongshi serve`) keeps between rebuilds, so that one save re-makes only
what depends on it: the Jinja environment, each published file's bytes by a fingerprint
of everything it is made from, and the search index's last records and files (search_delta,
which compares the records themselves). A clean build never has one (`memo=None` everywhere).

A fingerprint (`Fingerprints.of`) is a digest of a value's whole content (pickled: see there).
Two values with one fingerprint are made of the same things in the same order, so what is
made from them is the same; what cannot be fingerprinted (`Unfingerprintable`) is simply
made again.

Every memo keeps only what the last rebuild used (`begin()` starts a rebuild), so the memory
stays one site's worth. The templates and static files are read whole each rebuild: any byte
changed in them gives a new environment and new keys (a changed macro file can never leave a
stale `{% import %}` behind). tests/test_serve_cache.py compares every byte a memoized rebuild
writes with a clean build's.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..load.model import PublicRecipient
from .lists import CategoryList, ListPart, UnitGroup
from .output import Earlier, FileWriter
from .search_delta import SearchDelta


class Unfingerprintable(Exception):
    """A value whose content a fingerprint cannot see: what it feeds is made again."""


class Fingerprints:
    """Fingerprints of values: a digest of the value pickled.

    Pickling writes a value's whole content: for each object its class (by module and name)
    and its state (a record's fields, a list's items in order, a dict's keys and values in
    order, a text's characters), down to plain values. So two values with one fingerprint
    rebuild to equal objects of the same classes, and a page rendered from either is the same
    page. (A record, a msgspec Struct, pickles as its class and every field's value in order;
    no class here writes less: no __reduce__ or __getstate__ of its own. A recipient's cached
    `public` is not pickled: it is made from the fields.) What cannot be pickled (a function
    made at run time) cannot be fingerprinted.
    Pickle is written in C: a list of 10,000 names is fingerprinted several times faster than
    it is rendered.
    """

    def __init__(self, lasting: Lasting | None = None) -> None:
        self._shared: dict[int, tuple[Any, bytes]] = {}  # id -> (the value, kept alive; its fingerprint)
        self._lasting = lasting if lasting is not None else Lasting()

    def shared(self, value: Any) -> bytes:
        """A fingerprint of `value` remembered by its identity: for a value many pages are
        given (an announcement's summary), once it no longer changes (after the downloads
        are made). A category's list and a page of it (lists.CategoryList, ListPart), and a
        list or tuple of those or of unit groups, get one made of their parts' `shared`
        fingerprints, so that what several values hold is pickled once: the 公示 page's
        lists hold the category lists, which hold their pages, which hold the unit groups
        the category lists hold; a unit group of its recipients, each fingerprinted once for
        as long as it lives (`Lasting`). The type is part of it; it cannot equal a pickle's
        (`of`)."""
        known = self._shared.get(id(value))
        if known is None:
            parts = _parts(value)
            if parts is None:
                made = self.of(value)
            else:
                pieces = ([self._lasting.of(item, self.of) for item in value] if parts is _RECIPIENTS
                          else [self.shared(part) for part in parts])
                made = hashlib.blake2b(b"C" + _type_name(value) + b"\0" + b"".join(pieces), digest_size=20).digest()
            known = self._shared[id(value)] = (value, made)
        return known[1]

    def of(self, value: Any) -> bytes:
        try:
            data = pickle.dumps(value, protocol=5)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            raise Unfingerprintable(str(exc)) from exc
        return hashlib.blake2b(data, digest_size=20).digest()


class Lasting:
    """Fingerprints of the recipients a list shows (load.model.PublicRecipient: frozen, all of
    its fields text), by identity, from one rebuild to the next: a preview's load hands out
    the records of a list file not saved again as the very objects it made before
    (load.reuse), so that only a changed file's recipients are pickled again. Each entry
    keeps its recipient alive (its identity is not given to another object meanwhile); a
    rebuild keeps only those it used."""

    def __init__(self) -> None:
        self._last: dict[int, tuple[PublicRecipient, bytes]] = {}
        self._used: dict[int, tuple[PublicRecipient, bytes]] = {}

    def begin(self) -> None:
        self._last, self._used = self._used or self._last, {}

    def of(self, recipient: PublicRecipient, fingerprint: Callable[[Any], bytes]) -> bytes:
        key = id(recipient)
        known = self._used.get(key) or self._last.get(key)
        if known is None:
            known = (recipient, fingerprint(recipient))
        self._used[key] = known
        return known[1]


# Made of their fields' fingerprints; a list or tuple of these or of unit groups, of its items';
# a unit group of its other fields (pickled together) and its recipients (see `Lasting`).
# (Anything else is pickled whole: many small values cost more one by one.)
_COMPOSED = (CategoryList, ListPart)
_ITEMS = (CategoryList, ListPart, UnitGroup)
_RECIPIENTS: tuple = (object(),)  # `_parts` of a tuple of recipients: each one's lasting fingerprint
_GROUP_FIELDS = tuple(name for name in UnitGroup.__struct_fields__ if name != "recipients")


def _parts(value: Any) -> tuple | list | None:
    """The parts `Fingerprints.shared` makes a value's fingerprint of, or None: pickle it."""
    kind = type(value)
    if kind is list or kind is tuple:
        if not value:
            return None
        if kind is tuple and type(value[0]) is PublicRecipient and all(
                type(item) is PublicRecipient for item in value):
            return _RECIPIENTS
        return value if all(type(item) in _ITEMS for item in value) else None
    if kind in _COMPOSED:
        return tuple(getattr(value, name) for name in value.__struct_fields__)
    if kind is UnitGroup:
        return tuple(getattr(value, name) for name in _GROUP_FIELDS), value.recipients
    if kind is dict and value and all(type(item) in _ITEMS for item in value.values()):
        return (tuple(value), *value.values())
    return None


def _type_name(value: Any) -> bytes:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}".encode()


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


class Emitted:
    """The files the last rebuild wrote, by path: the very object it was made as (a page's
    text, a file's bytes: what a memo hands out again), with its bytes, SHA-256 and the
    guard's hits. The same object at the same path again is the same file (str and bytes do
    not change, and the object is kept alive here, so its identity is not reused): nothing of
    it is computed again. Only what the last rebuild wrote is kept."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[Any, tuple, Any]] = {}
        self._used: dict[str, tuple[Any, tuple, Any]] = {}

    def begin(self) -> None:
        self._last, self._used = self._used or self._last, {}

    def get(self, path: str, made: Any, forms: tuple) -> Any:
        known = self._last.get(path)
        if known is None or known[0] is not made or known[1] != forms:
            return None
        self._used[path] = known
        return known[2]

    def add(self, path: str, made: Any, forms: tuple, what: Any) -> None:
        self._used[path] = (made, forms, what)


class PublishMemo:
    """What a preview's rebuilds share: the Jinja environment (for the templates and static
    files as they are now) and the published files made before (see the module docstring)."""

    def __init__(self) -> None:
        self.environment: Any = None
        self.sources = b""  # digest of templates/ and static/ the environment was made for
        self.pages = Memo()      # fingerprint of a page's inputs -> its HTML
        self.files = Memo()      # fingerprint of a task's inputs -> the files it makes
        self.download_parts = Memo()  # a category list's fingerprint -> its lines of a CSV or JSON download
        self.guard = Memo()      # (phone forms, path, digest of the bytes) -> the guard's hits
        self.search = SearchDelta()  # the search index: the last records and their files
        self.emitted = Emitted()  # the files written, by path and the object made
        self.lasting = Lasting()  # the recipients' fingerprints, from one rebuild to the next
        self.prints = Fingerprints(self.lasting)
        self.earlier = Earlier()  # the files in the output, as the last rebuild wrote them
        self.writer: FileWriter | None = None  # this rebuild's (its files, once swapped in: earlier)
        # What the staging folder holds when it is an old site reused (output.FileWriter).
        self.reused: dict[str, tuple[str, tuple]] | None = None

    def writer_for(self, folder: Path, previous: Path | None = None) -> FileWriter:
        self.writer = FileWriter(folder, self.earlier, self.reused, previous)
        return self.writer

    def swapped_in(self, output: Path) -> None:
        """This rebuild's site is now `output`: the next one may link its unchanged files."""
        if self.writer is not None:
            self.earlier = Earlier(output, self.writer.written)
        self.writer = None

    def begin(self, root: Path) -> bytes:
        """Start a rebuild of the project at `root`; returns the digest of its templates and
        static files (a new one drops the environment)."""
        sources = folder_digest(root / "templates") + folder_digest(root / "static")
        if sources != self.sources:
            self.environment = None
            self.sources = sources
        for memo in (self.pages, self.files, self.download_parts, self.guard, self.emitted, self.lasting):
            memo.begin()
        self.prints = Fingerprints(self.lasting)
        return sources
