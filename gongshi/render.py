"""Turning pages into HTML: the jinja2 environment, its filters, and URL helpers.

Templates are autoescaped and use `StrictUndefined`, so a data value is always text (never
HTML) and a typo in a template fails the build instead of publishing a blank. Every link is
made by `url()`, which prefixes the base path, so the site works at the root of a host or
under a sub-path. Static files are linked with a content hash for cache busting.
"""

from __future__ import annotations

import hashlib
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from .chinese_dates import format_date
from .findings import Finding, Location, Severity
from .model import Site
from .objection import objection_link
from .ordering import order_note
from .search import search_text
from .pages import Page


def base_path(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class Renderer:
    def __init__(self, site: Site, templates: Path, static: Path, base_url: str):
        self.site = site
        self.base_path = base_path(base_url)
        self.static_dir = static
        self._static_hashes: dict[str, str] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["date"] = format_date
        self.env.globals.update(url=self.url, static=self.static_url, site=site.public,
                                objection_link=objection_link, search_text=search_text,
                                order_note=order_note)

    def url(self, path: str = "") -> str:
        return self.base_path + path

    def static_url(self, name: str) -> str:
        digest = self._static_hashes.get(name)
        if digest is None:
            digest = hashlib.sha256((self.static_dir / name).read_bytes()).hexdigest()[:10]
            self._static_hashes[name] = digest
        return f"{self.base_path}static/{name}?v={digest}"

    def render(self, page: Page) -> str:
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page, title=page.title, **page.context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(Finding(
                "V001", Severity.ERROR, f"模板语法错误：{exc.message}。",
                Location(f"templates/{exc.name or page.template}", exc.lineno or 0),
                "请对照 Jinja2 语法检查这一行的 {{ }}、{% %} 是否成对、拼写是否正确。")) from exc
        except jinja2.UndefinedError as exc:
            raise TemplateProblem(Finding(
                "V002", Severity.ERROR, f"模板用到了不存在的变量：{exc.message}。",
                _template_location(exc, page.template),
                "请检查变量名拼写；模板可用的变量见 gongshi/pages.py。")) from exc


class TemplateProblem(Exception):
    """A template that cannot render; carries the finding that names file and line."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def _template_location(exc: BaseException, fallback: str) -> Location:
    """The template file and line where rendering failed, from the traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".html"):
            relative = frame.filename.rsplit("/templates/", 1)[-1]
            return Location(f"templates/{relative}", frame.lineno or 0)
    return Location(f"templates/{fallback}")
