"""Reading data files: line numbers, duplicate keys, encodings, syntax errors in Chinese."""

import pytest

from gongshi.yamlfile import DataFileError, load_yaml, parse_yaml


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
    path.write_bytes(b"\xef\xbb\xbf" + "name: 张三\n".encode("utf-8"))
    assert load_yaml(path, "bom.yaml") == {"name": "张三"}
