"""The build on two cores (gongshi/site/parallel.py) makes exactly what the build on one makes.

GONGSHI_WORKERS=2 forces the second process even for the bundled project and makes the first
wait for it, so that it really takes tasks; =1 forces one process. Whatever happens to the
helper - it dies, or cannot take the site - the output is the same, byte for byte: on every
stage of both bundled announcements, and in a preview's rebuild after an edit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXED_DAY, add_2018_decision, run_cli, run_cli_process
from support.trees import tree_bytes

from gongshi.serve import RebuildSession
from gongshi.site import channel, parallel

ONE, TWO = {"GONGSHI_WORKERS": "1"}, {"GONGSHI_WORKERS": "2"}


@pytest.fixture
def counted(monkeypatch):
    """How many tasks the helper was given, and a hook run after each one is given."""
    given = {"tasks": 0, "hook": None}
    real = parallel.Helper.submit

    def submit(self, task):
        given["tasks"] += 1
        real(self, task)
        if given["hook"]:
            given["hook"](self)

    monkeypatch.setattr(parallel.Helper, "submit", submit)
    return given


def build(project, env, name, day=FIXED_DAY):
    result = run_cli("build", "--today", day, "--output", str(project.parent / name),
                     project=project, env=env)
    assert result.code == 0, result.output
    return tree_bytes(project.parent / name), result.stdout


@pytest.mark.parametrize("large", [False, True], ids=["bundled", "as-if-large"])
def test_two_processes_build_the_same_site_as_one(project, counted, monkeypatch, large):
    if large:  # the helper also parses some list files and readies numpy (LARGE_LIST_BYTES)
        monkeypatch.setattr(parallel, "LARGE_LIST_BYTES", 0)
    alone, said_alone = build(project, ONE, "one")
    assert counted["tasks"] == 0
    together, said_together = build(project, TWO, "two")
    assert counted["tasks"] > 0
    assert together == alone
    assert said_together.replace("two/", "one/").split("用时")[0] == said_alone.split("用时")[0]


# One day in each stage (with the 2018 决定 added as staff add it): the 2018 notice alone; the
# 2019 公示 beside the 2018 决定; both 决定 (their lists, changes and downloads).
STAGE_DAYS = {"2018-10-20": ("2018-mofan/notice/index.html",),
              "2019-05-08": ("2018-mofan/decision/index.html", "2019-shili/gongshi/index.html"),
              "2019-05-20": ("2018-mofan/downloads/decision.json", "2019-shili/downloads/decision.xlsx")}


@pytest.mark.parametrize("day", STAGE_DAYS)
def test_every_stage_of_both_announcements_is_the_same_on_two_processes(project, counted, day):
    add_2018_decision(project)
    alone, said_alone = build(project, ONE, "one", day)
    together, said_together = build(project, TWO, "two", day)
    assert counted["tasks"] > 0
    assert set(STAGE_DAYS[day]) <= set(alone)
    assert together == alone
    assert said_together.replace("two/", "one/").split("用时")[0] == said_alone.split("用时")[0]


def test_a_preview_rebuild_after_an_edit_is_a_clean_build(project, monkeypatch):
    """What a preview keeps between rebuilds (RebuildSession, the process's own state) never
    shows in the output: a rebuild after an edit gives the bytes a new process builds."""
    monkeypatch.setenv("GONGSHI_WORKERS", "1")
    session = RebuildSession(project, project.parent / "preview")
    session.options.today = dt.date.fromisoformat(FIXED_DAY)
    assert session.rebuild().written
    recipients = project / "data/2018-mofan/recipients/worker.yaml"
    text = recipients.read_text(encoding="utf-8")
    edited = text.replace("title: ", "title: 示例", 1)
    assert edited != text
    recipients.write_text(edited, encoding="utf-8")
    assert session.rebuild().written
    clean = run_cli_process("build", "--today", FIXED_DAY, "--output", str(project.parent / "clean"),
                            project=project, env=ONE)
    assert clean.code == 0, clean.stdout + clean.stderr
    assert tree_bytes(project.parent / "preview") == tree_bytes(project.parent / "clean")
    assert "示例" + text.split("title: ", 1)[1].split("\n", 1)[0] in (
        project.parent / "preview/2018-mofan/gongshi/index.html").read_text(encoding="utf-8")


def test_a_helper_that_dies_changes_nothing(project, counted):
    alone, _ = build(project, ONE, "one")
    counted["hook"] = lambda helper: helper._process.kill()
    together, _ = build(project, TWO, "two")
    assert counted["tasks"] > 0
    assert together == alone


def refuse_to_pickle(site):
    raise TypeError("cannot pickle this")


@pytest.mark.parametrize("send", [refuse_to_pickle, lambda site: b"not a pickle"],
                         ids=["not picklable", "not readable"])
def test_a_helper_that_cannot_take_the_site_is_not_used(project, counted, monkeypatch, send):
    alone, _ = build(project, ONE, "one")
    monkeypatch.setattr(parallel, "pickled", send)
    together, _ = build(project, TWO, "two")
    assert counted["tasks"] == 0
    assert together == alone


def test_the_helper_publishes_the_site_it_is_sent_not_what_it_would_read(project, counted, monkeypatch):
    """A file saved while the first process checks does not reach the helper: it never reads
    the project, so both halves of the output come from one reading of it."""
    alone, _ = build(project, ONE, "one")
    real = parallel.pickled
    worker = project / "data/2018-mofan/recipients/worker.yaml"

    def send_then_save(site):
        payload = real(site)
        worker.write_text(worker.read_text(encoding="utf-8").replace("title: ", "title: 改后", 1),
                          encoding="utf-8")
        return payload

    monkeypatch.setattr(parallel, "pickled", send_then_save)
    together, _ = build(project, TWO, "two")
    assert counted["tasks"] > 0
    assert together == alone


def check_both_ways(project):
    one, two = (run_cli("check", "--today", FIXED_DAY, project=project, env=env) for env in (ONE, TWO))
    assert one.code == two.code == 1
    assert one.stdout == two.stdout
    return one.stdout


def test_a_template_problem_is_reported_as_one_process_reports_it(project):
    unit = project / "templates/unit.html"
    unit.write_text(unit.read_text(encoding="utf-8").replace("{{ unit.kind }}", "{{ unit.kind.no_such }}"),
                    encoding="utf-8")
    assert "templates/unit.html" in check_both_ways(project)


def test_personal_numbers_are_reported_as_one_process_reports_them(project):
    unit = project / "templates/unit.html"
    unit.write_text(unit.read_text(encoding="utf-8").replace("<h1>", "<p>13812345678</p><h1>"),
                    encoding="utf-8")
    search = project / "templates/search.html"
    search.write_text(search.read_text(encoding="utf-8").replace("{% block main %}",
                                                                 "{% block main %}<p>13912345678</p>"),
                      encoding="utf-8")
    said = check_both_ways(project)
    assert "X002" in said and "138****5678" in said and "139****5678" in said


def test_the_search_index_is_one_task_so_its_records_are_made_once(project):
    """Both parts of the search index start from the same records (site_records, a fifth of
    their work): one task makes them all, in whichever process takes it."""
    from gongshi.site.publish import tasks

    searches = [task for _, task in tasks([], 1_000) if task[0] == "search"]
    assert searches == [("search",)]


def test_the_first_process_takes_the_largest_tasks_and_hands_out_work_between_its_pages(project, tmp_path):
    """While the helper makes the search index (left to it), the first process takes the
    largest tasks first, so that what is left at the end is small (when it took the smallest,
    the large list pages came last and one process waited for the other's); and it hands the
    helper its next task between its own pages, so the helper never waits a whole task."""
    from gongshi.findings import Findings
    from gongshi.load.loader import load_site
    from gongshi.load.ordering import order_site
    from gongshi.site import publish

    site = order_site(load_site(project).site, project, Findings())
    (tmp_path / "out").mkdir()
    publisher = publish.Publisher(project, site, dt.date.fromisoformat(FIXED_DAY), "/", tmp_path / "out")
    cost = {task: rows for rows, task in publish.tasks(publisher.pages, 1)}
    ran: list[tuple] = []
    inside: list[tuple] = []  # the task this process was running when it handed one out

    running: list[tuple] = []
    real_run = publisher.run

    class Helper:
        """Holds two tasks, and finishes one whenever it is looked at: the search index only
        once this process is on its second task."""
        patient = False

        def __init__(self):
            self.held: list[tuple] = []
            self.done: list[tuple] = []

        def _progress(self):
            if self.held and (self.held[0] != ("search",) or len(ran) >= 2):
                task = self.held.pop(0)
                self.done.append((task, real_run(task)))

        def has_room(self):
            self._progress()
            return len(self.held) < 2

        def busy(self):
            return bool(self.held)

        def alive(self):
            return True

        def submit(self, task):
            self.held.append(task)
            inside.append(running[-1] if running else None)

        def send_links(self, links):
            pass

        def collect(self):
            self._progress()
            done, self.done = self.done, []
            return done

        def wait(self):
            self._progress()

    def run(task, between=None):
        ran.append(task)
        running.append(task)
        try:
            return real_run(task, between)
        finally:
            running.pop()

    publisher.run = run
    helper = Helper()
    published = publish.publish(publisher, Findings(), helper)
    assert published.ok
    assert ("search",) not in ran and len(ran) >= 2
    assert [cost[task] for task in ran] == sorted((cost[task] for task in ran), reverse=True)
    assert ran[0] == max((task for task in cost if task != ("search",)), key=cost.get)
    assert inside[:2] == [None, None]  # the search index and a small task, before this process starts
    assert inside[2:] == [ran[1]]  # the next, while this process renders its second task's pages


def test_the_site_is_swapped_in_while_the_helper_exits(project, counted, monkeypatch):
    """Once the helper has written all it was given, it is told to stop and the first process
    swaps the site in without waiting for it to exit; it waits only at the very end."""
    from gongshi.site.output import StagedOutput

    alone, _ = build(project, ONE, "one")
    events: list = []
    real_commit, real_close = StagedOutput.commit, parallel.Helper.close

    def commit(self):
        events.append("swap")
        real_commit(self)

    def close(self):
        events.append(("wait for the helper", self._state))
        real_close(self)

    monkeypatch.setattr(StagedOutput, "commit", commit)
    monkeypatch.setattr(parallel.Helper, "close", close)
    together, _ = build(project, TWO, "two")
    assert counted["tasks"] > 0
    assert events == ["swap", ("wait for the helper", "stopping")]
    assert together == alone


def _build_in_a_fresh_interpreter(project, patch: str) -> str:
    """What `gongshi build` on two processes prints in a new Python, after `patch` (lines of
    Python run first, which may print); the build must succeed."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    script = (f"import sys\nfrom gongshi.site import parallel\n{patch}from gongshi import cli\n"
              f"sys.exit(cli.main(['--project', {str(project)!r}, 'build', '--today', {FIXED_DAY!r}]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **TWO}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (project / "output/2018-mofan/gongshi/index.html").is_file()
    return done.stdout


def test_the_command_line_starts_the_helper_before_it_imports_the_build(project):
    """The second process starts as soon as the command line knows the project, and imports
    what it needs while the first process imports the same, not after: even the findings,
    msgspec under them, and PyYAML (data/site.yaml is read once the helper is starting) come
    after it (the command line's own start: 20 ms sooner)."""
    said = _build_in_a_fresh_interpreter(project, (
        "real = parallel.start\n"
        "def start(root):\n"
        "    late = ('gongshi.pipeline', 'gongshi.findings', 'msgspec', 'yaml')\n"
        "    print('build modules imported:', [m for m in late if m in sys.modules], flush=True)\n"
        "    return real(root)\n"
        "parallel.start = start\n"))
    assert said.startswith("build modules imported: []\n")


def test_the_site_is_sent_before_the_checks_and_the_publishing_are_imported(project):
    """The first process reads and orders the project, sends the site, and only then imports
    what checks and publishes (pipeline): the helper can start sooner."""
    said = _build_in_a_fresh_interpreter(project, (
        "real = parallel.Helper.send_site\n"
        "def send_site(self, *args):\n"
        "    late = ('gongshi.check.checks', 'gongshi.site.publish', 'gongshi.site.render', 'jinja2')\n"
        "    print('imported when the site is sent:', [m for m in late if m in sys.modules], flush=True)\n"
        "    return real(self, *args)\n"
        "parallel.Helper.send_site = send_site\n"))
    assert said.startswith("imported when the site is sent: []\n")


def test_a_build_refused_before_it_starts_stops_its_helper(project, tmp_path, monkeypatch):
    started = []
    real = parallel.start

    def start(root):
        started.append(real(root))
        return started[-1]

    monkeypatch.setattr(parallel, "start", start)
    elsewhere = tmp_path / "someone-elses"
    elsewhere.mkdir()
    (elsewhere / "letter.docx").write_bytes(b"not ours")
    result = run_cli("build", "--today", FIXED_DAY, "--output", str(elsewhere), project=project, env=TWO)
    assert result.code == 1
    assert started and started[0] is not None
    assert started[0]._process.poll() is not None
    assert (elsewhere / "letter.docx").read_bytes() == b"not ours"


def test_the_search_index_made_ahead_is_written_when_its_task_comes(project, tmp_path, monkeypatch):
    """The helper makes the search index's files as soon as it has the site (prepare_search);
    its task then writes exactly those, without making them again."""
    from gongshi.findings import Findings
    from gongshi.load.loader import load_site
    from gongshi.load.ordering import order_site
    from gongshi.site import publish

    site = order_site(load_site(project).site, project, Findings())
    day = dt.date.fromisoformat(FIXED_DAY)
    (tmp_path / "fresh").mkdir()
    (tmp_path / "ahead").mkdir()
    publish.Publisher(project, site, day, "/", tmp_path / "fresh").run(("search",))
    ahead = publish.Publisher(project, site, day, "/", tmp_path / "ahead")
    ahead.prepare_search()

    def again(*args):
        raise AssertionError("the search records were made again")

    monkeypatch.setattr(publish, "site_records", again)
    result = ahead.run(("search",))
    assert tree_bytes(tmp_path / "ahead") == tree_bytes(tmp_path / "fresh")
    assert [path for path, _ in result.files] == sorted(tree_bytes(tmp_path / "fresh"))


def test_the_helper_is_never_sent_the_internal_facts(project):
    """The checks' inputs (非公有制、入会率、此前荣誉 …, the rules' thresholds) and where each
    record is in its file stay in the first process: publishing never reads them."""
    import pickle

    from gongshi.load.loader import load_site
    from gongshi.load.model import InternalFacts

    site = load_site(project).site
    with_facts = [r for a in site.announcements for r in a.recipients if r.facts != InternalFacts()]
    assert with_facts
    payload = parallel.pickled(site)
    assert len(payload) < len(pickle.dumps(site, pickle.HIGHEST_PROTOCOL))
    sent = pickle.loads(payload)
    recipients = [r for a in sent.announcements for r in a.recipients]
    assert all(r.facts == InternalFacts() and r.location.file == "" for r in recipients)
    assert any(a.rules is not None for a in site.announcements)
    assert all(a.rules is None for a in sent.announcements)
    # the same site otherwise (the two-process builds above compare every byte they make)
    assert [r.public for r in recipients] == [r.public for a in site.announcements for r in a.recipients]
    # A 决定's list as well, and every record's category and unit the very objects its
    # announcement lists (a list goes as columns, its categories and units once each).
    decided = [(a, b) for a, b in zip(site.announcements, sent.announcements) if a.decision is not None]
    assert decided and all(a.decision.recipients for a, _ in decided)
    for mine, theirs in decided:
        assert [r.public for r in theirs.decision.recipients] == [r.public for r in mine.decision.recipients]
        assert all(r.facts == InternalFacts() and r.location.file == "" for r in theirs.decision.recipients)
    for announcement in sent.announcements:
        listed = (announcement.recipients + (announcement.decision.recipients if announcement.decision else ()))
        assert all(any(r.category is c for c in announcement.categories) for r in listed)
        assert all(any(r.unit is u for u in announcement.units) for r in listed)
    assert b"_recipients_from" in payload
    from gongshi.load.model import Recipient  # _recipients_from makes each record from its fields in order

    assert Recipient.__struct_fields__ == ("category", "unit", *parallel._COLUMNS, "location", "facts")


# What the helper never imports, and what that of a project that is not large does not either.
HELPER_NEVER = ("pydantic", "pydantic_core", "filelock", "gongshi.files.schema")
SMALL_HELPER_NEVER = ("yaml", "gongshi.files.yamlfile", "numpy", "concurrent.futures")


@pytest.mark.parametrize("large", [True, False])
def test_the_helper_publishes_without_importing_pydantic(project, tmp_path, large):
    """pydantic (the data files' shape) costs the helper ~0.09 s before it can take the site:
    in a fresh interpreter, what the helper imports, the site as it is sent, the plan of
    pages, the search index and a page task leave it unimported, and filelock (it takes no
    lock: 8 ms of its start). The helper of a project that is not large parses no list file and
    readies no numpy (parallel.LARGE_LIST_BYTES): its start then also leaves PyYAML and the data
    files' reader (20 ms), numpy and the threads that remove an old site unimported."""
    import subprocess
    import sys

    from conftest import REPO

    from gongshi.pipeline import BuildOptions, check_project

    result = check_project(project, BuildOptions(today=dt.date.fromisoformat(FIXED_DAY)))
    (tmp_path / "site.pickle").write_bytes(parallel.pickled(result.site))
    ahead = "from gongshi.files.yamlfile import parse_bytes\nprepare_postings()" if large else ""
    never = HELPER_NEVER + (() if large else SMALL_HELPER_NEVER)
    script = f"""
import datetime as dt, pickle, sys
from pathlib import Path
import gongshi.site.parallel
from gongshi.site.publish import Publisher
from gongshi.site.search import recipients_forms
from gongshi.site.search_index import prepare_postings
{ahead}
site = pickle.loads(Path({str(tmp_path / "site.pickle")!r}).read_bytes())
publisher = Publisher(Path({str(project)!r}), site, dt.date.fromisoformat({FIXED_DAY!r}), site.base_url)
recipients_forms(site)
publisher.run(("search",))
publisher.run(("pages", (0, 1, 2)))
print(sorted(m for m in sys.modules if m in {never!r} or m.split(".")[0] in {never!r}))
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"


def _load_counting_parses(project, helper, monkeypatch) -> tuple[object, list[str]]:
    """load_site with the helper's parsed files, and the names of the files parsed here."""
    from gongshi.files import yamlfile
    from gongshi.load.loader import load_site

    here: list[str] = []
    real = yamlfile.parse_bytes

    def counted(raw, shown_as):
        here.append(shown_as)
        return real(raw, shown_as)

    monkeypatch.setattr(yamlfile, "parse_bytes", counted)
    with yamlfile.parsed_elsewhere(helper.parsed):
        site = load_site(project).site
    monkeypatch.setattr(yamlfile, "parse_bytes", real)
    return site, here


def test_the_helper_parses_the_last_list_files_while_the_first_process_starts(project, monkeypatch):
    from gongshi.load.loader import load_site

    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    monkeypatch.setattr(parallel, "LARGE_LIST_BYTES", 0)  # as if large: it parses some lists
    helper = parallel.start(project)
    try:
        site, here = _load_counting_parses(project, helper, monkeypatch)
    finally:
        helper.close()
    sent = set(helper._ahead)
    lists = {name for name in here if "/recipients/" in name}
    assert sent and lists and not sent & lists  # each list file parsed in one process only
    assert site == load_site(project).site


def _lists(*kilobytes):
    return [(Path(f"{i}.yaml"), size * 1000) for i, size in enumerate(kilobytes)]


def test_the_helper_parses_the_last_list_files_up_to_its_share_never_the_first():
    def chosen(*kilobytes):
        return [path.name for path in parallel.helper_lists(_lists(*kilobytes))]

    # The 10,000-name benchmark's five lists (KB): the last three and friend.yaml, 67 % of
    # the bytes; at 100,000 names the last three, 58 % (the next would make 75 %).
    assert chosen(332, 221, 70, 164, 219) == ["1.yaml", "2.yaml", "3.yaml", "4.yaml"]
    assert chosen(3973, 2653, 2224, 3682, 3428) == ["2.yaml", "3.yaml", "4.yaml"]
    assert chosen(400, 600) == ["1.yaml"] and chosen(100, 900) == []  # 90 % > 70 %: parsed here
    assert chosen(100, 5000, 200) == ["2.yaml"]  # stops at the first file that does not fit
    assert chosen(1000) == [] and chosen() == []  # the first always stays


def test_a_project_below_the_large_size_has_a_helper_that_parses_no_list_file(monkeypatch):
    """Lists from MIN_LIST_BYTES (about 300 names) get a helper; only from LARGE_LIST_BYTES
    (about 2,000) does it parse some of them: a smaller project is read before the helper
    could answer (the bundled one, 83 KB, and the benchmark's 500 names, 50 KB)."""
    monkeypatch.delenv("GONGSHI_WORKERS", raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert not parallel.wanted(_lists(20, 9.999)) and parallel.wanted(_lists(20, 10))
    assert parallel.helper_lists(_lists(40, 60)) == [] and not parallel.large(_lists(100, 49.999))
    assert parallel.large(_lists(100, 50)) and parallel.helper_lists(_lists(40, 60, 50)) == [Path("2.yaml")]
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    assert not parallel.wanted(_lists(3973, 2653))  # one core: one process


def test_the_helper_of_a_project_that_is_not_large_readies_no_numpy(project, monkeypatch):
    """Its postings are made without numpy (search_index.ARRAY_MIN_RECORDS), so the helper does
    not import it (35-40 ms of its start) while the site is on its way; a large project's does."""
    import pickle

    from gongshi.site import search_index

    def broken():
        raise RuntimeError("numpy imported")

    monkeypatch.setattr(search_index, "prepare_postings", broken)
    for large, said in ((False, False), (True, True)):
        with helper_on_a_thread(".") as ours:
            ours.send_bytes(pickle.dumps((large, [])))
            assert ours.poll(10 if said else 1) is said  # "failed", or nothing: it waits for the site
            if said:
                assert ours.recv() == ("failed",)
    # The bundled project is not large: its helper is sent no list file, and none is written.
    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    assert not parallel.large(parallel.list_files(project))
    helper = parallel.start(project)
    try:
        assert helper is not None and helper._ahead == {}
    finally:
        helper.close()


def test_a_list_file_saved_after_the_helper_read_it_is_parsed_again(project, monkeypatch):
    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    monkeypatch.setattr(parallel, "LARGE_LIST_BYTES", 0)  # as if large: it parses some lists
    helper = parallel.start(project)
    try:
        name = sorted(helper._ahead)[-1]
        path = project / name
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改后", 1), encoding="utf-8")
        site, here = _load_counting_parses(project, helper, monkeypatch)
    finally:
        helper.close()
    assert name in here
    assert any(r.title and r.title.startswith("改后") for a in site.announcements for r in a.recipients)


def test_a_broken_list_file_the_helper_was_given_is_reported_as_one_process_reports_it(project, monkeypatch):
    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    monkeypatch.setattr(parallel, "LARGE_LIST_BYTES", 0)  # as if large: it parses some lists
    helper = parallel.start(project)
    assert helper is not None
    name = sorted(helper._ahead)[-1]
    helper.close()
    path = project / name
    path.write_text(path.read_text(encoding="utf-8").replace("recipients:", "recipients:\n\t- 坏的缩进", 1),
                    encoding="utf-8")
    said = check_both_ways(project)
    assert name in said and "Y001" in said


class _Ended(BaseException):
    """What the helper's end_process raises here instead of ending the test's process."""


def test_a_stopped_helper_ends_without_tearing_everything_down(project, monkeypatch):
    """Told to stop, the helper ends at once as the first process does (process.end_process),
    not by Python freeing every object it made one by one (0.2 s at 100,000 names)."""
    import gc
    import pickle
    import threading

    from gongshi.load.loader import load_site

    site = load_site(project).site
    ended: list[object] = []

    def end_process(code):
        raise _Ended(code)

    def helper_side(conn):
        try:
            parallel._work(conn, str(project))
        except _Ended as exc:
            ended.append(exc.args[0])

    monkeypatch.setattr(parallel, "end_process", end_process)
    ours, theirs = channel.pair()
    was_enabled = gc.isenabled()
    worker = threading.Thread(target=helper_side, args=(theirs,))
    worker.start()
    try:
        ours.send_bytes(pickle.dumps((True, [])))  # no list files to parse ahead: no answer
        ours.send(("build", dt.date(2018, 11, 7), None))
        ours.send_bytes(parallel.pickled(site))
        assert ours.recv() == ("ready",)
        ours.send(("stop",))
        worker.join(30)
    finally:
        if was_enabled:
            gc.enable()
    assert not worker.is_alive()
    assert ended == [0]


def test_the_helper_answers_each_list_file_as_soon_as_it_is_parsed(project, monkeypatch):
    """The first process waits only for the file its load has reached: the answer for the first
    file sent comes while the helper is still parsing the next (at 100,000 names a single
    answer for all of them kept the first process waiting half a second)."""
    import gc
    import pickle
    import threading

    from gongshi.files import yamlfile

    files = sorted((project / "data/2018-mofan/recipients").glob("*.yaml"))[:2]
    first, second = (f"data/2018-mofan/recipients/{path.name}" for path in files)
    second_may_finish = threading.Event()
    real = yamlfile.parse_bytes

    def parse_bytes(raw, shown_as):
        if shown_as == second:
            assert second_may_finish.wait(10), "the first answer never came"
        return real(raw, shown_as)

    monkeypatch.setattr(yamlfile, "parse_bytes", parse_bytes)
    ours, theirs = channel.pair()
    was_enabled = gc.isenabled()
    worker = threading.Thread(target=parallel._work, args=(theirs, str(project)), daemon=True)
    worker.start()
    try:
        ours.send_bytes(pickle.dumps((True, [(first, files[0].read_bytes()), (second, files[1].read_bytes())])))
        assert ours.poll(30)
        kind, name, payload = ours.recv()
        assert (kind, name) == ("parsed", first) and not second_may_finish.is_set()
        assert pickle.loads(payload) == real(files[0].read_bytes(), first)
        second_may_finish.set()
        kind, name, payload = ours.recv()
        assert (kind, name) == ("parsed", second)
        assert pickle.loads(payload) == real(files[1].read_bytes(), second)
    finally:
        ours.close()
        worker.join(30)
        if was_enabled:
            gc.enable()


def test_with_no_list_file_to_parse_nothing_is_written_to_the_pipe_before_the_empty_batch(project, monkeypatch):
    """Nothing for the helper to parse (a single list file, or a last one over its share): the
    empty batch is still written by a thread, and the site waits until it is done (two writers
    at once on one pipe can interleave their bytes)."""
    import time

    from gongshi.load.loader import load_site

    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    monkeypatch.setattr(parallel, "helper_lists", lambda lists: [])
    real_payload, real_send = parallel.Helper._send_payload, parallel.Helper._send
    writing_meanwhile: list[bool] = []

    def slow_payload(self, payload):
        time.sleep(0.3)
        real_payload(self, payload)

    def send(self, message):
        writing_meanwhile.append(self._sender is not None and self._sender.is_alive())
        real_send(self, message)

    monkeypatch.setattr(parallel.Helper, "_send_payload", slow_payload)
    monkeypatch.setattr(parallel.Helper, "_send", send)
    helper = parallel.start(project)
    assert helper is not None
    try:
        helper.send_site(load_site(project).site, dt.date(2018, 11, 7), None)
    finally:
        helper.close()
    assert writing_meanwhile and not any(writing_meanwhile)


@contextlib.contextmanager
def helper_on_a_thread(root):
    """The helper's side (parallel._work) on a thread of this process, over a real pipe: yields
    the first process's end; afterwards the pipe is closed, the thread joined, and the cycle
    collector (which _work pauses) back as it was."""
    import gc
    import threading

    ours, theirs = channel.pair()
    was_enabled = gc.isenabled()
    worker = threading.Thread(target=parallel._work, args=(theirs, str(root)), daemon=True)
    worker.start()
    try:
        yield ours
    finally:
        ours.close()
        worker.join(30)
        if was_enabled:
            gc.enable()


def _big_list(count: int) -> bytes:
    """A list file whose parsed value is far larger than a pipe's buffer."""
    rows = "".join(f"  - name: 张{i:05d}\n    unit: 某单位\n    title: 某单位某职务\n" for i in range(count))
    return ("category: worker\nrecipients:\n" + rows).encode("utf-8")


def test_a_helper_that_fails_after_parsing_says_so_after_its_whole_answers(monkeypatch):
    """Its answers may still be being written when the helper fails (importing what publishes,
    here): "failed" comes after them, never inside one, so the first process reads it and
    builds alone."""
    import pickle
    import time

    from gongshi.site import search_index

    def broken():
        raise RuntimeError("numpy is broken here")

    monkeypatch.setattr(search_index, "prepare_postings", broken)
    raw = _big_list(3000)
    with helper_on_a_thread(".") as ours:
        ours.send_bytes(pickle.dumps((True, [("a.yaml", raw), ("b.yaml", raw)])))
        time.sleep(0.5)  # both parsed, the import failed; the first answer is not read yet
        said = [ours.recv() for _ in range(3)]
    assert [message[:2] for message in said] == [("parsed", "a.yaml"), ("parsed", "b.yaml"), ("failed",)]
    assert len(pickle.loads(said[0][2])["recipients"]) == 3000


def test_a_helper_whose_answers_cannot_be_sent_ends_rather_than_waits(capfd):
    """If the thread that sends the answers fails (here: out of memory), the helper ends at once,
    without a traceback, and the first process, seeing the pipe close, builds alone; it must not
    wait for a site that the first process waits on answers to send."""
    import gc
    import pickle
    import threading

    class Failing:
        def __init__(self, conn):
            self._conn = conn

        def send(self, message):
            if message[0] == "parsed":
                raise MemoryError("no room for the answer")
            self._conn.send(message)

        def __getattr__(self, name):
            return getattr(self._conn, name)

    ours, theirs = channel.pair()
    was_enabled = gc.isenabled()
    worker = threading.Thread(target=parallel._work, args=(Failing(theirs), "."), daemon=True)
    worker.start()
    try:
        ours.send_bytes(pickle.dumps((True, [("a.yaml", _big_list(10))])))
        worker.join(30)
        assert not worker.is_alive()
        with pytest.raises(EOFError):
            ours.recv()
    finally:
        ours.close()
        if was_enabled:
            gc.enable()
    assert "Traceback" not in capfd.readouterr().err


def test_a_message_that_cannot_be_read_loses_the_helper_not_the_build(project, monkeypatch):
    """Whatever reading the helper's answer raises (here: bytes that are no message), the first
    process parses the files itself: the same site, no error."""
    import pickle

    from gongshi.files import yamlfile
    from gongshi.load.loader import load_site

    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    monkeypatch.setattr(parallel, "LARGE_LIST_BYTES", 0)  # as if large: it parses some lists
    helper = parallel.start(project)
    assert helper is not None and helper._ahead

    class Garbled:
        def __init__(self, conn):
            self._conn = conn

        def recv(self):
            raise pickle.UnpicklingError("invalid load key")

        def __getattr__(self, name):
            return getattr(self._conn, name)

    helper._conn = Garbled(helper._conn)
    try:
        with yamlfile.parsed_elsewhere(helper.parsed):
            site = load_site(project).site
        assert not helper.alive()
    finally:
        helper.close()
    assert site == load_site(project).site


def test_while_it_waits_for_the_site_the_helper_reads_the_names_it_parsed_in_pinyin(project):
    """The search index's first need is every name's pinyin: the helper makes those of the names
    it parsed while it waits (at 100,000 names ~0.4 s of its ~0.6 s wait), a batch at a time,
    and stops as soon as the site is there."""
    from gongshi.files.yamlfile import parse_bytes
    from gongshi.load.loader import load_site
    from gongshi.site.search import pinyin_forms

    path = sorted((project / "data/2018-mofan/recipients").glob("*.yaml"))[-1]
    names = parallel._names_in(parse_bytes(path.read_bytes(), path.name))
    site = load_site(project).site
    listed = {(r.public.name, r.category.is_person) for r in site.announcements[0].recipients}
    assert names and set(names) <= listed  # as the index will ask: the loader's name, a person or not
    assert parallel._names_in({"recipients": [{"title": "x"}, "坏", {"name": 3}]}) == []
    assert parallel._names_in(["not", "a", "list file"]) == []

    class Pipe:
        def __init__(self, site_comes_after: int):
            self.polls, self.after = 0, site_comes_after

        def poll(self):
            self.polls += 1
            return self.polls > self.after

    pinyin_forms.cache_clear()
    parallel._warm_pinyin(names, Pipe(site_comes_after=0))
    assert pinyin_forms.cache_info().currsize == 0  # the site was there: nothing done
    parallel._warm_pinyin(names, Pipe(site_comes_after=1), batch=1)
    assert pinyin_forms.cache_info().currsize == 1  # one batch, then the site came
    parallel._warm_pinyin(names, Pipe(site_comes_after=len(names)), batch=1)
    before = pinyin_forms.cache_info()
    for name, person in names:
        pinyin_forms(name, surname=person)  # as search_index.site_records asks
    assert pinyin_forms.cache_info().hits - before.hits == len(names)


def test_the_helper_reads_the_names_the_first_process_sends_too_until_the_site_comes():
    """Names sent while the helper reads its own (Helper.send_names) are read after the rest of
    its own, all before the site: the message that ends the waiting is the site's."""
    from gongshi.site.search import pinyin_forms

    own = [("王小明", True), ("李华", True), ("焦作市总工会", False)]
    sent = [("赵大海", True), ("单丽", True)]
    build = ("build", dt.date(2018, 11, 7), None)

    class Pipe:
        """Each message is there after the given number of polls in all; recv takes them in order."""

        def __init__(self, *arrivals):
            self.arrivals, self.polls = list(arrivals), 0

        def poll(self):
            self.polls += 1
            return bool(self.arrivals) and self.polls > self.arrivals[0][0]

        def recv(self):
            return self.arrivals.pop(0)[1]

    pinyin_forms.cache_clear()
    # The names come after one of the helper's own (batches of one), the site once all are read.
    assert parallel._warm_until_the_site(list(own), Pipe((1, ("names", sent)), (9, build)), batch=1) == build
    assert pinyin_forms.cache_info().currsize == len(own) + len(sent)
    before = pinyin_forms.cache_info()
    for name, person in own + sent:
        pinyin_forms(name, surname=person)
    assert pinyin_forms.cache_info().hits - before.hits == len(own) + len(sent)
    pinyin_forms.cache_clear()  # the site is there at once: nothing is made, the names are not waited for
    assert parallel._warm_until_the_site(list(own), Pipe((0, build))) == build
    assert pinyin_forms.cache_info().currsize == 0


def test_the_first_process_sends_the_names_of_the_lists_it_read_before_it_orders_the_site(project, monkeypatch):
    """Once loaded, before the site is ordered: each (name, a person's or not) once, as the
    search index asks for their pinyin, but none of a list file the helper parsed itself."""
    from gongshi import pipeline
    from gongshi.load.loader import load_site

    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    monkeypatch.setattr(parallel, "LARGE_LIST_BYTES", 0)  # as if large: it parses some lists
    said: list[tuple] = []
    real_send, real_order = parallel.Helper._send, pipeline.order_site

    def send(self, message):
        said.append(message)
        real_send(self, message)

    def order_site(*args):
        said.append(("ordered",))
        return real_order(*args)

    monkeypatch.setattr(parallel.Helper, "_send", send)
    monkeypatch.setattr(pipeline, "order_site", order_site)
    result = run_cli("check", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    kinds = [message[0] for message in said]
    assert kinds[:3] == ["names", "ordered", "build"], kinds
    site = load_site(project).site
    parsed_there = set(parallel.helper_lists(parallel.list_files(project)))
    assert parsed_there  # so that some names are not sent
    parsed_there_shown = {path.relative_to(project).as_posix() for path in parsed_there}
    expected = list(dict.fromkeys((r.name, r.category.is_person) for a in site.announcements
                                  for r in a.recipients if r.location.file not in parsed_there_shown))
    assert expected and said[0][1] == expected
    assert len(expected) < len({(r.name, r.category.is_person) for a in site.announcements for r in a.recipients})


def test_the_helper_of_a_project_that_is_not_large_is_sent_no_names(project, monkeypatch):
    """It was given no list file, so it may still be starting: a write larger than the pipe's
    buffer would wait for it (Helper.send_names)."""
    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    said: list[tuple] = []
    real_send = parallel.Helper._send

    def send(self, message):
        said.append(message)
        real_send(self, message)

    monkeypatch.setattr(parallel.Helper, "_send", send)
    result = run_cli("check", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    kinds = [message[0] for message in said]
    assert "build" in kinds and "names" not in kinds, kinds


def test_the_list_files_are_listed_as_the_loader_reads_them(project):
    """In data/site.yaml's order of the announcements (not the folders' names), and only those:
    the helper is given the files the load reaches last, and nothing the load never reads."""
    import shutil

    site_yaml = project / "data/site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    assert "  - 2018-mofan\n  - 2019-shili\n" in text
    site_yaml.write_text(text.replace("  - 2018-mofan\n  - 2019-shili\n", "  - 2019-shili\n  - 2018-mofan\n"),
                         encoding="utf-8")
    shutil.copytree(project / "data/2018-mofan", project / "data/2017-old")  # not listed
    (project / "data/2019-shili/recipients").mkdir(exist_ok=True)
    (project / "data/2019-shili/recipients/worker.yaml").write_text("category: worker\nrecipients: []\n",
                                                                    encoding="utf-8")
    folders = [path.parent.parent.name for path, _ in parallel.list_files(project)]
    assert folders[0] == "2019-shili" and set(folders) == {"2019-shili", "2018-mofan"}
    assert folders == sorted(folders, key=["2019-shili", "2018-mofan"].index)
    # Whether a helper is wanted is judged before data/site.yaml is read: by every folder's,
    # leaving out what cannot be read (a link to nothing in a folder the load never reads).
    (project / "data/.hidden/recipients").mkdir(parents=True)
    (project / "data/.hidden/recipients/worker.yaml").write_text("recipients: []\n", encoding="utf-8")
    (project / "data/2017-old/recipients/gone.yaml").symlink_to(project / "nowhere.yaml")
    (project / "data/notes.txt").write_text("not a folder\n", encoding="utf-8")
    every = [path.parent.parent.name for path, _ in parallel.every_list_file(project)]
    assert every == sorted(every) and set(every) == {"2017-old", "2018-mofan", "2019-shili"}
    assert "gone.yaml" not in {path.name for path, _ in parallel.every_list_file(project)}


def test_a_large_unlisted_folder_starts_a_helper_but_does_not_make_the_project_large(project, monkeypatch):
    """An old announcement kept in data/ counts towards starting a helper (site.yaml is not read
    yet), but whether the helper parses lists and readies numpy is judged on the lists the
    loader reads, sent with its first message."""
    import pickle
    import shutil

    monkeypatch.delenv("GONGSHI_WORKERS", raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    old = project / "data/2017-old/recipients"
    old.mkdir(parents=True)
    for copy in range(3):
        for path in (project / "data/2018-mofan/recipients").glob("*.yaml"):
            shutil.copy(path, old / f"{copy}-{path.name}")
    assert parallel.large(parallel.every_list_file(project))
    assert not parallel.large(parallel.list_files(project))
    sent: list[bytes] = []
    monkeypatch.setattr(parallel.Helper, "_send_in_background", lambda self, payload: sent.append(payload))
    helper = parallel.start(project)
    try:
        assert helper is not None
        assert pickle.loads(sent[0]) == (False, [])
    finally:
        helper.close()


@pytest.mark.parametrize("site_yaml", ["name: [unclosed\n", "- a list\n", "announcements: 2018-mofan\n",
                                       "announcements:\n  - ../outside\n  - 2018-mofan\n  - 2018-mofan\n"])
def test_a_site_yaml_the_load_will_refuse_lists_what_it_safely_can(project, site_yaml):
    (project / "data/site.yaml").write_text(site_yaml, encoding="utf-8")
    folders = {path.parent.parent.name for path, _ in parallel.list_files(project)}
    assert folders == ({"2018-mofan"} if "../outside" in site_yaml else set())
    assert all(path.is_relative_to(project / "data") for path, _ in parallel.list_files(project))


def test_the_pages_the_first_process_renders_use_the_pinyin_the_helper_sent(project, monkeypatch):
    """The helper makes every name's pinyin for the search index and sends it over; the list
    and unit pages the first process renders then make none (and say the same)."""
    from gongshi.site import search

    monkeypatch.setattr(search, "_GIVEN", {})
    search.pinyin_forms.cache_clear()
    made_before = []
    real_take = search.take_forms

    def take(forms):
        made_before.append(search.pinyin_forms.cache_info().misses)
        real_take(forms)

    monkeypatch.setattr(search, "take_forms", take)
    monkeypatch.setattr(parallel, "OUTSTANDING", 1)  # the first process renders pages too
    together, _ = build(project, TWO, "two")
    given = dict(search._GIVEN)
    assert len(given) > 100 and len(made_before) == 1
    assert search.pinyin_forms.cache_info().misses == made_before[0]  # none made once given
    search.pinyin_forms.cache_clear()
    assert all(search.pinyin_forms(name, surname=person) == forms for (name, person), forms in given.items())
    monkeypatch.setattr(search, "_GIVEN", {})
    alone, _ = build(project, ONE, "one")
    assert together == alone


def test_search_text_reads_forms_given_before_making_them(monkeypatch):
    from gongshi.load.model import PublicRecipient
    from gongshi.site import search

    monkeypatch.setattr(search, "_GIVEN", {})
    person = PublicRecipient("张栀琳", "某厂工会主席", None, None, "u01", "某县总工会", "worker")
    assert search.search_text(person, True).endswith("|zhangzhilin|zzl")
    search.take_forms({("张栀琳", True): ("given",)})
    assert search.search_text(person, True).endswith("|given")
    assert search.search_text(person, False).endswith("|zhangzhilin|zzl")  # another key


def test_a_helper_that_fails_after_it_is_ready_says_so_after_the_whole_forms(project, monkeypatch):
    """The pinyin forms are sent by a thread: "failed" (the search index could not be made,
    here) comes after them, never inside them."""
    import datetime as dt
    import pickle

    from gongshi.pipeline import BuildOptions, check_project
    from gongshi.site import publish, search

    site = check_project(project, BuildOptions()).site
    many = {(f"张{i:06d}", True): ("zhang", "z") for i in range(60_000)}  # far more than a pipe holds
    monkeypatch.setattr(search, "recipients_forms", lambda site: many)

    def broken(self):
        raise RuntimeError("no index today")

    monkeypatch.setattr(publish.Publisher, "prepare_search", broken)
    with helper_on_a_thread(project) as ours:
        ours.send_bytes(pickle.dumps((True, [])))
        ours.send(("build", dt.date(2018, 11, 6), None))
        ours.send_bytes(parallel.pickled(site))
        said = [ours.recv() for _ in range(3)]
    assert [message[0] for message in said] == ["ready", "forms", "failed"]
    assert said[1][1] == many


@pytest.mark.parametrize("fails", [False, True])
def test_a_task_done_while_the_forms_are_still_being_sent_is_answered_after_them(project, monkeypatch, fails):
    """The forms are sent by a thread: "done" (or "redo") for a task finished meanwhile comes
    after them, never inside them."""
    import pickle

    from gongshi.pipeline import BuildOptions, check_project
    from gongshi.site import publish, search

    site = check_project(project, BuildOptions()).site
    many = {(f"张{i:06d}", True): ("zhang", "z") for i in range(60_000)}  # far more than a pipe holds
    monkeypatch.setattr(search, "recipients_forms", lambda site: many)
    monkeypatch.setattr(publish.Publisher, "prepare_search", lambda self: None)

    def run(self, task):
        if fails:
            raise RuntimeError("cannot")
        return publish.TaskResult()

    monkeypatch.setattr(publish.Publisher, "run", run)
    with helper_on_a_thread(project) as ours:
        ours.send_bytes(pickle.dumps((True, [])))
        ours.send(("build", dt.date(2018, 11, 6), None))
        ours.send_bytes(parallel.pickled(site))
        ours.send(("begin", None))
        ours.send(("task", ("pages", (0,))))
        said = [ours.recv() for _ in range(3)]
    assert [message[0] for message in said] == ["ready", "forms", "redo" if fails else "done"]
    assert said[1][1] == many


def test_the_helper_is_a_new_python_started_without_multiprocessing(project):
    """The helper is a plain new Python (parallel.HELPER_COMMAND), not multiprocessing's spawn,
    which imports multiprocessing in both processes (and, on POSIX, a third Python: its
    resource tracker) and runs the build's main script again in the helper: it then starts
    working 35-45 ms after it is started instead of 15-20. It still builds (the two-process
    builds above compare every byte)."""
    import subprocess
    import sys

    from conftest import REPO, without_coverage

    script = f"""
import os, sys
os.environ["GONGSHI_WORKERS"] = "2"
from pathlib import Path
from gongshi.site import parallel
helper = parallel.start(Path({str(project)!r}))
print(helper is not None, "multiprocessing" in sys.modules)
helper.close()
"""
    # Not measured: coverage, starting in a new Python, imports multiprocessing itself.
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                         env=without_coverage())
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["True", "False"]
    assert "Traceback" not in ran.stderr


def test_what_the_helper_prints_never_goes_into_the_pipe(tmp_path):
    """The helper's pipe to the first process is its standard output: whatever it prints (a
    library's warning) goes to its standard error instead, and the messages arrive whole."""
    import subprocess
    import sys

    from gongshi.site.channel import Channel

    command = (f"import sys; sys.path[:] = {sys.path!r}; from gongshi.site import parallel; "
               "parallel._work = lambda conn, root: (print('noise'), conn.send(('hello', root)), conn.close()); "
               f"parallel.helper_main({str(tmp_path)!r})")
    process = subprocess.Popen([sys.executable, "-c", command], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    ours = Channel(process.stdout, process.stdin)
    try:
        assert ours.recv() == ("hello", str(tmp_path))
        with pytest.raises(EOFError):
            ours.recv()
    finally:
        ours.close()
        process.wait(30)
    assert process.stderr.read().decode() == "noise\n"


def test_a_helper_that_cannot_start_costs_only_time(project, monkeypatch, capfd):
    """A helper whose Python fails before it works (here: it cannot import gongshi) says
    nothing on the screen; the build goes on alone and makes the same site."""

    monkeypatch.setenv("GONGSHI_WORKERS", "2")
    monkeypatch.setattr(parallel, "HELPER_COMMAND", parallel.HELPER_COMMAND.replace(
        "from gongshi.site.parallel import", "from gongshi.site.no_such_module import"))
    helper = parallel.start(project)
    assert helper is not None
    try:
        helper.wait_ready()
        assert not helper.alive()
    finally:
        helper.close()
    assert helper._process.returncode != 0
    assert capfd.readouterr().err == ""
