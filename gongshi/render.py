"""Turning pages into HTML: the jinja2 environment, its filters, and URL helpers.

Templates are autoescaped and use `StrictUndefined`, so a data value is always text (never
HTML) and a typo in a template fails the build instead of publishing a blank. Every link is
made by `url()`, which prefixes the base path, so the site works at the root of a host or
under a sub-path. Static files are linked with a content hash for cache busting.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from .chinese_dates import format_date, format_period
from .model import Site
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
        self.env.filters["period"] = lambda p: format_period(p.start, p.end)
        self.env.globals.update(url=self.url, static=self.static_url, site=site)

    def url(self, path: str = "") -> str:
        return self.base_path + path

    def static_url(self, name: str) -> str:
        digest = self._static_hashes.get(name)
        if digest is None:
            digest = hashlib.sha256((self.static_dir / name).read_bytes()).hexdigest()[:10]
            self._static_hashes[name] = digest
        return f"{self.base_path}static/{name}?v={digest}"

    def render(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        return template.render(page=page, title=page.title, **page.context)
