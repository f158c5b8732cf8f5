"""Personal numbers (gongshi/check/privacy.py): every written form is found, lists of ordinary
numbers are not, and every kind of published file is read as its reader would read it."""

import csv
import io
import json
import re
import unicodedata
import zipfile
from urllib.parse import quote

import pytest
from conftest import FIXED_DAY, run_cli
from openpyxl import Workbook

from gongshi.check import privacy
from gongshi.check.privacy import find_personal_numbers, might_contain, scan_published

MOBILE, ID = "手机号", "身份证号"


def found(text, allowed=()):
    return [(h.kind, h.number) for h in find_personal_numbers(text, allowed)]


@pytest.mark.parametrize("text, number", [
    ("手机13903910000", "13903910000"),
    ("138 1234 5678", "13812345678"),
    ("138  1234  5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("138 - 1234 - 5678", "13812345678"),
    ("138.1234.5678", "13812345678"),
    ("138\u00a01234\u00a05678", "13812345678"),
    ("138\u30001234\u30005678", "13812345678"),
    ("138\u20141234\u20145678", "13812345678"),
    ("138\uff0d1234\uff0d5678", "13812345678"),
    ("1381234 5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+86-13812345678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("008613812345678", "13812345678"),
    ("(86)13812345678", "13812345678"),
    ("（86）138-1234-5678", "13812345678"),
    ("＋８６ １３８１２３４５６７８", "13812345678"),
    ("电话１３８１２３４５６７８。", "13812345678"),
    ("138\u200b1234\u200c5678", "13812345678"),
    ("138\u200d1234\u20605678", "13812345678"),
    ("\ufeff138\ufeff1234\u00ad5678", "13812345678"),
    ("&#49;3812345678", "13812345678"),
    ("&#x31;&#x33;812345678", "13812345678"),
    ("1 3 8 1 2 3 4 5 6 7 8", "13812345678"),
    ("王五13812345678", "13812345678"),
])
def test_mobile_numbers_in_every_written_form(text, number):
    assert found(text) == [(MOBILE, number)]


@pytest.mark.parametrize("text, number", [
    ("某公司主席 410802198001011234", "410802198001011234"),
    ("身份证 41080219800101123X", "41080219800101123X"),
    ("41080219800101123x", "41080219800101123X"),
    ("410802 19800101 1234", "410802198001011234"),
    ("410802-1980-0101-123X", "41080219800101123X"),
    ("４１０８０２１９８００１０１１２３４", "410802198001011234"),
    # The check character is wrong (it should be 0 here), and it is still someone's ID.
    ("110101199003071234", "110101199003071234"),
    ("旧证 410802800101123", "410802800101123"),
    ("410802 800101 123", "410802800101123"),
])
def test_resident_id_numbers_old_and_new(text, number):
    assert found(text) == [(ID, number)]


@pytest.mark.parametrize("text", [
    "电话0391-3999921",
    "电话：0391-3999921，邮政编码 454000",
    "公示时间 2018-11-05 至 2018-11-09",
    "2018.11.05 2018.11.09",
    "2018 2019 2020 2021",
    "第 2018 届",
    "序号 1 2 3 4 5 6 7 8 9 10 11 12",
    "13 14 15 16 17 18 19 20 21 22",
    "名额 12 10 8 6 5 5 4 3 3",
    "共 138 页 1234 人",
    "比例 95.5% 98.2% 99.1%",
    "编号 12345678901234567890123",
    "12345678901",                 # 11 digits, but not a mobile (no 12x prefix)
    "23812345678",
    "410802199002301234",          # 18 digits with 30 February
    "990802198001011234",          # no such province
    "410802801301123",             # 15 digits with month 13
    "1381234567",                  # 10 digits
    "138123456789",                # 12 digits
    "138****5678",                 # already masked
    "13 812 345 678",              # a 2-digit group: not a way numbers are written
    "tel:+86-391-3999921",
    "1 3 8 1 2 3 4 5 6 7",
])
def test_ordinary_numbers_are_not_personal(text):
    assert found(text) == []


def test_published_contact_number_is_allowed_in_any_written_form():
    assert found("联系电话 13903910000", allowed=["139-0391-0000"]) == []
    assert found("联系电话 +86 139 0391 0000", allowed=["13903910000"]) == []
    assert found("联系电话 13903910000", allowed=["+86 139 0391 0000"]) == []
    assert found("联系电话 13903910001", allowed=["13903910000"]) == [(MOBILE, "13903910001")]


def test_one_segment_with_a_mobile_among_other_numbers():
    assert found("0391-3999921 13812345678 454000") == [(MOBILE, "13812345678")]


# --------------------------------------------------------------------------- published files

def scan(path, data, allowed=frozenset()):
    return sorted((h.kind, h.number) for h in scan_published(path, data, allowed))


def page(body):
    return f"<!doctype html><html><head><title>公示</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("body", [
    "<p>值班电话 138<strong>1234</strong>5678。</p>",
    "<p>值班电话 138<em>1234</em><span>5678</span></p>",
    "<p>值班电话 &#49;38&nbsp;1234&nbsp;5678</p>",
    "<p>值班电话 138&#8203;1234&#x200B;5678</p>",
    "<p>值班电话 138\n  1234\n  5678</p>",
    "<td>１３８１２３４５６７８</td>",
    '<abbr title="138 1234 5678">值班</abbr>',
    '<img alt="联系 13812345678" src="x.png">',
    '<button aria-label="拨打 138-1234-5678">拨打</button>',
    '<input placeholder="如 138 1234 5678">',
    '<meta name="description" content="联系 13812345678">',
    '<a href="tel:+86-138-1234-5678">电话</a>',
    '<a href="mailto:a@b.cn?subject=%E7%94%B5%E8%AF%9D%31%33%38%31%32%33%34%35%36%37%38">邮件</a>',
    '<a href="mailto:a@b.cn?body=%E7%94%B5%E8%AF%9D%20138%201234%205678">邮件</a>',
    '<tr data-search="王五 13812345678"><td>1</td></tr>',
    "<!-- 王五 13812345678 -->",
    '<script>var phone = "13812345678";</script>',
    "<p>值班电话 138 <strong>1234</strong> 5678</p>",
    "<p>值班电话 138\u30001234\u30005678</p>",
    "<p>值班电话 138\u20141234\u20145678</p>",
    "<p>值班电话 138&ZeroWidthSpace;1234&nbsp;5678</p>",
    "<p>值班电话 &sup1;3812345678</p>",
    '<a href="mailto:a@b.cn?body=138%E2%80%8B1234%E2%80%8B5678">邮件</a>',
    '<a href="mailto:a@b.cn?body=' + "".join(f"%EF%BC%9{d}" for d in "13812345678") + '">邮件</a>',
    '<a href="mailto:a@b.cn?body=138%2D1234%2D5678">邮件</a>',
    '<a href="tel:+86-138-1234-5678">0391-3999921</a>',
    # Percent escapes of format characters the quick test sends on: soft hyphen, U+2061…U+206F.
    '<a href="mailto:a@b.cn?body=138%C2%AD1234%C2%AD5678">邮件</a>',
    '<a href="mailto:a@b.cn?body=138%c2%ad1234%c2%ad5678">邮件</a>',
    '<a href="mailto:a@b.cn?body=138%E2%81%A31234%E2%81%AF5678">邮件</a>',
    '<a href="mailto:a@b.cn?body=138%E2%80%AA1234%E2%80%AC5678">邮件</a>',
])
def test_every_visible_or_leaking_text_of_a_page_is_read(body):
    assert scan("a/index.html", page(body)) == [(MOBILE, "13812345678")]
    assert might_contain(page(body))


