"""A preview's rebuild (`serve`: the parsed YAML, the Jinja environment and the files made
before, kept between rebuilds: pipeline.Kept, site.memo) writes exactly the bytes a clean
build of the same project writes, after each kind of edit staff make; and what it keeps can
never leak one build's changes into the next.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import FIXED_DAY, add_2018_decision
from markupsafe import Markup
from msgspec.structs import replace
from support.trees import tree_bytes

from gongshi.files.yamlfile import load_yaml, parsed_cache
from gongshi.pipeline import BuildOptions, build_project
from gongshi.serve import RebuildSession
from gongshi.site import search_index as si
from gongshi.site.memo import Emitted, Fingerprints, Memo, Unfingerprintable
from gongshi.site.search_delta import SearchDelta
from gongshi.site.search_index import SearchRecord

DAY = dt.date.fromisoformat(FIXED_DAY)
DECISION_DAY = dt.date(2018, 12, 28)  # after the 2018 decision's date (tests/fixtures/decision-2018)


def clean_build(project: Path, out: Path, today: dt.date) -> dict[str, bytes]:
    result = build_project(project, BuildOptions(output=out, today=today))
    assert result.written, [f.message for f in result.findings.items]
    return tree_bytes(out)


def assert_same_site(session: RebuildSession, project: Path, clean: Path) -> None:
    result = session.rebuild()
    assert result.written, [f.message for f in result.findings.items]
    served, built = tree_bytes(project / "output"), clean_build(project, clean, session.options.today)
    assert served.keys() == built.keys()
    assert [name for name in built if served[name] != built[name]] == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass
class Edit:
    name: str
    file: str
    old: str
    new: str


# One of each kind of source staff edit, applied in turn (each on top of the ones before).
EDITS = [
    Edit("a recipient", "data/2018-mofan/recipients/worker.yaml", "title: ", "title: 改"),
    Edit("a unit", "data/2018-mofan/units.yaml", "activist: 8, friend: 5}", "activist: 8, friend: 6}"),
    Edit("an included template", "templates/partials/contacts.html", "</", "<!-- 改 --></"),
    Edit("a page template", "templates/unit.html", "</", "<span>改</span></"),
    Edit("a content file", "content/2018-mofan/gongshi.md", "予以公示。", "予以公示。改。"),
    Edit("a style sheet", "static/css/site.css", "\n", "\n/* 改 */\n"),
    Edit("the site settings", "data/site.yaml", "name: ", "name: 改"),
]


def test_every_byte_a_preview_rebuild_writes_is_a_clean_builds(project, tmp_path):
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert_same_site(session, project, tmp_path / "clean0")
    pages = session.options.kept.publish.pages
    for number, change in enumerate(EDITS, 1):
        edit(project / change.file, change.old, change.new)
        assert_same_site(session, project, tmp_path / f"clean{number}")
        if change.name == "a recipient":
            # the pages that do not show the changed list were taken from the memo
            assert pages.hits > 0 and pages.misses > 0, change.name
    # and nothing changed: every page is taken from the memo
    assert_same_site(session, project, tmp_path / "clean-again")
    assert pages.misses == 0 and pages.hits > 0


def test_a_preview_rebuild_of_the_decision_stage_is_a_clean_builds(project, tmp_path):
    add_2018_decision(project)
    session = RebuildSession(project, project / "output")
    session.options.today = DECISION_DAY
    assert_same_site(session, project, tmp_path / "clean0")
    for folder in ("recipients", "decision"):  # the same person in both lists: no change to record
        edit(project / "data" / "2018-mofan" / folder / "worker.yaml", "title: ", "title: 改")
    assert_same_site(session, project, tmp_path / "clean1")
    edit(project / "data" / "2018-mofan" / "changes.yaml", "\n", "\n# 改\n")
    assert_same_site(session, project, tmp_path / "clean2")


def test_a_failed_rebuild_keeps_the_last_site_and_the_fix_recovers(project, tmp_path):
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert_same_site(session, project, tmp_path / "clean0")
    before = tree_bytes(project / "output")
    worker = project / "data" / "2018-mofan" / "recipients" / "worker.yaml"
    good = worker.read_text(encoding="utf-8")
    worker.write_text(good.replace("title: ", "title： ", 1), encoding="utf-8")  # a full-width colon
    failed = session.rebuild()
    assert not failed.written and failed.findings.errors
    assert tree_bytes(project / "output") == before
    worker.write_text(good.replace("title: ", "title: 改", 1), encoding="utf-8")
    assert_same_site(session, project, tmp_path / "clean1")


def test_what_one_load_does_to_its_yaml_never_reaches_the_next(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("units:\n  - id: a\n    name: 甲\n", encoding="utf-8")
    store: dict = {}
    with parsed_cache(store):
        first = load_yaml(path, "data/units.yaml")
    first["units"][0]["name"] = "乙"
    first["units"].append({"id": "b"})
    with parsed_cache(store):
        again = load_yaml(path, "data/units.yaml")
    assert again == {"units": [{"id": "a", "name": "甲"}]}
    assert again["units"][0].line == 2  # the lines come along (SourceMap)
    assert len(store) == 1
    path.write_text("units:\n  - id: c\n    name: 丙\n", encoding="utf-8")
    with parsed_cache(store):
        changed = load_yaml(path, "data/units.yaml")
    assert changed == {"units": [{"id": "c", "name": "丙"}]}
    assert len(store) == 1  # only what the last load read is kept


@dataclass(frozen=True)
class Row:
    name: str
    count: int


@dataclass(frozen=True)
class Other:
    name: str
    count: int


def test_a_fingerprint_sees_every_field_type_and_order():
    prints = Fingerprints()
    same = prints.of((Row("甲", 1), {"a": [1, "1"]}))
    assert Fingerprints().of((Row("甲", 1), {"a": [1, "1"]})) == same
    different = [(Row("甲", 2), {"a": [1, "1"]}), (Other("甲", 1), {"a": [1, "1"]}),
                 (Row("甲", 1), {"a": ["1", 1]}), (Row("甲", 1), {"b": [1, "1"]}),
                 (Row("甲", 1), {"a": (1, "1")}), (Row("甲", 1), {"a": [1, "1", None]}),
                 (Row("甲", 1), {"a": [True, "1"]}), (Row("甲", 1), {"a": [1.0, "1"]}),
                 (Row("甲", 1), {"a": [1, Markup("1")]})]
    assert len({prints.of(value) for value in different} | {same}) == len(different) + 1
    rows = [1]
    holder = (Row("甲", 1), rows)
    first = prints.of(holder)
    rows.append(2)
    assert prints.of(holder) != first
    with pytest.raises(Unfingerprintable):
        prints.of({"a": lambda: 1})


def test_a_memo_keeps_only_what_the_last_rebuild_used():
    memo = Memo()
    memo.begin()
    assert memo.get("a", lambda: 1) == 1 and memo.get("b", lambda: 2) == 2
    memo.begin()
    assert memo.get("a", lambda: 3) == 1 and (memo.hits, memo.misses) == (1, 0)
    memo.begin()
    assert memo.get("b", lambda: 4) == 4  # b was not used by the last rebuild: made again
    assert re.fullmatch(r"\d+", str(len(memo)))


def test_a_preview_rebuild_writes_only_the_files_whose_bytes_changed(project, tmp_path):
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert session.rebuild().written
    output = project / "output"

    def identities() -> dict[str, int]:
        return {name: (output / name).stat().st_ino for name in tree_bytes(output)}

    before = identities()
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "title: ", "title: 改")
    assert session.rebuild().written
    after = identities()
    same = {name for name in after if before.get(name) == after[name]}
    assert "2018-mofan/notice/index.html" in same  # linked from the last site, not written again
    assert "2018-mofan/gongshi/index.html" not in same and "SHA256SUMS" not in same
    # A file changed in the output meanwhile (another build, an editor) is never linked.
    (output / "2018-mofan" / "notice" / "index.html").write_bytes(b"changed by hand")
    assert_same_site(session, project, tmp_path / "clean")


def _random_records(rng, count: int) -> list[SearchRecord]:
    alphabet = "张王李赵甲乙丙丁abcdezh|"
    return [SearchRecord("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))), f"名{i}", "", "单位",
                         "类别", "公告", f"a/units/u{i % 3}/", f"row-{i}") for i in range(count)]


@pytest.mark.parametrize("postings", ["loop", "arrays"])
def test_the_search_index_made_from_the_last_one_is_a_clean_ones(monkeypatch, postings):
    """SearchDelta against encode_index after random edits, with limits small enough that
    grams cross INLINE_MAX both ways, pages come and go and the bucket count changes; with
    the postings laid out again made either way (a large site's are made with numpy, and the
    preview then updates those lists)."""
    monkeypatch.setattr(si, "ARRAY_MIN_RECORDS", 0 if postings == "arrays" else 10**9)
    monkeypatch.setattr(si, "INLINE_MAX", 6)
    monkeypatch.setattr(si, "PAGE", 4)
    monkeypatch.setattr(si, "BUCKET_BYTES", 300)
    monkeypatch.setattr(si, "CHUNK", 5)
    rng = random.Random(13)
    records = _random_records(rng, 60)
    delta = SearchDelta()
    incremental = 0
    for step in range(300):
        roll = rng.random()
        changes = 1 if roll < 0.7 else rng.randint(2, 12)
        for _ in range(changes):
            i = rng.randrange(len(records))
            if roll < 0.9:  # a changed record keeps its id
                key = records[i].key
                cut = rng.randrange(len(key) + 1)
                new_key = key[:cut] + "".join(rng.choice("张王abz|") for _ in range(rng.randint(0, 3))) \
                    + key[cut + rng.randint(0, 2):]
                records[i] = records[i]._replace(key=new_key or "甲", note=f"改{step}")
            elif roll < 0.95:
                records.insert(i, _random_records(rng, 1)[0])
            elif len(records) > 20:
                del records[i]
        for part in si.PARTS:
            assert delta.files(records, part) == si.encode_index(records, part), (step, part)
        incremental += delta.remade["grams"] < len(delta._gram_files)
    assert incremental > 100  # most steps re-made only some of the gram files


def test_a_preview_rebuild_re_makes_only_the_search_files_a_change_touches(project, tmp_path):
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert session.rebuild().written
    search = session.options.kept.publish.search
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "title: ", "title: 改")
    assert_same_site(session, project, tmp_path / "clean1")
    output = project / "output" / "search"
    assert 0 < search.remade["grams"] < len(list(output.glob("[gp]-*.json")))
    assert search.remade["records"] == 1
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "name: ", "name: 改")
    assert_same_site(session, project, tmp_path / "clean2")
    # a category's name is in its recipients' search strings (kept by what they are made of)
    edit(project / "data" / "2018-mofan" / "categories.yaml", "name: 焦作市模范职工小家", "name: 焦作市模范职工小家改")
    assert_same_site(session, project, tmp_path / "clean3")
    assert search.remade["records"] > 1


def test_a_file_is_taken_as_written_before_only_as_the_very_object_with_the_same_phones():
    emitted = Emitted()
    page, forms = "<p>甲</p>" * 3, ("0391-3999921",)
    emitted.add("a.html", page, forms, "made")
    emitted.begin()
    assert emitted.get("a.html", page, forms) == "made"
    assert emitted.get("a.html", "".join(["<p>甲</p>"] * 3), forms) is None  # equal, but made again
    assert emitted.get("b.html", page, forms) is None
    assert emitted.get("a.html", page, ("0391-1234567",)) is None  # the guard allows other numbers
    emitted.begin()  # the last rebuild used a.html: still known
    assert emitted.get("a.html", page, forms) == "made"
    emitted.begin()
    emitted.begin()  # one rebuild used nothing: the one before it is kept (a failed rebuild)
    assert emitted.get("a.html", page, forms) == "made"


def test_the_next_rebuild_stages_in_the_site_the_last_one_replaced(project, tmp_path):
    """The old site is left beside the output when a rebuild returns (not deleted while the
    browsers wait), and the next rebuild writes into it only what differs; what it does not
    write there is gone; the output is a clean build's every time."""
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    kept = session.options.kept
    worker = project / "data" / "2018-mofan" / "recipients" / "worker.yaml"
    assert session.rebuild().written
    session.tidy()
    assert kept.spare is None  # nothing was there before
    edit(worker, "title: ", "title: 改")
    assert_same_site(session, project, tmp_path / "clean1")
    spare = kept.spare[0]
    assert spare.parent == (project / "output").parent and (spare / "index.html").is_file()
    session.tidy()
    assert spare.is_dir()  # kept for the next rebuild
    # what is in it and must not be published: a stray file and folder, a file changed by hand
    (spare / "stray.html").write_text("不应发布", encoding="utf-8")
    (spare / "stray" / "deeper").mkdir(parents=True)
    (spare / "stray" / "deeper" / "x.json").write_text("{}", encoding="utf-8")
    (spare / "2018-mofan" / "notice" / "index.html").unlink()
    (spare / "2018-mofan" / "notice" / "index.html").write_text("改过", encoding="utf-8")
    live = (project / "output" / "2018-mofan" / "units" / "qinyang" / "index.html").read_bytes()
    edit(worker, "title: 改", "title: 再改")
    assert_same_site(session, project, tmp_path / "clean2")
    assert not spare.exists()  # it became the output
    assert not (project / "output" / "stray").exists()
    assert kept.spare is not None and (kept.spare[0] / "2018-mofan" / "units" / "qinyang" / "index.html"
                                       ).read_bytes() == live  # the site before, untouched
    edit(worker, "title: 再改", "title: 三改")
    assert_same_site(session, project, tmp_path / "clean3")
    session.close()
    assert kept.spare is None and kept.old_sites == []
    beside = sorted(p.name for p in (project / "output").parent.iterdir() if p.name.startswith(".gongshi-"))
    assert beside in ([], [".gongshi.lock"])


