"""The reference client of the site search: static/js/search.js's algorithm, step for step,
over the files gongshi/site/search_index.py builds (path -> bytes).

Tests compare it with brute force (every record whose search string contains the query) and
run search.js under Node on the same files to check that the two agree; `fetched` counts the
bytes a browser would download. Only tests use it, so it is not part of the package.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from gongshi.site.search_index import MANIFEST, VERSION, fnv1a, normalise, query_grams


def read_ids(text: str) -> list[int]:
    """The ids search_index.ids_text wrote (without the JSON quotes), as search.js's decodeIds
    reads them: a lower-case letter ends a number, an upper-case one is a digit before it."""
    ids: list[int] = []
    value = total = 0
    for character in text:
        code = ord(character)
        if code >= 97:
            value = value * 26 + code - 97
            total = total + value if ids else value
            ids.append(total)
            value = 0
        else:
            value = value * 26 + code - 65
    return ids


@dataclass
class Found:
    """One search's outcome, as search.js shows it."""

    records: list[dict]     # the first `limit` matches, in id order
    count: int              # how many match, when `exact`; else how many were found so far
    exact: bool
    more: bool              # more to show: 显示更多 (or 继续查找 when `partial`)
    partial: bool = False   # stopped by a bound before one match more than the page was found

    @property
    def ids(self) -> list[int]:
        return [r["id"] for r in self.records]


class _OverBudget(Exception):
    """A search would load more pages than its bound."""


class _Cursor:
    """A gram's ids in ascending order, its pages loaded as they are reached (search.js: Cursor).
    `budget` ([pages left], shared by a search's cursors) bounds the pages loaded."""

    def __init__(self, index: SearchIndex, entry, manifest: dict, budget: list[int] | None = None):
        """`entry`: the gram's ids (read from the bucket), or a paged gram's {"n", "p"}."""
        self.index, self.entry, self.manifest, self.budget = index, entry, manifest, budget
        inline = isinstance(entry, list)
        self.ids = entry if inline else []
        self.pages = 1 if inline else math.ceil(entry["n"] / manifest["page"])
        self.page = 1 if inline else 0
        self.pos = 0

    def peek(self) -> int | None:
        while self.pos >= len(self.ids):
            if self.page >= self.pages:
                return None
            if self.budget is not None:
                if self.budget[0] <= 0:
                    raise _OverBudget
                self.budget[0] -= 1
            self.ids = read_ids(self.index.load(f"p-{self.entry['p']}-{self.page}.json"))
            self.page += 1
            self.pos = 0
        return self.ids[self.pos]

    def next(self) -> int | None:
        value = self.peek()
        if value is not None:
            self.pos += 1
        return value

    def has(self, rid: int) -> bool:
        """Whether `rid` is among the ids; asked in ascending order of `rid`."""
        while True:
            value = self.peek()
            if value is None or value > rid:
                return False
            self.pos += 1
            if value == rid:
                return True


@dataclass
class SearchIndex:
    """search.js's algorithm over built files (path -> bytes), recording what it fetches.

    `fetched` holds each file once, as the browser's cache does: its sizes are what a reader
    pays for the searches run so far on this object.
    """

    files: Mapping[str, bytes]
    fetched: dict[str, bytes] = field(default_factory=dict)

    def load(self, name: str):
        path = f"search/{name}"
        if path not in self.files:
            raise FileNotFoundError(path)
        self.fetched[path] = self.files[path]
        return json.loads(self.files[path])

    def record(self, rid: int, manifest: dict) -> dict:
        chunk = self.load(f"r-{rid // manifest['chunk']}.json")
        name, note, u, c, key, anchor = chunk["r"][rid % manifest["chunk"]]
        unit, url, t = chunk["u"][u]
        return {"id": rid, "name": name, "note": note, "unit": unit,
                "url": url + ("#" + anchor if anchor else ""),
                "category": chunk["c"][c], "title": chunk["a"][t], "key": key,
                "is_unit": chunk["c"][c] == manifest["unit_label"]}

    def search(self, query: str, limit: int | None = None) -> Found:
        """The first `limit` results (default: the manifest's page of results)."""
        q = normalise(query)
        if not q:
            return Found([], 0, True, False)
        manifest = self.load(MANIFEST)
        if manifest["version"] != VERSION:  # search.js refuses it too: a page older than the index
            raise ValueError(f"search index version {manifest['version']}, this client reads {VERSION}")
        limit = limit or manifest["results"]
        grams = query_grams(q)
        # search.js fetches all these buckets together, then looks
        buckets = [self.load(f"g-{fnv1a(gram) % manifest['buckets']}.json") for gram in grams]
        if any(gram not in bucket for gram, bucket in zip(grams, buckets)):
            return Found([], 0, True, False)
        entries = {gram: read_ids(entry) if isinstance(entry, str) else entry
                   for gram, bucket in zip(grams, buckets) for entry in [bucket[gram]]}

        def count(gram: str) -> int:
            entry = entries[gram]
            return entry["n"] if isinstance(entry, dict) else len(entry)

        order = sorted(grams, key=lambda g: (count(g), grams.index(g)))
        driver = _Cursor(self, entries[order[0]], manifest)

        if len(q) <= manifest["gram"]:  # the query is a gram: its ids are the answer
            ids = []
            while len(ids) < limit and (rid := driver.next()) is not None:
                ids.append(rid)
            total = count(order[0])
            return Found([self.record(rid, manifest) for rid in ids], total, True, total > limit)

        budget = [manifest["page_budget"] * -(-limit // manifest["results"])]
        driver = _Cursor(self, entries[order[0]], manifest, budget)
        filters: list[_Cursor] = []
        paged = 0
        for gram in order[1:]:
            entry = entries[gram]
            if isinstance(entry, list):
                filters.append(_Cursor(self, entry, manifest, budget))
            elif entry["n"] <= manifest["filter_ids"] and paged < manifest["paged_filters"]:
                filters.append(_Cursor(self, entry, manifest, budget))
                paged += 1

        def next_candidate() -> int | None:
            while (rid := driver.next()) is not None:
                if all(f.has(rid) for f in filters):
                    return rid
            return None

        # Check candidates in id order, a batch (its chunks loaded together) at a time, until
        # one match more than the page holds is found, so that "more" is known; or until the
        # candidates run out (the count is exact); or until the bounds on chunks and pages.
        want = limit + 1
        cap = limit + manifest["check_slack"]
        matches: list[dict] = []
        chunks: set[int] = set()
        pending: int | None = None
        state = "running"
        while len(matches) < want and state == "running":
            batch: list[int] = []
            fresh: set[int] = set()
            while len(batch) < want - len(matches):
                if pending is None:
                    try:
                        pending = next_candidate()
                    except _OverBudget:
                        state = "stopped"
                        break
                    if pending is None:
                        state = "exhausted"
                        break
                chunk = pending // manifest["chunk"]
                if chunk not in chunks and chunk not in fresh and len(chunks) + len(fresh) >= cap:
                    state = "stopped"
                    break
                fresh.add(chunk)
                batch.append(pending)
                pending = None
            chunks |= fresh
            for rid in batch:
                record = self.record(rid, manifest)
                if q in record["key"]:
                    matches.append(record)
        if state == "running":  # a page and one more found: are there other candidates?
            try:
                state = "exhausted" if next_candidate() is None else "more"
            except _OverBudget:
                state = "more"
        if state == "exhausted":
            return Found(matches[:limit], len(matches), True, len(matches) > limit)
        return Found(matches[:limit], len(matches), False, True, len(matches) < want)
