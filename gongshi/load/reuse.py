"""What a preview's loads share: the parts of a site made from files whose bytes did not change
since the last load (an announcement's categories, its units, each list file's records, and the
publication order of a group of those very records: load/ordering.py), handed out again as the
very objects made then, with the findings made with them reported again.

A part is kept under a key of everything it is made from: the names and SHA-256 of the files
it reads, and the parts it is made of, each by its identity (`Same`): a list file's records
point at their category and unit, so they are kept for those very objects, and the categories
or units made again give new records. Everything kept is frozen (load/model.py: nothing can
change it after it is made), so a part handed out again is what making it again would give.
A clean build never has a store (`reusing` is for `serve` only); tests/test_serve_cache.py
compares every byte a rebuild writes with a clean build's.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable
from typing import Any, TypeVar

from ..findings import Findings
from ..lastuse import using

T = TypeVar("T")

# While a preview loads: key -> (the part, the findings made with it), from the last load and
# from this one (see `reusing`).
_STORE: contextvars.ContextVar[tuple[dict, dict] | None] = contextvars.ContextVar("reuse", default=None)


class Same:
    """A key's part that equals only the very same object (and keeps it alive, so that its
    identity is not given to another object while the key is kept)."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value


def reusing(store: dict) -> contextlib.AbstractContextManager[None]:
    """Parts made meanwhile (`reused`) are taken from `store` when their key is there; a
    preview keeps it between loads, and afterwards it holds only what this load used."""
    return using(_STORE, store)


def reused(key: tuple, findings: Findings, make: Callable[..., T], *arguments: Any) -> T:
    """The part `make(*arguments)` makes, from the last load if `key` was made there (its
    findings are added to `findings` again); made now otherwise (and kept, with the findings
    it added)."""
    store = _STORE.get()
    if store is None:
        return make(*arguments)
    before, used = store
    kept: tuple[Any, tuple] | None = used.get(key) or before.get(key)
    if kept is None:
        start = len(findings.items)
        kept = (make(*arguments), tuple(findings.items[start:]))
    else:
        findings.items.extend(kept[1])
    used[key] = kept
    return kept[0]