def test_an_old_site_left_behind_is_removed_by_the_next_build(project, tmp_path):
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert session.rebuild().written
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "title: ", "title: 改")
    assert session.rebuild().written
    spare = session.options.kept.spare[0]  # the preview ends without close(): killed
    clean_build(project, project / "output", DAY)
    assert not spare.exists()


def test_a_change_on_one_page_of_a_split_list_renders_only_that_page_of_its_category(project, tmp_path, monkeypatch):
    """A page of a split list is given its category's summary (lists.SplitCategory), not the
    whole list: one person's new 工作单位及职务 renders again the page that lists them, not the
    category's other pages (at 100,000 names all 11 of the category's were)."""
    from gongshi.site import pages
    from gongshi.site.render import Renderer

    monkeypatch.setattr(pages, "LIST_PAGE_ROWS", 20)  # worker's 96 names: five pages
    rendered: list[str] = []
    real_render = Renderer.render

    def render(self, page):
        rendered.append(page.path)
        return real_render(self, page)

    monkeypatch.setattr(Renderer, "render", render)
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert session.rebuild().written
    worker = sorted(path for path in rendered if path.startswith("2018-mofan/gongshi/worker/"))
    assert len(worker) == 5, worker
    rendered.clear()
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "title: ", "title: 改")
    assert session.rebuild().written
    again = [path for path in rendered if path.startswith("2018-mofan/gongshi/worker/")]
    assert len(again) == 1, again
    served = tree_bytes(project / "output")
    assert "改" in served[again[0] + "index.html"].decode()  # the page that lists them
    assert served == clean_build(project, tmp_path / "clean", DAY)


