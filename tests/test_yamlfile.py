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


# ---------------------------------------------------------------- the usual shape, read directly

def _pyyaml(text: str):
    """What parse_yaml gives without its direct reading of the usual shape (or the error)."""
    from gongshi.files.yamlfile import _LineLoader

    loader = _LineLoader(text)
    loader.text = text
    return loader.get_single_data()


def _same_with_lines(a, b) -> bool:
    """Equal values of the same types, and the same lines everywhere."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and a.line == b.line and [a.line_of(k) for k in a] == [b.line_of(k) for k in b]
                and a.line_of(object()) == b.line_of(object()) and all(_same_with_lines(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return (len(a) == len(b) and a.line == b.line and a.item_lines == b.item_lines
                and all(_same_with_lines(x, y) for x, y in zip(a, b)))
    return a == b


# Values of every kind a one-line value can be: text, the forms PyYAML reads as numbers,
# booleans, null or dates, quoting, and what a one-line plain value cannot hold.
_VALUES = ["张三", "示例县示例厂工会主席", "王 五", "abc", "a b", "C#", "a#b", "http://x", "10", "010", "0x1F",
           "1_000", "1e3", "1.5", ".5", "-5", "+5", "0.", "1:30", "true", "True", "TRUE", "yes", "No", "on",
           "off", "y", "n", "~", "null", "Null", "2018-11-05", "2018-02-30", '"引号"', "'单引号'", '"a\\"b"',
           "'it''s'", '"a\\\\b"', '""', "''", '"x" y', "a: b", "a #b", "a:", "a:b", "name:王五", "- x", "-x",
           "? x", ": x", "&a x", "*a", "!tag x", "| x", "> x", "%x", "@x", "`x", "[1, 2]", "{a: 1}", "[", "]x",
           "x]", "a, b", "九十%", "甲: 乙", "甲 #乙", "甲#乙", "甲:", "甲\u2028乙", "a\x85b", "\u3000甲", "甲\u3000",
           "\xa0甲", "\ufeff甲", "甲\x7f", "1 ", "é", "'a' ", "\"a\"  ", "a  b", ":", "-", "#", "'", '"']
_KEYS = ["name", "unit", "title", "gender", "category", "sample", "yes", "no", "on", "null", "true", "y",
         "n", "_x", "x1", "Name"]


_USUAL_VALUES = ["张三", "示例县示例厂工会主席", "王 五", "abc", "a b", "C#", "10", "1.5", "true", "yes", "~",
                 '"引号"', "'单引号'", "九十%", "甲#乙"]
_USUAL_KEYS = ["name", "unit", "title", "gender", "category", "sample", "_x", "x1", "Name"]


def _random_text(rng) -> str:
    lines: list[str] = []
    tricky = rng.random() < 0.5
    values, keys_of = (_VALUES, _KEYS) if tricky else (_USUAL_VALUES, _USUAL_KEYS)
    def maybe_noise():
        if rng.random() < 0.15:
            lines.append(rng.choice(["", "# 注释", "  # 注释", "    ", "#", "      # x"]))
    def line(indent: str, key: str, value: str | None) -> str:
        return f"{indent}{key}:" + ("" if value is None else rng.choice([" ", "  "]) + value) \
            + rng.choice(["", "", " ", "  "])
    for _ in range(rng.randint(0, 3)):
        maybe_noise()
        lines.append(line("", rng.choice(keys_of), rng.choice(values)))
    maybe_noise()
    lines.append(line("", rng.choice(["recipients", "records", "recipients"]), None))
    indent = rng.choice([2, 2, 2, 0, 4])
    for _ in range(rng.randint(0, 5)):
        maybe_noise()
        keys = rng.sample(keys_of, rng.randint(1, 4)) if rng.random() < 0.97 else ["name", "name"]
        first = True
        for key in keys:
            value = rng.choice(values if not tricky or rng.random() < 0.9 else _VALUES) \
                if not tricky or rng.random() < 0.99 else None
            if first:
                lines.append(line(" " * indent + "- ", key, value))
                first = False
            else:
                shift = indent + 2 if rng.random() < 0.98 else rng.choice([indent, indent + 4, indent + 1])
                lines.append(line(" " * shift, key, value))
            maybe_noise()
            if tricky and rng.random() < 0.02:
                lines.append(" " * (indent + 6) + "续行")
    for _ in range(rng.randint(0, 2)):
        lines.append(line("", rng.choice(keys_of), rng.choice(values)))
    text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.03:
        text = text.replace("  - ", "\t- ", 1)
    return text


def test_the_usual_shape_read_directly_is_what_pyyaml_reads_on_random_texts():
    """read_usual gives exactly PyYAML's value, types and lines, or None; never a value where
    PyYAML fails. 4,000 fixed-seed texts of both kinds (the bundled lists are read directly)."""
    import random

    from gongshi.files.yamlfile import read_usual

    rng = random.Random(20261205)
    direct = 0
    for _ in range(4000):
        text = _random_text(rng)
        usual = read_usual(text)
        try:
            expected = _pyyaml(text)
        except Exception:  # noqa: BLE001 - any refusal: the direct reading must not have a value
            assert usual is None, text
            continue
        if usual is not None:
            direct += 1
            assert _same_with_lines(usual, expected), text
    assert direct > 1000


def test_a_record_with_its_keys_on_consecutive_lines_keeps_no_dict_of_lines():
    """Almost every record of a list: its keys' lines follow from its own (SourceMap.key_lines
    None), so no dict a record is made, pickled for the other process and read again; a blank
    or comment line between two keys gives the record its dict. The lines are PyYAML's."""
    import pickle

    from gongshi.files.yamlfile import read_usual

    text = "recipients:\n- name: 甲\n  unit: 乙\n  title: 丙\n- name: 丁\n\n  unit: 戊\n  # 注释\n  title: 己\nk: 1\n"
    value = read_usual(text)
    plain, gapped = value["recipients"]
    assert plain.key_lines is None and gapped.key_lines == {"name": 5, "unit": 7, "title": 9}
    assert [plain.line_of(k) for k in ("name", "unit", "title", "other")] == [2, 3, 4, 2]
    assert _same_with_lines(value, _pyyaml(text))
    again = pickle.loads(pickle.dumps(value))
    assert _same_with_lines(again, value) and again["recipients"][0].key_lines is None


