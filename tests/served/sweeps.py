"""Sweeps: every page of a served build opened once at one width and text size, measured by
all the checks that want it at that setting, the results kept for the tests to judge.

Opening a page, loading its fonts and injecting axe-core cost far more than any one check, so
a page is opened once per setting and each check (axe, sideways overflow, wrapped numbers, the
banner and heading, a screenshot) runs on that one load. What a sweep does is written in one
place, `PLAN`; the tests in test_*.py only assert on what it found. A test that asks for a
check the plan did not run fails (`Sweep.found`), so the two cannot drift apart silently.

axe-core runs on every page at `EVERY_PAGE`, and on one page of each template
(`TEMPLATE_PAGES`) at each of `SETTINGS` as well: a phone's and a desktop's width, each at the
default and the largest text size. The 公示 and 决定 templates are checked at every setting on
the 2019 sample announcement's short lists (the "open" and "decided" builds); the bundled 2018
lists, some 500 names each, at `EVERY_PAGE` with every page. What axe-core finds depends on the
template and the setting, not on how many rows repeat the same markup, and on a list of 500
names one run costs seconds.

A long page's screenshot is its first `SHOT_WINDOWS` windows, what a reader sees first.

A sweep is computed once per xdist worker and shared by the tests that read it; the tests of
one sweep run on one worker (`at`, and conftest.xdist_scope), so each is computed once a run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .conftest import SCREENSHOTS, Mount

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}

GONGSHI = "/2018-mofan/gongshi/"
MISSING = "/no/such/page/"  # an address nothing is built at: nginx answers with the site's 404 page


@dataclass(frozen=True)
class Setting:
    """A reader's window width and text size (the text-size switch's stored choice)."""
    width: int
    size: str = "normal"

    def __str__(self) -> str:
        return f"{self.width}-{self.size}"


EVERY_PAGE = Setting(375)
SETTINGS = (Setting(375), Setting(1280), Setting(375, "xlarge"), Setting(1280, "xlarge"))
HEIGHT = 800
SHOT_WINDOWS = 6

SMALL_GONGSHI = "/2019-shili/gongshi/"  # the 2019 sample's 公示, open in the "open" build: 9 names
# One page of each template, per site (see `pages`): axe-core checks these at every setting.
TEMPLATE_PAGES = {
    "root": ["/", "/2018-mofan/", "/2018-mofan/notice/", "/2018-mofan/units/",
             "/2018-mofan/units/qinyang/", "/search/", "/404.html"],
    "open": [SMALL_GONGSHI],
    "split": [GONGSHI + "activist/2/"],
    "decided": ["/2019-shili/decision/"],
    "notice": [],
}

# The later stages' screenshots, by build and path.
STAGE_SHOTS = {
    "decided": {"/": "stage-front", "/2018-mofan/decision/": "stage-2018-decision",
                GONGSHI: "stage-2018-gongshi-closed", "/2018-mofan/units/qinyang/": "stage-2018-unit-decided",
                "/2019-shili/decision/": "stage-2019-decision"},
    "notice": {"/": "stage-2019-front-notice", "/2019-shili/units/yiqu/": "stage-2019-unit-notice"},
}

ALL = "all"
ALL_AND_MISSING = "all, and an address nothing is built at"
# (site, setting): {check: "all" or the paths it runs on}; axe is added by `checks_for`.
PLAN: dict[tuple[str, Setting], dict[str, Any]] = {
    ("root", Setting(320)): {"wide": ALL, "scroll": ALL, "numbers": ALL},
    ("root", Setting(320, "xlarge")): {"wide": ALL},
    ("root", Setting(375)): {"scroll": ALL, "numbers": ALL, "screenshot": ALL},
    ("root", Setting(375, "xlarge")): {"numbers": ALL},
    ("root", Setting(1280)): {"scroll": ALL, "screenshot": ALL, "furniture": ALL_AND_MISSING},
    ("root", Setting(1280, "xlarge")): {},
    ("split", Setting(320)): {"wide": ALL, "screenshot": ALL},
    ("split", Setting(375)): {},
    ("split", Setting(375, "xlarge")): {},
    ("split", Setting(1280)): {"wide": ALL, "screenshot": [GONGSHI, GONGSHI + "activist/2/"]},
    ("split", Setting(1280, "xlarge")): {},
    ("decided", Setting(375)): {"wide": ALL, "screenshot": list(STAGE_SHOTS["decided"])},
    ("decided", Setting(375, "xlarge")): {},
    ("decided", Setting(1280)): {"screenshot": list(STAGE_SHOTS["decided"])},
    ("decided", Setting(1280, "xlarge")): {"wide": ALL},
    ("notice", Setting(375)): {"wide": ALL, "screenshot": list(STAGE_SHOTS["notice"])},
    ("notice", Setting(1280)): {"screenshot": list(STAGE_SHOTS["notice"])},
    ("notice", Setting(1280, "xlarge")): {"wide": ALL},
}


def at(site: str, *settings: Setting) -> list:
    """Parameters for a test that reads the sweeps of `site` ("root", "split", or "stages" for
    the later-stage builds) at `settings`. Their ids ("root-375-normal", ...) tell
    conftest.xdist_scope to run every test of one sweep on one xdist worker, which then opens
    the pages once; keep the two in step. A test of the root sweeps may read the "open" build's
    at the same setting too (it has the 公示 template's short list)."""
    return [pytest.param(s, id=f"{site}-{s}") for s in settings]


def built_pages(output: Path) -> list[str]:
    """Every page of a build as a URL path under "/" (404.html included)."""
    return sorted("/" + p.relative_to(output).as_posix().removesuffix("index.html")
                  for p in output.rglob("*.html"))


def pages(site: str, mount: Mount, compare_with: Path | None = None) -> list[str]:
    """The pages a sweep of `site` covers.

    root: every page; split: the pages of the split 公示 list; open: the 2019 公示 page (the
    other pages of that build are the decided build's templates); decided: every page but
    404.html (the later stages add no 404 page of their own); notice: those of decided's pages
    whose HTML differs from decided's (`compare_with`; identical HTML renders identically).
    """
    found = built_pages(mount.output)
    if site == "split":
        return [p for p in found if p.startswith(GONGSHI)]
    if site == "open":
        return [p for p in found if p.startswith(SMALL_GONGSHI)]
    if site in ("decided", "notice"):
        found = [p for p in found if not p.endswith(".html")]
    if site == "notice":
        assert compare_with is not None
        def html(output: Path, path: str) -> Path:
            return output / path.lstrip("/") / "index.html"
        found = [p for p in found
                 if not html(compare_with, p).is_file()
                 or html(compare_with, p).read_bytes() != html(mount.output, p).read_bytes()]
    return found


def checks_for(site: str, setting: Setting, every: list[str]) -> dict[str, list[str]]:
    """{check: paths} for one sweep, axe included."""
    planned = dict(PLAN.get((site, setting), {}))
    if setting == EVERY_PAGE:
        planned["axe"] = ALL
    elif setting in SETTINGS and TEMPLATE_PAGES[site]:
        planned["axe"] = TEMPLATE_PAGES[site]
    resolved = {}
    for check, chosen in planned.items():
        if chosen == ALL:
            resolved[check] = list(every)
        elif chosen == ALL_AND_MISSING:
            resolved[check] = list(every) + [MISSING]
        else:
            resolved[check] = list(chosen)
    return resolved


def screenshot_name(site: str, path: str, setting: Setting) -> str:
    if site in STAGE_SHOTS:
        return f"{STAGE_SHOTS[site][path]}-{setting.width}.png"
    name = path.strip("/").replace("/", "-").removesuffix(".html") or "front"
    return f"{'split-' if site == 'split' else ''}{name}-{setting.width}.png"


# ---------------------------------------------------------------------------- the checks

# Elements wider than the window that are not inside a box scrolling sideways, and the page's
# own sideways scroll.
WIDER_THAN_VIEWPORT_JS = """() => {
    const width = document.documentElement.clientWidth;
    const clipped = el => {  // inside a box that scrolls or clips sideways, itself on screen
        for (let p = el.parentElement; p; p = p.parentElement) {
            const x = getComputedStyle(p).overflowX;
            if (x !== 'visible') {
                const r = p.getBoundingClientRect();
                return r.left >= -0.5 && r.right <= width + 0.5;
            }
        }
        return false;
    };
    const bad = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (!r.width && !r.height) continue;
        const offscreen = r.right <= 0 || r.left >= width;  // e.g. the skip link until focused
        if (offscreen && getComputedStyle(el).position === 'absolute') continue;
        if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(el)) {
            bad.push(`${el.tagName.toLowerCase()}.${el.className} ${r.left.toFixed(0)}..${r.right.toFixed(0)}: ${el.textContent.trim().slice(0, 20)}`);
        }
    }
    return {scroll: document.documentElement.scrollWidth - width, bad: bad.slice(0, 5)};
}"""

SCROLL_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# A number (序号, a count, a date's digits) or a phone number set on more than one line.
BROKEN_NUMBERS_JS = r"""() => {
    const broken = [];
    const check = (node, pattern) => {
        for (const m of node.data.matchAll(pattern)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)));
            if (tops.size > 1) broken.push(`${m[0]} in “${node.parentElement.textContent.trim().slice(0, 30)}”`);
        }
    };
    const walk = (root, pattern) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('[hidden], script, style')) continue;
            check(node, pattern);
        }
    };
    for (const cell of document.querySelectorAll('td, th')) walk(cell, /\d[\d.,:-]*\d/g);
    walk(document.body, /0\d{2,3}-\d{7,8}/g);
    return broken;
}"""


def run_axe(page, script: str) -> list[str]:
    """axe-core's violations on the page as loaded, one line each (`script`: axe's source)."""
    page.evaluate(script)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]]


