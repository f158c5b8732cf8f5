"""Invisible and control characters: found in every file read, each named in Chinese with its
line and column; line ends, tabs, a leading BOM and ordinary Chinese text pass."""

import pytest
from conftest import FIXED_DAY, run_cli

from gongshi.files.invisible import MAX_LISTED, find_invisible, invisible_findings
from gongshi.files.yamlfile import DataFileError, load_yaml, read_text
from gongshi.load.loader import load_site


def found(text):
    return [(f.line, f.column, f.codepoint, f.code, f.label) for f in find_invisible(text)]


@pytest.mark.parametrize("char, code, label", [
    ("\u200b", "N002", "零宽空格 U+200B"),
    ("\u200c", "N002", "零宽不连字 U+200C"),
    ("\u200d", "N002", "零宽连接符 U+200D"),
    ("\u2060", "N002", "零宽词连接符 U+2060"),
    ("\u00ad", "N002", "软连字符 U+00AD"),
    ("\u200e", "N002", "从左至右标记 U+200E"),
    ("\u200f", "N002", "从右至左标记 U+200F"),
    ("\u202a", "N002", "从左至右嵌入 U+202A"),
    ("\u202e", "N002", "从右至左强制 U+202E"),
    ("\u2066", "N002", "从左至右隔离 U+2066"),
    ("\u2069", "N002", "方向隔离结束 U+2069"),
    ("\ufe00", "N002", "变体选择符-1 U+FE00"),
    ("\ufe0f", "N002", "变体选择符-16 U+FE0F"),
    ("\U000e0100", "N002", "变体选择符-17 U+E0100"),
    ("\U000e01ef", "N002", "变体选择符-256 U+E01EF"),
    ("\ufeff", "N002", "字节顺序标记（BOM，零宽不换行空格） U+FEFF"),
    ("\u2028", "N002", "行分隔符 U+2028"),
    ("\u3164", "N002", "韩文填充符 U+3164"),
    ("\u0000", "N003", "空字符 NUL U+0000"),
    ("\u001b", "N003", "转义符 ESC U+001B"),
    ("\u0007", "N003", "响铃符 U+0007"),
    ("\u0085", "N003", "下一行符 NEL U+0085"),
    ("\u0090", "N003", "C1 控制字符 U+0090"),
    ("\ue000", "N004", "私用区字符（造字） U+E000"),
    ("\U000f0000", "N004", "私用区字符（造字） U+F0000"),
    ("\u0378", "N005", "未分配的码位 U+0378"),
    ("\uffff", "N005", "非字符码位 U+FFFF"),
])
def test_each_refused_character_is_named_in_chinese_at_its_line_and_column(char, code, label):
    text = f"a: 1\nname: 陆{char}璐\n"
    assert found(text) == [(2, 8, label.rsplit(" ", 1)[1], code, label)]


def test_line_ends_tabs_spaces_and_chinese_text_pass():
    text = ("title: 焦作市　优秀工会工作者\r\n\tkey: 阿依古丽·买买提 𠀾𪚥\r\n"  # U+3000, Ext B/C
            "x:\u00a0y\n\U00031350\n")  # Ext G; and an unassigned plane-3 ideograph slot:
    assert found(text + "\U0003134f\U000323b0\n") == []


def test_a_carriage_return_alone_is_a_control_character():
    assert found("a\r\nb\rc\n") == [(2, 2, "U+000D", "N003", "单独的回车符 U+000D")]


def test_windows_line_ends_do_not_shift_columns():
    assert found("a: 1\r\nname: 陆\u200d璐\r\n") == [(2, 8, "U+200D", "N002", "零宽连接符 U+200D")]


def test_several_on_one_line_and_across_lines_each_get_their_column():
    assert [(row, c) for row, c, *_ in found("\u200b陆\u200d璐\n\n正常\n末\u202e尾")] == \
        [(1, 1), (1, 3), (4, 2)]


def test_message_says_where_and_excerpt_shows_the_character():
    (finding,) = invisible_findings("recipients:\n  - name: 陆\u200d璐\n", "r.yaml")
    assert finding.is_error and finding.code == "N002"
    assert (finding.location.file, finding.location.line, finding.location.column) == ("r.yaml", 2, 12)
    assert "“零宽连接符 U+200D”，夹在“陆”和“璐”之间" in finding.message
    assert finding.excerpt == "  - name: 陆〔U+200D〕璐"
    assert "第 12 列" in finding.hint and "“陆璐”" in finding.hint and "重新输入" in finding.hint


def test_direction_override_says_it_reorders_the_text():
    (finding,) = invisible_findings("title: 关于\u202e焦作市\n", "g.md")
    assert "打乱其后文字的显示顺序" in finding.message


