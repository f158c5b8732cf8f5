"""The site-wide search index (gongshi/site/search_index.py) and its client (static/js/search.js).

The reference client `SearchIndex` (tests/support/search_client.py) must give exactly what brute force gives (every record
whose search string contains the query), search.js must agree with it (run under Node on the
same files), and at 100,000 names a query must still fetch little and no file may be large.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec.structs
import pytest
from support.search_client import SearchIndex, read_ids

from gongshi.load.loader import load_site
from gongshi.site import search_index as si
from gongshi.site.search import pinyin_forms
from gongshi.site.search_index import (
    RESULTS,
    SearchRecord,
    build_search_index,
    fnv1a,
    normalise,
    query_grams,
    site_records,
)
from gongshi.zh.names import INTERPUNCT_VARIANTS

REPO = Path(__file__).resolve().parent.parent
SEARCH_JS = REPO / "static" / "js" / "search.js"
BUDGET = 100_000  # gzipped bytes one query may fetch at 100,000 names


@pytest.fixture(scope="module")
def site():
    loaded = load_site(REPO)
    assert loaded.site is not None, loaded.findings
    return loaded.site


@pytest.fixture(scope="module")
def records(site):
    return site_records(site)


@pytest.fixture(scope="module")
def files(site):
    return build_search_index(site)


TINY = {"CHUNK": 8, "INLINE_MAX": 8, "PAGE": 32, "FILTER_IDS": 100, "BUCKET_BYTES": 1500,
        "CHECK_SLACK": 2, "PAGE_BUDGET": 3}


@pytest.fixture(scope="module")
def tiny_files(records):
    """The bundled records with tiny chunks, pages and bounds: every path of the algorithm
    (pages, paged filters, the bounds, partial results) runs on 500 records."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in TINY.items():
            patch.setattr(si, name, value)
        return si.encode_index(records)


@pytest.fixture(params=["bundled", "tiny"])
def any_files(request, files, tiny_files):
    return files if request.param == "bundled" else tiny_files


def brute(records, query: str) -> list[int]:
    q = normalise(query)
    return [i for i, r in enumerate(records) if q and q in r.key]


def names(found) -> list[str]:
    return [r["name"] for r in found.records]


def test_a_common_trigram_still_filters_a_rare_one_spread_over_the_list():
    """wang at 100,000 names (the benchmark's list): its rarer trigram wan (万, 婉, 琬 in given
    names) is spread over every id, while the names read wang sit together near the end, and
    ang is in 35,000 records. A filter of up to FILTER_IDS ids keeps the candidates to names
    with both; with 16,384 ang was left out, the bound on chunks was reached among the wan
    names, and the page said 0 found so far."""
    SearchRecord = si.SearchRecord
    records = [SearchRecord(f"{i:05d}wanli|a", f"甲{i}", "", "单位", "类别", "标题", "u/") for i in range(3000)]
    records += [SearchRecord(f"{i:05d}zhangsan|a", f"乙{i}", "", "单位", "类别", "标题", "u/") for i in range(20_000)]
    records += [SearchRecord(f"{i:05d}wangwu|a", f"丙{i}", "", "单位", "类别", "标题", "u/") for i in range(30)]
    index = SearchIndex(si.encode_index(records))
    found = index.search("wang")
    assert found.ids == brute(records, "wang")[:RESULTS] and not found.partial


# ---------------------------------------------------------------------------- what it finds


def test_a_person_is_found_by_initials_full_pinyin_and_part_of_the_name(site, files):
    person = next(r for r in site.announcements[0].recipients if r.category.is_person and len(r.name) == 3)
    full, initials = pinyin_forms(person.name, surname=True)[:2]
    for query in (initials, initials.upper(), full, person.name, person.name[1:], person.name[:2]):
        found = SearchIndex(files).search(query, limit=10_000)
        assert person.name in names(found), query
    hit = next(r for r in SearchIndex(files).search(person.name).records if r["name"] == person.name)
    assert hit["note"] == person.title and hit["unit"] == person.unit.name
    assert hit["category"] == person.category.name
    assert hit["title"] == site.announcements[0].short_title
    anchor = si.row_anchors(site.announcements[0])[site.announcements[0].recipients.index(person)]
    assert hit["url"] == f"{site.announcements[0].slug}/units/{person.unit.id}/#{anchor}"