def test_the_downloads_are_made_again_only_when_what_they_hold_changed(project, tmp_path):
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert session.rebuild().written
    files = session.options.kept.publish.files
    # the contacts are on the pages, not in the downloads
    edit(project / "data" / "2018-mofan" / "announcement.yaml", "people: [张栀琳, 杨晨晖]", "people: [张栀琳]")
    assert_same_site(session, project, tmp_path / "clean1")
    assert (files.hits, files.misses) == (1, 0)  # the downloads kept
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "title: ", "title: 改")
    assert_same_site(session, project, tmp_path / "clean2")
    assert (files.hits, files.misses) == (0, 1)
    # of the CSV and the JSON, only the changed category's lines are made again
    parts = session.options.kept.publish.download_parts
    categories = len(yaml.safe_load((project / "data/2018-mofan/categories.yaml").read_text(encoding="utf-8"))
                     ["categories"])
    assert (parts.hits, parts.misses) == (2 * (categories - 1), 2)


def test_the_guard_reads_again_only_the_parts_of_the_xlsx_whose_bytes_changed(project, tmp_path, monkeypatch):
    from gongshi.check import privacy

    read: list[str] = []
    part_hits = privacy._part_hits

    def spy(kind, text, raw, *rest):
        if kind == "xlsx":
            read.append("sheet" if "<sheetData>" in text else "strings" if "<sst " in text else "other")
        return part_hits(kind, text, raw, *rest)

    monkeypatch.setattr(privacy, "_part_hits", spy)
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert session.rebuild().written
    assert read.count("sheet") == read.count("strings") >= 1  # one of each per XLSX
    read.clear()
    # a new title in the place of the old one: new shared strings, the same sheet
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "title: ", "title: 改")
    assert session.rebuild().written
    assert read.count("strings") == 1 and "sheet" not in read, read
    assert tree_bytes(project / "output") == clean_build(project, tmp_path / "clean1", DAY)


