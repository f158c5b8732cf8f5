"""Reading data files: line numbers, duplicate keys, encodings, syntax errors in Chinese."""

import pytest
from conftest import REPO

from gongshi.files.yamlfile import DataFileError, load_yaml, parse_yaml


def test_mappings_and_lists_remember_their_lines():
    data = parse_yaml("a: 1\nitems:\n  - name: 甲\n  - name: 乙\n", "t.yaml")
    assert data.line_of("items") == 2
    assert data["items"].line_of(1) == 4
    assert data["items"][1].line_of("name") == 4


def test_duplicate_key_is_refused_with_both_lines():
    with pytest.raises(DataFileError) as caught:
        parse_yaml("recipients:\n  - name: 甲\n    name: 乙\n", "r.yaml")
    error = caught.value
    assert error.code == "Y002"
    assert error.location.line == 3
    assert "第 2 行和第 3 行" in error.message
    assert error.excerpt.strip() == "name: 乙"


def test_tab_indentation_is_named():
    with pytest.raises(DataFileError) as caught:
        parse_yaml("a:\n\t- 1\n", "t.yaml")
    assert caught.value.location.line == 2
    assert "制表符" in caught.value.message


def test_syntax_error_has_line_column_and_chinese_hint():
    with pytest.raises(DataFileError) as caught:
        parse_yaml("name: 张三\nunit: 沁阳市: 多余\n", "t.yaml")
    error = caught.value
    assert (error.location.line, error.location.column) == (2, 10)  # the second colon
    assert "YAML 格式错误" in error.message and "冒号" in error.message
    assert error.excerpt == "unit: 沁阳市: 多余"


def test_empty_file_is_an_error():
    with pytest.raises(DataFileError) as caught:
        parse_yaml("  \n", "e.yaml")
    assert caught.value.code == "Y003"


def test_gbk_file_is_recognised(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("name: 张三\n".encode("gbk"))
    with pytest.raises(DataFileError) as caught:
        load_yaml(path, "gbk.yaml")
    assert "不是 UTF-8" in caught.value.message and "GBK" in caught.value.message
    assert "UTF-8" in caught.value.hint


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "name: 张三\n".encode())
    assert load_yaml(path, "bom.yaml") == {"name": "张三"}


