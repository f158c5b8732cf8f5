"""A preview's load (load.reuse): the parts made from files whose bytes did not change are the
very objects the last load made, with the same findings, in the same order, as making them
again gives; a part made from a changed file, or from parts made again, is made again."""

from __future__ import annotations

from pathlib import Path

from gongshi.files.yamlfile import parsed_cache
from gongshi.findings import Findings
from gongshi.load.loader import LoadResult, load_site
from gongshi.load.reuse import Same, reused, reusing

SLUG = "2018-mofan"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_part_is_handed_out_again_with_its_findings_only_under_the_same_key():
    made = []

    def make(value):
        made.append(value)
        findings.warning("N001", f"made {value}")
        return [value]

    store: dict = {}
    findings = Findings()
    with reusing(store):
        first = reused(("a", 1), findings, make, "甲")
        other = reused(("b", 1), findings, make, "乙")
    findings = Findings()
    with reusing(store):
        again = reused(("a", 1), findings, make, "丙")
    assert again is first and other == ["乙"] and made == ["甲", "乙"]
    assert [f.message for f in findings] == ["made 甲"]  # reported again
    assert list(store) == [("a", 1)]  # only what the last load used is kept
    findings = Findings()
    assert reused(("a", 1), findings, make, "丁") == ["丁"]  # no store (a clean build): made
    assert made[-1] == "丁" and len(findings) == 1


def test_a_key_part_by_identity_matches_only_the_very_same_object():
    units = ("甲",)
    assert Same(units) == Same(units) and hash(Same(units)) == hash(Same(units))
    assert Same(units) != Same(tuple(["甲"])) and Same(units) != units


def load(project: Path, parsed: dict, loaded: dict) -> LoadResult:
    with parsed_cache(parsed), reusing(loaded):
        return load_site(project)


def by_file(result: LoadResult) -> dict[str, list]:
    [announcement] = [a for a in result.site.announcements if a.slug == SLUG]
    files: dict[str, list] = {}
    for recipient in announcement.recipients:
        files.setdefault(recipient.location.file, []).append(recipient)
    return files


def test_a_preview_load_hands_out_again_the_records_of_every_list_file_not_saved(project):
    lists = project / "data" / SLUG / "recipients"
    edit(lists / "home.yaml", "  - name: 沁阳市示例康信机械有限公司工会委员会",
         '  - name: "沁阳市示例康信机械有限公司工会委员会 "')  # a warning (N001) in a file not saved again
    parsed: dict = {}
    loaded: dict = {}
    first = load(project, parsed, loaded)
    edit(lists / "worker.yaml", "title: ", "title: 改")
    second = load(project, parsed, loaded)
    clean = load_site(project)
    assert [(f.code, f.message, f.location) for f in second.findings] == \
        [(f.code, f.message, f.location) for f in clean.findings]
    assert any(f.code == "N001" and f.location.file.endswith("home.yaml") for f in second.findings)
    before, after = by_file(first), by_file(second)
    assert before.keys() == after.keys()
    for name, records in after.items():
        same = [a is b for a, b in zip(records, before[name], strict=True)]
        assert all(same) if not name.endswith("/worker.yaml") else not any(same), name
    [old] = [a for a in first.site.announcements if a.slug == SLUG]
    [new] = [a for a in second.site.announcements if a.slug == SLUG]
    assert new.categories is old.categories and new.units is old.units


def test_records_are_made_again_for_units_made_again(project):
    parsed: dict = {}
    loaded: dict = {}
    first = load(project, parsed, loaded)
    edit(project / "data" / SLUG / "units.yaml", "activist: 8, friend: 5}", "activist: 8, friend: 6}")
    second = load(project, parsed, loaded)
    [old] = [a for a in first.site.announcements if a.slug == SLUG]
    [new] = [a for a in second.site.announcements if a.slug == SLUG]
    assert new.categories is old.categories and new.units is not old.units
    units = {id(unit) for unit in new.units}
    assert all(id(r.unit) in units for r in new.recipients)
    assert not {id(r) for r in new.recipients} & {id(r) for r in old.recipients}
    assert new.recipients == old.recipients  # the same records, made again


def test_a_list_file_that_fails_is_reported_again_while_it_is_not_saved(project):
    lists = project / "data" / SLUG / "recipients"
    edit(lists / "home.yaml", "unit: ", "unit: 没有这个单位")  # L008: one record left out
    parsed: dict = {}
    loaded: dict = {}
    load(project, parsed, loaded)
    edit(lists / "worker.yaml", "title: ", "title: 改")
    second = load(project, parsed, loaded)
    assert [f.code for f in second.findings.errors] == ["L008"]
    [announcement] = [a for a in second.site.announcements if a.slug == SLUG]
    assert announcement.incomplete == frozenset({"home"})


def test_a_preview_sorts_again_only_the_groups_of_a_changed_list(project, tmp_path, monkeypatch):
    """The ordering of a group of the very records the load handed out again is handed out
    again too, with what it reported (O002 here: a character without stroke data)."""
    from gongshi.load import ordering
    from gongshi.pipeline import BuildOptions, check_project
    from gongshi.serve import RebuildSession

    lists = project / "data" / SLUG / "recipients"
    edit(lists / "home.yaml", "  - name: 沁阳市示例康信", "  - name: 沁阳市示例𰻞康信")
    sorted_files: list[str] = []
    sort_group = ordering._sort_group

    def spy(members, table, findings):
        sorted_files.append(members[0].location.file)
        return sort_group(members, table, findings)

    monkeypatch.setattr(ordering, "_sort_group", spy)
    session = RebuildSession(project, project / "output")
    assert session.rebuild().written
    everything = set(sorted_files)
    assert any(name.endswith("/home.yaml") for name in everything)
    sorted_files.clear()
    edit(lists / "worker.yaml", "title: ", "title: 改")
    result = session.rebuild()
    assert sorted_files and {name.rsplit("/", 1)[-1] for name in sorted_files} == {"worker.yaml"}
    clean = check_project(project, BuildOptions())
    assert [(f.code, f.message, f.location) for f in result.findings] == \
        [(f.code, f.message, f.location) for f in clean.findings]
    assert any(f.code == "O002" for f in result.findings)
    assert [r.name for a in result.site.announcements for r in a.recipients] == \
        [r.name for a in clean.site.announcements for r in a.recipients]


def test_a_list_file_handed_out_again_stays_parsed_for_the_next_load(project, monkeypatch):
    """Records taken from the last load are not parsed now; their file's parsed value must
    still be kept, or the next save of units.yaml (which makes every record again) would parse
    every list file again where it used to take them from the preview's parsed files."""
    from gongshi.files import yamlfile

    parsed_now: list[str] = []
    parse = yamlfile.parse_bytes
    monkeypatch.setattr(yamlfile, "parse_bytes", lambda raw, shown: parsed_now.append(shown) or parse(raw, shown))
    parsed: dict = {}
    loaded: dict = {}
    load(project, parsed, loaded)
    edit(project / "data" / SLUG / "recipients" / "worker.yaml", "title: ", "title: 改")
    load(project, parsed, loaded)
    edit(project / "data" / SLUG / "units.yaml", "activist: 8, friend: 5}", "activist: 8, friend: 6}")
    parsed_now.clear()
    third = load(project, parsed, loaded)
    assert parsed_now == [f"data/{SLUG}/units.yaml"]
    assert [(f.code, f.message, f.location) for f in third.findings] == \
        [(f.code, f.message, f.location) for f in load_site(project).findings]