def test_what_several_values_hold_is_pickled_once(monkeypatch):
    """A composed fingerprint (lists, tuples, CategoryList, ListPart) is made of its parts'
    fingerprints: a unit group that a list, its category list and a page of it all hold is
    pickled once; and it still sees every change inside."""
    from gongshi.site import memo
    from gongshi.site.lists import CategoryList, ListPart, UnitGroup

    pickled: list = []
    dumps = memo.pickle.dumps
    monkeypatch.setattr(memo.pickle, "dumps", lambda value, **kw: pickled.append(value) or dumps(value, **kw))
    group = UnitGroup(None, (), 1, ())
    part = ListPart("a/", 1, (group,), 0, 1, 0)
    item = CategoryList(Other("类别", 1), 0, (group,), (part,))  # type: ignore[arg-type]
    prints = Fingerprints()
    whole, one = prints.shared([item]), prints.shared(part)
    assert pickled.count((None, 1, (), 0, False)) == 1 and pickled.count(()) == 1  # the group's fields
    again = Fingerprints()
    assert again.shared([replace(item)]) == whole and again.shared(replace(part)) == one
    changed = replace(item, groups=(replace(group, first_number=2),))
    assert Fingerprints().shared([changed]) != whole
    assert Fingerprints().shared((item,)) != whole  # a tuple is not a list
    assert Fingerprints().shared([item, item]) != whole


