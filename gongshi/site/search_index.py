"""The site-wide search: a static index that finds a name or a unit across all announcements.

Matching is the per-page filter's (static/js/site.js): the query and each record's search
string are lower-cased with spaces and 间隔号 removed, and a record matches when the query is
a plain substring of its string (no word segmentation). A recipient's string is
`search.search_text()` (name, 工作单位及职务, 推荐单位, full pinyin, initials) plus the
category name; a unit is a record too, found by its name and the name's pinyin.

Nothing runs on a server, and what one query fetches stays small however large the archive
grows: no file's size depends on the archive's (the manifest's only by a few digits), and a
query reads the manifest, one to eight buckets, a few pages of ids at most, and the chunks of
the results it shows (tests/test_search_index.py measures it at 100,000 names). The files, all under `search/`:

* `manifest.json`: format version, record count, chunk and page sizes, bucket count, the
  hash's parameters. A few numbers.
* `r-<c>.json`: records `c*CHUNK ..` - what a result shows (name, note, unit, category,
  announcement, its unit page's URL and, for a recipient, the id of its row there) and its
  search string, for checking a candidate. Units, categories and announcement titles sit in
  small tables local to the chunk.
* `g-<b>.json`: bucket b of the gram index. A gram is any substring of one to three code
  points of a search string; it lives in bucket `fnv1a(gram) % B`, B chosen from the data so a
  bucket stays near BUCKET_BYTES. A gram maps to its record ids as a string of letters (see
  below); a gram found in more than INLINE_MAX records maps to `{"n": count, "p": number}` and
  its ids are in the pages below, so a common gram never makes a bucket grow by more than
  INLINE_MAX ids (a few KB: most of its gaps are one letter).
* `p-<number>-<k>.json`: page k of a common gram's ids, PAGE ids each, as a string of letters.

Ids are written as letters (`ids_text`): the first id, then each gap to the next, each number
in base 26 with its last digit a lower-case letter and any digits before it upper-case (0 "a",
25 "z", 26 "Ba", 700 "BAy"), with nothing between them. A common gram's gaps are mostly one
letter, where `12,` took three bytes: its pages and the buckets are about half the size they
were as JSON arrays of numbers, for the build to write and check and for a reader to fetch; and
ids written so hold no digit, so no run of them can look like a phone number to the guard.

Why grams of up to three characters, not only bigrams: a query of one to three characters -
a name, a surname, initials like zzl, most of what people type - *is* a gram, so its ids are
the exact answer and its count is exact, with nothing to check; only the chunks of the results
shown are fetched (a common gram's first page of ids too).

A longer query (full pinyin, a unit's name) is looked up by its trigrams, at most
MAX_QUERY_GRAMS spread over it. The rarest drives; the others filter it if inline, or if paged
with at most FILTER_IDS ids (at most MAX_PAGED_FILTERS of those), merge-joined in id order so
only the pages the scan reaches are fetched. Each remaining candidate is checked by substring
against the search string in its chunk, in id order, until one match more than the page of
results holds has been found. Every match contains every trigram, so it is a candidate: the
results are exactly the brute-force results, in the same order. The count is exact when the
candidates ran out; otherwise the page says "超过 N 条" (one more was found, so it is true), not
an estimate - estimates from a prefix of the ids were badly wrong on real-looking data, where
matches cluster. Two bounds keep a pathological query (every trigram common, the whole rare)
cheap: at most CHECK_SLACK chunks beyond one per result, and PAGE_BUDGET pages of ids per page
of results. Reaching one gives a partial result ("已找到 N 条，还有记录没有查完") and 继续查找,
which searches again with room for one more page.

Ids are assigned so that the results of common queries sit together, since a result costs the
chunk it is in: the units first, then every recipient in pinyin order of the name. A name, a
surname, initials or a pinyin prefix is then one run of ids, and a page of results costs a
chunk or two; the units of a unit-name query come first in its results.

The build publishes `build_search_index(site)` (path -> bytes; publish makes it in PARTS) and
the page `search/` (templates/search.html, context `search_page_context(site)`), which loads
search.js.

A result links to its unit page; a recipient's link goes to its own row there
(`unit page#row id`), which the page highlights (:target). Row ids come from
`row_anchors()`: the one rule for them, used by every page that lists a recipient (the
公示 list and its parts, the unit page), so the same row has the same id wherever it is.

`fnv1a` is 32-bit FNV-1a over Unicode code points; static/js/search.js computes it the same
way, with the offset and prime the manifest gives. The reference client, which runs search.js's
algorithm step for step on the built files so that tests can compare it with brute force and
count the bytes a browser fetches, lives with the tests (tests/support/search_client.py).
Output is deterministic (sorted keys, no dates) and compact JSON.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import math
import operator
import re
import weakref
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, cast

import msgspec
from msgspec import Struct

from .. import urls
from ..load.model import Announcement, Decision, PublicRecipient, Site, Unit
from ..zh.names import INTERPUNCT_VARIANTS
from .search import SEPARATOR, pinyin_forms, search_text

if TYPE_CHECKING:  # numpy only where postings_array makes arrays: a small site never imports it
    from .postings_array import Ids

VERSION = 3  # 3: ids as letters (2: as JSON arrays of numbers)
# CHUNK, INLINE_MAX and PAGE trade the bytes a search fetches for the number of files a build
# writes (each costs the build a file made, checked, listed in SHA256SUMS and removed with the
# old site, and staff copy every one to the portal). At 100,000 names (tests/test_search_index's
# synthetic list) 32/512/4096 made 6,856 files, 48/4096/16384 make 4,157; one search fetches
# 20.6 KB gzipped on average instead of 17.6, 60.5 at the most instead of 48.4 (a chunk of 64
# records: 3,636 files, 77 KB at the most). The benchmark's 10,000 names: 1,431 -> 833 files.
CHUNK = 48              # records per r-<c>.json
MAX_GRAM = 3            # grams are substrings of 1..MAX_GRAM code points
INLINE_MAX = 4096       # a gram in more records than this gets pages of its own
PAGE = 16384            # ids per p-<n>-<k>.json
BUCKET_BYTES = 6000     # the size a g-<b>.json is aimed at
MAX_QUERY_GRAMS = 8     # trigrams looked up for a long query
MAX_PAGED_FILTERS = 3   # paged grams that may filter the driver...
# ...if they have at most this many ids: four pages. With 16,384 (four pages of 4,096 before
# PAGE grew) "wang" on the benchmark's 100,000 names found nothing in its first page (its
# driver wan is spread over every id, ang in 35,000 records did not filter) after 106 KB;
# now 21 results in 33 KB (tests/test_search_index.py: a common trigram still filters).
FILTER_IDS = 4 * PAGE
RESULTS = 20            # results shown at first; 显示更多 shows as many again
CHECK_SLACK = 12        # chunks a long query may read beyond one per result
PAGE_BUDGET = 8         # pages a long query may read per page of results
UNIT_LABEL = "推荐单位"  # what a unit record shows in the category column
MANIFEST = "manifest.json"  # the file a page's data-search-index names
# From this many records the postings are made with numpy (postings_array): below it, importing
# numpy (0.06 s) costs more than it saves (2,000 records: 0.07 s the plain way).
ARRAY_MIN_RECORDS = 2000
# The ids of a gram in more records than this stay a numpy array (postings_array), written out
# from it whether they go to pages (delta_pages) or inline (inline_texts): a list of them costs
# more to make and to write (at 10,000 names the gram files took 0.29 s with lists from
# INLINE_MAX on, 0.26 so).
ARRAY_FROM = 512

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193

# What matching ignores: spaces and every 间隔号 (names.INTERPUNCT_VARIANTS). The scripts
# (site.js, search.js) match /[\s<the page's data-interpunct>]+/g; JavaScript's \s is spelled
# out here (Python's \s differs: it has \x1c-\x1f and \x85 and lacks \ufeff).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_INTERPUNCT = re.compile(f"[{_JS_SPACE}{re.escape(INTERPUNCT_VARIANTS)}]+")


def normalise(text: str) -> str:
    """site.js's normalise(): lower-case, spaces and 间隔号 removed."""
    return _INTERPUNCT.sub("", (text or "").lower())


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the code points of `text` (search.js: hash())."""
    h = FNV_OFFSET
    for ch in text:
        h = ((h ^ ord(ch)) * FNV_PRIME) & 0xFFFFFFFF
    return h


def query_grams(query: str) -> list[str]:
    """The grams a normalised query is looked up by (search.js: queryGrams()): the query
    itself when it is short, else its trigrams - at most MAX_QUERY_GRAMS of them, spread
    evenly from the first to the last - without repeats, in order."""
    chars = list(query)
    n = len(chars)
    if n <= MAX_GRAM:
        return [query] if query else []
    last = n - MAX_GRAM
    if last + 1 <= MAX_QUERY_GRAMS:
        starts = list(range(last + 1))
    else:
        starts = [last * i // (MAX_QUERY_GRAMS - 1) for i in range(MAX_QUERY_GRAMS)]
    grams: list[str] = []
    for start in starts:
        gram = "".join(chars[start:start + MAX_GRAM])
        if gram not in grams:
            grams.append(gram)
    return grams


# ---------------------------------------------------------------------------- records


class SearchRecord(NamedTuple):
    """One thing the search finds: a recipient (person or organisation) or a unit. A named
    tuple: a large site makes one per name (at 100,000 names 0.07 s less than a frozen
    dataclass, whose every field is set through object.__setattr__)."""

    key: str        # the normalised search string
    name: str
    note: str       # a person's 工作单位及职务, a unit's kind, else ""
    unit: str       # 推荐单位
    category: str   # the category's name, or UNIT_LABEL for a unit
    title: str      # the announcement's short title
    url: str        # the unit page, relative to the base URL ("2018-mofan/units/qinyang/")
    anchor: str = ""  # a recipient's row id on that page (row_anchors()); "" for a unit


def unit_path(announcement: Announcement, unit: Unit) -> str:
    """The unit page's path under the base URL (urls.unit())."""
    return urls.unit(announcement.slug, unit.id)


