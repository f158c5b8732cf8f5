"""Making the published files: pages, downloads, search index and the machine files (sitemap,
robots, feed), each read by the personal-number guard and, in a build, written.

The work is a list of tasks (`tasks()`), each giving the same bytes whichever process runs it
and in whatever order: a group of pages (by their place in the plan), the search index, the
machine files. The downloads come first and always in the build's own process, since the 公示
page lists their sizes. A `Publisher` runs tasks in the process it lives in; `publish()` runs
them all, on one core or, with a `parallel.Helper`, on two, and puts together what they found
in the order one process finds it: the first page (in plan order) a template fails on; the
guard's hits page by page, then in the other files by path, then in the machine files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from ..check.privacy import Hit, PublishedGuard
from ..findings import Finding, Findings
from ..load.model import Site
from . import pages as site_map
from .feeds import absolute_base, atom, robots, sitemap
from .lists import CategoryList
from .output import FileWriter
from .pages import Page, planned_downloads, planned_lists, planned_summaries, searched_site, site_pages
from .render import Renderer, TemplateProblem, environment
from .search_index import PARTS as SEARCH_PARTS
from .search_index import encode_index, site_records

if TYPE_CHECKING:  # a preview's memo (pipeline.Kept): imported where a preview uses it, never by a build
    from .memo import Memo, PublishMemo

# A task: ("pages", (index, ...)) | ("search",) | ("machine",). ("downloads",) is the first
# process's own.
Task = tuple

# Work is measured in rows of a list (what a page shows); a task of pages holds about this much.
TASK_ROWS = 600
PAGE_ROWS = 20      # a page's own cost, in rows, on top of its rows
# The search index's cost per record, in rows: one task makes all its parts, so that the
# records they start from (site_records, a fifth of the work) are made once.
SEARCH_ROWS = 5


class TaskResult(Struct):
    files: list[tuple[str, list[Hit]]] = field(default_factory=list)  # made, with the guard's hits
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 of what was written
    problem: tuple[int, Finding] | None = None  # (page index, finding): a template failed there


def contact_forms(site: Site) -> list[str]:
    """The published phone numbers in every form the site writes them (the guard allows them)."""
    return [form for a in site.announcements
            for form in (a.contacts.phone, a.contacts.tel_uri.removeprefix("tel:"))]


class Publisher:
    """Everything one process needs to make any published file of the site. With a `memo`
    (a preview's), what was made before from the same inputs is taken from it."""

    def __init__(self, root: Path, site: Site, today: dt.date, base_url: str, folder: Path | None = None,
                 memo: PublishMemo | None = None, previous: Path | None = None):
        self.site = site
        self.today = today
        self.base_url = base_url
        self.memo = memo
        env = None
        if memo is not None:
            memo.begin(root)
            if memo.environment is None:
                memo.environment = environment(root / "templates")
            env = memo.environment
        self.renderer = Renderer(site, root / "templates", root / "static", base_url, env)
        self.pages: list[Page] = site_pages(site, today)
        self.guard = PublishedGuard(root, contact_forms(site))
        self.writer: FileWriter | None = None
        if folder is not None:
            self.writer = (memo.writer_for(folder, previous) if memo is not None
                           else FileWriter(folder, previous=previous))
        self._prepared: dict[str, bytes] | None = None  # prepare_search

    def begin(self, folder: Path | None, previous: Path | None = None) -> None:
        """Write into `folder` from now on (None: keep nothing, as `check` does), linking
        unchanged files from `previous` (see output.FileWriter)."""
        self.writer = FileWriter(folder, previous=previous) if folder is not None else None

    def set_links(self, links: dict[str, dict[str, list]]) -> None:
        """The download links the first process made (see `make_downloads`)."""
        for slug, shown in planned_downloads(self.pages).items():
            for key, listed in shown.items():
                listed[:] = links.get(slug, {}).get(key, [])

    def _emit(self, result: TaskResult, path: str, text: str | bytes) -> None:
        if self.memo is not None:
            known = self.memo.emitted.get(path, text, self.guard.forms)
            if known is not None:  # the very object the last rebuild wrote here (from a memo)
                data, digest, hits = known
                result.files.append((path, hits))
                if self.writer is not None:
                    self.writer.write(path, data, digest)
                    result.digests[path] = digest
                return
        data = text.encode("utf-8") if isinstance(text, str) else text
        if self.memo is None:
            hits = self.guard.hits(path, text, data)
        else:  # the guard's verdict is a function of the path and the bytes (and the phones)
            key = (self.guard.forms, path, isinstance(text, str), hashlib.blake2b(data, digest_size=20).digest())
            hits = self.memo.guard.get(key, lambda: self.guard.hits(path, text, data, self._archived))
        result.files.append((path, hits))
        if self.writer is not None:
            self.writer.write(path, data)
            result.digests[path] = self.writer.digests[path]
            if self.memo is not None:
                self.memo.emitted.add(path, text, self.guard.forms, (data, result.digests[path], hits))

    def _download_part(self, kind: str, item: CategoryList, make: Callable[[], str]) -> str:
        """A category's part of a CSV or JSON download (downloads.Parts), made again only for
        a list with another fingerprint (one person's change re-makes one category's lines)."""
        from .memo import Unfingerprintable

        assert self.memo is not None
        try:
            key = ("download part", kind, self.memo.prints.shared(item))
        except Unfingerprintable:
            return make()
        return self.memo.download_parts.get(key, make)

    def _archived(self, part: bytes, find: Callable[[], list[Hit]]) -> list[Hit]:
        """The guard's hits in one part of an archive (an XLSX's sheet): found again only when
        its bytes changed (a recipient's new title changes the shared strings, not the sheet)."""
        assert self.memo is not None
        key = (self.guard.forms, "part", hashlib.blake2b(part, digest_size=20).digest())
        return self.memo.guard.get(key, find)

    def prepare_search(self) -> None:
        """Make the search index's files now, to be written when its task comes (the helper
        does this as soon as it has the site: the task is the largest, and the first process
        hands it out only once it has checked the site and planned its own work)."""
        self._prepared = self._search_files()

    def _search_files(self) -> dict[str, bytes]:
        """The files of the search index, from records made once for all its parts; with a
        memo, made from the last rebuild's by comparing the records themselves."""
        searched = searched_site(self.site, self.today)
        if self.memo is None:
            return encode_index(site_records(searched))
        records = self.memo.search.records(searched)
        return {path: data for part in SEARCH_PARTS for path, data in self.memo.search.files(records, part).items()}

    def _made(self, memo: Memo | None, inputs: tuple, make: Callable[..., Any], *args: Any) -> Any:
        """`make(*args)`, or with a memo what it gave before for `inputs` (all that it reads,
        besides the templates, static files and base URL) with the same fingerprint; an input
        None says that part could not be fingerprinted."""
        if self.memo is None or memo is None or None in inputs:
            return make(*args)
        from .memo import Unfingerprintable

        try:
            key = self.memo.prints.of((self.memo.sources, self.base_url, *inputs))
        except Unfingerprintable:
            return make(*args)
        return memo.get(key, lambda: make(*args))

    def _list_prints(self, lists: dict[tuple[str, str], list]) -> dict | None:
        """The lists' fingerprints (`shared`: the list pages are given the same lists), with
        a memo; else (or when one cannot be made: then the memo is not used) None."""
        if self.memo is None:
            return None
        from .memo import Unfingerprintable

        try:
            return {key: self.memo.prints.shared(value) for key, value in lists.items()}
        except Unfingerprintable:
            return None

    def _render(self, page: Page) -> str:
        """A page's HTML: a function of the templates and static files, the base URL, the
        site's public globals and the page itself (its context complete at this point: the
        downloads are made). A value several pages are given is fingerprinted once; which
        of a page's values are one object is part of its key too."""
        if self.memo is None:
            return self.renderer.render(page)
        from .memo import Unfingerprintable

        prints = self.memo.prints
        values = list(page.context.values())
        try:
            shared = tuple(prints.shared(value) for value in values)
        except Unfingerprintable:
            return self.renderer.render(page)
        same = tuple(next(i for i, other in enumerate(values) if other is value) for value in values)
        return self._made(self.memo.pages, ("page", self.site.public, page.template, page.title, page.path,
                                            tuple(page.context), shared, same), self.renderer.render, page)

    def run(self, task: Task, between: Callable[[], None] | None = None) -> TaskResult:
        """Make a task's files; `between` is called after each page of a task of pages (the
        first process hands the helper its next task then: publish)."""
        result = TaskResult()
        kind = task[0]
        if kind == "pages":
            for index in task[1]:
                page = self.pages[index]
                try:
                    html = self._render(page)
                except TemplateProblem as problem:
                    result.problem = (index, problem.finding)
                    break
                self._emit(result, page.file, html)
                if between is not None:
                    between()
        elif kind == "search":
            files, self._prepared = self._prepared or self._search_files(), None
            for path, data in sorted(files.items()):
                self._emit(result, path, data)
        elif kind == "machine":
            for path, data in machine_files(self.site, self.pages, self.renderer.base_path, self.base_url):
                self._emit(result, path, data)
        else:  # pragma: no cover - a task this version does not know
            raise ValueError(f"unknown task {task!r}")
        return result

    def make_downloads(self) -> tuple[TaskResult, dict[str, dict[str, list]]]:
        """The downloads of every published announcement, and the links its list pages show
        (by slug, then summary key)."""
        result = TaskResult()
        links: dict[str, dict[str, list]] = {}
        announcements = {announcement.slug: announcement for announcement in self.site.announcements}
        memo = self.memo.files if self.memo is not None else None
        lists, shown = planned_lists(self.pages), planned_downloads(self.pages)
        for slug, summary in planned_summaries(self.pages).items():
            mine = {key: value for key, value in lists.items() if key[0] == slug}
            made = self._made(memo, ("downloads", site_map.download_inputs(announcements[slug], summary),
                                     self._list_prints(mine)),
                              site_map.download_files, announcements[slug], summary, mine,
                              self._download_part if self.memo is not None else None)
            links[slug] = {key: [download.link for download in files] for key, files in made.items()}
            for key, files in made.items():
                if key in shown[slug]:
                    shown[slug][key][:] = links[slug][key]
                for download in files:
                    self._emit(result, download.path, download.data)
        return result, links


def machine_files(site: Site, pages: list[Page], base_path: str, base_url: str) -> list[tuple[str, bytes]]:
    """sitemap.xml (with a full base URL), robots.txt and feed.xml; SHA256SUMS comes last,
    over everything written."""
    base = absolute_base(base_url)
    files = []
    if base:
        files.append(("sitemap.xml", sitemap(pages, base)))
    hidden = [base_path + p.path for p in pages if p.context.get("noindex")]
    files.append(("robots.txt", robots(site, base, hidden)))
    files.append(("feed.xml", atom(site, pages, base_path, base)))
    return files


def page_rows(page: Page) -> int:
    """How many list rows a page shows (its share of the work)."""
    context = page.context
    if "part" in context:
        return context["part"].rows
    if "unit" in context:
        return sum(group.count for group in context["recipients"].values())
    if page.template in ("gongshi.html", "decision.html") and not context.get("split"):
        return sum(item.count for item in context["lists"])
    return 0


def tasks(pages: list[Page], records: int) -> list[tuple[int, Task]]:
    """The work after the downloads as (cost, task), the largest first: the search index, the
    machine files, and the pages in groups of about TASK_ROWS rows, each group in plan order."""
    out: list[tuple[int, Task]] = [(SEARCH_ROWS * records, ("search",))]
    out.append((PAGE_ROWS, ("machine",)))
    group: list[int] = []
    cost = 0
    for index, page in enumerate(pages):
        rows = PAGE_ROWS + page_rows(page)
        if group and cost + rows > TASK_ROWS:
            out.append((cost, ("pages", tuple(group))))
            group, cost = [], 0
        group.append(index)
        cost += rows
    if group:
        out.append((cost, ("pages", tuple(group))))
    out.sort(key=lambda item: -item[0])  # stable: equal costs keep plan order
    return out


def needs_links(publisher: Publisher, task: Task) -> bool:
    """Whether a task's pages can show the download links (the 公示 page lists each file's
    size; any page given an announcement's summary could)."""
    keys = ("downloads", "summary", "featured", "summaries")
    return task[0] == "pages" and any(key in publisher.pages[i].context for i in task[1] for key in keys)


class Published(Struct):
    """What `publish()` made: every file's SHA-256 (when written) and how many files."""

    digests: dict[str, str]
    files: int
    ok: bool


def publish(publisher: Publisher, findings: Findings, helper: Any = None) -> Published:
    """Make every published file (see the module docstring); template problems and personal
    numbers go to `findings`. `helper` (parallel.Helper) takes tasks while it can."""
    results: dict[Task, TaskResult] = {}
    queue = tasks(publisher.pages, sum(len(a.units) + len(a.recipients) for a in publisher.site.announcements))
    links_known = False

    def give_helper() -> None:
        while helper is not None and helper.has_room():
            # The task it runs next is the largest; one it holds waiting, the smallest.
            order = reversed(range(len(queue))) if helper.busy() else range(len(queue))
            for position in order:
                task = queue[position][1]
                if links_known or not needs_links(publisher, task):
                    helper.submit(task)
                    del queue[position]
                    break
            else:
                return

    def take_back() -> None:
        if helper is None:
            return
        for task, result in helper.collect():
            if result is None:  # the helper could not: do it here
                queue.insert(0, (0, task))
            else:
                results[task] = result

    if helper is not None and helper.patient:
        helper.wait_ready()
    give_helper()
    downloads, links = publisher.make_downloads()
    links_known = True
    if helper is not None:
        helper.send_links(links)
    while True:
        take_back()
        give_helper()
        if queue:
            # The largest task first, as the helper takes them: what is left at the end is
            # small, and both end together. The helper is handed its next task between this
            # process's pages, so it never waits longer than a page; the search index (the
            # largest, which the helper makes as soon as it has the site) is left to it until
            # nothing else is. (When this process took the smallest, the large list pages were
            # left to the end: at 10,000 names it waited 50 ms for the helper's last one.)
            position = 0
            if len(queue) > 1 and queue[0][1] == ("search",) and helper is not None and helper.alive():
                position = 1
            _, task = queue.pop(position)
            results[task] = publisher.run(task, give_helper if helper is not None else None)
        elif helper is not None and helper.busy():
            helper.wait()
        else:
            take_back()
            if not queue:
                break
    return _put_together(publisher, findings, downloads, results)


def _put_together(publisher: Publisher, findings: Findings, downloads: TaskResult,
                  results: dict[Task, TaskResult]) -> Published:
    problems = [result.problem for result in results.values() if result.problem is not None]
    if problems:
        findings.add(min(problems, key=lambda problem: problem[0])[1])
        return Published({}, 0, False)
    hits: dict[str, list[Hit]] = {}
    digests: dict[str, str] = {}
    for result in [downloads, *results.values()]:
        hits.update(result.files)
        digests.update(result.digests)
    page_files = [page.file for page in publisher.pages]
    machine = [path for path, _ in results[("machine",)].files]
    others = sorted(set(hits) - set(page_files) - set(machine))
    for path in page_files + others + machine:
        publisher.guard.record(path, hits[path])
    publisher.guard.report(findings)
    return Published(digests, len(hits), not findings.errors)