def test_a_recipient_is_pickled_once_while_it_lives_and_a_group_sees_every_change(monkeypatch):
    """A list's recipients are fingerprinted one by one, each once for as long as the preview
    keeps it (memo.Lasting: the load hands out unchanged records again); a unit group's
    fingerprint, and a unit page's groups by category, still see every field change."""
    from gongshi.load.model import PublicRecipient
    from gongshi.site import memo
    from gongshi.site.lists import UnitGroup

    pickled: list = []
    dumps = memo.pickle.dumps
    monkeypatch.setattr(memo.pickle, "dumps", lambda value, **kw: pickled.append(value) or dumps(value, **kw))
    one, two = (PublicRecipient(name, "主席", None, None, "u1", "甲县", "worker") for name in ("王五", "赵六"))
    group = UnitGroup(None, (one, two), 1, ("a", "b"))
    lasting = memo.Lasting()
    first = Fingerprints(lasting).shared({"worker": group})
    assert pickled.count(one) == 1 and pickled.count(two) == 1
    lasting.begin()  # the next rebuild: a new group of the same recipients
    assert Fingerprints(lasting).shared({"worker": replace(group)}) == first
    assert pickled.count(one) == 1  # not pickled again
    # the same content in other objects, with nothing kept, gives the same fingerprint
    copies = tuple(replace(r) for r in (one, two))
    assert Fingerprints().shared({"worker": replace(group, recipients=copies)}) == first
    changed = [replace(group, recipients=(one, replace(two, title="副主席"))),
               replace(group, recipients=(two, one)), replace(group, recipients=(one,), anchors=("a",)),
               replace(group, first_number=2), replace(group, anchors=("a", "c")),
               replace(group, unit_count=3), replace(group, continued=True)]
    prints = {Fingerprints(lasting).shared({"worker": g}) for g in changed}
    assert len(prints) == len(changed) and first not in prints
    assert Fingerprints(lasting).shared({"activist": group}) != first
    assert Fingerprints(lasting).shared({"worker": group, "activist": group}) != first
    assert Fingerprints(lasting).shared(group) != first and Fingerprints(lasting).shared([group]) != first


def test_a_preview_rebuild_knows_which_files_it_changed(project, tmp_path):
    session = RebuildSession(project, project / "output")
    session.options.today = DAY
    assert session.rebuild().written
    kept = session.options.kept
    assert kept.changed is None and "2018-mofan/notice/index.html" in kept.site_files
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "title: ", "title: 改")
    assert_same_site(session, project, tmp_path / "clean1")
    assert "2018-mofan/gongshi/index.html" in kept.changed and "SHA256SUMS" in kept.changed
    assert "2018-mofan/notice/index.html" not in kept.changed
    served = tree_bytes(project / "output")
    assert set(kept.site_files) | {"SHA256SUMS"} == set(served)
    edit(project / "data" / "2018-mofan" / "recipients" / "worker.yaml", "# ", "# 改 ")  # a comment
    assert_same_site(session, project, tmp_path / "clean2")
    assert kept.changed == frozenset()


def test_a_preview_keeps_no_earlier_site_alive(project):
    """Each rebuild's site replaces the last: after many saves, only this rebuild's recipients
    (and, while it is compared, the one before) are in memory. The row ids' cache once kept the
    last eight lists, and with them eight sites' recipients: twice the memory, and the idle
    collection took twice as long."""
    import gc

    from gongshi.load.model import Recipient

    session = RebuildSession(project, project / "output")
    listed = project / "data/2018-mofan/recipients/worker.yaml"
    per_site = None
    for i in range(6):
        if i:
            edit(listed, "title: ", f"title: 改{i}")
        assert session.rebuild().written
        gc.collect()
        alive = sum(1 for o in gc.get_objects() if type(o) is Recipient)
        per_site = per_site or alive
    session.close()
    assert alive <= 2 * per_site, (alive, per_site)


def _said(result) -> list[tuple]:
    return [(f.code, f.severity, f.message, f.location, f.hint, f.excerpt) for f in result.findings]


