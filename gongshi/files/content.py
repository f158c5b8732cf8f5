"""Markdown documents under `content/`: YAML front matter plus a Markdown body.

The front matter is parsed with the same line-aware YAML reader as the data files, so an
error in it names the line of the `.md` file. The body is converted with Python-Markdown;
raw HTML in the body is escaped, since content is text to be published, not markup.

What Markdown may publish is an allow-list (`ALLOWED_TAGS`, `ALLOWED_ATTRIBUTES`,
`URL_SCHEMES`): the converted HTML passes through the nh3 sanitizer with exactly that list,
and everything the list refuses (a `javascript:` link, an `{: onmouseover=… }` attribute) is
also reported as an error at its line of the `.md` file, so it is fixed rather than silently
dropped.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from msgspec import Struct

from ..findings import Findings, Location, shorten
from .yamlfile import DataFileError, parse_yaml, read_text

# The elements Markdown makes (raw HTML is escaped, so no others can appear).
ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "img", "ul", "ol",
                "li", "blockquote", "code", "pre", "hr", "br"}
# Attributes: what Markdown itself writes for links and images, and class and id, which
# `{: .name #name }` may put on a heading or paragraph. No event handlers, no style.
ALLOWED_ATTRIBUTES = {"*": {"class", "id"}, "a": {"href", "title"}, "img": {"src", "alt", "title"}}
# Links and images: these schemes, or an address within the site (no scheme, or "#…").
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = ("href", "src")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# What a browser drops before it reads the scheme: C0 controls and spaces around the
# address, tabs and line breaks anywhere in it (WHATWG URL standard).
_IGNORED_IN_URL = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$|[\t\n\r]")


class Document(Struct, frozen=True):
    front: Any
    body: str
    shown_as: str
    body_line: int = 1  # the line of the file where the body starts


def read_document(path: Path, shown_as: str) -> Document:
    text = read_text(path, shown_as)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise DataFileError("C001", f"{shown_as} 缺少开头的“---”资料区（front matter）。",
                            Location(shown_as, 1),
                            "文件第一行应为“---”，随后是 title、issuer 等字段，再以“---”结束。")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DataFileError("C002", f"{shown_as} 的资料区没有以“---”结束。",
                            Location(shown_as, 1), "请在字段之后单独加一行“---”。")
    front_text = "\n" + "\n".join(lines[1:end])  # keep line numbers aligned
    if not front_text.strip():
        raise DataFileError("C003", f"{shown_as} 的资料区（两行“---”之间）是空的。", Location(shown_as, 1),
                            "请在两行“---”之间填写 title、issuer 等字段，可参照同类文件。")
    front = parse_yaml(front_text, shown_as)
    body = "\n".join(lines[end + 1:])
    return Document(front, body, shown_as, end + 2)


# Chinese characters and punctuation, full-width forms, and Chinese quotation marks, as ranges
# of characters (U+3000-U+303F is within the first). Compared in Python, not as a regex class:
# compiling a class that large costs 2 ms, more than joining the lines of a notice.
CJK_RANGES = (("\u2e80", "\u9fff"), ("\uf900", "\ufaff"), ("\uff00", "\uffef"), ("\u201c", "\u201d"))
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def _is_cjk(character: str) -> bool:
    return any(low <= character <= high for low, high in CJK_RANGES)


def _joined(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    if start and end < len(text) and _is_cjk(text[start - 1]) and _is_cjk(text[end]):
        return ""
    return match.group()


def join_cjk_lines(text: str) -> str:
    """Join lines broken inside Chinese text: a line break there is not a space."""
    return _LINE_BREAK.sub(_joined, text.strip())


class Refused(Struct, frozen=True):
    """Something in the converted HTML that the allow-list does not publish."""

    tag: str
    attribute: str
    value: str

    @property
    def is_link(self) -> bool:
        return self.attribute in URL_ATTRIBUTES and self.tag in ("a", "img")


def url_scheme(url: str) -> str:
    """The scheme a browser would see in `url` (lower case), or "" for an address in the site."""
    text = _IGNORED_IN_URL.sub("", html.unescape(url.replace(AMP_SUBSTITUTE, "&")))
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else ""


class _RefusalCollector(Treeprocessor):
    """Runs last: notes every attribute and link the allow-list would remove."""

    def __init__(self, md, refused: list[Refused]):
        super().__init__(md)
        self.refused = refused

    def run(self, root):
        for element in root.iter():
            if element is root:
                continue
            allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(element.tag, set())
            for name, value in element.attrib.items():
                value = value.replace(AMP_SUBSTITUTE, "&")
                if name not in allowed or (name in URL_ATTRIBUTES
                                           and url_scheme(value) not in URL_SCHEMES | {""}):
                    self.refused.append(Refused(element.tag, name, value))


def markdown_to_html(body: str) -> tuple[str, list[Refused]]:
    """The body as HTML that holds only what the allow-list permits, and what it refused."""
    converted, refused = _converted(body)
    return converted, list(refused)


@functools.cache
def _converter(attributes: bool = True) -> tuple[markdown.Markdown, _RefusalCollector]:
    """The one Markdown converter (making one costs more than converting a notice), reset
    before each document, and its refusal collector. With `attributes`, it reads `{: }`
    attributes (the attr_list extension); a document without a "{" has none, and a converter
    without the extension makes the same HTML of it: importing and making the extension
    (it compiles its patterns) costs 5 ms of every build, whose notices have none."""
    extensions = []
    if attributes:
        # The extension itself, not its name: a name is looked up among every installed
        # package's entry points (importing importlib.metadata: about 0.02 s of each build).
        from markdown.extensions.attr_list import AttrListExtension

        extensions.append(AttrListExtension())
    md = markdown.Markdown(extensions=extensions, output_format="html")
    # Content is text to publish: raw HTML in it is shown, not interpreted.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    collector = _RefusalCollector(md, [])
    md.treeprocessors.register(collector, "gongshi-refusals", -1)  # after all others
    return md, collector


@functools.lru_cache(maxsize=64)
def _converted(body: str) -> tuple[str, tuple[Refused, ...]]:
    """markdown_to_html, remembered by the body: a function of its text alone (a preview's
    rebuild converts only the documents that changed)."""
    md, collector = _converter("{" in body)
    refused: list[Refused] = []
    collector.refused = refused
    converted = md.reset().convert(body)
    clean = nh3.clean(converted, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)
    return join_cjk_lines(clean) + "\n", tuple(refused)


def body_html(doc: Document, findings: Findings) -> str:
    """The document's body as safe HTML; each thing refused is an error at its line."""
    converted, refused = markdown_to_html(doc.body)
    searched_from: dict[str, int] = {}
    for item in refused:
        found = _line_in(doc.body, item, searched_from)
        _report(item, Location(doc.shown_as, doc.body_line + found - 1 if found else 0), findings)
    return converted


