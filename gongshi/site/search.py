"""What a reader can type to find a name or a unit: hanzi, full pinyin, pinyin initials.

`search_text()` gives, for one recipient, one lower-case string that a query is matched
against by plain substring: name, 工作单位及职务, 推荐单位, the name's full pinyin and its
initials (zzl finds 张栀琳), joined by "|" where not empty. A surname with several readings
(曾 zeng/ceng, 单 shan/dan) contributes each, so both spellings find the person. Pinyin
comes from gongshi.zh.pinyin (a table built once; a person's name is read as a name).

The site-wide search index holds the string itself (search_index.recipient_key). A list's row
shows the name, the 工作单位及职务 and (in its cell, or on its group's <tbody> as data-unit) the
推荐单位 already, so it carries only the rest, `pinyin_text()`, in data-search; the page's filter
script (static/js/site.js: rowKey) joins them as `search_text` does. Without the string written
out in every row, the longest list page of 10,000 names is 22 % smaller (20 % gzipped).
"""

from __future__ import annotations

from functools import lru_cache

from ..load.model import PublicRecipient, Site
from ..zh.pinyin import COMPOUND_SURNAMES, char_readings, syllables

SEPARATOR = "|"


# Room for every name and unit of the largest build we measure (100,000 names and 1,000 units,
# and the organisations' names): the index reads them all in one pass and the list pages again
# in another, and an LRU cache a little smaller than one pass keeps nothing for the next
# (at 100,000 names the second process missed 107,000 times instead of 101,000).
@lru_cache(maxsize=250_000)
def pinyin_forms(text: str, surname: bool = False) -> tuple[str, ...]:
    """Full pinyin and initials of `text` (letters only); with `surname`, every reading
    of the first character."""
    said = syllables(text, person=surname)
    if not said:
        return ()
    rest = said[1:]
    firsts = [said[0]]
    if surname and text[:2] not in COMPOUND_SURNAMES:
        firsts += [r for r in char_readings(text[0]) if r not in firsts]
    forms = []
    for first in firsts:
        forms.append(first + "".join(rest))
        forms.append(first[0] + "".join(s[0] for s in rest))
    return tuple(dict.fromkeys(forms))


# (name, read as a person's) -> pinyin_forms: what the build's other process made already
# (site.parallel: the helper makes them for its search index and sends them over while this
# process makes the downloads; the list and unit pages then need none made again here).
# Looked up before pinyin_forms; the same values, so it never changes what a page says.
_GIVEN: dict[tuple[str, bool], tuple[str, ...]] = {}


def recipients_forms(site: Site) -> dict[tuple[str, bool], tuple[str, ...]]:
    """The pinyin forms of every recipient's name in `site`, as search_text asks for them."""
    return {(recipient.public.name, recipient.category.is_person):
            pinyin_forms(recipient.public.name, surname=recipient.category.is_person)
            for announcement in site.announcements for recipient in announcement.recipients}


def take_forms(forms: dict[tuple[str, bool], tuple[str, ...]]) -> None:
    """Use these forms (`recipients_forms` of the site being built, made elsewhere) from now on."""
    _GIVEN.clear()
    _GIVEN.update(forms)


def pinyin_text(recipient: PublicRecipient, is_person: bool) -> str:
    """The pinyin forms of the recipient's name joined by "|" ("" for a name without pinyin):
    the part of `search_text` a list's row does not show (see the module docstring)."""
    forms = _GIVEN.get((recipient.name, is_person))
    if forms is None:
        forms = pinyin_forms(recipient.name, surname=is_person)
    return SEPARATOR.join(forms)


def search_text(recipient: PublicRecipient, is_person: bool) -> str:
    parts = (recipient.name, recipient.title, recipient.unit_name, pinyin_text(recipient, is_person))
    return SEPARATOR.join(filter(None, parts)).lower()
