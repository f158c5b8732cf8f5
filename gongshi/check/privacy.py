"""Personal numbers: what counts as a personal number and where we look for it.

A 公示 publishes names, 工作单位及职务 and 推荐单位; it must never publish a resident ID number
or a mobile number. This module is the one place that decides what such a number looks like
in any written form, and which text of a published file a reader (or a program) can get at.

What counts (`find_personal_numbers`):

* Text is normalised first: HTML entities decoded (`&#49;` is 1), NFKC (full-width １３８ and
  ＋８６ become 138 and +86), format characters (Unicode category Cf: U+200B/U+200C/U+200D,
  U+2060, U+FEFF, soft hyphen, bidi marks…) dropped, runs of white space made one space.
* A number may be written in digit groups joined by one separator: a space (or two), or a
  dash or a dot with optional spaces around it (138 1234 5678, 138-1234-5678, 138.1234.5678).
  A number is made of whole groups, each of at least three digits (or every group a single
  digit: 1 3 8 1 2 …), so lists of small numbers, dates (2018-11-05), years (2018 2019),
  postcodes (454000) and the office number 0391-3999921 never add up to one. Anything else
  ends a number: letters, Chinese, other punctuation, and - in published files - the edge of
  a table cell, list item, paragraph or attribute.
* Mobile: 11 digits 1[3-9]xxxxxxxxx, also right after +86 / 0086 / (86) or fused with them
  (+8613812345678, 008613812345678).
* Resident ID, 18 digits: a province code (11…83), a real date of birth YYYYMMDD from 1900 on,
  three digits and a check character (digit or X). The GB 11643 check character is NOT
  required to be right: a mistyped or deliberately altered ID still points at one person, so
  it is personal data all the same. The province code and the real date keep serial numbers out.
* Resident ID, 15 digits (issued before 1999): province code, a real YYMMDD (19YY), three digits.
* The announcements' published contact numbers (contacts.phone), in any written form, are allowed.

Where we look (`scan_published`), by file type of what the build publishes:

* HTML and XML (pages, feed.xml, sitemap.xml): text after tags and entities; block elements
  and table cells separate, inline elements (a, span, strong, em…) do not, so
  138<strong>1234</strong>5678 is one number and adjacent cells 13 | 14 | 15 are not.
  Attribute values are text too (title, alt, aria-label, placeholder, meta content, data-*,
  href percent-decoded, so a mailto: or tel: link counts; a data-* value with a % read both
  as written and percent-decoded, since a script may put it in a link, as site.js does with
  data-objection-body), and script, style and comment text, which anyone can read in the
  source.
* CSV cells, JSON strings (and integers), XLSX cell text read back from the written bytes,
  plain text files (robots.txt): each value on its own, each line on its own.
* css, js, images, fonts and other binary files are skipped.

Speed (the check runs on 100,000-name sites): `might_contain()` decides first, at C speed,
whether a file can hold a number at all. Its quick test maps the UTF-8 bytes with
bytes.translate (digits to one byte; ASCII white space, "-", "." and "%" deleted, and so are
the bytes of the spaces and dashes common in Chinese text) and looks for eleven digits in a
row; the office number as the site writes it is set aside first. It reads the bytes the build
writes when the caller passes them (publish does), else it encodes the text. Text
the quick test cannot model (a character NFKC makes a digit, a format character, an entity,
an inline tag between digits, a JSON \\u escape, a percent escape of a non-ASCII separator or
a full-width digit) goes to a regex that finds clusters of eleven digit-like things joined
only by what the full path could join them with, and reads each cluster with the detector.
Only a file with a cluster that reads as a personal number is taken apart. The percent
escapes both paths know are made from the same character classes (DIGIT_LIKE, FORMAT_CHARS,
SEPARATOR_LIKE), so an escape of any character that could be part of a number in a link is
a trigger and part of a cluster.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote

from msgspec import Struct

from ..findings import Findings, Location

MOBILE_KIND = "手机号"
ID_KIND = "身份证号"

# -------------------------------------------------------------------------- normalising

# Unicode category Cf (format characters), as ranges; tests compare it with unicodedata.
FORMAT_CHARS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
                "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
                "\U000e0020-\U000e007f")
_FORMAT = re.compile(f"[{FORMAT_CHARS}]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as a reader sees it: entities decoded, NFKC, format characters gone, one space."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _FORMAT.sub("", unicodedata.normalize("NFKC", text))
    return _SPACE.sub(" ", text)


# -------------------------------------------------------------------------- detecting

_DASHES = "\\-\u2010-\u2015\u2212"
_SEP = f"(?: ?[{_DASHES}.] ?| {{1,2}})"
_RUN = re.compile(f"(?<![0-9])[0-9]+(?:{_SEP}[0-9]+)*(?:[Xx](?![0-9A-Za-z]))?")
_SPLIT = re.compile(_SEP)
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_DIGITS = "0123456789"
PROVINCES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
                       "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
                       "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"})


class Hit(Struct, frozen=True):
    kind: str    # 手机号 or 身份证号
    number: str  # the digits (and X), as normalised

    @property
    def masked(self) -> str:
        return mask(self.number)


def mask(number: str) -> str:
    """138****5678: enough to find it, not enough to publish it again in a report."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def digits_of(text: str) -> str:
    """The digits of a phone number as written, without a +86 / 0086 prefix."""
    digits = re.sub(r"[^0-9]", "", normalise(text))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix):]):
            return digits[len(prefix):]
    return digits