# The row ids of the last few lists, by the identity of the list, with a weak reference to the
# announcement holding it: the pages and the search index of a build ask for the same list's,
# and a preview's earlier sites are not kept alive by it (it kept the last eight lists, eight
# sites' recipients, and the preview's idle collection took twice as long).
_ANCHORS: dict[int, tuple[weakref.ref, tuple[str, ...]]] = {}
_ANCHORS_KEPT = 8


def row_anchors(announcement: Announcement) -> tuple[str, ...]:
    """The id of each recipient's row (in `announcement.recipients` order), the same on every
    page that lists it: `<category>-<unit>-<6 hex of the name's SHA-1>`, e.g.
    `worker-qinyang-3fa2c1`. Derived from the data, not the position, so a link to a row
    survives rows added or removed around it; a second row with the same id in the list
    (two people of one name in one unit and category) gets `-2`, the next `-3`."""
    recipients = announcement.recipients
    known = _ANCHORS.get(id(recipients))
    if known is not None:
        holder = known[0]()  # alive, and holding this very list: the identity is not reused
        if holder is not None and holder.recipients is recipients:
            return known[1]
    made = _row_anchors(recipients)
    if len(_ANCHORS) >= _ANCHORS_KEPT:
        del _ANCHORS[next(iter(_ANCHORS))]
    _ANCHORS[id(recipients)] = (weakref.ref(_list_holder(announcement)), made)
    return made