def test_random_saves_to_the_data_files_rebuild_as_a_clean_build_does(project, tmp_path):
    """The loads of a preview hand out again what was made from files whose bytes did not
    change (load.reuse): after each of a fixed-seed sequence of saves to the data files (each
    kind at least twice, on top of the ones before: records, warnings and errors in the lists,
    units.yaml and categories.yaml, a file broken, emptied, restored, removed and put back,
    renamed, a list saved with another's bytes, the day), the rebuild reports exactly a clean
    build's findings, in order, and writes exactly its bytes."""
    rng = random.Random(20261204)
    add_2018_decision(project)  # its lists start as the 公示's very bytes under other names
    data = project / "data"
    originals = {p: p.read_bytes() for p in data.rglob("*.yaml")}
    removed: dict[Path, bytes] = {}
    session = RebuildSession(project, project / "output")
    session.options.today = DECISION_DAY

    def lists() -> list[Path]:
        return sorted(p for p in data.glob("*/*/*.yaml") if p.parent.name in ("recipients", "decision"))

    def change(path: Path, pattern: str, make) -> None:
        text = path.read_text(encoding="utf-8")
        found = rng.choice(list(re.finditer(pattern, text, re.M)))
        path.write_text(text[:found.start()] + make(found) + text[found.end():], encoding="utf-8")

    def tables(name: str) -> Path:
        return rng.choice(sorted(data.glob(f"*/{name}")))

    saves = {
        "title": lambda f, n: change(f, r"title: ", lambda m: f"title: 改{n}"),
        "spaced name (N001)": lambda f, n: change(f, r"^  - name: (\S+)$", lambda m: f'  - name: "{m[1]} "'),
        "unknown unit (L008)": lambda f, n: change(f, r"unit: \S+$", lambda m: f"unit: 没有{n}"),
        "category": lambda f, n: change(f, r"^category: \S+$",
                                        lambda m: rng.choice(["category: 没有", "category: home"])),
        "broken": lambda f, n: f.write_text(f.read_text(encoding="utf-8") + "  - name: [\n", encoding="utf-8"),
        "emptied": lambda f, n: f.write_text("# 空\n", encoding="utf-8"),
        "removed": lambda f, n: removed.update({f: f.read_bytes()}) or f.unlink(),
        "put back": lambda f, n: [p.write_bytes(removed.pop(p)) for p in sorted(removed)[:1]],
        "renamed": lambda f, n: f.rename(f.with_name(f"{f.stem}{n}.yaml")),
        "another's bytes": lambda f, n: f.write_bytes(rng.choice(lists()).read_bytes()),
        "restored": lambda f, n: [p.write_bytes(b) for p, b in rng.sample(sorted(originals.items()), 3)],
        "a comment": lambda f, n: f.write_text(f.read_text(encoding="utf-8") + f"# {n}\n", encoding="utf-8"),
        "quota": lambda f, n: change(tables("units.yaml"), r"(\w+): (\d+)(?=[,}])",
                                     lambda m: f"{m[1]}: {rng.randint(0, 9)}"),
        "quota of no category (L003)": lambda f, n: change(tables("units.yaml"), r"quotas: \{",
                                                           lambda m: "quotas: {没有: 1, "),
        "unit name (N001)": lambda f, n: change(tables("units.yaml"), r"^    name: (\S+)$",
                                                lambda m: f'    name: "{m[1]} "'),
        "category name": lambda f, n: change(tables("categories.yaml"), r"^    name: ", lambda m: f"    name: 改{n}"),
        "category twice (L001)": lambda f, n: change(tables("categories.yaml"), r"^  - id: \w+$",
                                                     lambda m: "  - id: home"),
        "the day": lambda f, n: setattr(session.options, "today", rng.choice((DAY, DECISION_DAY))),
    }
    order = list(saves) * 2
    rng.shuffle(order)
    written = _rebuild_as_clean_after_each(session, project, tmp_path, saves, order, lambda: rng.choice(lists()))
    assert 0 < written < len(order)  # both kinds of rebuild were compared


def _rebuild_as_clean_after_each(session: RebuildSession, project: Path, tmp_path: Path, saves: dict,
                                 order: list[str], pick) -> int:
    """Make each save of `order` (to the list file `pick()` gives), rebuild the preview, and
    compare it with a clean build of the same files: the findings in order, whether a site was
    written, every byte of it. Returns how many rebuilds wrote a site."""
    written = 0
    for number, kind in enumerate(order):
        saves[kind](pick(), number)
        served = session.rebuild()
        clean = build_project(project, BuildOptions(output=tmp_path / "clean", today=session.options.today))
        assert _said(served) == _said(clean), (number, kind)
        assert served.written == clean.written, (number, kind)
        if served.written:
            written += 1
            assert tree_bytes(project / "output") == tree_bytes(tmp_path / "clean"), (number, kind)
    return written


