"""Markdown content: only safe links and attributes are published, and what is refused is an
error at its line of the `.md` file (not silently dropped)."""

import pytest
from conftest import FIXED_DAY, REPO, run_cli

from gongshi.files.content import CJK_RANGES, Document, body_html, join_cjk_lines, markdown_to_html
from gongshi.findings import Findings

ATTACKS = [
    ("[点此](javascript:alert(1))", "javascript:", "C004"),
    ("[点此](JaVa&#115;cript:alert(1))", "cript:alert", "C004"),
    ("[点此](javascript&colon;alert(1))", "alert", "C004"),
    ("[点此](&#10;javascript:alert(1))", "alert", "C004"),
    ("[点此](<javascript:alert(1)>)", "javascript:", "C004"),
    ("[点此](data:text/html;base64,PHNjcmlwdD4=)", "data:", "C004"),
    ("[点此](vbscript:msgbox(1))", "vbscript:", "C004"),
    ("[点此][甲]\n\n[甲]: javascript:alert(1)", "javascript:", "C004"),
    ("![图](data:image/svg+xml;base64,PHN2Zz4=)", "data:", "C004"),
    ("## 一、总则 {: onmouseover=alert(1) }", "onmouseover", "C005"),
    ("段落\n{: style=\"position:fixed;top:0\" }", "style", "C005"),
    ("段落\n{: data-copy=\"x\" }", "data-copy", "C005"),
    ("[点此](https://example.org/){: onclick=alert(1) }", "onclick", "C005"),
]


@pytest.mark.parametrize("markdown_text, leftover, code", ATTACKS,
                         ids=[a[0][:30] for a in ATTACKS])
def test_unsafe_links_and_attributes_are_removed_and_reported(markdown_text, leftover, code):
    body = "第一段。\n\n" + markdown_text + "\n"
    findings = Findings()
    html = body_html(Document({}, body, "content/x/notice.md", body_line=10), findings)
    assert leftover.lower() not in html.lower()
    assert [f.code for f in findings] == [code]
    finding = findings.items[0]
    assert finding.is_error and finding.location.file == "content/x/notice.md"
    written_on = next(i for i, line in enumerate(body.splitlines(), 10) if leftover in line)
    assert finding.location.line == written_on
    assert "不能发布" in finding.message and finding.hint


def test_each_refusal_is_reported_at_its_own_line():
    body = "[甲](javascript:a())\n\n乙\n\n[丙](javascript:a())\n"
    findings = Findings()
    body_html(Document({}, body, "n.md", body_line=5), findings)
    assert [f.location.line for f in findings] == [5, 9]


SAFE = [
    ("[网站](https://example.org/a?b=1&c=2)", '<a href="https://example.org/a?b=1&amp;c=2">'),
    ("[网站](http://example.org/)", '<a href="http://example.org/">'),
    ("[邮件](mailto:ghzx@example.org)", '<a href="mailto:ghzx@example.org">'),
    ("[电话](tel:0391-3999921)", '<a href="tel:0391-3999921">'),
    ("[公示](../gongshi/)", '<a href="../gongshi/">'),
    ("[附件](#attachment-1)", '<a href="#attachment-1">'),
    ("[标题](https://example.org/ \"说明\")", 'title="说明"'),
    ("## 一、总则 {: #zongze .doc-heading }", '<h2 class="doc-heading" id="zongze">一、总则</h2>'),
    ("段落\n{: .note }", '<p class="note">段落</p>'),
    ("![图](images/a.png)", '<img alt="图" src="images/a.png">'),
]


@pytest.mark.parametrize("markdown_text, expected", SAFE, ids=[s[0][:30] for s in SAFE])
def test_safe_links_and_attributes_are_kept(markdown_text, expected):
    html, refused = markdown_to_html(markdown_text)
    assert refused == []
    assert expected in html


def test_raw_html_is_still_shown_as_text():
    html, refused = markdown_to_html('<script>alert(1)</script> <a href="javascript:x">x</a>')
    assert refused == [] and "<script>" not in html and "&lt;script&gt;" in html


def test_the_bundled_content_needs_nothing_refused():
    for path in sorted((REPO / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1]
        assert markdown_to_html(body)[1] == [], path


def test_build_refuses_a_javascript_link_and_publishes_nothing(project):
    notice = project / "content/2018-mofan/notice.md"
    lines = notice.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.startswith("## 二、"))
    lines[target] = "## 二、评选申报条件 {: onmouseover=alert(document.cookie) }"
    notice.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1
    assert f"第 {target + 1} 行  错误 C005" in result.stdout
    assert "onmouseover" in result.stdout
    assert not (project / "output").exists()