def furniture(page, path: str) -> list[str]:
    """What every page has: the 示例数据 banner near the top, one non-empty <h1>, a <title>."""
    problems = []
    banner = page.locator(".sample-banner").filter(has_text="示例数据")
    if banner.count() != 1 or not banner.is_visible():
        problems.append(f"{path}: the 示例数据 banner is not visible ({banner.count()} found)")
    elif banner.bounding_box()["y"] > 400:
        problems.append(f"{path}: the 示例数据 banner is not near the top of the page")
    h1 = page.locator("h1")
    if h1.count() != 1:
        problems.append(f"{path}: {h1.count()} <h1> elements")
    elif not h1.inner_text().strip():
        problems.append(f"{path}: the <h1> is empty")
    if not page.title().strip():
        problems.append(f"{path}: empty <title>")
    return problems


# ---------------------------------------------------------------------------- a sweep


@dataclass
class Sweep:
    site: str
    setting: Setting
    checks: dict[str, list[str]]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # check: {path: result}
    visitor_problems: list[str] = field(default_factory=list)

    def found(self, check: str) -> dict[str, Any]:
        """{path: result} of `check`; fails if this sweep's plan does not run it."""
        assert check in self.checks, (
            f"the {self.site} sweep at {self.setting} does not run {check!r}: add it to sweeps.PLAN")
        return self.results[check]

    def assert_clean(self) -> None:
        """Nothing a visitor would not want to see on any page (see conftest.Visitor)."""
        assert not self.visitor_problems, "the visitor saw problems:\n  " + "\n  ".join(self.visitor_problems)