def test_titles_units_and_categories_are_searched_and_units_are_records(site, files):
    ann = site.announcements[0]
    someone = next(r for r in ann.recipients if r.title)
    found = SearchIndex(files).search(someone.title[3:9], limit=10_000)
    assert someone.name in names(found)

    qinyang = next(u for u in ann.units if u.name == "沁阳市")
    found = SearchIndex(files).search("沁阳", limit=10_000)
    first = found.records[0]  # units come first
    assert (first["name"], first["category"], first["is_unit"]) == ("沁阳市", "推荐单位", True)
    assert first["url"] == f"{ann.slug}/units/{qinyang.id}/"
    in_qinyang = {r.name for r in ann.recipients if r.unit.id == qinyang.id}
    assert in_qinyang <= set(names(found))

    unit_initials = pinyin_forms("焦煤集团系统")[1]
    assert "焦煤集团系统" in names(SearchIndex(files).search(unit_initials, limit=10_000))

    category = next(c for c in ann.categories if c.name == "焦作市优秀工会之友")
    found = SearchIndex(files).search("工会之友", limit=10_000)
    assert found.exact and found.count >= sum(r.category.id == category.id for r in ann.recipients)


def test_queries_normalise_like_the_page_filter(files):
    plain = SearchIndex(files).search("沁阳市示例", limit=10_000)
    for variant in ("沁阳市 示例", " 沁阳·市示例 ", "沁阳市\u3000示例", "沁阳\u30fb市示例"):
        assert SearchIndex(files).search(variant, limit=10_000).ids == plain.ids, variant
    nothing = SearchIndex(files).search("没有这个人qqqq")
    assert (nothing.count, nothing.exact, nothing.records) == (0, True, [])
    assert SearchIndex(files).search("   ").records == []


