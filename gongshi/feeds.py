"""Files for machines: sitemap.xml, robots.txt, an Atom feed of the announcements' stages,
and the SHA256SUMS manifest of every published file.

Everything is derived from data and dates, never the clock, so rebuilds are identical.
Sitemaps need absolute URLs: without a full base_url (https://host/path/) none is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path, PurePath
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .model import Site
from .pages import Page


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
        lines.append(f"Sitemap: {base}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def atom(site: Site, base_path: str, base: str | None) -> bytes:
    """One entry per stage of each announcement: the notice, then the 公示."""
    root = base or base_path
    entries = []
    for ann in site.announcements:
        stages = [(ann.notice.date, ann.notice.title, f"{ann.slug}/notice/", "notice"),
                  (ann.gongshi.date, ann.gongshi.title, f"{ann.slug}/gongshi/", "gongshi")]
        for day, title, path, stage in stages:
            entries.append((day, title, path, f"tag:gongshi,{ann.notice.date.year}:{ann.slug}/{stage}"))
    entries.sort(key=lambda e: (e[0], e[3]), reverse=True)
    updated = _timestamp(entries[0][0]) if entries else _timestamp(dt.date(2000, 1, 1))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"  <title>{escape(site.name)}</title>",
             f"  <id>tag:gongshi,2018:{escape(site.name)}</id>",
             f"  <updated>{updated}</updated>",
             f'  <link rel="alternate" href="{escape(root)}"/>',
             f"  <author><name>{escape(site.owner)}</name></author>"]
    for day, title, path, entry_id in entries:
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
    sorted as paths are (part by part, as this system compares them)."""
    lines = [f"{digest}  {relative}" for relative, digest in sorted(digests.items(), key=lambda i: PurePath(i[0]))
             if relative != "SHA256SUMS"]
    return ("\n".join(lines) + "\n").encode("utf-8")
