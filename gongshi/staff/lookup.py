"""Recognising categories and recommending units from what people typed in a workbook.

Categories are recognised in a sheet name, a title row or a 荣誉称号/类别 column by their
names in categories.yaml (with or without 焦作市, the 附件 column label, the id), after
dropping words such as 名单、汇总表、推荐. Fuzzy, but never silently wrong: a text that fits
two categories (“标兵”) or leaves a word of another category over (“模范职工之家及小家”,
“模范职工之家等评选表彰”) is ambiguous, and the caller reports it. Units match by name, id, or name + 总工会/工会, or by
the office's own spellings in import.yaml — never by similarity.
"""

from __future__ import annotations

import re
import unicodedata

from msgspec import Struct

from ..zh.names import normalise_name

_NOISE_PREFIX = re.compile(r"^(?:\d{4}年度?|\d{4}|关于)")
_NOISE_WORDS = ("推荐汇总表", "汇总表", "推荐表", "一览表", "花名册", "统计表", "登记表", "名单",
                "汇总", "推荐", "拟表彰", "拟命名", "候选人", "候选", "人选", "申报", "评选", "表")
_MEASURE = re.compile(r"\((?:个|名)\)$")


def compact(text: str) -> str:
    """Width-folded, without any space: how header and category texts are compared."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


def _core(text: str, city: str) -> str:
    """The category words of a sheet name or title: without year, city and list words."""
    text = _MEASURE.sub("", compact(text))
    text = _NOISE_PREFIX.sub("", text)
    if city:
        text = text.replace(city, "")
    changed = True
    while changed and text:
        changed = False
        for word in _NOISE_WORDS:
            if text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
            elif text.startswith(word) and len(text) > len(word):
                text, changed = text[len(word):], True
    return text


class CategoryKey(Struct, frozen=True):
    id: str
    name: str
    keys: tuple[str, ...]
    person: bool


class CategoryMatcher:
    """Which category a text names: (id, "") when sure, (None, why) otherwise."""

    def __init__(self, categories):
        names = [c.name for c in categories]
        self.city = _common_city(names)
        self.categories = []
        for c in categories:
            keys = {compact(c.id).lower(), compact(c.name), _core(c.name, self.city),
                    _MEASURE.sub("", compact(c.table_label))}
            self.categories.append(CategoryKey(c.id, c.name, tuple(sorted(k for k in keys if k)),
                                               c.subject == "person"))
        self.people = {c.id for c in self.categories if c.person}

    def match(self, text: str) -> tuple[str | None, list[str]]:
        """(category id, []) when the text names exactly one; (None, candidate names) if not."""
        whole = compact(text)
        if not whole:
            return None, []
        for candidate in (whole, whole.lower(), _core(text, self.city)):
            exact = [c for c in self.categories if candidate in c.keys]
            if len(exact) == 1:
                return exact[0].id, []
        core = _core(text, self.city)
        if len(core) < 2:
            return None, []
        inside = [c for c in self.categories if any(core in k for k in c.keys)]
        if len(inside) == 1:
            return inside[0].id, []
        if len(inside) > 1:
            return None, [c.name for c in inside]
        containing = []
        for c in self.categories:
            longest = max((k for k in c.keys if len(k) >= 2 and k in core), key=len, default="")
            if longest:
                containing.append((c, longest))
        # a key inside a longer matching key (优秀工会工作者 in 优秀工会工作者标兵) yields to it
        containing = [(c, k) for c, k in containing
                      if not any(k != other and k in other for _, other in containing)]
        if len(containing) != 1:
            return None, [c.name for c, _ in containing]
        chosen, key = containing[0]
        rest = core.replace(key, "", 1)
        if self._mentions_category(rest):
            return None, [chosen.name] + [c.name for c in self.categories
                                          if c is not chosen and self._names_part(rest, c)]
        return chosen.id, []

    def _mentions_category(self, rest: str) -> bool:
        """Whether what is left besides the one category names another (or says 等: and more)."""
        return "等" in rest or any(self._names_part(rest, c) for c in self.categories)

    @staticmethod
    def _names_part(rest: str, category: CategoryKey) -> bool:
        """Whether the leftover text carries two or more characters of a category's words."""
        pieces = {rest[i:i + 2] for i in range(len(rest) - 1)}
        return any(p in k for p in pieces for k in category.keys if not k.isascii())


def _common_city(names: list[str]) -> str:
    """The place all category names start with (焦作市), dropped when matching."""
    if not names:
        return ""
    first = names[0]
    match = re.match(r"^(.{1,6}?[市省县区])", first)
    if match and all(n.startswith(match.group(1)) for n in names):
        return match.group(1)
    return ""


class UnitMatcher:
    """The unit (name as in units.yaml) a cell names, or None. Exact forms only."""

    def __init__(self, units, aliases: dict[str, str] | None = None):
        self.names = [u.name for u in units]
        self.forms: dict[str, str] = {}
        for u in units:
            for form in (u.name, u.id, u.name + "总工会", u.name + "工会"):
                self.forms.setdefault(compact(normalise_name(form)), u.name)
        for alias, target in (aliases or {}).items():
            self.forms[compact(normalise_name(alias))] = target

    def match(self, text: str) -> str | None:
        return self.forms.get(compact(normalise_name(text)))
