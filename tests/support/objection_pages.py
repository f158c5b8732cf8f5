"""How a built site's pages carry the objection links (gongshi/site/objection.py): each row's
异议 link has address and subject only; a page with such links carries the body once, encoded,
on the container of its list (data-objection-body); a page with the objection channel carries
one visible sentence saying what to write. A page without them carries neither. Shared by the
tests of the bundled build, of a split list and of every stage."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup

from gongshi.load.loader import load_site
from gongshi.load.model import PublicAnnouncement
from gongshi.site.objection import OBJECTION_HINT, encoded_objection_body, objection_body


def announcements(project: Path) -> dict[str, PublicAnnouncement]:
    """A project's announcements as templates see them, by slug."""
    site = load_site(project).site
    assert site is not None
    return {a.slug: a.public for a in site.announcements}


# What every element or attribute the checks below look for has in its name: a page whose text
# (in any case) has none of them has no such element, and only the sentence's absence is left to
# check, without parsing it (most pages of most stages; a 500-name list takes a while to parse).
MARKERS = ("col-objection", "data-objection-body", "objection-hint", "objection-top", "compact-contact")


def check_objection_pages(output: Path, project: Path) -> list[str]:
    """Check every HTML page of `output`, built from `project`; returns the pages that have
    异议 links."""
    public: dict[str, PublicAnnouncement] = {}  # read when a page with links needs it
    with_links = []
    for path in sorted(output.rglob("*.html")):
        page = path.relative_to(output).as_posix()
        html = path.read_text(encoding="utf-8")
        if not any(marker in html.lower() for marker in MARKERS):
            assert OBJECTION_HINT not in html, page
            continue
        doc = BeautifulSoup(html, "html.parser")
        links = doc.select("td.col-objection a")
        holders = doc.select("[data-objection-body]")
        hints = doc.select(".objection-hint")
        # the objection channel: the 公示's (also on the index of a split list) or a unit's line
        if doc.select("section.objection-top, p.compact-contact[data-while='open']"):
            assert [hint.get_text() for hint in hints] == [OBJECTION_HINT], page
            assert hints[0]["data-while"] == "open" and not hints[0].has_attr("hidden"), page
        else:
            assert hints == [] and OBJECTION_HINT not in html and not links, page
        if not links:
            assert holders == [] and "data-objection-body" not in html, page
            continue
        with_links.append(page)
        assert len(holders) == 1, page
        holder = holders[0]
        assert "lists" in holder["class"] and holder.has_attr("data-filter-scope"), page
        assert holder.select("td.col-objection a") == links, page  # the list holds every link
        for link in links:
            href = link["href"]
            assert href.startswith("mailto:") and "body" not in parse_qs(urlsplit(href).query), (page, href)
            assert list(parse_qs(urlsplit(href).query)) == ["subject"], (page, href)
        public = public or announcements(project)
        announcement = public[page.split("/")[0]]
        body = objection_body(announcement)
        encoded = holder["data-objection-body"]
        assert encoded == encoded_objection_body(announcement), page
        assert unquote(encoded) == body.replace("\n", "\r\n"), page
        assert html.count(encoded) == 1 and html.count("%0D%0A") == body.count("\n"), page
    return with_links