def allowed_numbers(phones: Iterable[str]) -> frozenset[str]:
    """The published contact numbers, as `digits_of` gives them."""
    return frozenset(digits_of(p) for p in phones if p)


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _is_id(digits: str) -> bool:
    if digits[:2] not in PROVINCES or digits[2:6] == "0000":
        return False
    if len(digits) == 18:
        year = int(digits[6:10])
        return 1900 <= year <= 2099 and _real_date(year, int(digits[10:12]), int(digits[12:14]))
    return digits.isdigit() and _real_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


def _shape_ok(groups: list[str]) -> bool:
    """Groups that could be one number as people write it: one group, groups of three or
    more digits, or every digit on its own."""
    return len(groups) == 1 or all(len(g) >= 3 for g in groups) or all(len(g) == 1 for g in groups)


def _numbers_in_run(run: str) -> Iterator[Hit]:
    groups = _SPLIT.split(run)
    lengths = [len(g) for g in groups]
    taken = [False] * len(groups)
    for index, group in enumerate(groups):  # +8613812345678, 008613812345678
        for prefix in ("86", "0086"):
            if len(group) == len(prefix) + 11 and group.startswith(prefix) \
                    and _MOBILE.fullmatch(group[len(prefix):]):
                taken[index] = True
                yield Hit(MOBILE_KIND, group[len(prefix):])
    for size in (18, 15, 11):
        for start in range(len(groups)):
            total, end = 0, start
            while end < len(groups) and not taken[end] and total < size:
                total += lengths[end]
                end += 1
            if total != size or not _shape_ok(groups[start:end]):
                continue
            digits = "".join(groups[start:end]).upper()
            if "X" in digits and (size != 18 or end != len(groups)):
                continue
            if size == 11:
                found = _MOBILE.fullmatch(digits) is not None
            else:
                found = _is_id(digits)
            if found:
                taken[start:end] = [True] * (end - start)
                yield Hit(MOBILE_KIND if size == 11 else ID_KIND, digits)


def _enough_digits(text: str) -> bool:
    return sum(map(text.count, _DIGITS)) >= 11


def numbers_in_segment(text: str, allowed: frozenset[str] = frozenset()) -> list[Hit]:
    """Personal numbers in one piece of already normalised text (one cell, one line…)."""
    if not _enough_digits(text):
        return []
    return [hit for run in _RUN.finditer(text) if len(run.group()) >= 11
            for hit in _numbers_in_run(run.group()) if hit.number not in allowed]


def may_hold_numbers(texts: Iterable[str]) -> bool:
    """False when no text of `texts` can hold a personal number: none has a digit, an entity
    or anything NFKC makes a digit (find_personal_numbers finds nothing in each then). One
    search over them all: a list's names and titles, read one by one, cost 15 ms at 10,000."""
    return _DIGIT_OR_BECOMES.search("\n".join(texts)) is not None


def find_personal_numbers(text: str, allowed: Iterable[str] = ()) -> list[Hit]:
    """Resident ID and mobile numbers in a data value or a line of text, in any written form.
    `allowed` are published contact numbers, as written or as `allowed_numbers` gives them."""
    if not text or not _DIGIT_OR_BECOMES.search(text) or (
            len(_ASCII_DIGIT.findall(text)) < 11 and not _BECOMES_DIGIT.search(text)):
        return []  # the common case: fewer than eleven digits, nothing that could become one
    allowed_set = allowed if isinstance(allowed, frozenset) else allowed_numbers(allowed)
    hits: list[Hit] = []
    for line in text.splitlines():
        hits.extend(numbers_in_segment(normalise(line), allowed_set))
    return hits


# -------------------------------------------------------------------------- the cheap pre-filter

# Characters that NFKC turns into something with a digit (full-width, circled, superscript…),
# and characters that NFKC turns into white space or a separator; tests derive both sets from
# unicodedata and compare.
DIGIT_LIKE = ("0-9\u00b2\u00b3\u00b9\u00bc-\u00be\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215f"
              "\u2189\u2460-\u249b\u24ea\u3251-\u325f\u32b1-\u32cb\u3358-\u3370\u3378\u3379"
              "\u339f-\u33a6\u33a8\u33af\u33e0-\u33fe\uff10-\uff19\U0001d7ce-\U0001d7ff"
              "\U0001f100-\U0001f10a\U0001fbf0-\U0001fbf9")
_ASCII_DIGIT = re.compile("[0-9]")
_BECOMES_DIGIT = re.compile(f"[&{DIGIT_LIKE[len('0-9'):]}]")  # an entity, or what NFKC makes a digit
_DIGIT_OR_BECOMES = re.compile(f"[&{DIGIT_LIKE}]")  # either: most names and titles have neither
SEPARATOR_LIKE = ("\\s\\-.\u2010-\u2015\u2024-\u2026\u207b\u208b\u2212\ufe19\ufe30-\ufe32\ufe52"
                  "\ufe58\ufe63\uff0d\uff0e")
