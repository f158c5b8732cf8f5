"""The search index of a preview's rebuild, made from the last one (site.memo keeps a
`SearchDelta`): a save that changes a few records re-makes only the files they are in.

The files are exactly `search_index.encode_index(records, part)`'s for the records given
(tests/test_serve_cache.py compares after random edits): what is kept is the last records and
how their files were laid out, and every rebuild compares its records with those, in full -
no fingerprint stands in for them.

* The records' chunks: a chunk whose records are all equal to the last rebuild's is the same
  file; the others are encoded again.
* The grams: when the records are as many as before and few of them changed (their ids stay:
  a changed 工作单位及职务 or unit does not move a record; a changed name may move it, and the
  records between its two places), the postings are updated id by id, and only the entries of
  the grams whose ids changed are written again: the buckets they are in, their pages if they
  are paged, and the manifest. When a gram crosses INLINE_MAX (the paged grams are numbered in
  order), or the records are more or fewer, or many changed, the gram files are laid out again
  from the postings (or, when the count changed, from the start). A change to the number of
  buckets re-makes every bucket.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import cast

from .. import urls
from ..load.model import Site
from . import search_index as si
from .search_index import GramLayout, SearchRecord

# More changed records than this share of them: lay the gram files out again.
REBUILD_SHARE = 8


def grams_of(key: str) -> set[str]:
    """Every gram of a search string (as gram_postings takes them)."""
    grams = set(key)
    for size in range(2, min(len(key), si.MAX_GRAM) + 1):
        grams.update(key[i:i + size] for i in range(len(key) - size + 1))
    return grams


class SearchDelta:
    """The last records and their files, part by part (search_index.PARTS)."""

    def __init__(self) -> None:
        self._chunked: list[SearchRecord] = []  # the records the chunks were made of
        self._chunks: list[bytes] = []
        self._keys: list[str] = []              # the search strings the grams were made of
        self._layout: GramLayout | None = None
        self._gram_files: dict[str, bytes] = {}
        self.remade = {part: 0 for part in si.PARTS}  # files each part encoded again last time
        self._keys_made: dict = {}  # a recipient's search string by what it is made of

    def records(self, searched: Site) -> list[SearchRecord]:
        """site_records(searched), with the search strings of unchanged recipients kept."""
        used: dict = {}
        records = si.site_records(searched, keys=(self._keys_made, used))
        self._keys_made = used
        return records

    def files(self, records: Sequence[SearchRecord], part: str) -> dict[str, bytes]:
        """encode_index(records, part), from what was kept."""
        if part not in si.PARTS:
            raise ValueError(f"unknown part of the search index: {part!r}")
        try:
            made = self._chunk_files(records) if part == "records" else self._grams(records)
        except BaseException:
            self.__init__()  # type: ignore[misc]  # half-updated: start again next time
            raise
        return dict(sorted(made.items()))

    # ------------------------------------------------------------------------- records

    def _chunk_files(self, records: Sequence[SearchRecord]) -> dict[str, bytes]:
        before, chunks = self._chunked, self._chunks
        made: list[bytes] = []
        self.remade["records"] = 0
        for number, start in enumerate(range(0, len(records), si.CHUNK)):
            piece = records[start:start + si.CHUNK]
            if number < len(chunks) and before[start:start + si.CHUNK] == piece:
                made.append(chunks[number])
            else:
                made.append(si.encode_chunk(piece))
                self.remade["records"] += 1
        self._chunked, self._chunks = list(records), made
        return {urls.search(f"r-{number}.json"): data for number, data in enumerate(made)}

    # --------------------------------------------------------------------------- grams

    def _grams(self, records: Sequence[SearchRecord]) -> dict[str, bytes]:
        keys = [record.key for record in records]
        layout, before = self._layout, self._keys
        if layout is None or len(keys) != len(before):
            return self._lay_out(si.gram_postings(keys), keys)
        changed = [i for i, (old, new) in enumerate(zip(before, keys)) if old != new]
        if len(changed) * REBUILD_SHARE > len(keys):
            return self._lay_out(si.gram_postings(keys), keys)
        postings = cast("dict[str, list[int]]", layout.postings)  # gram_postings': lists
        touched: set[str] = set()
        for i in changed:
            old, new = grams_of(before[i]), grams_of(keys[i])
            for gram in old - new:
                gone = postings[gram]
                del gone[bisect.bisect_left(gone, i)]
                if not gone:
                    del postings[gram]
            for gram in new - old:
                more = postings.get(gram)
                if more is None:
                    postings[gram] = [i]
                else:
                    bisect.insort(more, i)
            touched |= old ^ new
        self._keys = keys
        if any((gram in layout.frequent) != (len(postings.get(gram, ())) > si.INLINE_MAX) for gram in touched):
            return self._lay_out(postings, keys)  # the paged grams are numbered anew
        remade = 1  # the manifest
        files = self._gram_files
        buckets_touched: set[int] = set()
        for gram in touched:
            ids: list[int] | None = postings.get(gram)
            if gram in layout.entries:
                layout.size -= si.entry_size(layout.keys[gram], layout.entries[gram])
                bucket = si.fnv1a(gram) % layout.buckets
                buckets_touched.add(bucket)
                if ids is None:
                    del layout.entries[gram], layout.keys[gram]
                    layout.grouped[bucket].remove(gram)
            elif ids is not None:
                layout.keys[gram] = si._json_string(gram)
                bucket = si.fnv1a(gram) % layout.buckets
                buckets_touched.add(bucket)
                layout.grouped.setdefault(bucket, []).append(gram)
            if ids is None:
                continue
            number = layout.frequent.get(gram)
            if number is None:
                layout.entries[gram] = si.inline_entry(ids, layout.letters)
            else:
                layout.entries[gram] = si.paged_entry(ids, number)
                pages = si.page_files(number, ids, layout.letters)
                files.update(pages)
                remade += len(pages)
                k = len(pages)  # pages are numbered from 0: those past the new last go
                while (path := urls.search(f"p-{number}-{k}.json")) in files:
                    del files[path]
                    k += 1
            layout.size += si.entry_size(layout.keys[gram], layout.entries[gram])
        buckets = si.bucket_count(layout.size)
        if buckets != layout.buckets:
            for b in range(layout.buckets):
                del files[urls.search(f"g-{b}.json")]
            layout.buckets = buckets
            layout.grouped = {}
            for gram in layout.entries:
                layout.grouped.setdefault(si.fnv1a(gram) % buckets, []).append(gram)
            buckets_touched = set(range(buckets))
        for b in buckets_touched:
            files[urls.search(f"g-{b}.json")] = si.bucket_file(layout, b)
        self.remade["grams"] = remade + len(buckets_touched)
        files[urls.search(si.MANIFEST)] = si.manifest_file(len(keys), layout.buckets)
        return files

    def _lay_out(self, postings: dict[str, list[int]], keys: list[str]) -> dict[str, bytes]:
        files, self._layout = si.gram_files(postings, len(keys))
        self._keys, self._gram_files = keys, files
        self.remade["grams"] = len(files)
        return files
