"""Pinyin of names, read from a table built once: what the search and the 拼音 order use.

The table (gongshi/zh/pinyin.txt, made from pypinyin by scripts/make_pinyin_table.py) gives each
character its readings without tones, the usual one first, and pypinyin's list of words with
their readings (银行 yin hang), grouped by their first character. It is read on first use, a
character's group of words only when a name read as words meets it; the build never imports
pypinyin.

* A person's name is read character by character (a given name is not a word: 叶韵 is Ye Yun),
  with the surname as a surname: `SURNAME_READINGS` (曾 zeng, 单 shan) and the compound
  surnames in `COMPOUND_SURNAMES` (万俟 mo qi).
* An organisation's or a unit's name is read word by word: from each position the longest
  word of the list, else the character alone (as pypinyin segments a phrase).
* Characters without a reading (letters, digits, punctuation) are skipped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("pinyin.txt")

# Surnames read otherwise than their character's usual reading (the table lists both).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "朴": "piao", "区": "ou", "仇": "qiu", "查": "zha",
    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "翟": "zhai", "种": "chong", "秘": "bi",
    "召": "shao", "句": "gou", "员": "yun", "繁": "po", "折": "she", "隗": "wei", "能": "nai",
    "祭": "zhai",
}
# Two-character surnames read otherwise than their characters.
COMPOUND_SURNAMES = {"万俟": ("mo", "qi"), "尉迟": ("yu", "chi"), "单于": ("chan", "yu"),
                     "长孙": ("zhang", "sun"), "澹台": ("tan", "tai")}


class _Table:
    """The parsed table; sections other than the dense one are parsed when first needed."""

    def __init__(self, text: str):
        sections: dict[str, tuple[str, str]] = {}
        for chunk in ("\n" + text).split("\n=")[1:]:
            header, _, body = chunk.partition("\n")
            name, *args = header.split()
            sections[name] = (" ".join(args), body)
        bounds, body = sections["dense"]
        self.first, self.last = (int(x, 16) for x in bounds.split())
        self.dense = body.split("\n")
        self._sparse_text = sections["sparse"][1]
        self._words_text = sections["words"][1]
        self._sparse: dict[int, str] | None = None
        self._groups: dict[str, str] | None = None  # a character -> its line of the words
        self._usual: dict[str, str] = {}
        # Filled a character's group at a time, when `word_lengths` first meets it (a small
        # build meets a few hundred of the 3,888): {word: its syllables joined by " ", or ""
        # when they are its characters' usual readings} and {character: the lengths of the
        # words it starts, longest first}.
        self.words: dict[str, str] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}

    def readings(self, char: str) -> str:
        """The character's readings joined by ",", or "" when it has none."""
        code = ord(char)
        if self.first <= code <= self.last:
            return self.dense[code - self.first]
        if code < 0x3000:
            return ""
        if self._sparse is None:
            self._sparse = {int(code, 16): found for code, _, found in
                            (line.partition(" ") for line in self._sparse_text.splitlines())}
        return self._sparse.get(code, "")

    def usual(self, char: str) -> str:
        """The character's usual reading, or "" when it has none."""
        said = self._usual.get(char)
        if said is None:
            said = self._usual[char] = self.readings(char).partition(",")[0]
        return said

    def word_lengths(self, char: str) -> tuple[int, ...]:
        """The lengths of the words `char` starts, longest first, kept in `lengths`; its words
        are put in `words` at the same time (see scripts/make_pinyin_table.py for the lines)."""
        if self._groups is None:
            self._groups = {line[0]: line for line in self._words_text.splitlines()}
        line = self._groups.get(char)
        if line is None:
            found: tuple[int, ...] = ()
        else:
            sizes, _, entries = line[1:].partition("\t")
            found = tuple(int(size, 16) for size in sizes)
            for entry in entries.split(" "):
                word, _, said = entry.partition("=")
                self.words[word] = said.replace(",", " ")
        self.lengths[char] = found
        return found


@lru_cache(maxsize=1)
def table() -> _Table:
    return _Table(TABLE.read_text(encoding="utf-8"))


def char_readings(char: str) -> list[str]:
    """Every reading of one character, the usual one first ([] for a non-Chinese character)."""
    found = table().readings(char)
    return found.split(",") if found else []


def syllables(text: str, person: bool = False) -> list[str]:
    """The reading of `text`, one syllable per character that has one (see the module doc)."""
    data = table()
    usual = data.usual
    out: list[str] = []
    index, end = 0, len(text)
    if person:
        compound = COMPOUND_SURNAMES.get(text[:2])
        if compound:
            out.extend(compound)
            index = 2
        elif text and text[0] in SURNAME_READINGS:
            out.append(SURNAME_READINGS[text[0]])
            index = 1
        for char in text[index:]:
            said = usual(char)
            if said:
                out.append(said)
        return out
    word_reading, lengths = data.words.get, data.lengths  # the loop below runs once per character
    while index < end:
        char = text[index]
        sizes = lengths.get(char)
        if sizes is None:
            sizes = data.word_lengths(char)
        for size in sizes:
            stop = index + size
            if stop > end:
                continue  # a word longer than what is left cannot be here
            reading = word_reading(text[index:stop])
            if reading is not None:
                out.extend(reading.split(" ") if reading else map(usual, text[index:stop]))
                index = stop
                break
        else:
            said = usual(char)
            if said:
                out.append(said)
            index += 1
    return out