# What Python's \s matches beyond ASCII white space (SEPARATOR_LIKE writes it as \s).
UNICODE_SPACES = "\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def class_members(chars: str) -> frozenset[str]:
    """The characters of a character class written as above (literals, ranges a-b, \\s, \\-)."""
    members: set[str] = set()
    index = 0
    while index < len(chars):
        char = chars[index]
        if char == "\\":
            index += 1
            if chars[index] == "s":
                members |= set(" \t\n\r\x0b\x0c") | class_members(UNICODE_SPACES)
                index += 1
                continue
            char = chars[index]
        if index + 2 < len(chars) and chars[index + 1] == "-":
            members.update(map(chr, range(ord(char), ord(chars[index + 2]) + 1)))
            index += 3
        else:
            members.add(char)
            index += 1
    return frozenset(members)


def trie_alternation(words: Iterable[Sequence[str]]) -> str:
    """A regex matching exactly the `words`, each a sequence of tokens that are regex text
    already (a letter of a tag's name; a percent-escaped byte, %E2), as a trie of their
    tokens, so that a regex tries one branch per token instead of every word in turn
    (strong|strike|s: `s(?:tr(?:ike|ong))?`). The last tokens of words that differ only in
    their last character share a class (%E2 %E3: `%E[23]`)."""
    trie: dict = {}
    for word in words:
        node = trie
        for token in word:
            node = node.setdefault(token, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches: list[str] = []
        last: dict[str, str] = {}  # tokens that only end words, as a stem + their last characters
        for token, child in sorted(node.items()):
            if not token:
                continue
            if set(child) == {""} and token[-1].isalnum():
                last[token[:-1]] = last.get(token[:-1], "") + token[-1]
            else:
                branches.append(token + pattern(child))
        branches += [stem + (ends if len(ends) == 1 else f"[{ends}]") for stem, ends in last.items()]
        if not branches:
            return ""
        joined = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:
            return (joined if len(branches) > 1 else f"(?:{joined})") + "?"
        return joined

    return pattern(trie)


def percent_escapes(chars: Iterable[str]) -> str:
    """A regex for the percent escapes (%E2%80%8B) of the non-ASCII `chars`, as a trie of
    their UTF-8 bytes (trie_alternation). Compile it with re.IGNORECASE: %e2%80%8b is the
    same escape."""
    return trie_alternation([f"%{byte:02X}" for byte in char.encode("utf-8")]
                            for char in chars if not char.isascii())


def json_escapes(chars: Iterable[str]) -> str:
    """A regex for the JSON \\u escapes of `chars` (\\u00a0; a surrogate pair's two above
    U+FFFF), as a trie of their hex digits (trie_alternation). Compile it with re.IGNORECASE:
    \\u00A0 is the same escape."""
    words = []
    for char in chars:
        units = char.encode("utf-16-be", "surrogatepass")
        words.append([token for at in range(0, len(units), 2) for token in ("\\\\u", *units[at:at + 2].hex())])
    return trie_alternation(words)


# Elements that do not end a run of text: inline HTML, and an XLSX cell's rich-text runs.
INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del",
                         "dfn", "em", "font", "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp",
                         "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
                         "var", "wbr"})
# A run's properties (<rPr>) and what they hold (SpreadsheetML's CT_RPrElt): formatting, which
# Excel shows as one text with the runs beside it. As SpreadsheetML spells them (XML names are
# case-sensitive); matched in lower case like HTML's.
XLSX_ELEMENTS = ("r", "t", "rPr", "rFont", "charset", "family", "b", "i", "strike", "outline", "shadow",
                 "condense", "extend", "color", "sz", "u", "vertAlign", "scheme")
XLSX_INLINE_TAGS = frozenset(name.lower() for name in XLSX_ELEMENTS)
_INLINE_NAMES = sorted(INLINE_TAGS | XLSX_INLINE_TAGS)
_INLINE_ALTERNATIVES = trie_alternation(_INLINE_NAMES)  # in a regex compiled with re.IGNORECASE

# A tag's attributes as markup_segments reads them (_MARKUP), and the rest of a tag after its
# name: a quoted value may hold "<" or ">" (<a title="1<2">), an unquoted "<" does not end it.
_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_TAG_REST = _ATTRIBUTES + ">"
# Clusters are found twice: never starting inside a percent escape or a JSON \\u escape (in a
# link %20138 is " 138"), and starting anywhere (in running text %13812345678 holds a number).
_NOT_INSIDE_ESCAPE = r"(?<!%)(?<!%[0-9a-f])(?<!\\u)(?<!\\u[0-9a-f])(?<!\\u[0-9a-f]{2})(?<!\\u[0-9a-f]{3})"
_CHECK_CHARACTERS = "Xx\uff38\uff58"


@functools.cache
def percent_digit_and_join() -> tuple[str, str]:
    """Regexes for the percent escapes (in a link) of what NFKC makes a digit, and of what joins
    digits: a format character, a space or a separator."""
    return (percent_escapes(class_members(DIGIT_LIKE)),
            percent_escapes(class_members(FORMAT_CHARS) | class_members(SEPARATOR_LIKE)))