def test_private_use_character_gets_its_own_advice():
    (finding,) = invisible_findings("name: 王\ue000\n", "r.yaml")
    assert finding.code == "N004" and "标准汉字" in finding.hint


def test_a_file_full_of_them_lists_the_first_and_counts_the_rest():
    findings = invisible_findings("陆\u200b璐\n" * (MAX_LISTED + 7), "r.yaml")
    assert len(findings) == MAX_LISTED + 1
    assert "还有 7 个" in findings[-1].message and findings[-1].location.line == MAX_LISTED + 1


def test_read_text_refuses_the_file_reporting_every_occurrence(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("a: 陆\u200d璐\nb: 张\u00ad三\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_yaml(path, "r.yaml")
    assert [(p.code, p.location.line) for p in caught.value.problems] == [("N002", 1), ("N002", 2)]


def test_a_leading_bom_is_accepted_but_one_inside_the_text_is_not(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "name: 张三\n".encode())
    assert read_text(path, "bom.yaml") == "name: 张三\n"
    path.write_bytes(b"\xef\xbb\xbf" + "name: 张三\n".encode() * 2 + b"\xef\xbb\xbf")
    with pytest.raises(DataFileError) as caught:
        read_text(path, "bom.yaml")
    assert caught.value.code == "N002" and caught.value.location.line == 3


def test_every_file_kind_is_checked_and_every_file_reported_at_once(project):
    """Data YAML, Markdown front matter and body, holidays.yaml: all in one run."""
    edits = {
        "data/2018-mofan/units.yaml": ("name: 温县", "name: 温\u200b县"),
        "content/2018-mofan/notice.md": ("---\n", "---\n\u2066"),
        "data/holidays.yaml": ("\n", "\n# \u200f\n"),
        "data/history.yaml": ("category: 焦作市模范职工之家", "category: 焦作市模范职工之家\ufe0f"),
    }
    for relative, (old, new) in edits.items():
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = load_site(project)
    assert result.findings.errors  # refused: the build writes nothing
    reported = {f.location.file for f in result.findings.errors if f.code == "N002"}
    assert reported == set(edits)


def test_strokes_file_is_checked_too(project):
    path = project / "data/strokes.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# 说明\u200b\n", encoding="utf-8")
    result = run_cli("check", "--today", FIXED_DAY, project=project)
    assert result.code == 1
    assert "data/strokes.yaml" in result.stdout and "N002：" in result.stdout


def test_the_pattern_of_a_text_finds_what_refused_says_character_by_character():
    """_suspects() judges each distinct character of a text once (_refused) and searches for
    those: over the whole Basic Multilingual Plane and stretches beyond it, it finds each place
    that _refused() refuses, and a carriage return not before a line feed."""
    from gongshi.files import invisible
    points = [*range(0x10000), *range(0x1F000, 0x20010), *range(0x2FFF0, 0x30010), *range(0xE0000, 0xE0200)]
    text = "".join(map(chr, points))
    found = [match.start() for match in invisible._suspects(text).finditer(text)]
    assert found == [place for place, point in enumerate(points)
                     if point == 0x0D or invisible._refused(chr(point))]
    assert invisible._suspects("陆璐\r\n张三\t李四\n") is None


def test_no_character_the_quick_test_lets_through_is_refused():
    """A long text of only the characters _outside_plain() does not match passes without each
    character judged: every such character, of all of Unicode, is assigned and not refused
    (here, in this Python's Unicode; they are so in every later version), but for the carriage
    return, which is looked for where no line feed follows. A refused one after a long plain
    text is still found."""
    import unicodedata

    from gongshi.files import invisible

    invisible._outside_plain.cache_clear()
    assert invisible._suspects("示例县总工会 王五\n" * 1000) is None
    assert invisible._outside_plain.cache_info().currsize == 0  # a short text: its set at once, nothing compiled
    everything = "".join(map(chr, range(0x110000)))
    plain = invisible._outside_plain().sub("", everything)
    assert 20000 < len(plain) < 25000
    # a carriage return is judged by where it is: _suspects looks for one not before a line feed
    assert not [c for c in plain if c != "\r" and (invisible._refused(c) or unicodedata.category(c) == "Cn")]
    assert invisible._suspects("甲\r乙").pattern == "\\r(?!\\n)"
    assert invisible._suspects(plain.replace("\r", "")) is None
    long_text = "示例县总工会 王五\n" * 50000
    assert invisible._suspects(long_text) is None
    assert invisible._suspects(long_text + "陆\u200d璐").pattern == "[\\U0000200d]"
