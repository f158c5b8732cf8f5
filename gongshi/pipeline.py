"""The build as a short list of steps: load, check, plan pages, render, write.

`check_project()` loads and checks without writing anything. `build_project()` does the same,
stops before touching the output if anything fails, then renders every page into a staged
folder and swaps it in. Both are what `build.py` and `serve` call.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .checks import mask, personal_numbers, run_checks
from .findings import Findings, Location
from .loader import load_site
from .model import Site
from .output import BuildLock, StagedOutput
from .pages import site_pages
from .render import Renderer, TemplateProblem


@dataclass
class BuildOptions:
    strict: bool = False
    release: bool = False
    output: Path | None = None
    base_url: str | None = None
    today: dt.date | None = None
    lock_timeout: float = 120.0
    on_lock_wait: object = None


@dataclass
class BuildResult:
    findings: Findings
    site: Site | None = None
    pages_written: int = 0
    files_written: int = 0
    seconds: float = 0.0
    written: bool = False
    output: Path | None = None
    strict: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings.fails(self.strict)


def build_date(options: BuildOptions) -> dt.date:
    """The day the site is built for: --today, else SOURCE_DATE_EPOCH, else today."""
    if options.today:
        return options.today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def check_project(root: Path, options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    loaded = load_site(root)
    findings = loaded.findings
    if loaded.site is not None:
        findings.extend(run_checks(loaded.site))
        if options.release:
            _refuse_sample(loaded.site, findings)
    return BuildResult(findings, loaded.site, seconds=time.perf_counter() - started,
                       strict=options.strict)


def _refuse_sample(site: Site, findings: Findings) -> None:
    for announcement in site.announcements:
        for flag in announcement.sample_flags:
            findings.error("R001", f"公告“{announcement.short_title}”的数据标记为示例数据（sample: true），"
                           "不能用 --release 正式发布。", flag,
                           "换成经审批的正式名单后，删除这一行“sample: true”再发布。")


def _scan_personal_numbers(html: str, page_file: str, allowed: list[str],
                           findings: Findings) -> None:
    """Last guard: no resident ID or mobile number leaves in a built page."""
    for kind, number in personal_numbers(html, allowed):
        findings.error("X002", f"生成的页面 {page_file} 中出现了疑似{kind}“{mask(number)}”，本次不发布。",
                       Location(f"output/{page_file}"),
                       "请在数据或 content/ 的文字中找到并删去这串数字（公示不得公布身份证号和手机号）。")


def build_project(root: Path, options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    output = options.output or (root / "output")
    with BuildLock(root / ".gongshi.lock", options.lock_timeout, options.on_lock_wait):
        result = check_project(root, options)
        result.output = output
        if not result.ok or result.site is None:
            result.seconds = time.perf_counter() - started
            return result
        site = result.site
        base_url = options.base_url or site.base_url
        renderer = Renderer(site, root / "templates", root / "static", base_url)
        pages = site_pages(site, build_date(options))
        allowed = [a.contacts.phone for a in site.announcements]
        with StagedOutput(output) as staged:
            for page in pages:
                try:
                    html = renderer.render(page)
                except TemplateProblem as problem:
                    result.findings.add(problem.finding)
                    break
                _scan_personal_numbers(html, page.file, allowed, result.findings)
                staged.write(page.file, html.encode("utf-8"))
            if result.findings.errors:
                result.seconds = time.perf_counter() - started
                return result  # the staged folder is discarded; output/ stays as it was
            staged.copy_tree(root / "static", "static")
            staged.commit()
            result.files_written = staged.files_written
        result.pages_written = len(pages)
        result.written = True
    result.seconds = time.perf_counter() - started
    return result