@functools.cache
def cluster_pieces() -> tuple[str, str, str]:
    """The cluster regex's pieces: what reads as a digit, what joins digits, and a check
    character escaped (\\u0058, %58, %EF%BC%B8), which is looked at after a cluster, not taken:
    its digits may start the next one in running text (%EF%BC%B8613812345678). Made when a text
    first needs them, as the regex is (their tries take 5 ms)."""
    percent_digit, percent_join = percent_digit_and_join()
    digitish = (f"[{DIGIT_LIKE}]"
                r"|&#x?[0-9a-f]{1,6};?|&(?:frac[0-9]{2}|half|sup[123]);?"
                r"|%3[0-9]|" + json_escapes(class_members(DIGIT_LIKE)) + "|" + percent_digit)
    filler = (f"[{SEPARATOR_LIKE}{FORMAT_CHARS}]"
              f"|</?(?:{_INLINE_ALTERNATIVES})(?![\\w:-]){_TAG_REST}"
              r"|&(?!frac[0-9]|half|sup[0-9]|#)[a-z][a-z0-9]*;?"
              r"|%(?:2[0de]|0[9a-d]|1[c-f])|" + percent_join +
              r"|\\[nrt]|" + json_escapes(class_members(FORMAT_CHARS) | class_members(SEPARATOR_LIKE)))
    escaped_check = "%[57]8|" + json_escapes(_CHECK_CHARACTERS) + "|" + percent_escapes(_CHECK_CHARACTERS)
    return digitish, filler, escaped_check


@functools.cache
def _clusters() -> tuple[re.Pattern, re.Pattern]:
    """Compiled when a text first needs them (16 ms: most builds never do)."""
    digitish, filler, escaped_check = cluster_pieces()
    body = (f"(?:{digitish})(?:(?:{filler})*(?:{digitish})){{10,}}(?:(?:{filler})*[{_CHECK_CHARACTERS}])?"
            f"(?:(?=(?P<escaped>(?:{filler})*(?:{escaped_check})))|)")
    return re.compile(_NOT_INSIDE_ESCAPE + body, re.IGNORECASE), re.compile(body, re.IGNORECASE)


_MOST_PIECES = 64  # a cluster parted by more tags than this is left to the full path
_TAG = re.compile("<" + _TAG_REST)  # in a cluster, where each "<" starts an inline tag
_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrt])")
_JSON_CHARS = {"n": "\n", "r": "\r", "t": "\t"}


def _json_decoded(text: str) -> str:
    """The escapes decoded as json.loads decodes them: a surrogate pair's two are one character."""
    decoded = _JSON_ESCAPE.sub(lambda m: _JSON_CHARS.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), text)
    return decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _cluster_readings(raw: str) -> set[str] | None:
    """A cluster as the full path could read it, every way (None: too many to try, leave it to
    the full path): its entities decoded always (as normalise does); its tags kept (in a JSON,
    CSV or text file </b> is text between digits), or dropped between any run of the pieces
    they part (an inline tag joins, a tag the full path reads otherwise - inside a malformed
    one - parts); its JSON escapes decoded or not (only a JSON file's are); its percent
    escapes decoded or not (only a link's and a data-* value's are); with and without a final X,
    however it was written (after it the full path may read on: 13812345678X&#49; is
    13812345678X1, a mobile number and a word; 13812345678&#88;a too)."""
    pieces = _TAG.split(raw)
    if len(pieces) > _MOST_PIECES:
        return None
    forms = {raw} | {"".join(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)}
    forms |= {_json_decoded(form) for form in forms if "\\" in form}
    forms |= {unquote(form) for form in forms if "%" in form}
    forms |= {form[:-1] for form in forms if form[-1:] in _CHECK_CHARACTERS}
    readings = {normalise(form) for form in forms}
    return readings | {reading[:-1] for reading in readings if reading[-1:] in "Xx"}


# An entity that is "%": a link's entities are decoded before its percent escapes
# (tel:&#37;31&#37;33812345678), so its clusters are looked for in the decoded text too.
_PERCENT_ENTITY = re.compile(r"&(?:#0*37(?![0-9])|#[xX]0*25(?![0-9a-fA-F])|percnt;)")


def _clusters_read_as_numbers(text: str, allowed: frozenset[str]) -> bool:
    texts = [text, html.unescape(text)] if "&" in text and _PERCENT_ENTITY.search(text) else [text]
    for cluster in _clusters():
        for each in texts:
            for match in cluster.finditer(each):
                readings = _cluster_readings(match.group() + (match.group("escaped") or ""))
                if readings is None or any(numbers_in_segment(reading, allowed) for reading in readings):
                    return True
    return False


# The quick test's model: ASCII digits joined by ASCII white space, "-", "." and "%" (so that
# %20 and %3x keep their digits), found with bytes.translate and bytes.find at C speed. Text
# that could join digits in any other way goes to the cluster regex instead: a character NFKC
# makes a digit, a format character, an unusual space or separator, an astral character, an
# entity other than &amp; &lt; &gt; &quot; &#34; &#39;, a JSON \u escape, an inline tag
# (in any case, as the full path reads names) with only what joins digits between it and a
# digit on either side, a percent escape of any non-ASCII character of DIGIT_LIKE,
# FORMAT_CHARS or SEPARATOR_LIKE. The
# spaces and dashes common in Chinese text (U+3000, U+00A0, — – ‐ − － ．) join digits as ASCII
# ones do: every byte of their UTF-8 forms is deleted with the separators (_MASK_DELETE). That
# deletes those bytes inside other characters too (some vanish whole: （ EF BC 88, 」 E3 80 8D),
# which can only join more digits, never fewer: a page it joins wrongly goes to the cluster
# regex, which decides.
_COMMON = frozenset("\u3000\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff0e")
_BMP_FORMAT = FORMAT_CHARS[:FORMAT_CHARS.index("\U000110bd")]
_BMP_DIGIT_LIKE = DIGIT_LIKE[len("0-9"):DIGIT_LIKE.index("\U0001d7ce")]
# Any other character the quick test does not model (what NFKC makes a digit, a format
# character, an unusual space or separator below U+10000) sends the text to the cluster regex,
# and so does the Kelvin sign U+212A, the one character str.lower() makes an ASCII letter (k):
# in a tag's name (<mar\u212a>) the full path reads an inline tag the bytes do not show.
_UNMODELLED = re.compile("[" + _BMP_DIGIT_LIKE + _BMP_FORMAT + "\u0085\u1680"
                         "\u2000-\u200a\u2028\u2029\u202f\u205f\u2024-\u2026\u207b\u208b\ufe19"
                         "\ufe30-\ufe32\ufe52\ufe58\ufe63\u212a]")