def sample_queries(records, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    keys = [r.key for r in records]
    queries = {"zzl", "z", "a", "|", "沁阳市", "市示例", "工会委员会", "zhang", "wang", "li", "xx",
               "焦作市优秀工会", "没有这个人", "qinyangshi", "𠮷", "䶮"}
    for key in rnd.sample(keys, 60):
        for size in (1, 2, 3, 4, 5, 7, 11):
            if len(key) >= size:
                start = rnd.randrange(len(key) - size + 1)
                queries.add(key[start:start + size])
    return sorted(queries)


def test_reference_search_equals_brute_force(records, any_files):
    states = set()
    for query in sample_queries(records):
        expected = brute(records, query)
        for limit in (RESULTS, 10_000):
            found = SearchIndex(any_files).search(query, limit=limit)
            states.add((found.exact, found.partial))
            assert found.ids == expected[:len(found.ids) if found.partial else limit], (query, limit)
            if found.exact:
                assert (found.count, found.more) == (len(expected), len(expected) > limit), query
            elif found.partial:  # stopped by the bound on what one search may fetch
                assert found.more and found.count == len(found.ids) <= limit, query
            else:  # a long query not checked to the end: a page and one more were found
                assert found.more and found.count == limit + 1 == len(found.ids) + 1, query
    assert {(True, False), (False, False)} <= states
    if any_files is not None and "search/p-0-1.json" in any_files:  # the tiny index
        assert (False, True) in states


def test_show_more_continues_the_same_list(records, files):
    index = SearchIndex(files)
    expected = brute(records, "gonghui")
    first = index.search("gonghui")
    both = index.search("gonghui", limit=2 * RESULTS)
    assert both.ids[:RESULTS] == first.ids and both.ids == expected[:2 * RESULTS]


def test_query_grams():
    assert query_grams("") == []
    assert query_grams("王") == ["王"]
    assert query_grams("zzl") == ["zzl"]
    assert query_grams("wang") == ["wan", "ang"]
    assert query_grams("abab") == ["aba", "bab"]
    assert query_grams("aaaa") == ["aaa"]
    assert query_grams("𠮷𠮷䶮x") == ["𠮷𠮷䶮", "𠮷䶮x"]  # code points, not UTF-16 units
    long = query_grams("abcdefghijklmnopqrstuvwxyz")
    assert len(long) == si.MAX_QUERY_GRAMS and long[0] == "abc" and long[-1] == "xyz"


# ---------------------------------------------------------------------------- the files


def test_files_are_compact_sorted_and_deterministic(site, files):
    again = build_search_index(site)
    assert again == files
    manifest = json.loads(files["search/manifest.json"])
    assert manifest["records"] == len(site_records(site)) and manifest["version"] == si.VERSION
    assert set(files) == ({"search/manifest.json"}
                          | {f"search/r-{c}.json" for c in range(-(-manifest["records"] // manifest["chunk"]))}
                          | {f"search/g-{b}.json" for b in range(manifest["buckets"])}
                          | {p for p in files if p.startswith("search/p-")})
    for path, data in files.items():
        text = data.decode("utf-8")
        value = json.loads(text)
        assert text == json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True), path


def test_the_json_of_a_file_is_what_json_dumps_writes_whatever_the_characters():
    """The chunks and the manifest are written by msgspec; json.dumps (sorted keys, compact,
    ensure_ascii=False) is the reference, on every character below U+3000 and from U+E000 to
    U+FFFF, and two above those, in values and in keys, with numbers, null and nesting."""
    texts = ["a" + chr(code) + "b" for code in [*range(0x3000), *range(0xe000, 0x10000), 0x1f600, 0x10ffff]]
    values = [{"r": [[text, "", 0, 1, text.upper(), None] for text in texts[start:start + 48]],
               "a": ["2018年度", texts[start]], texts[start]: 7, "c": {"z": [], "y": {}}}
              for start in range(0, len(texts), 48)]
    for value in values:
        assert si._json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                                             sort_keys=True).encode("utf-8")


def test_the_buckets_size_in_one_pass_is_each_grams_entry_size_summed(records):
    """gram_files sums the buckets' bytes in one pass (entries_size); a preview changes the sum
    gram by gram (search_delta, entry_size): the two agree, escaped keys and astral ones too."""
    postings = si.gram_postings([r.key for r in records] + ['"引号"\\', "\U00020000\t"])
    layout = si.gram_files(postings, len(records) + 2)[1]
    assert layout.size == sum(si.entry_size(layout.keys[g], e) for g, e in layout.entries.items())
    assert si.entries_size(layout.keys, layout.entries) == layout.size


def test_the_parts_make_the_whole_index_each_file_once(site, files):
    """The build makes the index in parts (publish: one task each, on either process)."""
    parts = [build_search_index(site, part=part) for part in si.PARTS]
    assert all(parts) and sum(map(len, parts)) == len(files)
    assert {path: data for part in parts for path, data in part.items()} == files
    assert set(parts[si.PARTS.index("records")]) == {p for p in files if p.startswith("search/r-")}


def digest_in_subprocess(seed: str) -> str:
    code = ("import hashlib,sys; from pathlib import Path; from gongshi.load.loader import load_site; "
            "from gongshi.site.search_index import build_search_index; "
            "files = build_search_index(load_site(Path(sys.argv[1])).site); "
            "print(hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest())")
    done = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_same_bytes_whatever_the_hash_seed(files):
    here = hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()
    assert digest_in_subprocess("1") == digest_in_subprocess("2") == here


# ---------------------------------------------------------------------------- search.js agrees

NODE_HARNESS = r"""
const fs = require("fs"), path = require("path");
const api = require(process.argv[2]);
const dir = process.argv[3];
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const load = name => new Promise((ok, fail) => fs.readFile(path.join(dir, name), "utf8",
  (error, text) => error ? fail(error) : ok(JSON.parse(text))));
(async () => {
  api.setInterpunct(job.interpunct);  // as the page's data-interpunct gives it
  const m = await load("manifest.json");
  const out = {hash: job.strings.map(s => api.hash(s, m.hash.offset, m.hash.prime)),
               normalise: job.strings.map(api.normalise),
               grams: job.strings.map(s => api.queryGrams(api.normalise(s), m.gram, m.query_grams)),
               ids: (job.ids || []).map(api.decodeIds), version: api.VERSION,
               searches: []};
  for (const [q, limit] of job.searches) {
    const searcher = new api.Searcher("", load, "manifest.json");
    const f = await searcher.search(q, limit);
    out.searches.push({ids: f.records.map(r => r.id), count: f.count, exact: f.exact, more: f.more,
                       partial: f.partial, fetched: [...searcher.cache.keys()].sort(),
                       first: f.records.length ? f.records[0] : null});
  }
  process.stdout.write(JSON.stringify(out));
})().catch(error => { console.error(error); process.exit(1); });
"""

TRICKY = ["", "a", "张栀琳", "𠮷", "𠮷野家", "䶮", "a𠮷b䶮c", "ĀÁǍÀ", "İstanbul", "ΣΑΣ", "Straße ẞ",
          "买买提·艾力", "A\u00a0B\u2003C\ufeffD\u205fE", "x\x1cy\x85z", "ＡＢＣ１２３", "\U0010fffd", "|",
          "]^-\\", *(f"阿依古丽{dot}买买提" for dot in INTERPUNCT_VARIANTS)]


def run_node(folder: Path, strings: list[str], searches: list[tuple[str, int]],
             ids: list[str] | None = None) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed, so search.js cannot be compared with the Python client: "
                    "install Debian's nodejs (scripts/test.sh does)", pytrace=False)
    script = folder / "harness.js"
    script.write_text(NODE_HARNESS, encoding="utf-8")
    done = subprocess.run([node, str(script), str(SEARCH_JS), str(folder / "search")],
                          input=json.dumps({"strings": strings, "searches": searches, "ids": ids or [],
                                            "interpunct": INTERPUNCT_VARIANTS}),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_search_js_computes_what_python_computes(records, any_files, tmp_path):
    files = any_files
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    searches = [(q, limit) for q in sample_queries(records, seed=5) for limit in (RESULTS, 10_000)]
    searches += [(s, RESULTS) for s in TRICKY]
    id_texts = [si.ids_text(ids, LETTERS)[1:-1] for ids in ID_RUNS]
    out = run_node(tmp_path, TRICKY, searches, id_texts)

    assert out["ids"] == [read_ids(text) for text in id_texts] == ID_RUNS
    assert out["version"] == si.VERSION == json.loads(files["search/manifest.json"])["version"]
    assert out["hash"] == [fnv1a(s) for s in TRICKY]
    assert out["normalise"] == [normalise(s) for s in TRICKY]
    assert out["grams"] == [query_grams(normalise(s)) for s in TRICKY]
    for (query, limit), js in zip(searches, out["searches"]):
        index = SearchIndex(files)
        py = index.search(query, limit=limit)
        assert (js["ids"], js["count"], js["exact"], js["more"], js["partial"]) == \
            (py.ids, py.count, py.exact, py.more, py.partial), (query, limit)
        assert js["fetched"] == sorted(p.removeprefix("search/") for p in index.fetched), (query, limit)
        if py.records:
            assert {k: js["first"][k] for k in ("name", "note", "unit", "url", "category", "title")} == \
                {k: py.records[0][k] for k in ("name", "note", "unit", "url", "category", "title")}
            assert js["first"]["isUnit"] == py.records[0]["is_unit"]


LETTERS = si.number_letters(200_000)
ID_RUNS = [[0], [25], [26], [675, 676, 700, 1376], [3, 4, 30, 730], list(range(0, 200_000, 997)),
           sorted(random.Random(3).sample(range(200_000), 500)), [199_999, 200_000]]


def _base26(value: int) -> str:
    """The letters of one number, digit by digit (what number_letters tabulates)."""
    digits = [value % 26]
    while value >= 26:
        value //= 26
        digits.append(value % 26)
    return "".join(chr(ord("A") + d) for d in reversed(digits[1:])) + chr(ord("a") + digits[0])


def test_ids_are_letters_the_first_id_then_each_gap():
    assert LETTERS[:3] == ["a", "b", "c"] and LETTERS[25] == "z"
    assert (LETTERS[26], LETTERS[27], LETTERS[675], LETTERS[676], LETTERS[700]) == ("Ba", "Bb", "Zz", "BAa", "BAy")
    assert LETTERS == [_base26(v) for v in range(200_001)]
    assert si.ids_text([3, 4, 30, 730], LETTERS) == '"dbBaBAy"'  # 3, then the gaps 1, 26, 700
    for ids in ID_RUNS:
        text = si.ids_text(ids, LETTERS)
        assert json.loads(text) == text[1:-1] and text[1:-1].isalpha() and text.isascii()
        assert read_ids(text[1:-1]) == ids


def test_no_run_of_ids_holds_a_digit(files, tiny_files):
    """Ids are letters in every bucket and page, so no run of them can read as a phone number."""
    for built in (files, tiny_files):
        for path, data in built.items():
            name = path.removeprefix("search/")
            if name.startswith("g-"):
                for entry in json.loads(data).values():
                    assert (isinstance(entry, str) and entry.isalpha()) or set(entry) == {"n", "p"}, (path, entry)
            elif name.startswith("p-"):
                page = json.loads(data)
                assert isinstance(page, str) and page.isalpha() and len(read_ids(page)) <= si.PAGE, path
    assert any(p.startswith("search/p-") for p in tiny_files)  # the bundled site's grams all fit in buckets


def test_an_index_of_another_version_is_refused(files, tmp_path):
    """A page (and its search.js) cached from before the site was rebuilt in another format
    says it cannot search (the page shows 暂时无法查找) rather than misread the files; the
    reference client refuses too."""
    older = dict(files)
    older["search/manifest.json"] = json.dumps({**json.loads(files["search/manifest.json"]), "version": 2}).encode()
    with pytest.raises(ValueError, match="version 2"):
        SearchIndex(older).search("张")
    for path, data in older.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    with pytest.raises(AssertionError, match="search index version 2, this script reads 3"):
        run_node(tmp_path, [], [("张", RESULTS)])


def test_hash_on_supplementary_characters_is_per_code_point():
    # 𠮷 (U+20BB7) is one code point but two UTF-16 units: hashing the units would differ.
    assert fnv1a("𠮷") == ((si.FNV_OFFSET ^ 0x20BB7) * si.FNV_PRIME) & 0xFFFFFFFF
    assert fnv1a("䶮") == ((si.FNV_OFFSET ^ 0x4DAE) * si.FNV_PRIME) & 0xFFFFFFFF
    assert fnv1a("") == si.FNV_OFFSET


# ---------------------------------------------------------------------------- at scale

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
            "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建文辉力凯峰波宁斌宇浩俊飞鑫云帅晨欣"
         "佳琳雪婷颖慧倩丹梅琴冰晶旭东海林志国庆春生德龙嘉亮成栋博琪瑶璐栀晖")
PLACES = ("焦作市", "沁阳市", "孟州市", "温县", "武陟县", "博爱县", "修武县", "解放区", "山阳区", "马村区",
          "中站区", "示范区")
TRADE = "康盛昌新瑞丰德泰和信宏安利远通嘉祥隆兴华"
TRADES = ("机械", "食品", "建材", "化工", "印务", "药业", "造纸", "农机", "电力", "纺织", "物流", "商贸",
          "汽车配件", "煤业", "医院", "学校")
POSTS = ("车间工会主席", "工会主席", "工会副主席", "工会委员", "班组长", "董事长", "总经理", "车间主任",
         "技术员", "党委书记", "教师", "主治医师", "镇长", "主任")
CATEGORIES = ("焦作市模范职工之家", "焦作市模范职工小家", "焦作市优秀工会工作者", "焦作市优秀工会积极分子",
              "焦作市优秀工会之友", "焦作市模范职工之家红旗单位")


def synthetic_records(people: int, units: int, seed: int = 7) -> list[SearchRecord]:
    """Fast fake data shaped like the real thing: `units` 推荐单位 over 20 announcements, then
    people (a fifth of them organisations), ids in the order site_records() gives."""
    rnd = random.Random(seed)
    syllable = {c: pinyin_forms(c)[0] for c in SURNAMES + GIVEN}
    weights = [1 / (i + 1) ** 0.8 for i in range(len(SURNAMES))]
    unit_names: list[str] = []
    while len(unit_names) < units:
        name = (rnd.choice(PLACES) + rnd.choice(TRADE) + rnd.choice(TRADE) + rnd.choice(TRADES)
                + rnd.choice(("有限公司", "系统工会", "总工会", "工会")))
        if name not in unit_names:
            unit_names.append(name)
    title = [f"{2001 + a}年度焦作市劳动模范评选表彰" for a in range(20)]
    out = [SearchRecord(normalise(u + "|" + u), u, "产业系统", u, si.UNIT_LABEL, title[j % 20], f"a{j % 20}/units/u{j}/")
           for j, u in enumerate(unit_names)]
    rows = []
    surnames = rnd.choices(SURNAMES, weights, k=people)
    for i in range(people):
        j = i * units // people
        unit, category = unit_names[j], rnd.choice(CATEGORIES)
        company = unit[:3] + rnd.choice(TRADE) + rnd.choice(TRADE) + rnd.choice(TRADES) + "有限公司"
        if rnd.random() < 0.2:
            name, note = company + "工会委员会", ""
            key, order = "|".join((name, unit, category)), name
        else:
            name = surnames[i] + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))
            note = company + rnd.choice(POSTS)
            full = "".join(syllable[c] for c in name)
            key, order = "|".join((name, note, unit, full, "".join(syllable[c][0] for c in name), category)), full
        rows.append(((order, name, i), SearchRecord(normalise(key), name, note, unit, category, title[j % 20],
                                                    f"a{j % 20}/units/u{j}/")))
    rows.sort(key=lambda row: row[0])
    return out + [record for _, record in rows]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


