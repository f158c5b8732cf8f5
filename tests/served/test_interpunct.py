"""The 间隔号 in the browser: both scripts take the dots they ignore from the page (written by
the build from gongshi/zh/names.py), so a name typed with any of them is found, on a list page
(site.js) and in the site search (search.js)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongshi.zh.names import INTERPUNCT_VARIANTS

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

GONGSHI = "2018-mofan/gongshi/"


def a_person(output: Path) -> str:
    from bs4 import BeautifulSoup
    doc = BeautifulSoup((output / GONGSHI / "index.html").read_text(encoding="utf-8"), "html.parser")
    return next(n.get_text() for n in doc.select("section#worker tr[data-search] .name") if len(n.get_text()) == 3)


def test_a_name_typed_with_any_interpunct_is_found_by_both_scripts(nginx_root, visit):
    name = a_person(nginx_root.output)
    visitor = visit(nginx_root.origin)
    visitor.open(nginx_root.base + GONGSHI)
    page = visitor.page
    assert page.evaluate("() => document.documentElement.dataset.interpunct") == INTERPUNCT_VARIANTS
    box = page.locator("#filter input")
    for dot in INTERPUNCT_VARIANTS:
        box.fill(f"{name[0]}{dot}{name[1:]}")
        expect(page.locator("tr[data-search]:visible").first).to_contain_text(name)
    visitor.open(nginx_root.base + "search/")
    box = visitor.page.locator(".search-form input[name=q]")
    for dot in INTERPUNCT_VARIANTS:
        box.fill(f"{name[:2]}{dot}{name[2:]}")
        expect(visitor.page.locator(".search-results a").filter(has_text=name).first).to_be_visible()
    visitor.assert_clean()