_BELOW_ASTRAL = bytes(range(0xf0))  # UTF-8 bytes other than the leads of U+10000 and up
_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#34|#39|#x22|#x27);)")
# An inline tag between digits, with only what joins digits between it and each digit (for the
# full path: white space as str's \s has it, a dash, a dot, a common space or dash, however many;
# anything else the quick test leaves to the cluster regex) and other inline tags. The full path
# reads a name in any case (it lowers it): so does this, in ASCII (a bytes pattern's (?i:) folds
# ASCII letters only). The regex finds an inline tag with a digit or a joining byte before it
# and a digit after it; `_inline_between_digits` looks back for the digit (a regex anchored at
# each digit or reading every tag's name would take four times as long on a long list).
_ASCII_JOINING = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f-."  # str's \s in ASCII, a dash, a dot
_JOINING = _ASCII_JOINING + bytes(sorted(set(b"".join(character.encode("utf-8") for character in _COMMON))))
_JOINS_DIGITS = b"|".join([b"[" + re.escape(_ASCII_JOINING) + b"]",
                           *(re.escape(c.encode("utf-8")) for c in sorted(_COMMON))])
_INLINE_TAG = f"</?(?i:{_INLINE_ALTERNATIVES})(?![\\w:-]){_TAG_REST}".encode()
_INLINE_BEFORE_DIGIT = re.compile(b"<(?<=[0-9%b]<)%b(?:%b|%b)*[0-9]" % (
    re.escape(_JOINING), _INLINE_TAG[1:], _JOINS_DIGITS, _INLINE_TAG))
_LOOK_BACK = 256  # bytes: a longer run of joining ones before such a tag counts as joining a digit


def _inline_between_digits(raw: bytes) -> bool:
    """Whether an inline tag in `raw` may join digits. Of a chain of tags between two digits
    the first has only joining bytes before it, back to the digit."""
    for match in _INLINE_BEFORE_DIGIT.finditer(raw):
        start = match.start()
        before = raw[max(0, start - _LOOK_BACK):start].rstrip(_JOINING)
        if before[-1:].isdigit() or (not before and start > _LOOK_BACK):
            return True
    return False


@functools.cache
def _percent_exotic_pattern() -> re.Pattern:
    """A percent escape of anything the quick test does not model (see percent_digit_and_join),
    as one trie, matched against the text in upper case (the escapes are written so) rather
    than with re.IGNORECASE: the same matches, in half the time on a page of escaped 异议 links.
    Made when a text with "%" first needs it (2.4 ms: a site whose objections are closed has
    no such page)."""
    return re.compile(percent_escapes(class_members(DIGIT_LIKE) | class_members(FORMAT_CHARS)
                                      | class_members(SEPARATOR_LIKE)).encode())


# The percent escapes of the ASCII characters that join digits and end in a letter (%20 and %09
# keep their digits once "%" is deleted): a dash, a dot, and U+001F, white space to str's \s
# (%0A-%0D and %1C-%1E end a line instead). Outside a link the digit of one stands alone.
# By their first two bytes, which are looked for first: a page of objection links (a third of
# its bytes "%", every escape a byte of UTF-8 from %80 up) has neither, and searching 2.3 MB of
# it for each of the six took 12 ms, for the two 4.5.
_PERCENT_SEPARATORS = {b"%2": ((b"%2D", b"-"), (b"%2d", b"-"), (b"%2E", b"."), (b"%2e", b".")),
                       b"%1": ((b"%1F", b" "), (b"%1f", b" "))}
_MASK = bytes(ord("0") if 48 <= b <= 57 else ord("x") for b in range(256))
_MASK_DELETE = _JOINING + b"%"
_ELEVEN = b"0" * 11
# What the digits the full path joins must hold for it to find a number (_numbers_in_run): a
# mobile number (also after +86), or the 15 or more digits of a resident ID. Without a "%" the
# quick test's digits are the very digits of the text (an entity, an escape or a digit NFKC
# makes went to the cluster regex before), each number the full path reads is a run of them,
# and deleting the joining bytes can only join more: a table of figures set apart by spaces
# (a notice's 附件 as plain text) has eleven digits in a row, but no such run.
_PERSONAL_DIGITS = re.compile(rb"1[3-9][0-9]{9}|[0-9]{15}")


def _percent_exotic(raw: bytes) -> bool:
    return _percent_exotic_pattern().search(raw.upper()) is not None