def _line_in(body: str, item: Refused, searched_from: dict[str, int]) -> int:
    """The body line (1-based) where the refused text is written, the next occurrence each
    time the same text is refused again; 0 when it cannot be found."""
    if item.is_link:
        needles = [re.escape(item.value), re.escape(html.unescape(item.value)),
                   re.escape(url_scheme(item.value)) + r"\s*:"]
    else:
        needles = [r"\{[^}\n]*?\b" + re.escape(item.attribute) + r"\s*="]
    for needle in needles:
        pattern = re.compile(needle, re.IGNORECASE)
        match = pattern.search(body, searched_from.get(needle, 0))
        if match:
            searched_from[needle] = match.end()
            return body.count("\n", 0, match.start()) + 1
    return 0


def _report(item: Refused, location: Location, findings: Findings) -> None:
    if item.is_link:
        what = "图片地址" if item.tag == "img" else "链接地址"
        findings.error(
            "C004", f"{what}“{shorten(item.value)}”以“{url_scheme(item.value)}:”开头，不能发布："
            "这类地址可能在读者的浏览器里执行代码或伪造内容。", location,
            f"{what}只能以 http://、https://、mailto:（电子邮件）、tel:（电话）开头，或写网站内的地址"
            "（如 ../gongshi/）、“#”开头的页内位置；请改成这样的地址，或删去它。")
    else:
        element = _ELEMENT_NAMES.get(item.tag, item.tag)
        findings.error(
            "C005", f"“{{: … }}”给{element}加了属性“{shorten(item.attribute)}”，不能发布："
            "这里只允许 class（写作 .名称）和 id（写作 #名称）。", location,
            f"请删去“{shorten(item.attribute)}=…”。on 开头的属性会执行代码，style 会打乱公文版式，"
            "都不允许；需要特别的样式，请在 static/css/site.css 中为一个 class 写好样式，"
            "再用“{: .名称 }”引用。")


_ELEMENT_NAMES = {"p": "段落", "a": "链接", "img": "图片", "li": "列表项", "ul": "列表", "ol": "列表",
                  "blockquote": "引文", "pre": "代码块", "code": "代码",
                  **{f"h{level}": "标题" for level in range(1, 7)}}
