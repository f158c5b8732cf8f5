"""postings_array: the postings made with numpy are the plain loop's, gram for gram and id for
id, on the bundled site's search strings and on hostile ones; search_index uses them from
ARRAY_MIN_RECORDS records on, and falls back to the loop when they cannot be made."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gongshi.load.loader import load_site
from gongshi.site import postings_array
from gongshi.site import search_index as si

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundled_keys() -> list[str]:
    loaded = load_site(REPO)
    assert loaded.site is not None, loaded.findings
    return [record.key for record in si.site_records(loaded.site)]


def _same(found: dict[str, list[int]] | None, expected: dict[str, list[int]]) -> None:
    assert found is not None
    assert found.keys() == expected.keys()
    assert all(found[gram] == ids for gram, ids in expected.items())


def test_the_bundled_sites_postings_are_the_loops(bundled_keys):
    expected = si._loop_postings(bundled_keys)
    assert len(expected) > 1000
    _same(postings_array.array_postings(bundled_keys, si.MAX_GRAM), expected)


HOSTILE = ["张", "栀", "琳", "|", " ", "a", "z", "\x00", "\U00020000", "\U0010ffff", "\ud800",
           "\udfff", "·", "\u3000", "é", "\n", "\"", "\\"]


def test_hostile_strings_give_the_loops_postings():
    rng = random.Random(13)
    keys = ["".join(rng.choice(HOSTILE) for _ in range(rng.randrange(0, 9))) for _ in range(600)]
    keys += ["", "", "张张张张", "张张张张", "\U00020000\U00020000"]  # empty, repeats, the same twice
    _same(postings_array.array_postings(keys, si.MAX_GRAM), si._loop_postings(keys))
    for longest in (1, 2, 5):
        assert postings_array.array_postings(keys, longest).keys() == {
            gram for gram in si._loop_postings(keys) if len(gram) <= longest} | (
            _longer_grams(keys, longest))


def _longer_grams(keys: list[str], longest: int) -> set[str]:
    """Grams of 4..longest characters (the loop makes at most MAX_GRAM = 3)."""
    return {key[i:i + size] for key in keys for size in range(si.MAX_GRAM + 1, longest + 1)
            for i in range(len(key) - size + 1)}


def test_nothing_to_index_gives_no_postings():
    assert postings_array.array_postings([], si.MAX_GRAM) == {}
    assert postings_array.array_postings(["", ""], si.MAX_GRAM) == {}
    _same(postings_array.array_postings(["一"], si.MAX_GRAM), {"一": [0]})


def test_grams_too_wide_for_64_bits_are_left_to_the_loop():
    keys = ["".join(chr(0x4E00 + (i * 7 + j) % 600) for j in range(12)) for i in range(50)]
    assert postings_array.array_postings(keys, 7) is None  # 7 x 10 bits + 6 bits > 64


def test_gram_postings_uses_arrays_from_the_threshold_on(monkeypatch, bundled_keys):
    calls: list[int] = []
    real = postings_array.array_postings

    def spy(keys, longest, array_from=None):
        calls.append(len(keys))
        return real(keys, longest, array_from)

    monkeypatch.setattr(postings_array, "array_postings", spy)
    monkeypatch.setattr(si, "ARRAY_MIN_RECORDS", len(bundled_keys))
    _same(si.gram_postings(bundled_keys), si._loop_postings(bundled_keys))
    assert calls == [len(bundled_keys)]
    si.gram_postings(bundled_keys[:-1])
    assert calls == [len(bundled_keys)]  # below the threshold: the loop


def test_gram_postings_falls_back_to_the_loop(monkeypatch, bundled_keys):
    monkeypatch.setattr(postings_array, "array_postings", lambda keys, longest, array_from=None: None)
    monkeypatch.setattr(si, "ARRAY_MIN_RECORDS", 0)
    _same(si.gram_postings(bundled_keys), si._loop_postings(bundled_keys))


def test_the_index_files_are_the_same_bytes_either_way(monkeypatch, bundled_keys):
    loaded = load_site(REPO)
    records = si.site_records(loaded.site)
    monkeypatch.setattr(si, "ARRAY_MIN_RECORDS", 10**9)
    by_loop = si.encode_index(records)
    monkeypatch.setattr(si, "ARRAY_MIN_RECORDS", 0)
    assert si.encode_index(records) == by_loop


def _as_lists(found: dict) -> dict[str, list[int]]:
    return {gram: ids if isinstance(ids, list) else ids.tolist() for gram, ids in found.items()}


@pytest.mark.parametrize("block", [7, 64, postings_array.BLOCK])
def test_paged_grams_come_as_arrays_with_the_loops_ids(monkeypatch, bundled_keys, block):
    """With array_from, only a gram in more records than that may be a uint32 array (one found
    ARRAY_RUN times in some block); the ids are the loop's either way, also when a gram's ids
    are a list in some blocks and an array slice in others (small blocks, small runs)."""
    monkeypatch.setattr(postings_array, "BLOCK", block)
    monkeypatch.setattr(postings_array, "ARRAY_RUN", 3)
    expected = si._loop_postings(bundled_keys)
    found = postings_array.array_postings(bundled_keys, si.MAX_GRAM, array_from=20)
    assert found is not None
    _same(_as_lists(found), expected)
    arrays = {gram for gram, ids in found.items() if not isinstance(ids, list)}
    assert arrays <= {gram for gram, ids in expected.items() if len(ids) > 20}
    assert len(arrays) > 50
    assert all(ids.dtype == "uint32" for ids in found.values() if not isinstance(ids, list))
    assert all(isinstance(ids, list) for ids in postings_array.array_postings(bundled_keys, si.MAX_GRAM).values())


def test_pages_from_an_array_are_the_lists_bytes():
    import numpy as np

    rng = random.Random(5)
    letters = si.number_letters(500_000)
    runs = [sorted(rng.sample(range(200_000), size)) for size in (1, 2, 9, 10, 11, 30, 64, 128, 5000)]
    runs += [list(range(0, 60_000, 3)), list(range(200_000 - 9000, 200_000)), [0, 26, 52, 676, 17_576, 199_999],
             [456_975, 456_976, 456_977, 500_000]]  # 4- and 5-letter numbers
    for ids in runs:
        for page in (1, 3, 10, 64, si.PAGE):
            expected = [si.ids_text(ids[start:start + page], letters) for start in range(0, len(ids), page)]
            assert postings_array.delta_pages(np.array(ids, dtype=np.uint32), page) == expected


@pytest.mark.parametrize("batch", [1, 7, 100, postings_array.INLINE_BATCH])
def test_every_gram_written_at_once_is_what_each_one_alone_writes(monkeypatch, batch):
    """inline_texts (a large site's entries in buckets, in batches of about INLINE_BATCH ids)
    gives ids_text of each gram's ids, lists and arrays mixed in any order; fnv1a_hashes gives
    fnv1a of each gram."""
    import numpy as np

    monkeypatch.setattr(postings_array, "INLINE_BATCH", batch)

    rng = random.Random(7)
    letters = si.number_letters(500_000)
    runs = [sorted(rng.sample(range(200_000), rng.choice((1, 1, 2, 5, 40)))) for _ in range(300)]
    runs += [[0], [25], [26], [0, 26, 52, 676, 17_576, 199_999], [456_975, 456_976, 500_000]]
    grams_ids = [np.array(ids, dtype=np.uint32) if rng.random() < 0.3 else ids for ids in runs]
    assert postings_array.inline_texts(grams_ids) == [si.ids_text(ids, letters) for ids in runs]
    assert postings_array.inline_texts([[3], [1, 2]]) == ['"d"', '"bb"']  # no arrays at all
    assert postings_array.inline_texts([]) == []

    texts = ["", "a", "张", "張三", "zzl", "𠀀𠮷", "\ud800x", "|优秀", "长" * 40,
             *("".join(rng.choice("张王李abc|𠀀 ") for _ in range(rng.randint(1, 3))) for _ in range(500))]
    hashes = postings_array.fnv1a_hashes(texts, si.FNV_OFFSET, si.FNV_PRIME)
    assert hashes == [si.fnv1a(text) for text in texts]
    assert postings_array.fnv1a_hashes([], si.FNV_OFFSET, si.FNV_PRIME) == []


def test_the_build_writes_paged_grams_from_arrays(monkeypatch, bundled_keys):
    """The build's gram files are the same bytes from arrays as from lists, pages and all,
    and entries in buckets from arrays too (ARRAY_FROM below INLINE_MAX); and the build does
    hand gram_files arrays."""
    loaded = load_site(REPO)
    records = si.site_records(loaded.site)
    monkeypatch.setattr(si, "INLINE_MAX", 8)
    monkeypatch.setattr(si, "ARRAY_FROM", 3)
    monkeypatch.setattr(si, "PAGE", 5)
    monkeypatch.setattr(postings_array, "BLOCK", 50)
    monkeypatch.setattr(postings_array, "ARRAY_RUN", 2)
    by_lists = si.gram_files(si.gram_postings([r.key for r in records]), len(records))[0]
    assert sum(path.startswith("search/p-") for path in by_lists) > 100
    handed: list[dict] = []
    real = si.gram_files

    def spy(postings, count):
        handed.append(postings)
        return real(postings, count)

    monkeypatch.setattr(si, "gram_files", spy)
    monkeypatch.setattr(si, "ARRAY_MIN_RECORDS", 0)
    made = si.encode_index(records, "grams")
    assert made == by_lists
    arrays = [len(ids) for ids in handed[0].values() if not isinstance(ids, list)]
    assert sum(size > 8 for size in arrays) > 100 and sum(size <= 8 for size in arrays) > 100


@pytest.mark.parametrize(("chosen", "expected"), [(None, "1"), ("3", "3")])
def test_numpy_starts_one_blas_thread_unless_the_user_chose_a_number(chosen, expected):
    """OpenBLAS would start a thread per core as numpy is imported, for work nothing here does,
    and take the CPU from the build's other process."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    code = ("import os\n"
            "from gongshi.site import postings_array\n"
            "tasks = len(os.listdir('/proc/self/task')) if os.path.isdir('/proc/self/task') else 1\n"
            "print(os.environ['OPENBLAS_NUM_THREADS'], tasks)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr
    setting, threads = done.stdout.split()
    assert setting == expected
    if chosen is None:
        assert threads == "1"  # numpy imported, and no thread but this one