def _exotic(raw: bytes) -> bool:
    """Whether the quick test's model does not cover how digits in `raw` may be joined."""
    return bool(raw.translate(None, _BELOW_ASTRAL) or (b"\\" in raw and b"\\u" in raw)
                or (b"&" in raw and _ENTITY.search(raw))
                or (b"%" in raw and _percent_exotic(raw)))


def _set_aside(raw: bytes, form: bytes) -> bytes:
    """`raw` with each occurrence of a published contact number that stands alone made a
    non-digit; one beside a character that joins digits (a digit, a space, a dash…) stays, for
    the full path to read with its neighbours (138.0086 0391-3999921 holds 13800860391)."""
    pieces = raw.split(form)
    out = [pieces[0]]
    last = len(pieces) - 2
    for index, (before, after) in enumerate(zip(pieces, pieces[1:])):
        # Beside another occurrence (nothing between), the neighbour is that one's end or start.
        previous = _last_character(before) if before or not index else _last_character(form)
        following = _first_character(after) if after or index == last else _first_character(form)
        alone = not _joins(previous) and not _joins(following)
        out.append(b"\x00" if alone else form)
        out.append(after)
    return b"".join(out)


def _last_character(data: bytes) -> bytes:
    start = len(data) - 1
    while start > 0 and len(data) - start < 4 and 0x80 <= data[start] < 0xc0:  # a continuation byte
        start -= 1
    return data[start:]


def _first_character(data: bytes) -> bytes:
    lead = data[:1]
    if not lead or lead[0] < 0xc0:
        return lead
    return data[:2 if lead[0] < 0xe0 else 3 if lead[0] < 0xf0 else 4]


def _joins(character: bytes) -> bool:
    """Whether the quick test joins digits across this character: a digit, or one it deletes."""
    return bool(character) and (character.isdigit() or not character.translate(None, _MASK_DELETE))


def might_contain(text: str | bytes, allowed: frozenset[str] = frozenset(),
                  forms: tuple[str, ...] = (), raw: bytes | None = None) -> bool:
    """False when `text` certainly has no personal number in any form the full path finds.

    `forms` are the published contact numbers as the site writes them (0391-3999921,
    +86-391-3999921): set aside before the quick test, which would otherwise stop at them.
    `raw`: the bytes `text` was read from or written as, when the caller has them (the quick
    test reads bytes; a byte that is not UTF-8 is a non-digit either way)."""
    if isinstance(text, bytes):
        raw, text = text, text.decode("utf-8", errors="replace")
    elif raw is None:
        raw = text.encode("utf-8", errors="replace")
    if not text.isascii() and _UNMODELLED.search(text):  # none of them is ASCII (isascii: O(1))
        return _clusters_read_as_numbers(text, allowed)
    if b"\\" in raw and b"\\t" in raw:  # a JSON string's \t, white space once read (its \n and \r end a line)
        raw = raw.replace(b"\\t", b"\t")
    # Before a contact number is set aside: a tag joins it to a digit beside it as well.
    if b"<" in raw and _inline_between_digits(raw):
        return _clusters_read_as_numbers(text, allowed)
    # Before a contact number is set aside: in a link %2D is a dash beside it (1381234%2D0391-…).
    if b"%" in raw:
        for start, escapes in _PERCENT_SEPARATORS.items():
            if start in raw:
                for escape, separator in escapes:
                    if escape in raw:
                        raw = raw.replace(escape, separator)
    for form in forms:
        encoded = form.encode("utf-8")
        if encoded in raw:
            raw = _set_aside(raw, encoded)
    if _exotic(raw):
        return _clusters_read_as_numbers(text, allowed)
    masked = raw.translate(_MASK, _MASK_DELETE)
    if _ELEVEN not in masked:
        return False
    if b"%" not in raw and not _personal_digits(masked, raw.translate(None, _MASK_DELETE)):
        return False
    return _clusters_read_as_numbers(text, allowed)


def _personal_digits(masked: bytes, digits: bytes) -> bool:
    """Whether `digits` (the bytes the quick test reads, joining ones deleted) holds what
    _PERSONAL_DIGITS matches; `masked` is the same bytes with each digit "0" and any other
    byte "x". Either number is eleven digits or more in a row, so only the runs of eleven or
    more are searched, found in `masked` by bytes.find: the regex over the whole of a page
    whose digits run to eleven (a 附件 of figures, a page with a number that is not the
    published phone) cost 15 ns a byte, twice the rest of the guard."""
    start = masked.find(_ELEVEN)
    while start != -1:  # the first "0" of a run of eleven or more: bytes before it are not "0"s
        end = masked.find(b"x", start)
        if end == -1:
            end = len(masked)
        if _PERSONAL_DIGITS.search(digits, start, end):
            return True
        start = masked.find(_ELEVEN, end)
    return False


# -------------------------------------------------------------------------- where we look

SKIPPED_SUFFIXES = frozenset({".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif",
                              ".webp", ".svgz", ".ico", ".woff", ".woff2", ".ttf", ".otf", ".eot",
                              ".pdf", ".gz", ".br", ".zip", ".wasm"})