def _list_holder(announcement: Announcement) -> Announcement | Decision:
    """What keeps `announcement.recipients` as long as the site: the announcement, or for the
    view of a 决定's list (Announcement.decision_view, made anew each time) the decision."""
    decision = announcement.decision
    if decision is not None and announcement.recipients is decision.recipients:
        return decision
    return announcement


def _row_anchors(recipients: Sequence) -> tuple[str, ...]:
    sha1 = hashlib.sha1
    anchors = [f"{r.category.id}-{r.unit.id}-{sha1(r.name.encode()).hexdigest()[:6]}" for r in recipients]
    if len(set(anchors)) == len(anchors):  # as almost always: no id twice, nothing to number
        return tuple(anchors)
    seen: dict[str, int] = {}
    numbered: list[str] = []
    for anchor in anchors:
        n = seen.get(anchor, 0) + 1
        seen[anchor] = n
        numbered.append(anchor if n == 1 else f"{anchor}-{n}")
    return tuple(numbered)


def unit_key(unit: Unit) -> str:
    return normalise(SEPARATOR.join([unit.name, *pinyin_forms(unit.name)]))


def recipient_key(public: PublicRecipient, is_person: bool, category_name: str) -> str:
    return normalise(search_text(public, is_person) + SEPARATOR + category_name)