@pytest.mark.benchmark  # about a minute: run by scripts/benchmark.py (pytest -m benchmark), not by default
def test_at_100000_names_a_query_fetches_little_and_no_file_is_large():
    records = synthetic_records(99_000, 1_000)
    assert len(records) == 100_000
    files = si.encode_index(records)
    sizes = {path: len(data) for path, data in files.items()}
    assert sizes["search/manifest.json"] < 1_000
    largest = max(sizes.items(), key=lambda item: item[1])
    assert largest[1] < 32_000, f"largest file {largest}"

    someone = next(r for r in records[5_000:] if len(r.name) == 3)
    full = someone.key.split("|")[3]
    queries = [someone.name, someone.name[:2], someone.key.split("|")[4], "王", "wang", "zhang", "主任",
               "博爱县", full, "liuqing", records[10].name[3:7], "工会委员会", "焦作市模范", "a", "没有这个"]
    report = []
    for query in queries:
        index = SearchIndex(files)
        found = index.search(query)
        expected = brute(records, query)
        assert found.ids == expected[:RESULTS], query
        fetched = sum(gz(data) for data in index.fetched.values())
        report.append(f"{query}: {fetched / 1000:.1f} KB gz in {len(index.fetched)} files, "
                      f"{found.count}{'' if found.exact else '?'} found")
        assert fetched < BUDGET, report[-1]
        # 显示更多 once more costs at most about as much again
        more = index.search(query, limit=2 * RESULTS)
        assert more.ids == expected[:2 * RESULTS], query
        assert sum(gz(data) for data in index.fetched.values()) < 2 * BUDGET, query
    print("\n".join(report))