# The 2019 示例's 公示 and 决定 days (content/2019-shili): with both 2018 stages, every list of both.
DAYS = (DAY, DECISION_DAY, dt.date(2019, 5, 8), dt.date(2019, 5, 25))
# A name's characters without stroke data (O002): beyond the package's range, and a letter.
NO_STROKES = ("𪚥", "𫝼", "A")


def test_random_saves_to_what_orders_and_groups_the_lists_rebuild_as_a_clean_build_does(
        project, tmp_path, monkeypatch):
    """The sibling of the test above for what the preview's order memo (load.ordering: the
    sorted groups of the very records, for the very stroke table), the unit groups'
    fingerprints (memo._parts) and the downloads' parts (downloads.Parts) are made from:
    after each of a fixed-seed sequence of saves (data/strokes.yaml's corrections of
    characters the names use, a category's `order`, `group_by_unit`, a category's name,
    action or measure, two recipients swapped, a title that starts like a formula, a name with
    a character without stroke data, names that tie, a list of one unit), on the 公示 and 决定
    days of both announcements, with the lists cut into pages of a few rows, the rebuild
    reports exactly a clean build's findings, in order, and writes exactly its bytes. A list
    saved is saved with its 决定 twin (the same line, the same swap), so that most rebuilds
    publish."""
    from gongshi.site import pages

    monkeypatch.setattr(pages, "LIST_PAGE_ROWS", 5)  # every category is cut into parts
    rng = random.Random(20261205)
    data = project / "data"
    for listed in data.glob("2018-mofan/recipients/*.yaml"):  # a few of each list: quick builds
        head, *items = re.split(r"(?m)^(?=  - name: )", listed.read_text(encoding="utf-8"))
        listed.write_text(head + "".join(items[:8]), encoding="utf-8")
    (data / "2018-mofan" / "rules.yaml").unlink()  # its shares are of the whole lists
    add_2018_decision(project)
    strokes, home_2019 = data / "strokes.yaml", sorted(data.glob("2019-shili/*/home.yaml"))
    corrections_header = strokes.read_text(encoding="utf-8")
    originals = {p: p.read_bytes() for p in data.rglob("*.yaml")}
    session = RebuildSession(project, project / "output")
    session.options.today = DAYS[2]

    def lists() -> list[Path]:
        return sorted(p for p in data.glob("*/*/*.yaml") if p.parent.name in ("recipients", "decision"))

    def twins(path: Path) -> list[Path]:
        other = path.parent.parent / {"recipients": "decision", "decision": "recipients"}[path.parent.name] / path.name
        return [path, other] if other.exists() else [path]

    def changed_names() -> str:
        return "".join(p.read_text(encoding="utf-8") for p in data.glob("*/changes.yaml"))

    def named(path: Path) -> list[tuple[str, str]]:
        """(name, unit) of each recipient of a list whose change changes.yaml does not record."""
        recorded = changed_names()
        return [(name, unit) for name, unit in re.findall(r"(?m)^  - name: (\S+)\n    unit: (\S+)\n",
                                                          path.read_text(encoding="utf-8"))
                if f"name: {name}\n" not in recorded]

    def record(edit, path: Path | None = None, name: str | None = None) -> None:
        """A recipient of a list (any), and the same one in its twin, made anew (`edit`: its
        lines -> new lines)."""
        if path is None or name is None:
            path, name = rng.choice([(p, name) for p in lists() for name, _ in named(p)])
        new = None
        for each in twins(path):
            text = each.read_text(encoding="utf-8")
            found = re.search(rf"(?m)^  - name: {re.escape(name)}\n(?:    .*\n)*", text)
            if found:
                new = new or edit(found[0])
                each.write_text(text[:found.start()] + new + text[found.end():], encoding="utf-8")

    def renamed(lines: str, name: str) -> str:
        """`lines` of a recipient named `name`, unless a list already has that name."""
        if any(f"  - name: {name}\n" in p.read_text(encoding="utf-8") for p in lists()):
            return lines
        return re.sub(r"^  - name: \S+", lambda m: f"  - name: {name}", lines)

    def tie(path: Path, number: int) -> None:
        """Two recipients of one unit in a list named 田甲 and 由甲: the same strokes (O001)."""
        units: dict[str, list[str]] = {}
        for name, unit in named(path):
            units.setdefault(unit, []).append(name)
        pairs = [names for names in units.values() if len(names) > 1]
        if pairs:
            for name, new in zip(rng.sample(rng.choice(pairs), 2), ("田甲", "由甲")):
                record(functools.partial(renamed, name=new), path, name)

    def swap(path: Path, number: int) -> None:
        """Two recipients of a list swapped, and the same two of its twin."""
        text = path.read_text(encoding="utf-8")
        first, second = rng.sample(re.findall(r"(?m)^  - name: (\S+)$", text), 2)
        for each in twins(path):
            head, *items = re.split(r"(?m)^(?=  - name: )", each.read_text(encoding="utf-8"))
            where = {re.match(r"  - name: (\S+)", item)[1]: i for i, item in enumerate(items)}
            if first in where and second in where and items[-1].endswith("\n"):
                i, j = where[first], where[second]
                items[i], items[j] = items[j], items[i]
                each.write_text(head + "".join(items), encoding="utf-8")

    def corrections(path: Path, number: int) -> None:
        names = {c for p in lists() for n in re.findall(r"(?m)^  - name: (\S+)$", p.read_text(encoding="utf-8"))
                 for c in n[:3] if "\u4e00" <= c <= "\u9fa5"}  # what orders most names
        entries = [f'- 字: {c}\n  笔顺: "{"".join(rng.choices("12345", k=rng.randint(1, 14)))}"\n  说明: 测试\n'
                   for c in rng.sample(sorted(names), 6)]
        strokes.write_text(corrections_header + "".join(entries), encoding="utf-8")

    def order(path: Path, number: int) -> None:
        categories = rng.choice(sorted(data.glob("*/categories.yaml")))
        text = re.sub(r"(?m)^    order: .*\n", "", categories.read_text(encoding="utf-8"))
        found = rng.choice(list(re.finditer(r"(?m)^    subject: (\w+)\n", text)))
        words = ["拼音", "原顺序", "笔画"] + (["姓氏笔画", "姓名笔画"] if found[1] == "person" else [])
        categories.write_text(text[:found.end()] + f"    order: {rng.choice(words)}\n" + text[found.end():],
                              encoding="utf-8")

    def grouping(path: Path, number: int) -> None:
        """An announcement's lists grouped by unit, or no longer (the default: grouped)."""
        announcement = rng.choice(sorted(data.glob("*/announcement.yaml")))
        text = announcement.read_text(encoding="utf-8")
        grouped = "group_by_unit: false\n" not in text
        text = re.sub(r"(?m)^group_by_unit: .*\n", "", text)
        announcement.write_text(text + f"group_by_unit: {'false' if grouped else 'true'}\n", encoding="utf-8")

    def category(path: Path, number: int) -> None:
        """A category's name, action or measure changed (what its download lines say)."""
        field = rng.choice(["name", "action", "measure"])
        categories = rng.choice(sorted(data.glob("*/categories.yaml")))
        text = categories.read_text(encoding="utf-8")
        found = rng.choice(list(re.finditer(rf"(?m)^    {field}: (\S+)$", text)))
        new = {"name": f"{found[1]}改", "action": "命名" if found[1] == "表彰" else "表彰",
               "measure": "名" if found[1] == "个" else "个"}[field]
        categories.write_text(text[:found.start(1)] + new + text[found.end(1):], encoding="utf-8")

    def one_unit(path: Path, number: int) -> None:
        """The 2019 示例's 模范职工之家 of 示例甲县 alone (a category of one unit: grouped or not, its
        one group differs only in its unit), or of both units again."""
        alone = rng.random() < 0.7
        for each in home_2019:
            text = originals[each].decode("utf-8")
            if alone:
                text = re.sub(r"(?m)^  - name: .*\n    unit: 示例乙区\n(?:    .*\n)*", "", text)
            each.write_text(text, encoding="utf-8")

    saves = {
        "corrections": corrections,
        "order": order,
        "group_by_unit": grouping,
        "category": category,
        "swap": swap,
        "formula title (X003)": lambda f, n: record(lambda lines: re.sub(
            r"(?m)^    title: .*$", '    title: "=1+1"', lines)),
        "no stroke data (O002)": lambda f, n: record(lambda lines: renamed(
            lines, re.match(r"  - name: (\S+)", lines)[1] + rng.choice(NO_STROKES))),
        "tie (O001)": tie,
        "one unit": one_unit,
        "the day": lambda f, n: setattr(session.options, "today", rng.choice(DAYS)),
        "restored": lambda f, n: [p.write_bytes(originals[p]) for restored in rng.sample(sorted(originals), 3)
                                  for p in (twins(restored) if restored in lists() else [restored])],
    }
    order_of_saves = list(saves) * 3
    rng.shuffle(order_of_saves)
    written = _rebuild_as_clean_after_each(session, project, tmp_path, saves, order_of_saves,
                                           lambda: rng.choice(lists()))
    assert written > len(order_of_saves) * 2 // 3  # most rebuilds publish
