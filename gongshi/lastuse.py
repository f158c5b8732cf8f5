"""What a preview keeps from one load to the next: a store of things made, which a load reads
from and which afterwards holds only what that load used (so it stays one site's worth)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

Stores = contextvars.ContextVar[tuple[dict, dict] | None]


@contextlib.contextmanager
def using(variable: Stores, store: dict) -> Iterator[None]:
    """Meanwhile `variable` holds (`store`, what this load uses: a new dict); afterwards
    `store` holds only what was used."""
    used: dict = {}
    token = variable.set((store, used))
    try:
        yield
    finally:
        variable.reset(token)
        store.clear()
        store.update(used)