MARKUP_SUFFIXES = frozenset({".html", ".htm", ".xml", ".svg", ".xhtml", ".atom", ".rss"})
# Attributes whose values are structure, not text anyone reads.
STRUCTURAL_ATTRIBUTES = frozenset({"class", "id", "style", "rel", "type", "lang", "xml:lang",
                                   "dir", "role", "scope", "charset", "for", "width", "height",
                                   "colspan", "rowspan", "tabindex", "media", "crossorigin",
                                   "integrity", "nonce", "src", "srcset", "sizes", "loading",
                                   "decoding", "method", "enctype", "autocomplete", "inputmode",
                                   "xmlns", "http-equiv", "hidden", "headers", "async", "defer"})
_RAW_TEXT = frozenset({"script", "style"})
_XLSX_FORMATTING = ("xl/theme/", "xl/styles.xml")  # fonts and colours, no text anyone wrote
_MARKUP = re.compile(r"<!--(.*?)(?:-->|\Z)|<!\[CDATA\[(.*?)(?:\]\]>|\Z)|<[!?][^>]*>"
                     r"|<(/?)([A-Za-z][\w:.-]*)(" + _ATTRIBUTES + ")>", re.DOTALL)
_ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_RAW_END = {name: re.compile(f"</{name}", re.IGNORECASE) for name in _RAW_TEXT}


def markup_segments(text: str, inline: frozenset[str] = INLINE_TAGS) -> Iterator[str]:
    """The text of an HTML or XML document, one piece per block, cell, attribute or line
    where a reader would see a break; inline elements do not break a piece."""
    pending: list[str] = []
    position = 0
    while True:
        match = _MARKUP.search(text, position)
        end = match.start() if match else len(text)
        pending.append(text[position:end])
        if match is None:
            break
        position = match.end()
        comment, cdata, closing, name, attributes = match.groups()
        if name is not None:
            name = name.lower()
            if attributes and not closing:
                yield from _attribute_segments(attributes)
            if name in inline:
                continue
        yield "".join(pending)
        pending = []
        if comment is not None or cdata is not None:
            yield from (comment if comment is not None else cdata).splitlines()
        elif name in _RAW_TEXT and not closing:
            raw_end = _RAW_END[name].search(text, position)
            stop = raw_end.start() if raw_end else len(text)
            yield from text[position:stop].splitlines()
            position = stop
    yield "".join(pending)


def _attribute_segments(attributes: str) -> Iterator[str]:
    for match in _ATTRIBUTE.finditer(attributes):
        name = match.group(1).lower()
        value = match.group(2) if match.group(2) is not None else (match.group(3) or match.group(4))
        if not value or name in STRUCTURAL_ATTRIBUTES:
            continue
        if name in ("href", "action", "cite") or name.endswith(":href"):
            value = _link_text(value)
        elif name.startswith("data-") and "%" in value:
            # A script may put it in a link (data-objection-body): read both ways.
            yield from _link_text(value).splitlines()
        yield from value.splitlines()


def _link_text(value: str) -> str:
    """A link as its reader gets it: entities decoded, then percent escapes. Its "&" is text by
    then, written &amp; again for normalise, which decodes entities once more (&amp;#49; and
    %26%2349%3B are "&#49;" in the link, not 1)."""
    return unquote(html.unescape(value)).replace("&", "&amp;")