def test_the_bundled_lists_are_read_directly_as_pyyaml_reads_them():
    from gongshi.files.yamlfile import read_usual

    files = sorted((REPO / "data").glob("*/recipients/*.yaml"))
    read = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        usual = read_usual(text)
        if usual is not None:
            read += 1
            assert _same_with_lines(usual, _pyyaml(text)), path
    assert read >= len(files) // 2


def test_the_usual_shape_leaves_to_pyyaml_what_it_refuses_or_fails_on_later():
    """A key longer than PyYAML's 1,024 characters is its error; a number its constructor
    cannot make (`0b_`) is read by PyYAML after the whole text, so an error further down
    (a missing space, an open bracket) is still the one reported."""
    from gongshi.files.yamlfile import read_usual

    for text in ("k" * 1025 + ": 1\n", "r:\n  - n: 1\n    " + "k" * 1025 + ": 1\n"):
        assert read_usual(text) is None
        with pytest.raises(DataFileError) as caught:
            parse_yaml(text, "x.yaml")
        assert caught.value.code == "Y001"
    assert read_usual("k" * 1024 + ": 1\n") == {"k" * 1024: 1}
    for text, code in (("a: 0b_\nb: name:王五\n", "Y008"), ("a: ._\nb: [\n", "Y001")):
        assert read_usual(text) is None
        with pytest.raises(DataFileError) as caught:
            parse_yaml(text, "x.yaml")
        assert caught.value.code == code


def test_the_usual_shape_leaves_to_pyyaml_each_character_it_refuses_or_reads_as_a_break():
    """Every code point: the direct reading leaves a text to PyYAML exactly when it holds one
    PyYAML's reader refuses, a tab, or a line break other than \\n and \\r (NEL, LS, PS)."""
    import yaml

    from gongshi.files.yamlfile import _NOT_USUAL_CHARACTER

    refused = yaml.reader.Reader.NON_PRINTABLE
    for point in range(0x110000):
        character = chr(point)
        expected = bool(refused.match(character)) or character in "\t\x85\u2028\u2029"
        assert bool(_NOT_USUAL_CHARACTER.match(character)) == expected, hex(point)
