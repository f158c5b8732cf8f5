"""Characters nobody can see: zero-width, direction, control and other invisible characters.

Text pasted from web pages, WeChat, PDF or Word often carries characters that show as
nothing: a zero-width joiner inside 陆〔U+200D〕璐 makes it a different name from 陆璐 (so the
duplicate check misses it), a right-to-left override reorders what the page displays, a NUL
breaks the downloads. `invisible_findings()` finds every such character in the text of a
data or content file and says, in Chinese, which character it is, where (line and column)
and how to get rid of it. `yamlfile.read_text` calls it for every file it reads.

What is refused: Unicode categories Cc (controls), Cf (format characters: zero-width, bidi
marks, embeddings, overrides and isolates, a BOM inside the text…), Co (private use),
Cs (surrogates) and Cn (unassigned), line/paragraph separators, and the other
Default_Ignorable_Code_Point characters of Unicode (variation selectors, soft hyphen,
Hangul fillers…). Allowed: line feed, carriage return before a line feed, and tab (where YAML
does not allow a tab, the YAML reader says so). Unassigned code points in planes 2 and 3 are
allowed: those planes hold only CJK ideographs, and a rare character for a name may be newer
than this Python's Unicode tables.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from msgspec import Struct

from ..findings import Finding, Location, Severity

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt): characters that display
# as nothing. Most are also Cf or Cn; this adds the Mn and Lo ones (variation selectors,
# combining grapheme joiner, Hangul fillers, Mongolian free variation selectors).
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})

# More occurrences than this in one file are counted, not listed one by one.
MAX_LISTED = 50

_NAMES = {
    "\u0000": "空字符 NUL", "\u0007": "响铃符", "\u0008": "退格符", "\u000b": "垂直制表符",
    "\u000c": "换页符", "\u000d": "单独的回车符", "\u001a": "文件结束符", "\u001b": "转义符 ESC",
    "\u007f": "删除符 DEL", "\u0085": "下一行符 NEL",
    "\u00ad": "软连字符", "\u034f": "组合字形连接符", "\u061c": "阿拉伯字母方向标记",
    "\u115f": "韩文初声填充符", "\u1160": "韩文中声填充符", "\u180e": "蒙古文元音分隔符",
    "\u200b": "零宽空格", "\u200c": "零宽不连字", "\u200d": "零宽连接符",
    "\u200e": "从左至右标记", "\u200f": "从右至左标记",
    "\u2028": "行分隔符", "\u2029": "段分隔符",
    "\u202a": "从左至右嵌入", "\u202b": "从右至左嵌入", "\u202c": "方向格式结束",
    "\u202d": "从左至右强制", "\u202e": "从右至左强制",
    "\u2060": "零宽词连接符", "\u2061": "不可见函数符", "\u2062": "不可见乘号",
    "\u2063": "不可见分隔符", "\u2064": "不可见加号",
    "\u2066": "从左至右隔离", "\u2067": "从右至左隔离", "\u2068": "首强字符隔离",
    "\u2069": "方向隔离结束", "\u3164": "韩文填充符", "\ufeff": "字节顺序标记（BOM，零宽不换行空格）",
    "\uffa0": "半角韩文填充符", "\ufff9": "行间注释开始符", "\ufffa": "行间注释分隔符",
    "\ufffb": "行间注释结束符",
}

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class Invisible(Struct, frozen=True):
    """One invisible character: where it is (1-based), what it is, and its neighbours."""

    line: int
    column: int
    char: str
    before: str  # the visible characters just before it on its line
    after: str   # … and just after it

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def code(self) -> str:
        return _kind(self.char)[0]

    @property
    def label(self) -> str:
        """The character named in Chinese with its code point, e.g. 零宽连接符 U+200D."""
        return f"{_kind(self.char)[1]} {self.codepoint}"


def _kind(char: str) -> tuple[str, str]:
    """(finding code, Chinese name) of a refused character."""
    point = ord(char)
    category = unicodedata.category(char)
    if 0xFE00 <= point <= 0xFE0F:
        return "N002", f"变体选择符-{point - 0xFE00 + 1}"
    if 0xE0100 <= point <= 0xE01EF:
        return "N002", f"变体选择符-{point - 0xE0100 + 17}"
    if 0x180B <= point <= 0x180F and point != 0x180E:
        return "N002", "蒙古文变体选择符"
    if 0xE0000 <= point <= 0xE007F:
        return "N002", "标签字符"
    if category == "Cc":
        name = _NAMES.get(char) or ("C1 控制字符" if point >= 0x80 else "控制字符")
        return "N003", name
    if category == "Co":
        return "N004", "私用区字符（造字）"
    if category in ("Cn", "Cs") and char not in _NAMES:
        noncharacter = (point & 0xFFFE) == 0xFFFE or 0xFDD0 <= point <= 0xFDEF
        if category == "Cs":
            return "N005", "代理码位"
        return "N005", "非字符码位" if noncharacter else "未分配的码位"
    return "N002", _NAMES.get(char, "不可见的格式字符")


def _refused(char: str) -> bool:
    if char in "\t\n":
        return False
    category = unicodedata.category(char)
    if category in _REFUSED_CATEGORIES:
        point = ord(char)
        # planes 2 and 3: CJK ideographs, possibly newer than this Python's tables
        return not (category == "Cn" and 0x20000 <= point <= 0x3FFFD and (point & 0xFFFE) != 0xFFFE)
    return _IGNORABLE.match(char) is not None


# _refused() of each character met so far: a build reads a few thousand distinct characters.
_VERDICTS: dict[str, bool] = {}
# A text at least this long is first searched for a character outside the plain ones
# (`_outside_plain`); a shorter one has its set of characters made at once, which costs less
# than compiling that class (about 1 ms: a small project's whole load never needs it).
_PLAIN_SEARCH_FROM = 50_000


@functools.cache
def _outside_plain() -> re.Pattern:
    """A character outside these: printable ASCII, tab and line breaks, Latin-1's letters and
    signs (not the soft hyphen), general punctuation (dashes, quotes, …, ‰), CJK punctuation,
    the unified ideographs and the full-width forms. Each is assigned and never refused, in
    Unicode 14 (Python 3.11) and every later version (tests/test_invisible.py checks each
    against _refused). A long text with none outside them, as nearly every list file, needs no
    character judged: one search instead of a set of its characters (a list of 31,878 names:
    9 ms, not 88)."""
    return re.compile("[^\t\n\r -~\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2026\u2030-\u205e"
                      "\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]")


def _suspects(text: str) -> re.Pattern | None:
    """A pattern of the refused characters that `text` holds, and a carriage return not before
    a line feed if it has one; None for a text with neither (nearly all). Each distinct
    character of the text is judged once by _refused(), so no table of all of Unicode is
    built, and nothing is compiled for a clean text."""
    verdicts = _VERDICTS
    refused = []
    for char in set(text) if len(text) < _PLAIN_SEARCH_FROM or _outside_plain().search(text) else ():
        verdict = verdicts.get(char)
        if verdict is None:
            verdict = verdicts[char] = char != "\r" and _refused(char)
        if verdict:
            refused.append(char)
    lone_cr = text.count("\r") != text.count("\r\n")
    if not refused and not lone_cr:
        return None
    alternatives = []
    if refused:
        alternatives.append("[" + "".join(f"\\U{ord(char):08x}" for char in sorted(refused)) + "]")
    if lone_cr:
        alternatives.append("\\r(?!\\n)")
    return re.compile("|".join(alternatives))


def find_invisible(text: str) -> Iterator[Invisible]:
    """Every refused character of `text`, in order, with its line and column."""
    suspects = _suspects(text)
    if suspects is None:
        return
    line_number, counted_to = 1, 0
    for match in suspects.finditer(text):
        position = match.start()
        char = text[position]
        line_number += text.count("\n", counted_to, position)
        counted_to = position
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        column = position - line_start
        yield Invisible(line_number, column + 1, char, _word(line[:column], -1),
                        _word(line[column + 1:], 1))


_BREAK = re.compile(r"[\s:：,，、;；\"'“”‘’()（）\[\]{}<>《》#*|-]+")


def _word(text: str, direction: int) -> str:
    """The visible characters of the same word next to a character (up to four)."""
    visible = "".join(c for c in text if not _refused(c))
    parts = _BREAK.split(visible)
    return parts[-1][-4:] if direction < 0 else parts[0][:4]


def _where(found: Invisible) -> str:
    if found.before and found.after:
        return f"夹在“{found.before}”和“{found.after}”之间"
    if found.before:
        return f"在“{found.before}”之后"
    if found.after:
        return f"在“{found.after}”之前"
    return "前后没有文字"


_LEAD = {
    "N002": "有一个看不见的字符",
    "N003": "有一个看不见的控制字符",
    "N004": "有一个只在造字的电脑上才能显示的字",
    "N005": "有一个无效的字符",
}

_WHY = {
    "N002": "它看不见，却会让看起来相同的两个名称被当作不同的名称（查重因此失效）",
    "N003": "控制字符不是文字，会使网页和下载文件出错",
    "N004": "私用区字符（用造字程序造的字或特殊符号）只在造字的电脑上能显示，网页上会显示成方框或别的字",
    "N005": "这个码位没有定义任何字符，多半是复制或转换编码时损坏的",
}


def _excerpt(line: str, column: int) -> str:
    """The line around `column`, each refused character shown as 〔U+XXXX〕."""
    start = max(0, column - 1 - 20)
    piece = line[start:column - 1 + 20]
    shown = "".join(f"〔U+{ord(c):04X}〕" if _refused(c) else c for c in piece)
    return ("…" if start else "") + shown + ("…" if column - 1 + 20 < len(line) else "")


def _hint(found: Invisible) -> str:
    around = f"第 {found.column} 列"
    if found.code == "N004":
        return (f"请删除{around}的这个字，改用标准汉字重新输入（生僻字可用输入法的“生僻字”或"
                "“Unicode 扩展区”功能）；实在无法输入时请联系技术人员。")
    word = found.before + found.after
    retype = (f"把{around}前后的“{word}”连同两旁的空白一起删掉，再重新输入“{word}”" if word
              else f"把{around}前后的空白删掉后重新输入")
    return (f"这个字符在编辑器里也看不见：请{retype}；或把这一行的文字（如姓名）整个删除后"
            "重新输入。不要从网页、微信或 PDF 复制粘贴。")


def invisible_findings(text: str, shown_as: str) -> list[Finding]:
    """One error per refused character of a file's text (at most MAX_LISTED, then a count)."""
    findings: list[Finding] = []
    lines: list[str] | None = None
    extra: list[Invisible] = []
    for found in find_invisible(text):
        if len(findings) >= MAX_LISTED:
            extra.append(found)
            continue
        if lines is None:
            lines = text.split("\n")
        line = lines[found.line - 1].rstrip("\r")
        bidi = "，还会打乱其后文字的显示顺序" if found.char in _BIDI else ""
        findings.append(Finding(
            found.code, Severity.ERROR,
            f"{_LEAD[found.code]}“{found.label}”，{_where(found)}。{_WHY[found.code]}{bidi}。",
            Location(shown_as, found.line, found.column), _hint(found), _excerpt(line, found.column)))
    if extra:
        first = extra[0]
        findings.append(Finding(
            first.code, Severity.ERROR,
            f"从这里起还有 {len(extra)} 个看不见的字符，不再逐一列出。",
            Location(shown_as, first.line, first.column),
            "整段文字多半是从网页、微信或 PDF 复制来的：请在记事本中重新输入这些内容后再保存。"))
    return findings