@pytest.mark.parametrize("body", [
    # A table of serial numbers and counts: adjacent cells never join.
    "<table><tr>" + "".join(f"<td>{n}</td>" for n in range(13, 40)) + "</tr></table>",
    "<table>" + "".join(f"<tr><td>{n}</td><td>1381</td><td>2345</td></tr>" for n in range(1, 9)) + "</table>",
    "<ul><li>138</li><li>1234</li><li>5678</li></ul>",
    "<p>138</p><p>1234</p><p>5678</p>",
    "<p>138<br>1234<br>5678</p>",
    '<p data-a="138" data-b="1234" title="5678">x</p>',
    "<p>电话：0391-3999921，邮政编码 454000，公示时间 2018-11-05 至 2018-11-09。</p>",
    '<a href="tel:+86-391-3999921">0391-3999921</a>',
    "<script>var days = [&#34;2018-10-29&#34;,&#34;2018-10-30&#34;,&#34;2018-10-31&#34;];</script>",
])
def test_lists_cells_and_blocks_do_not_make_numbers(body):
    assert scan("a/index.html", page(body)) == []


def test_csv_cells_are_read_one_by_one():
    joined = "类别,序号,姓名\r\n工会之友,1,王五 138 1234 5678\r\n".encode("utf-8-sig")
    apart = "类别,序号,姓名\r\n138,1234,5678\r\n13,14,15\r\n".encode("utf-8-sig")
    assert scan("d/gongshi.csv", joined) == [(MOBILE, "13812345678")]
    assert scan("d/gongshi.csv", apart) == []


def test_json_strings_are_read_one_by_one():
    escaped = '{"name": "王五 \\u0031\\u00338 1234 5678", "n": [1, 2, 3]}'
    apart = json.dumps({"a": ["138", "1234", "5678"], "b": [13, 14, 15, 16, 17, 18]})
    assert scan("search/r-0.json", escaped) == [(MOBILE, "13812345678")]
    assert scan("search/r-0.json", apart) == []
    assert scan("x.json", json.dumps({"id": 13812345678})) == [(MOBILE, "13812345678")]