def _json_segments(value) -> Iterator[str]:
    if isinstance(value, str):
        yield from value.splitlines()
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        yield str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from key.splitlines()
            yield from _json_segments(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_segments(item)


def _text_of(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    return data.decode("utf-8-sig", errors="replace")


def _parts(path: str, data: bytes | str,
           encoded: bytes | None = None) -> Iterator[tuple[str, str, str, bytes | None]]:
    """(part name, kind, text, its bytes if known) for each text part of a published file
    worth reading; `encoded`: `data` as UTF-8, when `data` is text and the caller has them."""
    suffix = Path(path).suffix.lower()
    if suffix in SKIPPED_SUFFIXES:
        return
    if suffix in (".xlsx", ".xlsm", ".docx", ".odt", ".ods"):
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith((".xml", ".rels")) and not name.startswith(_XLSX_FORMATTING):
                    part = archive.read(name)
                    yield name, "xlsx", part.decode("utf-8", errors="replace"), part
        return
    kind = ("markup" if suffix in MARKUP_SUFFIXES else "json" if suffix == ".json"
            else "csv" if suffix == ".csv" else "text")
    yield "", kind, _text_of(data), data if isinstance(data, bytes) else encoded


def _segments(kind: str, text: str) -> Iterator[str]:
    if kind == "markup":
        return markup_segments(text)
    if kind == "xlsx":
        return markup_segments(text, XLSX_INLINE_TAGS)
    if kind == "json":
        try:
            return _json_segments(json.loads(text))
        except ValueError:
            return iter(text.splitlines())
    if kind == "csv":
        return (line for row in csv.reader(io.StringIO(text)) for cell in row
                for line in cell.splitlines())
    return iter(text.splitlines())


# A quoted CSV field with text after its closing quote ("1381234"5678): csv.reader reads on
# (13812345678) where the bytes have a quote between, so the guard reads such a file in full
# (csv.writer never writes one). Matched from any comma or line break, inside a field too:
# more than the fields, never fewer.
_CSV_TEXT_AFTER_QUOTE = re.compile(r'"(?<![^,\r\n]")[^"]*(?:""[^"]*)*"(?![",\r\n]|\Z)')

# (an archive part's bytes, find its hits) -> its hits: see scan_published's `archived`.
PartMemo = Callable[[bytes, Callable[[], list[Hit]]], list[Hit]]


def scan_published(path: str, data: bytes | str, allowed: frozenset[str] = frozenset(),
                   forms: tuple[str, ...] = (), encoded: bytes | None = None,
                   archived: PartMemo | None = None) -> list[Hit]:
    """Personal numbers in the text of one published file, each distinct number once.
    `allowed` and `forms`: the published contact numbers (see `might_contain`); `encoded`:
    `data` as UTF-8, when `data` is text and the caller has them (the quick test reads bytes).
    `archived(part, find)`: what `find()` finds in one part of an archive (an XLSX's sheet,
    its shared strings), given the part's bytes: a preview's memo, which finds them once for
    the same bytes (a part is read by itself, so its hits are a function of its bytes)."""
    hits: dict[str, Hit] = {}
    for _, kind, text, raw in _parts(path, data, encoded):
        if archived is not None and kind == "xlsx" and raw is not None:
            found = archived(raw, functools.partial(_part_hits, kind, text, raw, allowed, forms))
        else:
            found = _part_hits(kind, text, raw, allowed, forms)
        for hit in found:
            hits.setdefault(hit.number, hit)
    return list(hits.values())


def _part_hits(kind: str, text: str, raw: bytes | None, allowed: frozenset[str],
               forms: tuple[str, ...]) -> list[Hit]:
    """Personal numbers in one part of a published file, each distinct number once."""
    hits: dict[str, Hit] = {}
    if not (kind == "csv" and '"' in text and _CSV_TEXT_AFTER_QUOTE.search(text)) \
            and not might_contain(text, allowed, forms, raw):
        return []
    for segment in _segments(kind, text):
        if segment.isascii() and "&" not in segment and not _enough_digits(segment):
            continue  # most pieces: nothing the normalising could turn into digits
        for hit in numbers_in_segment(normalise(segment), allowed):
            hits.setdefault(hit.number, hit)
    return list(hits.values())


# -------------------------------------------------------------------------- the final guard

SOURCE_FOLDERS = ("content", "data", "templates")
_SOURCE_SUFFIXES = (".md", ".yaml", ".yml", ".html", ".txt", ".j2")
_EMPHASIS = re.compile(r"[*_`~]")


def find_origins(root: Path, number: str) -> list[Location]:
    """Where in the project's own text files `number` is written (file and line), in any form
    the detector knows, Markdown emphasis included."""
    places = []
    for folder in SOURCE_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in _SOURCE_SUFFIXES:
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            for index, line in enumerate(text.splitlines(), 1):
                if len(_ASCII_DIGIT.findall(line)) < 11 and not _BECOMES_DIGIT.search(line):
                    continue
                candidates = [line, _EMPHASIS.sub("", line)]
                if path.suffix.lower() == ".html":
                    candidates += list(markup_segments(line))
                if any(h.number == number for c in candidates for h in find_personal_numbers(c)):
                    places.append(Location(path.relative_to(root).as_posix(), index))
    return places


class PublishedGuard:
    """The last guard: every file the build publishes is scanned before anything is written
    (and `check`, which renders in memory, runs the same scan). Hits become X002 errors."""

    def __init__(self, root: Path, contact_phones: Iterable[str]):
        """`contact_phones`: the published numbers, each as every way the site writes it
        (as typed, and as the tel: link has it)."""
        self.root = root
        self.forms = tuple(sorted({p for p in contact_phones if p}, key=len, reverse=True))
        self.allowed = allowed_numbers(self.forms)
        self.found: dict[str, tuple[Hit, list[str]]] = {}

    def scan(self, path: str, data: bytes | str) -> None:
        self.record(path, self.hits(path, data))

    def hits(self, path: str, data: bytes | str, encoded: bytes | None = None,
             archived: PartMemo | None = None) -> list[Hit]:
        """What `scan` would record for this file, without recording it (the build's second
        process finds them, the first records them in the build's own order); `encoded`:
        `data` as UTF-8, when it is text and the caller has them; `archived`: see
        `scan_published`."""
        return scan_published(path, data, self.allowed, self.forms, encoded, archived)

    def record(self, path: str, hits: list[Hit]) -> None:
        for hit in hits:
            self.found.setdefault(hit.number, (hit, []))[1].append(path)

    def report(self, findings: Findings) -> None:
        hint = ("公示不得公布身份证号和手机号；写成带空格、横线、点、全角数字、+86，或夹着格式字符、"
                "加粗标记、HTML 实体的形式也一样。如果它就是公布的受理电话，请与 announcement.yaml 中 "
                "contacts.phone 写成同一个号码。")
        for hit, files in self.found.values():
            where = f"output/{files[0]}" + (f"（另有 {len(files) - 1} 个文件）" if len(files) > 1 else "")
            origins = find_origins(self.root, hit.number)
            if not origins:
                findings.error("X002", f"生成的文件 {where} 中出现了疑似{hit.kind}“{hit.masked}”，本次不发布。",
                               Location(f"output/{files[0]}"),
                               "请在 data/、content/ 或 templates/ 的文字中找到并删去这串数字。" + hint)
            for origin in origins:
                findings.error("X002", f"生成的文件 {where} 中出现了疑似{hit.kind}“{hit.masked}”，"
                               "这一行写有这个号码，本次不发布。", origin, "请删去这一行中的这串数字。" + hint)
