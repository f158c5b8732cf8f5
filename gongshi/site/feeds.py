"""Files for machines: sitemap.xml, robots.txt, an Atom feed of the announcements' stages
(notice, 公示, 决定: an entry once a stage is published),
and the SHA256SUMS manifest of every published file.

Everything is derived from data and dates, never the clock, so rebuilds are identical.
Sitemaps need absolute URLs: without a full base_url (https://host/path/) none is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

from ..load.model import Site
from ..urls import SITEMAP
from .outdir import MANIFEST
from .pages import Page


def escape(text: str) -> str:
    """Text for XML character data: what xml.sax.saxutils.escape does (&, <, >), without
    importing it (it brings urllib.request, http.client and ssl into every build)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def absolute_base(base_url: str) -> str | None:
    parts = urlsplit(base_url)
    return base_url if parts.scheme in ("http", "https") and parts.netloc else None


def sitemap(pages: list[Page], base: str) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        if page.path.endswith(".html"):
            continue  # 404.html
        lines.append(f"  <url><loc>{escape(base + page.path)}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site: Site, base: str | None, hidden_paths: list[str]) -> bytes:
    lines = ["User-agent: *"]
    if site.is_sample:
        lines.append("Disallow: /")  # sample data is never for search engines
    else:
        lines += [f"Disallow: {path}" for path in hidden_paths] or ["Allow: /"]
    if base:
        lines.append(f"Sitemap: {base}{SITEMAP}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def atom(site: Site, pages: list[Page], base_path: str, base: str | None) -> bytes:
    """One entry per stage each announcement has reached: the notice, the 公示, the 决定 (the
    pages that carry a `feed` entry: date, title and a tag URI that never changes)."""
    root = base or base_path
    entries = [(*page.context["feed"], page.path) for page in pages if "feed" in page.context]
    entries.sort(key=lambda e: (e[0], e[2]), reverse=True)
    updated = _timestamp(entries[0][0]) if entries else _timestamp(dt.date(2000, 1, 1))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"  <title>{escape(site.name)}</title>",
             f"  <id>tag:gongshi,2018:{escape(site.name)}</id>",
             f"  <updated>{updated}</updated>",
             f'  <link rel="alternate" href="{escape(root)}"/>',
             f"  <author><name>{escape(site.owner)}</name></author>"]
    for day, title, entry_id, path in entries:
        lines += ["  <entry>",
                  f"    <title>{escape(title)}</title>",
                  f"    <id>{escape(entry_id)}</id>",
                  f"    <updated>{_timestamp(day)}</updated>",
                  f'    <link rel="alternate" href="{escape(root + path)}"/>',
                  "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sha256sums(folder: Path) -> bytes:
    """`sha256sum -c` compatible lines for every file under `folder`, sorted by path."""
    return sha256sums_of({path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                          for path in folder.rglob("*") if path.is_file()})


def sha256sums_of(digests: dict[str, str]) -> bytes:
    """The same from {output-relative path: SHA-256 hex} (the build keeps them as it writes):
    sorted as paths are (part by part, as this system compares them: path_order)."""
    lines = [f"{digest}  {relative}" for relative, digest in sorted(digests.items(), key=lambda i: path_order(i[0]))
             if relative != MANIFEST]
    return ("\n".join(lines) + "\n").encode("utf-8")


def path_order(relative: str) -> list[str]:
    """The order of PurePath(relative) for an output-relative path ("a/b.html"): its parts, in
    this system's case (Windows compares them lower-cased), without making a PurePath for each
    of a large site's thousands of files (4.3 ms instead of 0.7 at 10,000 names)."""
    return os.path.normcase(relative).split(os.sep)