# ---------------------------------------------------------------------------- row ids


def test_row_ids_are_unique_derived_from_the_data_and_survive_other_rows_changing(site):
    import re as regex
    ann = site.announcements[0]
    anchors = si.row_anchors(ann)
    assert len(anchors) == len(ann.recipients) == len(set(anchors))
    assert all(regex.fullmatch(r"[a-z0-9_]+-[a-z0-9_-]+-[0-9a-f]{6}", a) for a in anchors), anchors[:3]
    first = ann.recipients[0]
    assert anchors[0].startswith(f"{first.category.id}-{first.unit.id}-")
    # A row's id does not depend on its position: drop the first row, the others keep theirs.
    assert si.row_anchors(msgspec.structs.replace(ann, recipients=ann.recipients[1:])) == anchors[1:]
    # Two people of one name in one unit and category: the second gets -2.
    twice = msgspec.structs.replace(ann, recipients=(first, *ann.recipients))
    assert si.row_anchors(twice)[:2] == (anchors[0], anchors[0] + "-2")
    # Three of them, apart: each later one numbered in list order, the rows between untouched.
    second = ann.recipients[1]
    thrice = msgspec.structs.replace(ann, recipients=(first, second, first, first, *ann.recipients[2:]))
    assert si.row_anchors(thrice)[:5] == (anchors[0], anchors[1], anchors[0] + "-2", anchors[0] + "-3", anchors[2])


