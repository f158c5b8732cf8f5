"""The pinyin table (gongshi/zh/pinyin.txt) and how names are read from it (gongshi/zh/pinyin.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, without_coverage

from gongshi.site.search import pinyin_forms
from gongshi.zh import pinyin


def test_the_committed_table_is_what_the_pinned_pypinyin_gives():
    pytest.importorskip("pypinyin")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "make_pinyin_table.py"), "--check"],
                          capture_output=True, text=True, check=False, env=without_coverage())
    assert done.returncode == 0, done.stdout + done.stderr


def test_characters_have_every_reading_the_usual_first():
    from pypinyin import Style, lazy_pinyin
    from pypinyin import pinyin as reference

    for char in "曾单行长重乐绿嗯〇䶮𠀀":
        expected = [r for r in reference(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0]
                    if r.isalpha()]
        assert pinyin.char_readings(char) == list(dict.fromkeys(expected)), char
        assert pinyin.char_readings(char)[0] == lazy_pinyin(char)[0]
    assert pinyin.char_readings("A") == pinyin.char_readings("·") == pinyin.char_readings("１") == []


def test_a_person_is_read_as_a_name():
    # A given name is not a word: pypinyin's phrase list reads 叶韵 as xie yun.
    assert pinyin.syllables("叶韵", person=True) == ["ye", "yun"]
    assert pinyin.syllables("曾国藩", person=True) == ["zeng", "guo", "fan"]
    assert pinyin.syllables("单雄信", person=True) == ["shan", "xiong", "xin"]
    assert pinyin.syllables("万俟卨", person=True) == ["mo", "qi", "xie"]
    assert pinyin.syllables("阿依古丽·买买提", person=True) == ["a", "yi", "gu", "li", "mai", "mai", "ti"]


def test_every_surname_reading_is_one_of_the_characters_readings():
    for char, reading in pinyin.SURNAME_READINGS.items():
        assert reading in pinyin.char_readings(char), char
        assert reading != pinyin.char_readings(char)[0], f"{char}: already its usual reading"
    for surname, readings in pinyin.COMPOUND_SURNAMES.items():
        assert all(r in pinyin.char_readings(c) for c, r in zip(surname, readings)), surname


def test_an_organisation_is_read_by_words():
    assert pinyin.syllables("中国工商银行焦作分行工会委员会") == [
        "zhong", "guo", "gong", "shang", "yin", "hang", "jiao", "zuo", "fen", "hang", "gong", "hui",
        "wei", "yuan", "hui"]
    assert pinyin.syllables("重庆银行行员") == ["chong", "qing", "yin", "hang", "hang", "yuan"]  # longest word
    assert pinyin.syllables("会计师事务所工会") == ["kuai", "ji", "shi", "shi", "wu", "suo", "gong", "hui"]
    # the longest word from each position, as pypinyin segments: 例会 comes before 会计
    assert pinyin.syllables("示例会计") == ["shi", "li", "hui", "ji"]
    assert pinyin.syllables("焦作市第1中学") == ["jiao", "zuo", "shi", "di", "zhong", "xue"]


def test_organisations_read_as_pypinyin_reads_them_on_the_bundled_data():
    from pypinyin import lazy_pinyin

    from gongshi.load.loader import load_site

    site = load_site(REPO).site
    names = [u.name for a in site.announcements for u in a.units]
    names += [r.name for a in site.announcements for r in a.recipients if not r.category.is_person]
    for name in names:
        assert pinyin.syllables(name) == [s for s in lazy_pinyin(name, errors="ignore") if s.isalpha()], name


def test_search_forms_give_every_reading_of_the_surname():
    assert pinyin_forms("曾国藩", surname=True) == ("zengguofan", "zgf", "cengguofan", "cgf")
    assert pinyin_forms("万俟卨", surname=True) == ("moqixie", "mqx")
    assert pinyin_forms("焦煤集团系统") == ("jiaomeijituanxitong", "jmjtxt")
    assert pinyin_forms("ABC") == ()