def alias_bomb(levels: int = 8, width: int = 9) -> str:
    """A "billion laughs" file: `width ** levels` values from a few lines of aliases."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nrecipients:\n  - name: *a{levels - 1}\n"


def test_alias_bomb_is_refused_before_it_is_built():
    # 9 ** 8 = 43 million values: expanding them (as pydantic or any message would) took
    # minutes and gigabytes. The loader must refuse from the node graph alone.
    import tracemalloc

    text = alias_bomb()
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError) as caught:
            parse_yaml(text, "r.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == "Y005"
    assert caught.value.location.line == 5  # a4: where the expansion passes the limit
    assert "展开后超过 10000 个值" in caught.value.message
    assert peak < 50 * 1024 * 1024


def test_a_few_aliases_are_still_fine():
    data = parse_yaml("base: &b {unit: 沁阳市}\nitems:\n  - *b\n  - *b\n", "t.yaml")
    assert data["items"] == [{"unit": "沁阳市"}, {"unit": "沁阳市"}]


def test_an_alias_to_itself_is_refused():
    with pytest.raises(DataFileError) as caught:
        parse_yaml("a: 1\nb: &x [1, *x]\n", "t.yaml")
    assert caught.value.code == "Y005" and caught.value.location.line == 2
    assert "无限循环" in caught.value.message


@pytest.mark.parametrize("text, line", [
    ("name: " + "[" * 10_000 + "]" * 10_000 + "\n", 1),   # beyond libyaml's own limit
    ("a: 1\nname: " + "[" * 150 + "]" * 150 + "\n", 2),   # within it, beyond ours
    ("a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(300)) + "  " * 301 + "x\n", 101),
])
def test_deep_nesting_is_a_data_error_not_a_crash(text, line):
    with pytest.raises(DataFileError) as caught:
        parse_yaml(text, "t.yaml")
    assert caught.value.code == "Y006"
    assert caught.value.location.line == line
    assert "嵌套超过 100 层" in caught.value.message


def test_deep_nesting_and_bombs_without_libyaml():
    # PyYAML's pure-Python parser (no libyaml) recurses while it reads: the same messages.
    import subprocess
    import sys

    script = (
        "import yaml; del yaml.CSafeLoader\n"
        "from gongshi.files.yamlfile import parse_yaml, DataFileError, _LineLoader\n"
        "assert _LineLoader.__mro__[1] is yaml.SafeLoader\n"
        "for text in ['x: ' + '[' * 5000 + ']' * 5000, 'l:\\n  - name:王五', 'a: &a [*a]']:\n"
        "    try:\n"
        "        parse_yaml(text, 't')\n"
        "    except DataFileError as exc:\n"
        "        print(exc.code, exc.location.line)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                          cwd=str(REPO), timeout=120)
    assert done.stdout.split("\n")[:3] == ["Y006 1", "Y008 2", "Y005 1"], done.stderr


@pytest.mark.parametrize("text, line, key", [
    ("name：王五\n", 1, "name"),
    ("recipients:\n  - name：王五\n    unit: 沁阳市\n", 2, "name"),
    ("recipients:\n  - name: 王五\n    unit：沁阳市\n", 3, "unit"),
    ("recipients:\n  - name: 王五\n      unit：沁阳市\n", 3, "unit"),   # silently joined before
    ("recipients:\n  - 姓名：王五\n    unit: 沁阳市\n", 2, "姓名"),
])
def test_full_width_colon_is_named_at_its_line(text, line, key):
    with pytest.raises(DataFileError) as caught:
        parse_yaml(text, "t.yaml")
    error = caught.value
    assert error.code == "Y007" and error.location.line == line
    assert error.message == f"第 {line} 行用了全角冒号“：”，请改成半角冒号加空格“: ”。"
    assert f"“{key}: ”" in error.hint


def test_full_width_colon_inside_text_is_fine():
    data = parse_yaml("objection: |-\n  说明：公示期间\n  note：英文开头也是正文\n"
                      "title: 某某公司：工会主席\n", "t.yaml")
    assert data["objection"] == "说明：公示期间\nnote：英文开头也是正文"
    assert data["title"] == "某某公司：工会主席"


@pytest.mark.parametrize("text, line, key", [
    ("recipients:\n  - name:王五\n", 2, "name"),                        # a string, not a mapping
    ("contacts:\n  phone:0391-3999921\n", 2, "phone"),
    ("recipients:\n  - name:王五\n    unit: 沁阳市\n", 2, "name"),        # a parse error below it
    ("recipients:\n  - name: 王五\n    unit:沁阳市\n", 3, "unit"),
    ("a: {name:王五}\n", 1, "name"),
])
def test_missing_space_after_colon_is_named_at_its_line(text, line, key):
    with pytest.raises(DataFileError) as caught:
        parse_yaml(text, "t.yaml")
    error = caught.value
    assert error.code == "Y008" and error.location.line == line
    assert f"“{key}:”的冒号后面缺少空格" in error.message


def test_colons_in_addresses_and_times_are_fine():
    data = parse_yaml("base_url: https://example.org/gongshi/\nlinks:\n  - http://example.org/\n"
                      "note: \"name:王五\"\ntime: 8:30\nCEO: A:B\n", "t.yaml")
    assert data["links"] == ["http://example.org/"] and data["note"] == "name:王五"


@pytest.mark.parametrize("text, line, column, words", [
    ("a:\n\t- 1\n", 2, 1, "缩进"),
    ("a:\n  b: 1\n \tc: 2\n", 3, 2, "缩进"),
    ("l:\n  -\tx\n", 2, 4, "“-”后面用了制表符"),
    ("l:\n  -\ta: 1\n    b: 2\n", 2, 4, "“-”后面用了制表符"),
])
def test_tabs_are_named_where_they_are(text, line, column, words):
    with pytest.raises(DataFileError) as caught:
        parse_yaml(text, "t.yaml")
    error = caught.value
    assert error.code == "Y001" and "制表符" in error.message and words in error.message
    assert (error.location.line, error.location.column) == (line, column)


def test_a_tab_after_the_colon_is_accepted():
    assert parse_yaml("name:\t王五\n", "t.yaml") == {"name": "王五"}


def test_values_and_lines_echoed_in_messages_are_capped():
    from gongshi.findings import Finding, Severity, shorten

    assert shorten("王" * 80) == "王" * 80
    assert shorten("王" * 81) == "王" * 80 + "…"
    assert Finding("Y006", Severity.ERROR, "m", excerpt="[" * 20_000).excerpt == "[" * 80 + "…"