def site_records(site: Site, unit_url: Callable[[Announcement, Unit], str] = unit_path,
                 keys: tuple[dict, dict] | None = None) -> list[SearchRecord]:
    """Every unit and recipient of the site, in id order: the units (announcement by
    announcement, in the 附件's order), then the recipients by the pinyin of their names.
    `keys` (a preview's): the recipients' search strings made before, by what they are made
    of, and where to put those this uses."""
    before, used = keys if keys is not None else ({}, None)
    units: list[SearchRecord] = []
    people: list[tuple[tuple, SearchRecord]] = []
    for a_index, announcement in enumerate(site.announcements):
        for unit in announcement.units:
            units.append(SearchRecord(unit_key(unit), unit.name, unit.kind, unit.name, UNIT_LABEL,
                                      announcement.short_title, unit_url(announcement, unit)))
        anchors = row_anchors(announcement)
        unit_urls: dict[int, str] = {}  # id(unit) -> unit_url(announcement, unit)
        for r_index, recipient in enumerate(announcement.recipients):
            category, public = recipient.category, recipient.public  # only what is published
            is_person = category.is_person
            forms = pinyin_forms(public.name, surname=is_person)
            if used is None:
                key = recipient_key(public, is_person, category.name)
            else:  # what recipient_key reads
                made_of = (public.name, public.title, public.unit_name, is_person, category.name)
                key = used.get(made_of) or before.get(made_of) or recipient_key(public, is_person, category.name)
                used[made_of] = key
            url = unit_urls.get(id(recipient.unit))
            if url is None:
                url = unit_urls[id(recipient.unit)] = unit_url(announcement, recipient.unit)
            record = SearchRecord(key, public.name, (public.title or "") if is_person else "",
                                  public.unit_name, category.name, announcement.short_title, url,
                                  anchors[r_index])
            people.append(((forms[0] if forms else "\U0010ffff", public.name, a_index, r_index), record))
    people.sort(key=operator.itemgetter(0))
    return units + [record for _, record in people]


# The index in parts that can be made apart (by the two processes of a build, see publish):
# the records' chunks, and the grams (buckets, pages of ids, manifest). Both start from the
# records (site_records), which a process making both makes once; the grams also cost the
# postings.
PARTS = ("grams", "records")


def build_search_index(site: Site, unit_url: Callable[[Announcement, Unit], str] = unit_path,
                       part: str | None = None) -> dict[str, bytes]:
    """All files of the search index, or of one of its PARTS: output-relative path
    ("search/manifest.json") -> bytes."""
    return encode_index(site_records(site, unit_url), part)


def search_page_context(site: Site) -> dict:
    """The context templates/search.html needs: the featured announcement (nav, footer) and
    all of them (the no-JavaScript links to every 公示名单 and 推荐单位 list)."""
    public = [a.public for a in site.announcements]
    return {"announcement": public[0], "announcements": public}


# ---------------------------------------------------------------------------- encoding


# json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) as UTF-8, byte
# for byte, for the texts, whole numbers, lists and dicts written here (tests compare the two on
# every kind of character), in under half the time: 0.09 s instead of 0.2 s for the record
# chunks at 100,000 names.
_ENCODER = msgspec.json.Encoder(order="sorted")


def _json(value) -> bytes:
    return _ENCODER.encode(value)