def run_sweep(site: str, setting: Setting, mount: Mount, every: list[str], new_visitor: Callable,
              axe_script: str) -> Sweep:
    """Open each page the plan names once at `setting` and run its checks on that load."""
    checks = checks_for(site, setting, every)
    sweep = Sweep(site, setting, checks, {check: {} for check in checks})
    order = list(dict.fromkeys(path for paths in checks.values() for path in paths))
    visitor = new_visitor(mount.origin, setting.width, HEIGHT)
    page = visitor.page
    page.add_init_script(f"try {{ localStorage.setItem('gongshi-text-size', '{setting.size}') }} catch (e) {{}}")
    for path in order:
        wanted = [check for check, paths in checks.items() if path in paths]
        visitor.open(path, status=404 if path == MISSING else 200)
        page.evaluate("document.fonts.ready")
        for check in wanted:
            if check == "axe":
                sweep.results[check][path] = run_axe(page, axe_script)
            elif check == "wide":
                sweep.results[check][path] = page.evaluate(WIDER_THAN_VIEWPORT_JS)
            elif check == "scroll":
                sweep.results[check][path] = page.evaluate(SCROLL_JS)
            elif check == "numbers":
                sweep.results[check][path] = page.evaluate(BROKEN_NUMBERS_JS)
            elif check == "furniture":
                sweep.results[check][path] = furniture(page, path)
        if "screenshot" in wanted:  # last, after every check has measured the page as loaded
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = SCREENSHOTS / screenshot_name(site, path, setting)
            width, height = page.evaluate("() => [document.documentElement.scrollWidth,"
                                          " document.documentElement.scrollHeight]")
            page.screenshot(path=str(shot), full_page=True,
                            clip={"x": 0, "y": 0, "width": width, "height": min(height, SHOT_WINDOWS * HEIGHT)})
            sweep.results["screenshot"][path] = shot
    sweep.visitor_problems = visitor.problems()
    visitor.context.close()
    return sweep
