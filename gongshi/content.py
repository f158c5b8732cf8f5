"""Markdown documents under `content/`: YAML front matter plus a Markdown body.

The front matter is parsed with the same line-aware YAML reader as the data files, so an
error in it names the line of the `.md` file. The body is converted with Python-Markdown;
raw HTML in the body is escaped, since content is text to be published, not markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re

import markdown

from .findings import Location
from .yamlfile import DataFileError, parse_yaml, read_text


@dataclass(frozen=True)
class Document:
    front: Any
    body: str
    shown_as: str


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
    return Document(front, body, shown_as)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d"
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")


def join_cjk_lines(text: str) -> str:
    """Join lines broken inside Chinese text: a line break there is not a space."""
    return _BREAK_BETWEEN_CJK.sub("", text.strip())


def markdown_to_html(body: str) -> str:
    md = markdown.Markdown(extensions=["attr_list"], output_format="html")
    # Content is text to publish: raw HTML in it is shown, not interpreted.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return join_cjk_lines(md.convert(body)) + "\n"