def number_letters(count: int) -> list[str]:
    """The letters of every number from 0 to `count` (see the module docstring): a table made
    once saves writing millions of small numbers one by one."""
    lower = [chr(ord("a") + digit) for digit in range(26)]
    upper = [""]  # upper[q]: q in upper-case digits ("" for 0)
    for q in range(1, count // 26 + 1):
        upper.append(upper[q // 26] + chr(ord("A") + q % 26))
    return [upper[value // 26] + lower[value % 26] for value in range(count + 1)]


def ids_text(ids: Ids, letters: Sequence[str]) -> str:
    """Ascending ids as a JSON string of letters: the first id, then the gaps;
    `letters` is number_letters() of at least the largest id."""
    if len(ids) == 1:  # most grams (two thirds at 10,000 names)
        return '"' + letters[ids[0]] + '"'
    return '"' + "".join(map(letters.__getitem__, map(operator.sub, ids, itertools.chain((0,), ids)))) + '"'


# What json.dumps(text, ensure_ascii=False) escapes: the quote, the backslash, controls.
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def _json_string(text: str) -> str:
    """json.dumps(text, ensure_ascii=False), without its machinery for the usual gram."""
    return json.dumps(text, ensure_ascii=False) if _JSON_ESCAPED.search(text) else f'"{text}"'


def _json_strings(grams: Mapping[str, object]) -> dict[str, str]:
    """gram -> _json_string(gram) for each gram, looked at all at once: almost always none
    needs an escape."""
    if _JSON_ESCAPED.search("".join(grams)):
        return {gram: _json_string(gram) for gram in grams}
    return {gram: f'"{gram}"' for gram in grams}


def encode_chunk(records: Sequence[SearchRecord]) -> bytes:
    """{"a": titles, "u": [[unit, url, title index]], "c": categories,
    "r": [[name, note, unit index, category index, search string, row id]]}."""
    titles: dict[str, int] = {}
    units: dict[tuple[str, str, int], int] = {}
    categories: dict[str, int] = {}
    rows = []
    for record in records:
        t = titles.setdefault(record.title, len(titles))
        u = units.setdefault((record.unit, record.url, t), len(units))
        c = categories.setdefault(record.category, len(categories))
        rows.append([record.name, record.note, u, c, record.key, record.anchor])
    return _json({"a": list(titles), "u": [list(u) for u in units], "c": list(categories), "r": rows})


def gram_postings(keys: Sequence[str]) -> dict[str, list[int]]:
    """gram -> ascending ids of the records whose key contains it, as lists (a preview
    updates them: search_delta): with numpy arrays from ARRAY_MIN_RECORDS records on
    (postings_array: a large site's largest part), else here."""
    return cast("dict[str, list[int]]", _postings(keys, None))  # no array_from: lists only


def _postings(keys: Sequence[str], array_from: int | None) -> Mapping[str, Ids]:
    """As gram_postings; with `array_from`, the ids of a gram in more records than that are
    an array where numpy made them (postings_array)."""
    if len(keys) >= ARRAY_MIN_RECORDS:
        from .postings_array import array_postings

        found = array_postings(keys, MAX_GRAM, array_from)
        if found is not None:
            return found
    return _loop_postings(keys)


def prepare_postings() -> None:
    """Import what gram_postings uses for a large site ahead of it (the second process of a
    large project's build does, while it waits for the site: parallel.LARGE_LIST_BYTES)."""
    from . import postings_array  # noqa: F401


def _loop_postings(keys: Sequence[str]) -> dict[str, list[int]]:
    index: defaultdict[str, list[int]] = defaultdict(list)
    longest = max(map(len, keys), default=0)
    cuts = [[slice(i, i + size) for i in range(longest)] for size in range(MAX_GRAM + 1)]
    collecting = gc.isenabled()
    gc.disable()  # millions of small lists: the cycle collector would only slow this down
    try:
        for rid, key in enumerate(keys):
            n = len(key)
            grams = set(key)
            for size in range(2, min(n, MAX_GRAM) + 1):
                grams.update(map(key.__getitem__, cuts[size][:n - size + 1]))
            for gram in grams:
                index[gram].append(rid)
    finally:
        if collecting:
            gc.enable()
    return index


def encode_index(records: Sequence[SearchRecord], part: str | None = None) -> dict[str, bytes]:
    """The index files for `records`, whose positions are their ids: all, or one of PARTS."""
    files: dict[str, bytes] = {}
    if part in (None, "records"):
        for start in range(0, len(records), CHUNK):
            files[urls.search(f"r-{start // CHUNK}.json")] = encode_chunk(records[start:start + CHUNK])
    if part in (None, "grams"):
        files.update(_encode_grams(records))
    return dict(sorted(files.items()))


def _encode_grams(records: Sequence[SearchRecord]) -> dict[str, bytes]:
    """The buckets, the pages of ids and the manifest."""
    # Only read here: the ids of a gram in more than ARRAY_FROM records may stay an array.
    return gram_files(_postings([r.key for r in records], ARRAY_FROM), len(records))[0]


class GramLayout(Struct):
    """What the gram files were made from, as `gram_files` laid them out: kept by a preview
    (search_delta) to make again only the files one changed record touches."""

    postings: Mapping[str, Ids]     # gram -> ascending ids (gram_postings: lists)
    letters: list[str]              # number_letters(): every id and gap
    entries: dict[str, str]         # gram -> its entry as JSON text
    keys: dict[str, str]            # gram -> the gram as JSON text
    frequent: dict[str, int]        # a paged gram -> its number (p-<number>-<k>.json)
    size: int                       # the buckets' bytes in all (entry_size summed)
    buckets: int
    grouped: dict[int, list[str]]   # bucket -> its grams (in no particular order)


def entry_size(key: str, entry: str) -> int:
    """A gram's share of the buckets' bytes: its JSON key, its entry, a colon and a comma."""
    return len(key.encode()) + len(entry) + 2


def entries_size(keys: Mapping[str, str], entries: Mapping[str, str]) -> int:
    """entry_size summed over every gram (its key as JSON text in `keys`, its entry in
    `entries`), in one pass over all of them."""
    return len("".join(keys.values()).encode()) + sum(map(len, entries.values())) + 2 * len(entries)


def bucket_count(size: int) -> int:
    """Enough buckets that each holds about BUCKET_BYTES."""
    return max(1, math.ceil(size / BUCKET_BYTES))


def paged_entry(ids: Ids, number: int) -> str:
    return f'{{"n":{len(ids)},"p":{number}}}'


def _id_texts(ids: Ids, letters: Sequence[str], page: int) -> list[str]:
    """`ids` in pages of `page`, each as ids_text writes it: from a list here, from
    postings_array's array by delta_pages."""
    if isinstance(ids, list):
        return [ids_text(ids[start:start + page], letters) for start in range(0, len(ids), page)]
    from .postings_array import delta_pages

    return delta_pages(ids, page)


def inline_entry(ids: Ids, letters: Sequence[str]) -> str:
    """A gram's ids written in its bucket."""
    return ids_text(ids, letters) if isinstance(ids, list) else _id_texts(ids, letters, len(ids))[0]


def page_files(number: int, ids: Ids, letters: Sequence[str]) -> dict[str, bytes]:
    """The pages of a frequent gram's ids."""
    texts = _id_texts(ids, letters, PAGE)
    return {urls.search(f"p-{number}-{k}.json"): text.encode() for k, text in enumerate(texts)}


def bucket_file(layout: GramLayout, bucket: int) -> bytes:
    keys, entries = layout.keys, layout.entries
    body = ",".join(f"{keys[g]}:{entries[g]}" for g in sorted(layout.grouped.get(bucket, ())))
    return ("{" + body + "}").encode("utf-8")


def manifest_file(records: int, buckets: int) -> bytes:
    return _json({
        "version": VERSION, "records": records, "chunk": CHUNK, "page": PAGE,
        "buckets": buckets, "gram": MAX_GRAM, "query_grams": MAX_QUERY_GRAMS,
        "paged_filters": MAX_PAGED_FILTERS, "filter_ids": FILTER_IDS, "check_slack": CHECK_SLACK,
        "page_budget": PAGE_BUDGET, "results": RESULTS, "unit_label": UNIT_LABEL,
        "hash": {"name": "fnv1a-32 over code points", "offset": FNV_OFFSET, "prime": FNV_PRIME},
    })


def gram_files(postings: Mapping[str, Ids], count: int) -> tuple[dict[str, bytes], GramLayout]:
    """The buckets, the pages of ids and the manifest of `count` records with these postings,
    and how they were laid out."""
    files: dict[str, bytes] = {}
    letters = number_letters(count)
    entries: dict[str, str] = {}  # gram -> its entry as JSON text
    frequent = {gram: number for number, gram in
                enumerate(sorted(g for g, ids in postings.items() if len(ids) > INLINE_MAX))}
    for gram, number in frequent.items():
        ids = postings[gram]
        entries[gram] = paged_entry(ids, number)
        files.update(page_files(number, ids, letters))
    inline = [gram for gram, ids in postings.items() if len(ids) <= INLINE_MAX]
    large = count >= ARRAY_MIN_RECORDS  # numpy writes them all at once (postings_array)
    if large:
        from .postings_array import fnv1a_hashes, inline_texts

        entries.update(zip(inline, inline_texts([postings[gram] for gram in inline])))
    else:
        entries.update((gram, inline_entry(postings[gram], letters)) for gram in inline)

    keys = _json_strings(entries)  # a gram's key is written as JSON
    size = entries_size(keys, entries)
    buckets = bucket_count(size)
    grouped: defaultdict[int, list[str]] = defaultdict(list)
    hashes = fnv1a_hashes(list(entries), FNV_OFFSET, FNV_PRIME) if large else map(fnv1a, entries)
    for gram, hashed in zip(entries, hashes):
        grouped[hashed % buckets].append(gram)
    layout = GramLayout(postings, letters, entries, keys, frequent, size, buckets, grouped)
    for b in range(buckets):
        files[urls.search(f"g-{b}.json")] = bucket_file(layout, b)
    files[urls.search(MANIFEST)] = manifest_file(count, buckets)
    return files, layout
