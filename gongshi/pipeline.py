"""The build as a short list of steps: load, check, plan pages, render, write.

`check_project()` loads and checks without writing anything. `build_project()` does the same,
stops before touching the output if anything fails, then renders every page into a staged
folder and swaps it in. Both are what `build.py` and `serve` call.

What checks and publishes is imported once the ordered site has been sent to the build's second
process (site/parallel.py), not before the project is read: the second process gets the site
that much sooner (~0.08 s of imports).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import gzip
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct, field
from msgspec.structs import replace

from . import urls
from .codes import RELEASE_BLOCKERS
from .files.yamlfile import parsed_cache, parsed_elsewhere
from .findings import Findings, Severity
from .load.loader import load_site
from .load.model import Site
from .load.ordering import order_site
from .load.reuse import reusing
from .load.stages import GONGSHI
from .site.outdir import MANIFEST, output_folder
from .site.output import BuildLock, StagedOutput, tree_files

if TYPE_CHECKING:
    from .site.memo import PublishMemo
    from .site.publish import Published


class BuildOptions(Struct):
    strict: bool = False
    release: bool = False
    output: Path | None = None
    base_url: str | None = None
    today: dt.date | None = None
    lock_timeout: float = 120.0
    on_lock_wait: Callable[[], None] | None = None  # called once if another build holds the lock
    kept: Kept | None = None  # a preview's: what its rebuilds share (never a clean build's)
    # Write every file anew, linking none from the site being replaced (output.FileWriter.
    # previous): `build --fresh`. The same bytes; only every file is new (its time too).
    fresh: bool = False


def _new_memo() -> PublishMemo:
    from .site.memo import PublishMemo

    return PublishMemo()


class Kept(Struct):
    """What a preview (`serve`) keeps between rebuilds: the YAML files parsed (by their bytes),
    the parts of the site made from them (load.reuse) and the published files made (site.memo).
    The output is the same bytes with or without it (tests/test_serve_cache.py)."""

    parsed: dict = field(default_factory=dict)
    loaded: dict = field(default_factory=dict)
    publish: PublishMemo = field(default_factory=_new_memo)
    # The site the last rebuild replaced, still beside the output, with what its files are
    # (as site.output.Earlier has them): the next rebuild stages in it, and so writes only the
    # files whose bytes changed, instead of linking every file into a new folder and deleting
    # the old one. Other old sites are removed after the browsers are told to reload
    # (serve.RebuildSession.tidy), not while they wait.
    spare: tuple[Path, dict] | None = None
    old_sites: list[Path] = field(default_factory=list)
    # The last site written (path -> SHA-256), and the paths whose bytes it changed (added and
    # removed ones too; None: not known, as after the first build): whose pages to reload.
    site_files: dict[str, str] = field(default_factory=dict)
    changed: frozenset[str] | None = None


class BuildResult(Struct):
    findings: Findings
    site: Site | None = None
    pages_written: int = 0
    files_written: int = 0
    seconds: float = 0.0
    written: bool = False
    output: Path | None = None
    published: Path | None = None  # the real folder replaced (output after following a link)
    strict: bool = False
    page_weights: dict[str, int] = field(default_factory=dict)  # `build` only (not a preview)
    day: dt.date | None = None  # the day the site was checked or built for (build_date)

    @property
    def ok(self) -> bool:
        return not self.findings.fails(self.strict)


def build_date(options: BuildOptions) -> dt.date:
    """The day the site is built for: --today, else SOURCE_DATE_EPOCH, else today."""
    if options.today:
        return options.today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            pass  # not a usable moment: fall back to today
    return dt.date.today()


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off for a build, back as it was after.

    A build makes millions of objects that live until it ends and almost no garbage cycles;
    the collector would scan all of them again and again (it doubled the time to read a list
    of 100,000 names). What little cyclic garbage a build leaves is collected when it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_project(root: Path, options: BuildOptions, render: bool = False, started=None) -> BuildResult:
    """Load, order and check; with `render`, also render every page in memory (what
    `gongshi check` does, so it finds template and personal-number problems too).
    `started`: a second process the caller started for this (parallel.start), closed here."""
    with collector_paused():
        helper = _start_helper(root, options, started) if render else started
        try:
            result = _check_project(root, options, helper)
            if render and result.site is not None and not result.findings.errors:
                render_pages(root, options, result, None, helper)
                result.findings.extend(tree_files(root / "static", "static", root)[1])
        finally:
            if helper is not None:
                helper.close()
        return result


def _check_project(root: Path, options: BuildOptions, helper=None) -> BuildResult:
    started = time.perf_counter()
    kept = options.kept
    with (reusing(kept.loaded) if kept is not None else contextlib.nullcontext()):
        with (parsed_cache(kept.parsed) if kept is not None else contextlib.nullcontext()), \
                (parsed_elsewhere(helper.parsed) if helper is not None else contextlib.nullcontext()):
            loaded = load_site(root)
        findings = loaded.findings
        site = loaded.site
        if site is not None:
            if helper is not None:
                helper.send_names(site)  # read in pinyin there while this process orders the site
            site = order_site(site, root, findings)
    if site is not None:
        if helper is not None:
            helper.send_site(site, build_date(options), options.base_url)
        from .check.checks import run_checks  # only now: see the module's docstring

        findings.extend(run_checks(site))
        if options.release:
            _refuse_sample(site, findings)
            _promote(findings, RELEASE_BLOCKERS)
    result = BuildResult(findings, site, strict=options.strict, day=build_date(options))
    result.seconds = time.perf_counter() - started
    return result


def _start_helper(root: Path, options: BuildOptions, started=None):
    """The build's second process: `started` (one the command line started early, see
    parallel.start), or one started now when the project is large enough."""
    if options.kept is not None:
        # A preview builds in one process: what the second one made would not be kept, and the
        # next rebuild would make it again; later rebuilds make few files anyway.
        if started is not None:
            started.close()
        return None
    if started is not None:
        return started
    from .site import parallel

    return parallel.start(root)


def _promote(findings: Findings, codes: tuple[str, ...]) -> None:
    findings.items = [replace(f, severity=Severity.ERROR) if f.code in codes else f
                      for f in findings.items]


def _refuse_sample(site: Site, findings: Findings) -> None:
    for announcement in site.announcements:
        for flag in announcement.sample_flags:
            findings.error("R001", f"公告“{announcement.short_title}”的数据标记为示例数据（sample: true），"
                           "不能用 --release 正式发布。", flag,
                           "换成经审批的正式名单后，删除这一行“sample: true”再发布。")


def build_project(root: Path, options: BuildOptions, started=None) -> BuildResult:
    """Check the project and, if all is well, write the site (see _write_site). `started`: a
    second process the caller started for this build (parallel.start), closed here."""
    began = time.perf_counter()
    output = options.output or (root / "output")
    helper = started
    try:
        output_folder(output, root)  # refuse a folder we must not replace before touching anything
        with BuildLock(root / ".gongshi.lock", options.lock_timeout, options.on_lock_wait), collector_paused():
            helper = _start_helper(root, options, started)
            result = _check_project(root, options, helper)
            result.output = output
            if result.ok and result.site is not None:
                _write_site(root, output, options, result, helper)
    finally:
        if helper is not None:
            helper.close()
    result.seconds = time.perf_counter() - began
    return result


def render_pages(root: Path, options: BuildOptions, result: BuildResult, folder: Path | None,
                 helper=None, previous: Path | None = None) -> Published | None:
    """Render every page and make every other published file (downloads, search index,
    sitemap, robots, feed), reading each with the personal-number guard and, with a `folder`,
    writing it there (publish; with a `helper`, on two cores), or linking the file of the
    site it replaces, `previous`, that holds the same bytes (output.FileWriter).

    `check` calls this without a folder, so it finds what `build` would. Returns what was
    made, or None when a template could not render. Personal numbers found in any of it are
    X002 errors, and then the caller keeps nothing.
    """
    from .site.publish import Publisher, publish  # see the module's docstring

    site = result.site
    if site is None:
        raise ValueError("render_pages needs a site that loaded")
    publisher = Publisher(root, site, build_date(options), options.base_url or site.base_url, folder,
                          options.kept.publish if options.kept is not None else None, previous)
    if helper is not None:
        helper.begin(folder, previous)
    published = publish(publisher, result.findings, helper)
    result.pages_written = len(publisher.pages)
    return published if published.ok else None


def _write_site(root: Path, output: Path, options: BuildOptions, result: BuildResult,
                helper=None) -> None:
    """Render every page and file into a staged folder; swap it in only if all is well."""
    site = result.site
    if site is None:
        raise ValueError("_write_site needs a site that loaded")
    kept = options.kept
    spare, files_before = (None, None)
    if kept is not None and kept.spare is not None:
        (spare, files_before), kept.spare = kept.spare, None
    staged = StagedOutput(output, root, spare, link_previous=not options.fresh)
    try:
        with staged:
            if kept is not None:
                kept.publish.reused = files_before if staged.reused else None
                if spare is not None and not staged.reused:
                    kept.old_sites.append(spare)  # still there, perhaps: removed later
            try:
                published = render_pages(root, options, result, staged.staging, helper, staged.previous)
            finally:
                if helper is not None:
                    helper.finish()  # its files are all written (or it is stopped) before a swap or clean-up
            if published is None or result.findings.errors:
                return  # the staged folder is discarded; output/ stays as it was
            result.findings.extend(staged.copy_tree(root / "static", urls.STATIC))
            if result.findings.errors:
                return
            from .site.feeds import sha256sums_of

            staged.write(MANIFEST, sha256sums_of(staged.writer.digests | published.digests))
            files = staged.writer.digests | published.digests  # every file of the site, SHA256SUMS too
            staged.sweep(files.keys())
            if kept is None:
                result.page_weights = page_weights(staged.staging, site)  # a preview does not show it
                staged.commit()
            else:
                old = staged.commit(discard=False)
                old_files = kept.publish.earlier.files  # the site now at `old`
                if old is not None and old_files:
                    kept.spare = (old, old_files)
                elif old is not None:  # not written by this preview: nothing known of it
                    kept.old_sites.append(old)
                kept.publish.swapped_in(staged.target)
                kept.changed = (frozenset(p for p in files.keys() | kept.site_files.keys()
                                          if files.get(p) != kept.site_files.get(p))
                                if kept.site_files else None)
                kept.site_files = files
            result.files_written = staged.files_written + len(published.digests)
    finally:
        result.findings.extend(staged.notes)
    result.published = staged.target
    result.written = True


# How the README's nginx compresses what it sends (gzip_comp_level left at its default, 1): the
# weight a reader downloads. Level 9 made the report say 14-17 % less than that, in four times
# the time (6 ms at the end of every 500-name build).
SERVED_GZIP_LEVEL = 1


def page_weights(folder: Path, site: Site) -> dict[str, int]:
    """Gzipped bytes of each published 公示 page with the styles and scripts it loads, as the
    README's nginx sends them."""
    assets = [urls.static(name) for name in ("css/site.css", "css/print.css", "js/site.js")]
    weights = {}
    for announcement in site.announcements:
        page = urls.list_page(announcement.slug, GONGSHI) + "index.html"
        if not (folder / page).is_file():
            continue  # not published on the build day (see stages.stage_report)
        weights[page] = sum(len(gzip.compress((folder / name).read_bytes(), SERVED_GZIP_LEVEL, mtime=0))
                            for name in [page] + assets if (folder / name).is_file())
    return weights