def test_one_converter_serves_every_document_as_a_fresh_one_would():
    """The Markdown converter is made once and reset before each document: nothing of one
    document (a refusal, a reference link) reaches the next."""
    import markdown

    from gongshi.files import content

    documents = ["[链接](javascript:alert(1)){: onclick=\"x\" }\n\n[参考][r]\n\n[r]: https://example.gov.cn/",
                 "第二份：[参考][r]，没有定义。\n\n<b>原样显示</b>",
                 "# 标题 {: #top }\n\n正文。"]
    content._converted.cache_clear()
    shared = [markdown_to_html(text) for text in documents]
    for text, (html, refused) in zip(documents, shared):
        content._converted.cache_clear()
        content._converter.cache_clear()
        assert markdown_to_html(text) == (html, refused)
    assert shared[0][1] and not shared[1][1] and not shared[2][1]
    assert "example.gov.cn" in shared[0][0] and "example.gov.cn" not in shared[1][0]
    assert isinstance(content._converter()[0], markdown.Markdown)


def test_a_document_without_braces_is_converted_alike_without_the_attribute_extension():
    """A document with no "{" cannot hold a `{: }` attribute: it is converted without the
    attr_list extension (5 ms of every build to import and make), into the very same HTML; the
    extension is imported only for a document that may use it."""
    import random
    import subprocess
    import sys

    from conftest import REPO, without_coverage

    from gongshi.files import content

    rnd = random.Random(5)
    pieces = ["# 标题", "## 一、总则", "正文第一段。", "第二行\n接着写", "- 一项\n- 二项", "1. 第一\n2. 第二",
              "[链接](https://example.gov.cn/)", "*强调* 和 **加粗**", "> 引用", "`代码`", "---",
              "![图](a.png)", "<b>原样</b>", "电话 0391-3999921", "a & b < c", "[参考][r]\n\n[r]: https://x.cn/"]
    documents = [path.read_text(encoding="utf-8") for path in sorted((REPO / "content").rglob("*.md"))]
    documents += ["\n\n".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 8))) for _ in range(200)]
    for text in documents:
        assert "{" not in text
        with_extension, without = content._converter(True), content._converter(False)
        for converter in (with_extension, without):
            converter[1].refused = []
        assert with_extension[0].reset().convert(text) == without[0].reset().convert(text), text
    script = ("import sys; from gongshi.files.content import markdown_to_html as m; m('正文。'); "
              "a = 'markdown.extensions.attr_list' in sys.modules; m('# 标题 {: #top }'); "
              "print(a, 'markdown.extensions.attr_list' in sys.modules)")
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                         env=without_coverage())
    assert ran.stdout.split() == ["False", "True"], ran.stderr
    assert markdown_to_html("# 标题 {: #top }")[0].startswith('<h1 id="top">')


def _joined_by_lookaround(text: str) -> str:
    """join_cjk_lines as one regex with look-behind and look-ahead: the reference."""
    import re

    cjk = "".join(f"{low}-{high}" for low, high in CJK_RANGES)
    return re.sub(rf"(?<=[{cjk}])[ \t]*\n[ \t]*(?=[{cjk}])", "", text.strip())


def test_lines_are_joined_only_between_chinese_characters():
    assert join_cjk_lines("第一行\n第二行") == "第一行第二行"
    assert join_cjk_lines("“通知”\n　（一）") == "“通知”　（一）"
    assert join_cjk_lines("中文 \t\n  接着") == "中文接着"
    assert join_cjk_lines("Word\n中文\nText") == "Word\n中文\nText"
    assert join_cjk_lines("中文\n\n段落") == "中文\n\n段落"
    assert join_cjk_lines("甲\n 乙 \n丙") == "甲乙丙"


def test_lines_are_joined_as_the_lookaround_regex_joins_them():
    """20,000 fixed-seed texts of Chinese, Latin, full-width and astral characters, quotation
    marks, spaces, tabs and line breaks: the same result as the reference regex."""
    import random

    rng = random.Random(20261205)
    alphabet = ["中", "文", "a", "1", " ", "\t", "\n", "\n", "“", "”", "\u3000", "Ａ", "\uf900", "\U00020000",
                "\u2e7f", "\u2e80", "\u9fff", "\ua000", "\ufaff", "\ufb00", "\uffef", "\ufff0", "\u201b", "\u201e"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert join_cjk_lines(text) == _joined_by_lookaround(text), repr(text)