def test_a_result_links_to_its_own_row_on_the_unit_page(site, files, built_site):
    from bs4 import BeautifulSoup
    person = next(r for r in site.announcements[0].recipients if r.category.is_person and len(r.name) == 3)
    hit = next(r for r in SearchIndex(files).search(person.name).records if r["name"] == person.name)
    page, anchor = hit["url"].split("#")
    doc = BeautifulSoup((built_site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = doc.find(id=anchor)
    assert row is not None and row.name == "tr" and row.select_one(".name").get_text() == person.name
    listed = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"), "html.parser")
    assert listed.find(id=anchor).select_one(".name").get_text() == person.name  # the same id on the list


def test_row_ids_of_one_list_are_made_once_per_build(site, monkeypatch):
    """The pages and the search index of a build ask for the same list's row ids: made once."""
    ann = site.announcements[0]
    made = []
    real = si._row_anchors
    monkeypatch.setattr(si, "_row_anchors", lambda recipients: made.append(1) or real(recipients))
    monkeypatch.setattr(si, "_ANCHORS", {})
    first = si.row_anchors(ann)
    assert si.row_anchors(ann) is first and len(made) == 1
    other = msgspec.structs.replace(ann, recipients=ann.recipients[1:])  # another list: its own ids
    assert si.row_anchors(other) == first[1:] and len(made) == 2


def test_row_ids_are_made_once_a_list_while_its_holder_lives(project, monkeypatch):
    """The pages and the search index ask for the same list's row ids: made once, for the
    公示's list and for a 决定's (whose view is a new announcement each time, holding the
    decision's very list); the cache holds no list itself."""
    from conftest import add_2018_decision

    loaded = load_site(add_2018_decision(project))
    assert loaded.site is not None
    announcement = next(a for a in loaded.site.announcements if a.decision is not None)
    made = []
    real = si._row_anchors
    monkeypatch.setattr(si, "_row_anchors", lambda recipients: made.append(recipients) or real(recipients))
    for _ in range(2):
        assert si.row_anchors(announcement) == real(announcement.recipients)
        assert si.row_anchors(announcement.decision_view) == real(announcement.decision.recipients)
    assert made == [announcement.recipients, announcement.decision.recipients]
    lists = (announcement.recipients, announcement.decision.recipients)
    assert not any(part is listed for entry in si._ANCHORS.values() for part in entry for listed in lists)
