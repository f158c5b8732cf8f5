"""The site's URL layout: where every page and published file lives, in one place.

Each function returns a path under the base URL ("2018-mofan/units/qinyang/"); the templates'
`url()` (render.url_helper) puts the base path in front. Templates call these same functions
(the global `paths`), so Python and templates cannot disagree. A page's path ends in "/" (its
file is index.html there); a file's path is the file's.

    ""                                  the front page
    <slug>/                             an announcement
    <slug>/notice/                      its notice
    <slug>/<list>/                      its 公示 list ("gongshi") or 决定 list ("decision")
    <slug>/<list>/<category>/[<n>/]     a category's page(s) of a split list, n from 2
    <slug>/units/  <slug>/units/<id>/   the 推荐单位 and each unit's page
    <slug>/downloads/<list>.<ext>       a list's downloads
    search/                             the site search page and its index files
    static/<name>                       style sheets and scripts (the templates' static() adds ?v=)
    404.html  feed.xml  robots.txt  sitemap.xml  SHA256SUMS

A result of the search links to a unit page by the URL stored in the index (search_index),
made here too; the scripts get no URL rule of their own.
"""

from __future__ import annotations

STATIC = "static"
SEARCH = "search"
DOWNLOADS = "downloads"
NOT_FOUND = "404.html"
FEED = "feed.xml"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
CHECKSUMS = "SHA256SUMS"  # every published file's SHA-256 (outdir, verify)
# Folder names an announcement may not take: the site's own top-level folders, and
# "downloads", where the site's downloads once were (README, L016).
RESERVED_SLUGS = frozenset({STATIC, SEARCH, DOWNLOADS})
# What an announcement's folder name (its slug, the first part of its pages' URLs) may be.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


def home() -> str:
    return ""


def announcement(slug: str) -> str:
    return f"{slug}/"


def notice(slug: str) -> str:
    return f"{slug}/notice/"


def list_page(slug: str, section: str, category_id: str = "", number: int = 1) -> str:
    """A list: the whole of it (`section` "gongshi" or "decision"); with `category_id`, the
    category's first page when the list is split, and with `number` > 1 its continuations."""
    path = f"{slug}/{section}/"
    if category_id:
        path += f"{category_id}/"
        if number > 1:
            path += f"{number}/"
    return path


def units(slug: str) -> str:
    return f"{slug}/units/"


def unit(slug: str, unit_id: str) -> str:
    return f"{slug}/units/{unit_id}/"


def download(slug: str, section: str, extension: str) -> str:
    """A list's download: <slug>/downloads/gongshi.csv."""
    return f"{slug}/{DOWNLOADS}/{section}.{extension}"


def search(name: str = "") -> str:
    """The search page, or one of the index files beside it ("manifest.json")."""
    return f"{SEARCH}/{name}"


def static(name: str) -> str:
    return f"{STATIC}/{name}"
