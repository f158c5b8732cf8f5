"""The search index's postings for a large site, made with numpy arrays instead of a dict loop.

`search_index.gram_postings` (gram -> ascending ids of the records whose search string holds
it) visits every (gram, record) pair in Python: 1.6 million pairs at 10,000 names (0.37 s),
16.6 million at 100,000 (4.5 s), the largest single part of a large build. Here every
character of all the strings becomes a small number (its rank among the characters present),
each gram of 1..`max_gram` characters one integer, and each (gram, record) pair one 64-bit
integer, gram high and record low: one sort orders the pairs by gram and then by record, and
neighbours that are equal are the same gram met twice in one record. Only the grouped ids
become Python lists (10k: 0.11 s in all, 100k: 1.2 s). The records are taken BLOCK at a time,
so that the arrays stay small (100k: 190 MB at the most, the loop's 150, when a block was 8,192
records). A block of 16,384 holds about 5 MB more at 100,000 names than one of 8,192 and saves
a fifth of the time, which went to merging each gram's ids across the blocks (10k 142 -> 114 ms,
100k 1.45-1.67 -> 1.23 s); one of 32,768 saves little more and holds 90 MB more.

The result is the same dict (the same grams, the same lists; tests compare the two on real and
hostile strings); only its order differs, which nothing reads. `array_postings` returns None
when a pair would not fit in 64 bits (a block of records using more than 65,535 different
characters: hostile data only): the caller then makes them the plain way.

A build asks for the ids of a gram in more than `array_from` records (search_index.ARRAY_FROM)
as a numpy array instead (`Ids`): most of the ids of a large site are there (at 100,000 names
15 of 16.6 million), and a Python list of them, made and merged block by block, then gone
through once more to write them, is what cost most. Within a block a gram found ARRAY_RUN times
or more keeps its ids as a slice of an array; after the last block a gram's pieces are joined,
as an array when there are more than `array_from`, else as a list. `delta_pages` writes the
ids from the array (a paged gram's pages), `inline_texts` those of every gram written in its
bucket at once, the same bytes as search_index's `ids_text` from a list; `fnv1a_hashes` gives
the grams' buckets at once.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence

# Nothing here multiplies matrices: one BLAS thread. numpy's OpenBLAS otherwise starts a thread
# per core when numpy is imported, which doubles the import's CPU (0.09 s instead of 0.047) and
# takes it from the other process of the build, which is reading the project meanwhile. Only
# if the user has not chosen a number; this process (and any it starts later) keeps it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # after the line above, which must come first

_UTF32 = "utf-32-le"
_SURROGATES = "surrogatepass"  # a lone surrogate in a string is a code point like any other
BLOCK = 16384  # records whose postings are made at a time
ARRAY_RUN = 32  # from this many ids of one gram in one block on, they stay an array slice
INLINE_BATCH = 1 << 17  # ids written as letters at a time (inline_texts)

Ids = list[int] | np.ndarray  # a gram's ascending record ids


def array_postings(keys: Sequence[str], max_gram: int, array_from: int | None = None) -> dict[str, Ids] | None:
    """gram -> ascending ids of the records whose key contains it (ids are positions in
    `keys`); None when the pairs would not fit in 64 bits. The records are taken BLOCK at a
    time (in id order, so each gram's ids stay ascending), which bounds the arrays' memory.
    With `array_from`, the ids of a gram in more records than that are a uint32 array."""
    index: dict[str, Ids] = {}
    pieces: dict[str, list[Ids]] = {}  # grams with an array among their blocks' ids, in order
    records = list(range(len(keys)))
    for first in range(0, len(keys), BLOCK):
        block = _block_postings(keys[first:first + BLOCK], max_gram, records, first, array_from is not None)
        if block is None:
            return None
        for gram, ids in block:
            found = index.get(gram)
            if found is None:
                index[gram] = ids
            elif gram in pieces:
                pieces[gram].append(ids)
            elif type(found) is list and type(ids) is list:
                found.extend(ids)
            else:
                pieces[gram] = [found, ids]
    for gram, parts in pieces.items():
        index[gram] = np.concatenate([np.asarray(part, dtype=np.uint32) for part in parts])
    if array_from is not None:  # else no block made an array
        take = records.__getitem__
        for gram, ids in index.items():
            if not isinstance(ids, list) and len(ids) <= array_from:
                index[gram] = list(map(take, ids.tolist()))  # the records' own ints, as the lists have
    return index


def _block_postings(keys: Sequence[str], max_gram: int, records: list[int], first: int,
                    arrays: bool) -> list[tuple[str, Ids]] | None:
    """(gram, the ids of the keys containing it) for these keys, which are `records[first:]`,
    or None; with `arrays`, the ids of a gram found ARRAY_RUN times or more are an array."""
    text = "".join(keys)
    if not text:
        return []
    points = np.frombuffer(text.encode(_UTF32, _SURROGATES), dtype=np.uint32)
    present = np.bincount(points)
    alphabet = np.flatnonzero(present).astype(np.uint32)  # rank - 1 -> code point
    char_bits = int(len(alphabet)).bit_length()
    id_bits = max(1, int(len(keys) - 1).bit_length())
    if max_gram * char_bits + id_bits > 64:
        return None
    rank = np.zeros(len(present), dtype=np.uint64)
    rank[alphabet] = np.arange(1, len(alphabet) + 1, dtype=np.uint64)
    ranks = rank[points]
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    ids = np.repeat(np.arange(len(keys), dtype=np.uint64), lengths)
    left = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(points), dtype=np.int64)
    shift, id_mask = np.uint64(char_bits), np.uint64((1 << id_bits) - 1)
    # One int object per record, shared by all its grams as the loop shares them (ints of
    # their own would take 460 MB more at 100,000 names).
    take = records[first:first + len(keys)].__getitem__
    postings: list[tuple[str, Ids]] = []
    code = ranks
    for size in range(1, max_gram + 1):
        if size > 1:
            code = code[:-1] << shift  # the gram starting at each place, one character longer
            code |= ranks[size - 1:]
        pairs = code << np.uint64(id_bits)
        pairs |= ids[:len(code)]
        pairs = pairs[left[:len(code)] >= size]  # grams within one string only
        if not len(pairs):
            break
        pairs.sort()
        pairs = pairs[_first_of_runs(pairs)]
        grams = pairs >> np.uint64(id_bits)
        starts = np.flatnonzero(_first_of_runs(grams))
        texts = _texts(grams[starts], size, char_bits, alphabet)
        runs = np.diff(starts, append=len(pairs))  # each gram's number of ids
        long_runs = runs >= ARRAY_RUN
        if arrays and long_runs.any():
            in_long = np.repeat(long_runs, runs)
            short = ~long_runs
            found = list(map(take, (pairs[~in_long] & id_mask).tolist()))
            postings.extend(zip(itertools.compress(texts, short.tolist()), _split(found, runs[short])))
            slices = (pairs[in_long] & id_mask).astype(np.uint32) + np.uint32(first)
            postings.extend(zip(itertools.compress(texts, long_runs.tolist()), _split(slices, runs[long_runs])))
        else:
            found = list(map(take, (pairs & id_mask).tolist()))
            postings.extend(zip(texts, _split(found, runs)))
    return postings


def _split(values: list[int] | np.ndarray, runs: np.ndarray) -> Iterator:
    """`values` cut into consecutive pieces of these lengths."""
    bounds = [0, *np.cumsum(runs).tolist()]
    return map(values.__getitem__, map(slice, bounds, bounds[1:]))


def delta_pages(ids: np.ndarray, page: int) -> list[str]:
    """The pages of `page` ids each of a gram's ascending ids, as JSON text (a paged gram's
    pages; with `page` the number of ids, the one string written in its bucket): each page's
    first id, then the gaps, in letters (search_index.ids_text of each slice)."""
    return delta_texts(ids, np.arange(0, len(ids), page))


def inline_texts(grams_ids: Sequence[Ids]) -> list[str]:
    """search_index.ids_text of each gram's ascending ids (lists and arrays, as array_postings
    makes them), written INLINE_BATCH ids at a time: at 10,000 names 41,000 grams with 1.2
    million ids in 0.04 s, not 0.07 gram by gram (the arrays' grams cost numpy's every call).
    In batches, so that the arrays never hold more than a few MB (all at once: 39 MB more)."""
    texts: list[str] = []
    first, held = 0, 0
    for end, ids in enumerate(grams_ids, 1):
        held += len(ids)
        if held >= INLINE_BATCH or end == len(grams_ids):
            texts += _inline_batch(grams_ids[first:end])
            first, held = end, 0
    return texts


def _inline_batch(grams_ids: Sequence[Ids]) -> list[str]:
    lists = [ids for ids in grams_ids if type(ids) is list]
    arrays = [ids for ids in grams_ids if type(ids) is not list]
    lengths = np.fromiter(itertools.chain(map(len, lists), map(len, arrays)), dtype=np.int64,
                          count=len(grams_ids))
    listed = int(lengths[:len(lists)].sum())
    flat = np.empty(int(lengths.sum()), dtype=np.int64)
    flat[:listed] = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=listed)
    if arrays:
        np.concatenate(arrays, out=flat[listed:], casting="unsafe")
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    texts = delta_texts(flat, starts)
    of_lists, of_arrays = iter(texts[:len(lists)]), iter(texts[len(lists):])
    return [next(of_lists) if type(ids) is list else next(of_arrays) for ids in grams_ids]


def delta_texts(ids: np.ndarray, starts: np.ndarray) -> list[str]:
    """Runs of ascending ids, each written as JSON text as search_index.ids_text writes it: its
    first id, then the gaps, in letters. `ids` holds the runs one after another, `starts` where
    each begins (the first at 0). Written for all the ids at once: each number's count of
    base-26 digits, where each ends, then its digits from the last (a lower-case letter) to the
    first (upper-case). At 100,000 names a quarter quicker than looking up each gap's letters
    (0.36 s for 15 million ids, not 0.45)."""
    deltas = ids.astype(np.int64)
    deltas[1:] -= ids[:-1]
    deltas[starts] = ids[starts]  # each run starts from 0
    digits = np.ones(len(deltas), dtype=np.int64)
    bound = 26
    while (longer := deltas >= bound).any():
        digits += longer
        bound *= 26
    ends = np.cumsum(digits)
    letters = np.empty(int(ends[-1]), dtype=np.uint8)
    letters[ends - 1] = deltas % 26 + ord("a")
    rest, at = deltas // 26, ends - 2
    for place in range(1, int(digits.max())):
        longer = digits > place
        letters[at[longer]] = rest[longer] % 26 + ord("A")
        rest //= 26
        at -= 1
    text = letters.tobytes().decode("ascii")
    stops = ends[np.append(starts[1:], len(ids)) - 1].tolist()  # where each run's text ends
    return ['"' + text[start:stop] + '"' for start, stop in zip([0, *stops[:-1]], stops)]


def fnv1a_hashes(texts: Sequence[str], offset: int, prime: int) -> list[int]:
    """search_index.fnv1a of each text (32-bit FNV-1a over code points with this offset and
    prime), all at once: at 10,000 names 41,000 grams in 4 ms, not 17 one by one."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    points = np.frombuffer("".join(texts).encode(_UTF32, _SURROGATES), dtype=np.uint32).astype(np.uint64)
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    hashes = np.full(len(texts), offset, dtype=np.uint64)
    factor, low = np.uint64(prime), np.uint64(0xFFFFFFFF)  # (a hash ^ a code point) * prime < 2**57
    for place in range(int(lengths.max(initial=0))):
        live = np.flatnonzero(lengths > place)
        hashes[live] = ((hashes[live] ^ points[starts[live] + place]) * factor) & low
    return hashes.tolist()


def _first_of_runs(values: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before it (and at the first)."""
    first = np.empty(len(values), dtype=bool)
    first[:1] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return first


def _texts(codes: np.ndarray, size: int, char_bits: int, alphabet: np.ndarray) -> list[str]:
    """The grams of `size` characters these codes stand for."""
    chars = np.empty((len(codes), size), dtype=np.uint32)
    mask = np.uint64((1 << char_bits) - 1)
    for place in range(size):
        ranks = (codes >> np.uint64(char_bits * (size - 1 - place))) & mask
        chars[:, place] = alphabet[ranks.astype(np.int64) - 1]
    joined = chars.tobytes().decode(_UTF32, _SURROGATES)
    return [joined[start:start + size] for start in range(0, len(joined), size)]