def xlsx(*rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def test_xlsx_cells_are_read_back_from_the_written_bytes():
    assert scan("d/gongshi.xlsx", xlsx(["王五", "410802 19800101 1234"])) == [(ID, "410802198001011234")]
    assert scan("d/gongshi.xlsx", xlsx([138, 1234, 5678], ["138", "1234", "5678"])) == []


def _sheet_strings(cell: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as written:
        written.writestr("xl/sharedStrings.xml", f'<sst xmlns="x"><si>{cell}</si></sst>')
    return archive.getvalue()


@pytest.mark.parametrize("properties", ["<b/>", '<sz val="11"/>', '<rFont val="宋体"/><color rgb="FF000000"/>',
                                        '<vertAlign val="baseline"/><scheme val="minor"/>'])
def test_a_number_split_into_formatted_runs_of_a_cell_is_found(properties):
    """Excel shows a cell's rich-text runs as one text, whatever formatting each run has."""
    runs = f'<r><t>1380013</t></r><r><rPr>{properties}</rPr><t>8000</t></r>'
    assert scan("d/gongshi.xlsx", _sheet_strings(runs)) == [(MOBILE, "13800138000")]


def test_an_archive_part_found_before_gives_the_same_hits_as_reading_it():
    """A preview's memo of an archive's parts (`archived`): each part's hits once for its
    bytes, merged in the order reading the file whole gives."""
    data = xlsx(["王五", "410802 19800101 1234"], [13912345678, "138 1234 5678"], ["410802198001011234"])
    whole = scan_published("d/gongshi.xlsx", data)
    assert sorted(h.number for h in whole) == ["13812345678", "13912345678", "410802198001011234"]
    found: dict[bytes, list] = {}
    asked = []

    def archived(part: bytes, find):
        asked.append(part)
        if part not in found:
            found[part] = find()
        return found[part]

    first = scan_published("d/gongshi.xlsx", data, archived=archived)
    parts = len(asked)
    again = scan_published("d/gongshi.xlsx", data, archived=archived)
    assert first == whole and again == whole
    assert parts >= 2 and len(asked) == 2 * parts and len(found) == parts
    assert scan_published("d/x.csv", b"13812345678\n", archived=archived) == scan_published("d/x.csv", b"13812345678\n")
    assert len(asked) == 2 * parts  # only archives' parts are asked for


def test_text_files_and_the_feed_are_read_and_assets_are_not():
    assert scan("robots.txt", b"Disallow: /13812345678/\n") == [(MOBILE, "13812345678")]
    feed = '<feed><entry><title>联系 138 1234 5678</title></entry></feed>'
    assert scan("feed.xml", feed) == [(MOBILE, "13812345678")]
    assert scan("static/js/site.js", b"var x = 13812345678;") == []
    assert scan("static/css/site.css", b"/* 13812345678 */") == []


def test_the_bundled_site_is_clean_even_without_the_prefilter(built_site, monkeypatch):
    monkeypatch.setattr(privacy, "might_contain", lambda *args: True)
    allowed = privacy.allowed_numbers(["0391-3999921"])
    files = [p for p in built_site.rglob("*") if p.is_file() and p.name != "SHA256SUMS"]
    assert len(files) > 50
    for path in files:
        assert scan_published(path.relative_to(built_site).as_posix(), path.read_bytes(), allowed) == [], path


# --------------------------------------------------------------------------- the pre-filter

def cf_characters():
    return {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}


def members(chars: str, codes=range(0x110000)) -> set[str]:
    """The characters of a regex character class."""
    return set(re.findall(f"[{chars}]", "".join(map(chr, codes))))


def test_format_characters_are_exactly_unicode_category_cf():
    listed = members(privacy.FORMAT_CHARS)
    assert listed >= cf_characters()  # and a few that newer Unicode versions add (U+13439…)
    assert len(listed - cf_characters()) <= 16


def test_prefilter_knows_every_character_that_normalises_to_a_digit_or_a_separator():
    separators = set(" -.\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
    digit_like, separator_like = members(privacy.DIGIT_LIKE), members(privacy.SEPARATOR_LIKE)
    for code in range(0x80, 0x110000):
        ch = chr(code)
        normal = unicodedata.normalize("NFKC", ch)
        if normal == ch:
            continue
        if re.search("[0-9]", normal):
            assert ch in digit_like, f"U+{code:04X}"
        elif set(normal) <= separators or normal.isspace():
            assert ch in separator_like, f"U+{code:04X}"


def test_the_quick_test_may_pass_over_ascii_text_for_unmodelled_characters():
    """might_contain looks for an unmodelled character only in text that is not all ASCII:
    true only while none of them is ASCII."""
    assert not [code for code in range(0x80) if privacy._UNMODELLED.match(chr(code))]


def test_class_members_reads_the_classes_as_re_does():
    for chars in (privacy.FORMAT_CHARS, privacy.DIGIT_LIKE, privacy.SEPARATOR_LIKE):
        assert privacy.class_members(chars) == members(chars)


def joining_characters() -> list[str]:
    """Every non-ASCII character without a digit that the detector reads as joining digits
    into one number (only a character that is invisible, a space, or changed by NFKC can)."""
    joiners = []
    for code in range(0x80, 0x110000):
        char = chr(code)
        if 0xD800 <= code < 0xE000 or not (unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Cc")
                                            or unicodedata.normalize("NFKC", char) != char):
            continue
        if not re.search("[0-9]", unicodedata.normalize("NFKC", char)) \
                and find_personal_numbers(f"138{char}1234{char}5678"):
            joiners.append(char)
    return joiners


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_a_number_joined_by_any_percent_escaped_character_in_a_link_is_found(case):
    joiners = joining_characters()
    assert len(joiners) > 150
    missed = []
    for char in joiners:
        escape = case(quote(char))
        body = page(f'<a href="mailto:a@b.cn?body=138{escape}1234{escape}5678">邮件</a>')
        if not might_contain(body) or scan("a/index.html", body) != [(MOBILE, "13812345678")]:
            missed.append(f"U+{ord(char):04X} {escape}")
    assert missed == []


def test_a_number_with_any_percent_escaped_digit_in_a_link_is_found():
    ones = [chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code < 0xE000
            and unicodedata.normalize("NFKC", chr(code)) == "1"]
    for char in ones:
        body = page(f'<a href="mailto:a@b.cn?body={quote(char)}3812345678">邮件</a>')
        assert might_contain(body) and scan("a/index.html", body) == [(MOBILE, "13812345678")], hex(ord(char))


def test_prefilter_counts_named_entities_that_are_digits():
    import html.entities
    for name, value in html.entities.html5.items():
        if re.search("[0-9]", unicodedata.normalize("NFKC", value)):
            assert re.fullmatch(privacy.cluster_pieces()[0], "&" + name, re.IGNORECASE), name


@pytest.mark.parametrize("value", [
    "%E7%94%B5%E8%AF%9D%20138%201234%205678",  # 电话 138 1234 5678
    "".join(f"%{ord(digit):02X}" for digit in "13812345678"),  # every digit escaped
    quote("联系电话：\r\n138 1234 5678", safe=""),
])
def test_a_number_percent_encoded_in_a_data_attribute_is_found(value):
    """A script may put a data-* value in a link (site.js: data-objection-body), where a mail
    program decodes it: the guard reads it decoded as well as written."""
    body = page(f'<div class="lists" data-objection-body="{value}"><p>名单</p></div>')
    assert might_contain(body) and scan("a/index.html", body) == [(MOBILE, "13812345678")]


@pytest.mark.parametrize("char", sorted(privacy._COMMON))
def test_prefilter_joins_digits_across_every_common_space_and_dash(char):
    """Their bytes are deleted with the ASCII separators (no copy of the page replaces them)."""
    body = page(f"<p>值班电话 138{char}1234{char}5678，其余文字（续）</p>")
    assert might_contain(body) and might_contain(body, raw=body.encode())
    assert scan("a/index.html", body) == [(MOBILE, "13812345678")]


def test_a_character_the_prefilter_joins_too_eagerly_is_decided_by_the_full_path():
    # 」 is E3 80 8D: every byte of it is also a byte of a common space or dash, so the quick
    # test deletes it and sees eleven digits; the cluster regex then reads no number.
    body = page("<p>编号 13812」345678</p>")
    assert might_contain(body) is False
    assert privacy._ELEVEN in body.encode().translate(privacy._MASK, privacy._MASK_DELETE)
    assert scan("a/index.html", body) == []


FIGURE_ROWS = [("市直工会", 5, 3, 21, 48, 120, 36), ("解放区总工会", 4, 2, 16, 30, 85, 22),
               ("合计", 9, 5, 37, 78, 205, 58)]
FIGURES = "".join("<p>" + "\u3000".join(map(str, row)) + "</p>\n" for row in FIGURE_ROWS)


def test_a_table_of_figures_set_apart_by_spaces_is_passed_over_without_the_full_path(monkeypatch):
    """A 附件 pasted as text: its figures, joined by spaces and line breaks, make eleven digits
    in a row, but neither a mobile number nor an ID's fifteen: the cluster regex (9 ms to
    compile) is never needed."""
    body = page(FIGURES)
    assert privacy._ELEVEN in body.encode().translate(privacy._MASK, privacy._MASK_DELETE)

    def full_path(*args):
        raise AssertionError("the full path was asked")
    monkeypatch.setattr(privacy, "_clusters_read_as_numbers", full_path)
    assert might_contain(body) is False
    assert might_contain(body, raw=body.encode()) is False


def test_the_percent_escapes_trie_is_compiled_only_for_a_text_with_a_percent_sign():
    """2.4 ms at every start otherwise; a site whose objections are closed has no "%" to read."""
    privacy._percent_exotic_pattern.cache_clear()
    assert might_contain(page("<p>13800000000 与 0391-3999921</p>")) is True
    assert privacy._percent_exotic_pattern.cache_info().currsize == 0
    assert might_contain(page('<a href="mailto:a@b.cn?subject=%E5%BC%82%E8%AE%AE">异议</a>')) is False
    assert privacy._percent_exotic_pattern.cache_info().currsize == 1
    assert might_contain(page('<a href="tel:1%EF%BC%93800000000">电话</a>')) is True  # a full-width 3


def test_only_the_runs_of_eleven_digits_or_more_are_searched_for_a_number():
    """_personal_digits finds what _PERSONAL_DIGITS finds in the whole text, searching only the
    runs of eleven digits or more (each number is one): runs at either end, runs of ten,
    eleven, fifteen and more, mobile numbers deep in a run, on 20,000 random texts."""
    import random

    rnd = random.Random(11)
    runs = ["13812345678", "12812345678", "1381234567", "0" * 10, "9" * 11, "123456789012345", "12345678901234",
            "0013912345678", "410802198001011234", "21" * 9]
    agreed = found = 0
    for _ in range(20_000):
        digits = b"".join(rnd.choice([rnd.choice(runs), str(rnd.randint(0, 10**rnd.randint(0, 12))), "ab", "<x>", "\xe4\xb8\x80"])
                          .encode("latin-1") for _ in range(rnd.randint(0, 6)))
        masked = digits.translate(privacy._MASK)
        expected = privacy._PERSONAL_DIGITS.search(digits) is not None
        assert privacy._personal_digits(masked, digits) is expected, digits
        agreed += 1
        found += expected
    assert agreed == 20_000 and 3000 < found < 17_000


@pytest.mark.parametrize("hidden, number", [
    ("1\u30003\u30008\u30001\u30002\u30003\u30004\u30005\u30006\u30007\u30008", "13812345678"),
    ("138\u30001234\u30005678", "13812345678"),
    ("+86\u3000138\u30001234\u30005678", "13812345678"),
    ("410802\u300019800101\u30001234", "410802198001011234"),
    ("410802\u300019800101\u3000123X", "41080219800101123X"),
    ("410802\u3000800101\u3000123", "410802800101123"),
])
def test_a_number_among_figures_set_apart_by_spaces_is_still_found(hidden, number):
    body = page(FIGURES + f"<p>合计\u3000{hidden}</p>")
    assert might_contain(body)
    assert [h.number for h in scan_published("a/index.html", body)] == [number]


def test_figures_and_numbers_joined_every_way_are_found_as_the_full_path_finds_them():
    """Random figures and digits joined by what joins them (spaces, dashes, dots, line breaks,
    full-width ones, tags that end a run, Chinese text), sometimes with a mobile number or an ID:
    the guard finds exactly what the full path alone does."""
    import random

    rnd = random.Random(3000)
    joins = [" ", "  ", "\u3000", "\u00a0", "-", " - ", ".", "\n", "\u2014", "\uff0d", "（", "」", "</td><td>", "，", "王"]
    plants = ["13812345678", "138 1234 5678", "1 3 9 0 3 9 1 0 0 0 0", "410802198001011234", "410802800101123",
              "+86 13912345678", "0391-3999921", "12345678901", "19912345678"]
    allowed, forms = privacy.allowed_numbers(["0391-3999921"]), ("+86-391-3999921", "0391-3999921")
    found = skipped = 0
    asked: list[str] = []  # the texts the full path was asked about
    for _ in range(3000):
        pieces = [str(rnd.choice([rnd.randint(0, 9), rnd.randint(10, 99), rnd.randint(100, 9999)]))
                  for _ in range(rnd.randint(3, 14))]
        if rnd.random() < 0.3:
            pieces.insert(rnd.randrange(len(pieces) + 1), rnd.choice(plants))
        text = "".join(piece + rnd.choice(joins) for piece in pieces)
        body, path = (page(f"<p>{text}</p>"), "a/index.html") if rnd.random() < 0.7 else (text, "a.txt")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(privacy, "might_contain", lambda *args: True)
            full = sorted(h.number for h in scan_published(path, body, allowed, forms))
        assert sorted(h.number for h in scan_published(path, body, allowed, forms)) == full, (path, text)
        found += bool(full)
        asked.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(privacy, "_clusters_read_as_numbers", lambda text, allowed: asked.append(text))
            might_contain(body, allowed, forms)
        skipped += not asked and privacy._ELEVEN in body.encode().translate(privacy._MASK, privacy._MASK_DELETE)
    assert found > 300 and skipped > 300  # numbers found; tables passed over that eleven digits stopped before


def test_prefilter_given_the_bytes_decides_as_it_does_from_the_text():
    bodies = ["<p>138 1234 5678</p>", "<p>电话：0391-3999921</p>", "<p>１３８１２３４５６７８</p>",
              "<p>138\u200b1234\u200b5678</p>", "<p>138<b>1234</b>5678</p>", "<p>&#49;3812345678</p>",
              '<a href="mailto:a@b.cn?body=138%E2%80%8B1234%E2%80%8B5678">邮件</a>', "<p>王五</p>",
              "<p>𠀀 138 1234</p>", '{"n": "\\u0031\\u00338 1234 5678"}']
    forms = ("0391-3999921",)
    for body in map(page, bodies):
        assert might_contain(body, forms=forms, raw=body.encode()) == might_contain(body, forms=forms), body
    assert scan_published("a.csv", "王五,138 1234 5678", encoded="王五,138 1234 5678".encode()) == \
        scan_published("a.csv", "王五,138 1234 5678")
    # Bytes that are not what the text encodes to (a BOM, bytes that are not UTF-8) are read as
    # they are: never a digit, and what the full path reads is found all the same.
    for data in (b"\xef\xbb\xbf\xe7\x8e\x8b,138 1234 5678\r\n", b"138\xff1234 5678", b"\x80138 1234\xe3 5678\xf0"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(privacy, "might_contain", lambda *args: True)
            full = scan_published("a.csv", data)
        assert scan_published("a.csv", data) == full, data


def test_prefilter_passes_over_a_long_list_without_numbers():
    rows = "".join(f'<tr><td>{n}</td><th><span class="name">王伟{n}</span></th><td>示例{n % 7}号公司</td>'
                   f'<td><a href="mailto:a@b.cn?subject=%E5%AF%B9%E2%80%9C{n}%E2%80%9D">异议</a></td></tr>'
                   for n in range(1, 3000))
    assert not might_contain(page(f"<table>{rows}</table>"))


# --------------------------------------------------------------------------- the build

def test_check_finds_a_number_in_content_without_writing(project):
    path = project / "content/2018-mofan/gongshi.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n值班 139 0391 0000\n", encoding="utf-8")
    result = run_cli("check", project=project)
    assert result.code == 1
    assert "X002" in result.stdout and "content/2018-mofan/gongshi.md" in result.stdout
    assert "139****0000" in result.stdout and "13903910000" not in result.stdout
    assert not (project / "output").exists()


def test_a_number_only_a_template_writes_is_traced_to_the_template(project):
    path = project / "templates/base.html"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("</footer>", "<p>值班手机 139-0391-0000</p></footer>"), encoding="utf-8")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1
    line = text[:text.index("</footer>")].count("\n") + 1
    assert f"templates/base.html\n  第 {line} 行  错误 X002" in result.stdout
    assert re.search(r"output/\S+（另有 \d+ 个文件）", result.stdout), result.stdout
    assert not (project / "output").exists()


def test_a_number_in_the_feed_alone_is_found(project, monkeypatch):
    from gongshi.site import publish

    real = publish.atom

    def feed_with_number(*args):
        return real(*args).replace(b"</feed>", b"<!-- 138 1234 5678 -->\n</feed>")

    monkeypatch.setattr(publish, "atom", feed_with_number)
    result = run_cli("check", project=project)
    assert result.code == 1 and "output/feed.xml" in result.stdout, result.stdout


def test_the_written_xlsx_is_read_back(project, monkeypatch):
    from gongshi.site import pages

    real = pages.announcement_downloads

    def with_hidden_number(*args):
        downloads = real(*args)
        book = zipfile.ZipFile(io.BytesIO(downloads[0].data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in book.namelist():
                data = book.read(name)
                if name == "docProps/core.xml":
                    data = data.replace(b"<dc:creator>gongshi", b"<dc:creator>13812345678")
                target.writestr(name, data)
        return [type(downloads[0])(downloads[0].path, downloads[0].label, out.getvalue())] + downloads[1:]

    monkeypatch.setattr(pages, "announcement_downloads", with_hidden_number)
    result = run_cli("check", project=project)
    assert result.code == 1 and "gongshi.xlsx" in result.stdout, result.stdout


def test_a_trie_alternation_matches_exactly_its_words():
    words = sorted(privacy.INLINE_TAGS | privacy.XLSX_INLINE_TAGS) + ["STRONG", "s"]
    pattern = re.compile(privacy.trie_alternation(words))
    tried = set(words) | {w[:i] for w in words for i in range(len(w))} | {w + "x" for w in words} \
        | {w + w[-1] for w in words} | {"", "st", "stro", "rp", "ABBr", "strongs", "tt", "ttt"}
    assert [w for w in sorted(tried) if bool(pattern.fullmatch(w)) != (w in words)] == []
    # words of percent-escaped bytes, whose last bytes share a class
    chars = sorted(privacy.class_members(privacy.DIGIT_LIKE) | privacy.class_members(privacy.FORMAT_CHARS))
    escaped = {quote(c) for c in chars if not c.isascii()}
    pattern = re.compile(privacy.percent_escapes(chars))
    near = {e[:-1] + d for e in escaped for d in "0123456789ABCDEF"} | {e[:-3] for e in escaped} | {e + "%80" for e in escaped}
    assert [e for e in sorted(near | escaped) if bool(pattern.fullmatch(e)) != (e in escaped)] == []


def test_the_percent_escapes_are_found_in_either_case_as_before():
    """_percent_exotic (one trie, the text upper-cased) finds what the two tries compiled with
    re.IGNORECASE found: every escape of every character they cover, in any case, and no
    escape of anything else."""
    before = re.compile("|".join(privacy.percent_digit_and_join()).encode(), re.IGNORECASE)
    covered = sorted(c for c in privacy.class_members(privacy.DIGIT_LIKE) | privacy.class_members(privacy.FORMAT_CHARS)
                     | privacy.class_members(privacy.SEPARATOR_LIKE) if not c.isascii())
    others = [chr(code) for code in range(0xa0, 0x3100, 7)] + list("公示名单，、。（）—")
    for char in covered + others:
        upper = quote(char).encode()
        for escaped in (upper, upper.lower(), upper[:4] + upper[4:].lower()):
            text = b"<a href=\"mailto:x?subject=%E5%BC%82%E8%AE%AE" + escaped + b"1\">"
            assert privacy._percent_exotic(text) == (before.search(text) is not None), (char, escaped)
    assert any(privacy._percent_exotic(quote(c).lower().encode()) for c in covered)


@pytest.mark.parametrize("path, body, number", [
    ("a/index.html", "<p>%13812345678</p>", "13812345678"),  # text that only looks like an escape
    ("a/index.html", "<p>13812345678\\u0031</p>", "13812345678"),  # \u is JSON's, not a page's
    ("a/index.html", "<p>13812345678X&#49;</p>", "13812345678"),  # X1 is a word after the number
    ("a/index.html", "<p>41080219800101123\ufeffX</p>", "41080219800101123X"),  # a format character before X
    ("a/index.html", '<p>13812<a title="x<y">345678</a></p>', "13812345678"),  # "<" in a quoted value
    ("a.txt", "12</b>13812345678", "13812345678"),  # outside markup a tag is text between digits
    ("a.csv", "编号,138.0086 0391-3999921 9", "13800860391"),  # the office number beside other digits
    ("a/index.html", "<p>电话 138.0086 0391-3999921 9</p>", "13800860391"),
    # In a link %2D is a dash: the office number after it is read with the digits before it,
    # with or without a table of figures (eleven digits in a row, no mobile number) elsewhere.
    ("a/index.html", page('<a href="tel:1381234%2D0391-3999921">值班</a>'), "13812340391"),
    ("a/index.html", page(FIGURES + '<a href="tel:1381234%2D0391-3999921">值班</a>'), "13812340391"),
    ("a/index.html", page('<a href="tel:1381234%1F5678">值班</a>'), "13812345678"),  # U+001F is white space
    ("a/index.html", page('<a href="tel:1381234%1f0391-3999921">值班</a>'), "13812340391"),
    # The Kelvin sign is k to str.lower(): <marK> is an inline tag to the full path.
    ("a/index.html", page("<p>138<mar\u212a>1234</mar\u212a>5678</p>"), "13812345678"),
    ("a/index.html", page(FIGURES + "<p>138<mar\u212a>1234</mar\u212a>5678</p>"), "13812345678"),
    # A check character escaped after seventeen digits, and a final X that is not one.
    ("x.json", '{"v": "41080219800101123\\uff38"}', "41080219800101123X"),
    ("x.json", '{"v": "41080219800101123\\u0058"}', "41080219800101123X"),
    ("a/index.html", page('<a href="tel:41080219800101123%58">值班</a>'), "41080219800101123X"),
    ("a/index.html", page('<a href="tel:41080219800101123%EF%BC%B8">值班</a>'), "41080219800101123X"),
    ("a/index.html", page("<p>41080219800101123%EF%BC%B8613812345678</p>"), "13812345678"),  # 8 starts a number
    ("a/index.html", page(FIGURES + "<p>13812345678&#x58;a</p>"), "13812345678"),
    # In a link an entity that is "%" is decoded before the percent escapes.
    ("a/index.html", page('<a href="tel:&#37;31&#37;33812345678">值班</a>'), "13812345678"),
    ("a/index.html", page('<a href="tel:138&percnt;2D1234&percnt;2D5678">值班</a>'), "13812345678"),
    ("a/index.html", page('<a href="tel:41080219800101123&#x25;58">值班</a>'), "41080219800101123X"),
])
def test_the_prefilter_never_hides_a_number_the_full_path_reads(path, body, number):
    """Each of these was let through by the quick test (or its cluster regex) while reading the
    file in full finds the number."""
    allowed, forms = privacy.allowed_numbers(["0391-3999921"]), ("+86-391-3999921", "0391-3999921")
    assert [h.number for h in scan_published(path, body, allowed, forms)] == [number]
    assert might_contain(body, allowed, forms)


@pytest.mark.parametrize("path, body, number", [
    ("a/index.html", page("<p>值班电话 138 <Span>1234</Span>5678</p>"), "13812345678"),  # a name in any case
    ("a/index.html", page("<p>值班电话 138<span>-1234-5678</span></p>"), "13812345678"),  # a dash after the tag
    ("a/index.html", page("<p>值班电话 138 - <em>12345678</em></p>"), "13812345678"),  # three before it
    ("a/index.html", page("<p>值班电话 138\n        <span>12345678</span></p>"), "13812345678"),
    ("a/index.html", page("<p>值班电话 138" + " " * 300 + "<b>12345678</b></p>"), "13812345678"),
    ("a/index.html", page("<p>值班电话 138\u3000<b>1234</b>\u30005678</p>"), "13812345678"),
    ("a/index.html", page("<p>值班电话 138.0086<b>0391-3999921</b></p>"), "13800860391"),  # beside the office number
    ("d/gongshi.xlsx", _sheet_strings("<r><t>1696\u00a0</t></r><r><rPr><b/></rPr><t>2202965</t></r>"), "16962202965"),
    ("d/gongshi.xlsx", _sheet_strings('<r><t>1380013</t></r><r><RPR><Sz val="1"/></RPR><t>8000</t></r>'), "13800138000"),
])
def test_the_quick_test_sends_on_digits_an_inline_tag_may_join(path, body, number):
    """An inline tag (the full path reads its name in any case) with only spaces, dashes and
    dots between it and a digit on either side, however many, sends the file to the full path."""
    allowed, forms = privacy.allowed_numbers(["0391-3999921"]), ("0391-3999921",)
    assert [h.number for h in scan_published(path, body, allowed, forms)] == [number]


def test_a_quoted_csv_field_with_text_after_its_closing_quote_is_read_in_full():
    """csv.reader reads on after a closing quote ("1381234"5678 is 13812345678) where the bytes
    have a quote between; csv.writer's quoting (a quote doubled, a comma in quotes) is not that."""
    for body, number in [('编号,"1381234"5678\r\n', "13812345678"), ('"1""13812"345678\r\n', "13812345678"),
                         ('"1381234" 5678,' + FIGURES, "13812345678")]:
        assert [h.number for h in scan_published("d/gongshi.csv", body)] == [number], body
    written = io.StringIO()
    csv.writer(written, lineterminator="\r\n").writerows([["王五", '说"明"', "a,b", "1\n2"], ['"', ",", "138 1234"]])
    assert not privacy._CSV_TEXT_AFTER_QUOTE.search(written.getvalue())


@pytest.mark.parametrize("href", ["tel:&amp;#49;3812345678", "tel:138&amp;nbsp;12345678",
                                  "mailto:a@b.cn?body=%26%2349%3B3812345678"])
def test_a_links_ampersand_is_text_once_the_link_is_decoded(href, monkeypatch):
    """A link is decoded once, entities then percent escapes: &amp;#49; is "&#49;" in it, as in
    the page's text, not 1 (the full path read it as 1, which the quick test could not see).
    Its entities are still read (tel:&#49;3812345678 dials the number)."""
    monkeypatch.setattr(privacy, "might_contain", lambda *args: True)  # the full path alone
    for body in (page(f'<a href="{href}">值班</a>'), page(FIGURES + f'<i data-body="{href}%20">值班</i>')):
        assert scan("a/index.html", body) == []
    assert scan("a/index.html", page('<a href="tel:&#49;3812345678">值班</a>')) == [(MOBILE, "13812345678")]


def test_a_json_files_escapes_of_what_joins_or_makes_digits_are_read_as_json_loads_reads_them():
    """JSON written with json.dumps' default (ensure_ascii) escapes every such character (\\u2014,
    \\u3000, \\u2460, a surrogate pair for U+1D7CF), and any JSON a tab (\\t): the guard finds
    what the full path finds."""
    joins = sorted(privacy.class_members(privacy.SEPARATOR_LIKE) | privacy.class_members(privacy.FORMAT_CHARS))
    bodies = [json.dumps({"v": f"138{c}1234{c}5678"}, ensure_ascii=ascii) for c in joins for ascii in (True, False)]
    bodies += [json.dumps({"v": f"{c}3812345678"}) for c in sorted(privacy.class_members(privacy.DIGIT_LIKE))]
    found = 0
    for body in bodies:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(privacy, "might_contain", lambda *args: True)
            full = scan_published("x.json", body)
        assert scan_published("x.json", body) == full, body
        found += bool(full)
    assert found > 300


PIECES = ["138", "1234", "5678", "1", "8", "13812345678", "410802", "19800101", "123", "X", "x", "０", "１",
          " ", "-", ".", "\u3000", "\u2014", "\u00a0", "\u200b", "\ufeff", "（", "」", "，", "王",
          "<b>", "</b>", '<span class="n">', "</span>", "<p>", "</p>", "<td>", "<br>", '<a href="', '">', "</a>",
          '<a title="1<2">', "<b title='x>y'>", '<i data-x="%31">', '"', "<", ">", "&amp;", "&#49;", "&#x31;",
          "&nbsp;", "&sup1;", "%20", "%2D", "%31", "%E2%80%8B", "%EF%BC%91", "%", "\\u0031", "\\u0020", "\\n",
          "\\", "mailto:a@b.cn?body=", "tel:", "<!-- ", " -->", "<script>", "</script>", "+86", "0391-3999921"]


def test_the_prefilter_lets_nothing_through_that_the_full_path_finds():
    """Random mixes of digits and everything that can join, hide or fake them, in every kind of
    file: the guard (quick test, then the full path) finds exactly what the full path alone does."""
    import random

    rnd = random.Random(2026)
    allowed, forms = privacy.allowed_numbers(["0391-3999921"]), ("+86-391-3999921", "0391-3999921")
    suffixes = [".html", ".xml", ".json", ".csv", ".txt"]
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(3, 20)))
        path = "a" + rnd.choice(suffixes)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(privacy, "might_contain", lambda *args: True)
            full = sorted(h.number for h in scan_published(path, text, allowed, forms))
        assert sorted(h.number for h in scan_published(path, text, allowed, forms, text.encode())) == full, (path, text)
        found += bool(full)
    assert found > 200  # the mixes do hold numbers (283 of these 3,000)


@pytest.mark.parametrize("raw, kept", [
    (b"<a>0391-3999921</a>", b"<a>\x00</a>"),  # alone: set aside
    (b"0391-3999921", b"\x00"),
    (b"1 0391-3999921", b"1 0391-3999921"),  # beside a space and a digit: read with them
    (b"0391-3999921\xe3\x80\x80138", b"0391-3999921\xe3\x80\x80138"),  # a full-width space joins too
    (b"0391-39999210391-3999921", b"0391-39999210391-3999921"),  # two with nothing between
    (b"0391-3999921\xef\xbc\x8c", b"\x00\xef\xbc\x8c"),  # a full-width comma does not join
])
def test_the_office_number_is_set_aside_only_where_it_stands_alone(raw, kept):
    assert privacy._set_aside(raw, b"0391-3999921") == kept
