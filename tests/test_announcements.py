"""Several announcements on one site: adding the second changes no byte of the first's pages.

The bundled project, with the first announcement's 决定 added (conftest.add_2018_decision), is
built twice on each day, once with the first announcement alone (the 2019 sample announcement
removed from data/, content/ and data/site.yaml) and once as it is, both with a full base URL
so that sitemap.xml is written too; once more with the lists split into pages
(pages.LIST_PAGE_ROWS lowered). Compared file by file:

* every file under 2018-mofan/ (its pages, the parts of its lists, its downloads) and under
  static/ is byte-identical, and the same files exist: the first announcement's pages show
  only the first announcement, their navigation included;
* robots.txt is identical (both announcements are sample data: "Disallow: /" either way);
* only the shared files may differ: the front page (it lists both, newest first), 404.html
  (it links to the newest), the search page (it lists every announcement's lists) and the
  search index (search/*.json: it finds the names of both), feed.xml and sitemap.xml (their
  entries), and SHA256SUMS (the sums of all of these);
* before the second announcement's notice date nothing of it is published, so the two
  builds are identical, file for file.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import FIXED_DAY, add_2018_decision, copy_project, run_cli

from gongshi.site import pages

FIRST, SECOND = "2018-mofan", "2019-shili"
SHARED = {"index.html", "404.html", "search/index.html", "feed.xml", "sitemap.xml", "SHA256SUMS"}
DAYS = [FIXED_DAY, "2019-03-20", "2019-05-08", "2019-05-20"]  # 2019: before; notice; 公示; 决定
BASE = "https://portal.example/gs/"


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    home = tmp_path_factory.mktemp("two")
    both = add_2018_decision(copy_project(home / "both"))
    alone = add_2018_decision(copy_project(home / "alone"))
    shutil.rmtree(alone / "data" / SECOND)
    shutil.rmtree(alone / "content" / SECOND)
    site = alone / "data/site.yaml"
    text = site.read_text(encoding="utf-8")
    assert f"  - {SECOND}\n" in text
    site.write_text(text.replace(f"  - {SECOND}\n", ""), encoding="utf-8")
    return alone, both


@pytest.mark.parametrize("day, rows", [(day, pages.LIST_PAGE_ROWS) for day in DAYS] + [("2019-05-20", 60)])
def test_adding_the_second_announcement_changes_no_byte_of_the_first(projects, day, rows, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "LIST_PAGE_ROWS", rows)
    built = []
    for project in projects:
        output = tmp_path / project.name
        result = run_cli("build", "--today", day, "--base-url", BASE, "--output", str(output), project=project)
        assert result.code == 0, result.output
        built.append(digests(output))
    alone, both = built
    own = [name for name in alone if name.startswith((f"{FIRST}/", "static/"))]
    assert len(own) > (20 if rows > 500 else 40)
    assert {n: alone[n] for n in own} == {n: both[n] for n in both if n.startswith((f"{FIRST}/", "static/"))}
    differing = {n for n in alone.keys() & both.keys() if alone[n] != both[n]}
    added = set(both) - set(alone)
    if day == FIXED_DAY:  # the second is not published yet
        assert differing == set() and added == set() and set(alone) == set(both)
        return
    assert {n for n in differing if not n.startswith("search/") or n == "search/index.html"} == SHARED
    assert all(n.endswith(".json") for n in differing if n.startswith("search/") and n != "search/index.html")
    assert {n for n in added if not n.startswith("search/")} == {n for n in both if n.startswith(f"{SECOND}/")}
    assert set(alone) - set(both) == set()
