"""Writing output: staged, swapped in whole, never half-written; one build at a time; only a
folder the tool made is ever replaced; the Windows swap (tested here on Linux by forcing it)."""

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import filelock
import pytest
from conftest import FIXED_DAY, REPO, run_cli
from support.trees import tree_bytes

from gongshi import pipeline
from gongshi.fsproblems import OutputProblem, os_error_finding
from gongshi.site import output as output_module
from gongshi.site.outdir import STAMP, STAMP_TEXT, output_folder
from gongshi.site.output import BuildLock, OutputBusy, StagedOutput, tree_files


def make_output(folder, text="old"):
    """A folder an earlier build made: stamped."""
    folder.mkdir()
    (folder / "index.html").write_text(text)
    (folder / STAMP).write_bytes(STAMP_TEXT)
    return folder


def leftovers(*folders):
    """What a build may leave beside (or inside) the output: staging, old and lock files (not
    the project's own .gongshi.lock, nor the stamp)."""
    return [p.name for folder in folders for p in folder.iterdir()
            if p.name.startswith(".gongshi-") and p.name not in (".gongshi.lock", STAMP)]


@pytest.fixture
def no_wait(monkeypatch):
    monkeypatch.setattr(output_module, "RETRY_DELAY", 0)


# ------------------------------------------------------------------ staging and swapping

def test_commit_replaces_the_whole_folder(tmp_path):
    target = make_output(tmp_path / "output")
    (target / "stale.html").write_text("gone")
    with StagedOutput(target) as staged:
        staged.write("index.html", b"new")
        staged.write("a/b/index.html", b"deep")
        staged.commit()
    assert (target / "index.html").read_text() == "new"
    assert (target / "a/b/index.html").read_text() == "deep"
    assert not (target / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_an_error_midway_leaves_the_old_output_and_no_leftovers(tmp_path):
    target = make_output(tmp_path / "output")
    with pytest.raises(RuntimeError), StagedOutput(target) as staged:
        staged.write("index.html", b"half")
        raise RuntimeError("render failed")
    assert (target / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_first_build_creates_the_folder_with_the_stamp(tmp_path):
    with StagedOutput(tmp_path / "output") as staged:
        staged.write("index.html", b"first")
        staged.commit()
    assert (tmp_path / "output/index.html").read_text() == "first"
    stamp = (tmp_path / "output" / STAMP).read_text(encoding="utf-8")
    assert stamp.startswith("gongshi-site\n") and "gongshi 生成的网站" in stamp


def test_the_built_site_carries_the_stamp_in_its_checksums(built_site):
    assert (built_site / STAMP).read_bytes() == STAMP_TEXT
    listed = (built_site / "SHA256SUMS").read_text(encoding="utf-8")
    assert f"  {STAMP}\n" in listed


KILLED_MIDWAY = """
import os, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from gongshi.site.output import StagedOutput
staged = StagedOutput(Path({target!r})).__enter__()
staged.write("index.html", b"half-written")
os._exit(9)  # killed before commit, holding its staging lock
"""


def test_a_build_killed_midway_leaves_the_previous_output_whole(tmp_path):
    target = make_output(tmp_path / "output")
    code = KILLED_MIDWAY.format(repo=str(REPO), target=str(target))
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 9
    assert (target / "index.html").read_text() == "old"
    assert leftovers(tmp_path)  # the killed build's staging folder and its lock file
    with StagedOutput(target):  # the next build starts by clearing them
        assert len(leftovers(tmp_path)) == 2  # only its own staging folder and lock
    assert leftovers(tmp_path) == []
    assert (target / "index.html").read_text() == "old"


def test_a_running_build_keeps_its_staging_folder(tmp_path):
    """Another build's leftovers are removed only when it no longer runs (its lock is free):
    two outputs side by side in one web root must not remove each other's staging."""
    first = StagedOutput(tmp_path / "a").__enter__()
    try:
        first.write("index.html", b"a")
        with StagedOutput(tmp_path / "a"):
            assert first.staging.is_dir()
        with StagedOutput(tmp_path / "b"):
            assert first.staging.is_dir()
        first.commit()
    finally:
        first.__exit__(None, None, None)
    assert (tmp_path / "a/index.html").read_text() == "a"
    assert leftovers(tmp_path) == []


def test_published_files_are_world_readable_whatever_the_umask(project):
    previous = os.umask(0o077)
    try:
        result = run_cli("build", "--today", FIXED_DAY, project=project)
    finally:
        os.umask(previous)
    assert result.code == 0, result.output
    site = project / "output"
    modes = {p.relative_to(site).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in [site, *site.rglob("*")]}
    assert modes["."] == 0o755
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o755 if (site / name).is_dir() else 0o644)}
    assert wrong == {}
    assert len(modes) > 50


# ------------------------------------------------------------ which folder may be replaced

def test_an_empty_or_new_or_stamped_folder_may_be_replaced(tmp_path):
    (tmp_path / "empty").mkdir()
    make_output(tmp_path / "stamped")
    for name in ("empty", "new/deeper", "stamped"):
        assert output_folder(tmp_path / name) == tmp_path / name


def test_a_folder_with_other_files_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "index.php").write_text("<?php // the portal")
    with pytest.raises(OutputProblem) as refused, StagedOutput(folder):
        pytest.fail("a refused folder must not be staged")
    assert refused.value.finding.code == "W004"
    assert "“index.php”" in refused.value.finding.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["www"]
    assert tree_bytes(folder) == {"index.php": b"<?php // the portal"}


def test_a_forged_stamp_must_say_gongshi(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / STAMP).write_text("something else")
    (folder / "index.html").write_text("mine")
    with pytest.raises(OutputProblem):
        output_folder(folder)


def earlier_build(folder, extra=None):
    """A site from before the stamp: SHA256SUMS lists exactly its files."""
    files = {"index.html": "i", "404.html": "n", "robots.txt": "r", "feed.xml": "f",
             "2018-mofan/gongshi/index.html": "g"}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    lines = [f"{'0' * 64}  {name}" for name in sorted(files)]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    if extra:
        (folder / extra).write_text("not listed")
    return folder


def test_an_output_from_before_the_stamp_is_still_replaced(project):
    earlier_build(project / "output")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    assert (project / "output" / STAMP).is_file()
    assert (project / "output/index.html").read_text(encoding="utf-8") != "i"


def test_a_folder_whose_checksums_do_not_list_every_file_is_refused(tmp_path):
    folder = tmp_path / "output"
    folder.mkdir()
    earlier_build(folder, extra="notes.txt")
    with pytest.raises(OutputProblem) as refused:
        output_folder(folder)
    assert refused.value.finding.code == "W004"


def test_the_home_folder_and_folders_above_it_are_refused(tmp_path, monkeypatch, project):
    home = tmp_path / "users/staff"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for folder, relation in ((home, "就是"), (home.parent, "包含")):
        result = run_cli("build", "--output", str(folder), project=project)
        assert result.code == 1
        assert f"错误 W003：输出文件夹 {folder} {relation}您的主文件夹（{home}）" in result.stderr
    assert list(home.parent.iterdir()) == [home] and list(home.iterdir()) == []


def test_serve_refuses_a_folder_it_must_not_replace(project, capsys):
    from gongshi.serve import serve
    before = tree_bytes(project / "data")
    assert serve(project, "127.0.0.1", 8999, project / "data") == 1
    out = capsys.readouterr()
    assert "错误 W002" in out.out and "无法生成预览" in out.err
    assert tree_bytes(project / "data") == before


# ------------------------------------------------------------------ a symlinked output

def test_a_symlinked_output_swaps_in_at_its_target(project, tmp_path):
    www = tmp_path / "www"
    www.mkdir()  # an empty web root
    link = project / "output"
    link.symlink_to(www)
    for day in (FIXED_DAY, "2018-11-12"):  # twice: the second replaces a stamped target
        result = run_cli("build", "--today", day, project=project)
        assert result.code == 0, result.output
        assert f"（即链接指向的 {www}）" in result.stdout
        assert link.is_symlink() and os.readlink(link) == str(www)
        assert (www / STAMP).is_file() and (www / "2018-mofan/gongshi/index.html").is_file()
        assert leftovers(tmp_path, project, www) == []
    assert "已结束" in (www / "index.html").read_text(encoding="utf-8")


def test_a_symlinked_output_to_a_foreign_folder_is_refused(project, tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.php").write_text("portal")
    (project / "output").symlink_to(www)
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1
    assert "错误 W004" in result.stderr and f"是指向 {www} 的符号链接" in result.stderr
    assert tree_bytes(www) == {"index.php": b"portal"} and (project / "output").is_symlink()


def test_a_symlinked_output_into_the_data_folder_is_refused(project):
    (project / "output").symlink_to(project / "data")
    before = tree_bytes(project / "data")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1 and "错误 W002" in result.stderr
    assert tree_bytes(project / "data") == before


def test_an_output_link_that_loops_is_a_chinese_error(project):
    (project / "output").symlink_to("output")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1, result.output
    assert "错误 W023：output 是循环的符号链接" in result.stderr
    assert (project / "output").is_symlink()


def test_a_static_folder_that_loops_is_a_chinese_error(project):
    import shutil
    shutil.rmtree(project / "static")
    (project / "static").symlink_to("static")
    for command in ("build", "check"):
        result = run_cli(command, project=project)
        assert result.code == 1, result.output
        assert "W023" in result.output and "static/" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------ static/ and its links

def test_links_inside_static_are_followed_links_out_are_refused(tmp_path):
    root = tmp_path / "project"
    static = root / "static"
    (static / "css").mkdir(parents=True)
    (static / "css/site.css").write_text("body{}")
    (root / "data").mkdir()
    (root / "data/private.yaml").write_text("cadre_level: x")
    (static / "alias.css").symlink_to("css/site.css")
    (static / "again").symlink_to("css")
    files, refused = tree_files(static, "static", root)
    assert [name for name, _ in files] == ["again/site.css", "alias.css", "css/site.css"]
    assert refused == []
    (static / "private").symlink_to("../data")
    (static / "passwd").symlink_to("/etc/passwd")
    (static / "css/up").symlink_to("..")
    (static / "gone.css").symlink_to("nowhere.css")
    files, refused = tree_files(static, "static", root)
    by_file = {f.location.file: f for f in refused}
    assert sorted(by_file) == ["static/again/up", "static/css/up", "static/gone.css", "static/passwd",
                               "static/private"]
    assert by_file["static/passwd"].code == "W030" and "项目之外" in by_file["static/passwd"].message
    assert by_file["static/private"].code == "W030" and "static/ 以外" in by_file["static/private"].message
    assert by_file["static/css/up"].code == "W032" and by_file["static/gone.css"].code == "W031"


def test_check_reports_a_static_link_out_of_the_project_too(project):
    (project / "static/secrets").symlink_to("/etc")
    result = run_cli("check", project=project)
    assert result.code == 1 and "W030" in result.stdout and "static/secrets" in result.stdout


# ------------------------------------------------ unchanged files linked from the site replaced

def _files(site: Path) -> dict[str, os.stat_result]:
    return {p.relative_to(site).as_posix(): p.lstat() for p in site.rglob("*") if not p.is_dir()}


def test_a_rebuild_links_the_files_it_makes_again_and_writes_the_others(project, tmp_path):
    two = {"GONGSHI_WORKERS": "2"}  # the second process (search index, pages) links its files too
    site = project / "output"
    assert run_cli("build", "--today", FIXED_DAY, project=project, env=two).code == 0
    before, old_bytes = _files(site), tree_bytes(site)
    worker = project / "data/2018-mofan/recipients/worker.yaml"
    text = worker.read_text(encoding="utf-8")
    worker.write_text(text.replace("瑞德钢构有限公司工会副主席", "瑞德钢构有限公司工会主席", 1), encoding="utf-8")
    result = run_cli("build", "--today", FIXED_DAY, project=project, env=two)
    assert result.code == 0, result.output
    after, new_bytes = _files(site), tree_bytes(site)
    fresh = run_cli("build", "--today", FIXED_DAY, "--output", str(tmp_path / "fresh"), project=project)
    assert fresh.code == 0 and tree_bytes(tmp_path / "fresh") == new_bytes  # as a first build makes them
    same = {path for path in after if old_bytes.get(path) == new_bytes[path]}
    changed = set(after) - same
    assert {path for path in same if (after[path].st_ino, after[path].st_mtime_ns)
            != (before[path].st_ino, before[path].st_mtime_ns)} == set()  # the very files, untouched
    assert {path for path in changed & before.keys() if after[path].st_ino == before[path].st_ino} == set()
    assert {path for path, status in after.items() if status.st_nlink != 1 or not stat.S_ISREG(status.st_mode)
            or stat.S_IMODE(status.st_mode) != 0o644} == set()
    assert "SHA256SUMS" in changed
    for part in ("search/", "2018-mofan/units/"):  # made by either process, each way
        assert any(path.startswith(part) for path in same), part
        assert any(path.startswith(part) for path in changed), part
    assert len(same) > 3 * len(changed)


def test_a_fresh_build_writes_every_file_anew_and_links_none(project):
    """build --fresh: the same bytes as a build that links, every file a new one (a benchmark
    of full builds times this: nothing reused from the site it replaces)."""
    two = {"GONGSHI_WORKERS": "2"}  # both processes' files
    site = project / "output"
    assert run_cli("build", "--today", FIXED_DAY, project=project, env=two).code == 0
    before, built = _files(site), tree_bytes(site)
    result = run_cli("build", "--today", FIXED_DAY, "--fresh", project=project, env=two)
    assert result.code == 0, result.output
    after = _files(site)
    assert tree_bytes(site) == built and after.keys() == before.keys()
    assert {path for path in after if after[path].st_ino == before[path].st_ino} == set()
    assert any(path.startswith("search/") for path in after) and any(path.startswith("2018-mofan/units/") for path in after)
    assert run_cli("build", "--today", FIXED_DAY, project=project, env=two).code == 0  # and without it, linked again
    again = _files(site)
    assert {path for path in again if again[path].st_ino != after[path].st_ino} == set()


def test_a_file_of_the_old_site_is_linked_only_if_nothing_else_shares_it(project, tmp_path):
    site = project / "output"
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    built = tree_bytes(site)
    robots = site / "robots.txt"  # edited in place: the same size, other bytes
    robots.write_bytes(bytes(reversed(built["robots.txt"])))
    kept = tmp_path / "kept.html"  # a hard link made by someone else (a backup, say)
    os.link(site / "404.html", kept)
    outside = tmp_path / "feed.xml"  # a symbolic link to a file with the very bytes
    outside.write_bytes(built["feed.xml"])
    (site / "feed.xml").unlink()
    (site / "feed.xml").symlink_to(outside)
    elsewhere = tmp_path / "elsewhere"  # a folder of the site moved away, a symbolic link in its place
    elsewhere.mkdir()
    (site / "2018-mofan/units").rename(elsewhere / "units")
    (site / "2018-mofan/units").symlink_to(elsewhere / "units")
    os.chmod(site / "index.html", 0o600)  # taken down in a hurry: not linked, so left as it is
    before = _files(site)
    elsewhere_before = _files(elsewhere)
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    after = _files(site)
    assert tree_bytes(site) == built
    relinked = {path for path in after if path in before and after[path].st_ino == before[path].st_ino}
    assert relinked and {"robots.txt", "404.html", "feed.xml", "index.html"} & relinked == set()
    assert not any(path.startswith("2018-mofan/units/") for path in relinked)
    assert stat.S_IMODE(after["index.html"].st_mode) == 0o644
    assert kept.stat().st_nlink == 1 and outside.stat().st_nlink == 1 and outside.read_bytes() == built["feed.xml"]
    assert not (site / "feed.xml").is_symlink() and not (site / "2018-mofan/units").is_symlink()
    assert {path: (status.st_nlink, stat.S_IMODE(status.st_mode), status.st_ino)
            for path, status in _files(elsewhere).items()} == {
        path: (1, stat.S_IMODE(status.st_mode), status.st_ino) for path, status in elsewhere_before.items()}


def test_a_failed_build_leaves_the_old_site_as_it_was_file_modes_too(project):
    site = project / "output"
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    os.chmod(site / "index.html", 0o600)
    before = {path: (status.st_ino, status.st_mode, status.st_nlink) for path, status in _files(site).items()}
    (project / "static/passwd").symlink_to("/etc/passwd")  # refused (W030) after every page is made
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1 and "W030" in result.output
    assert {path: (status.st_ino, status.st_mode, status.st_nlink) for path, status in _files(site).items()} == before


def test_where_no_hard_link_can_be_made_every_file_is_written(project, monkeypatch):
    site = project / "output"
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    built, before = tree_bytes(site), _files(site)
    tried = []

    def no_links(source, destination, **_):
        tried.append(source)
        raise OSError(errno.EPERM, "Operation not permitted", str(source))

    monkeypatch.setattr(os, "link", no_links)  # FAT, or a share that has no hard links
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    after = _files(site)
    assert tree_bytes(site) == built and not any(after[p].st_ino == before[p].st_ino for p in after)
    assert 1 <= len(tried) <= 2  # once by each writer of the build (pages; the stamp and static files)


def test_a_file_replaced_or_changed_after_it_was_compared_is_not_linked(tmp_path, monkeypatch):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    (old / "a.html").write_bytes(b"same")
    link = os.link

    def replaced_first(source, destination, **options):  # another file with the bytes put there
        os.replace(_made(tmp_path / "other.html", b"same"), source)
        link(source, destination, **options)

    def changed_first(source, destination, **options):  # the same file, written to meanwhile
        with open(source, "r+b") as handle:
            handle.write(b"SAME")
        os.utime(source, ns=(0, 1))
        link(source, destination, **options)

    for meanwhile in (replaced_first, changed_first):
        monkeypatch.setattr(os, "link", meanwhile)
        assert output_module._link_same(str(old / "a.html"), new / "a.html", (old / "a.html").read_bytes()) is False
        assert list(new.iterdir()) == []
    monkeypatch.setattr(os, "link", link)
    data = (old / "a.html").read_bytes()
    assert output_module._link_same(str(old / "a.html"), new / "a.html", data) is True
    assert output_module._link_same(str(old / "a.html"), new / "b.html", data) is False  # now shared
    assert output_module._link_same(str(old / "missing.html"), new / "c.html", data) is False
    (old / "d.html").write_bytes(b"sane")
    assert output_module._link_same(str(old / "d.html"), new / "d.html", b"same") is False  # same size
    assert sorted(p.name for p in new.iterdir()) == ["a.html"]


def _made(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ------------------------------------------------------- the swap without renameat2 (Windows)

class FlakyRename:
    """os.rename that fails with PermissionError (a file held open on Windows) as told."""

    def __init__(self, fails):
        self.fails = fails  # (source name prefix, destination name prefix) -> failures left
        self.calls = []

    def __call__(self, source, destination):
        self.calls.append((Path(source).name, Path(destination).name))
        for (src, dst), left in self.fails.items():
            if Path(source).name.startswith(src) and Path(destination).name.startswith(dst) and left:
                self.fails[(src, dst)] = left - 1
                raise PermissionError(errno.EACCES, "in use", str(source))
        os.rename(source, destination)


@pytest.fixture
def windows_swap(monkeypatch, no_wait):
    monkeypatch.setattr(output_module, "_exchange", lambda a, b: False)


def install(monkeypatch, rename):
    monkeypatch.setattr(output_module, "_rename", rename)
    return rename


def test_the_fallback_swap_retries_while_files_are_in_use(tmp_path, monkeypatch, windows_swap):
    target = make_output(tmp_path / "output")
    rename = install(monkeypatch, FlakyRename({("output", ".gongshi-old-"): 2,
                                               (".gongshi-build-", "output"): 3}))
    with StagedOutput(target) as staged:
        staged.write("index.html", b"new")
        staged.commit()
    assert (target / "index.html").read_text() == "new"
    assert len(rename.calls) == 2 + 1 + 3 + 1
    assert leftovers(tmp_path) == [] and staged.notes == []


def test_the_fallback_swap_puts_the_old_site_back_when_the_new_one_cannot_go_in(
        tmp_path, monkeypatch, windows_swap):
    target = make_output(tmp_path / "output")
    install(monkeypatch, FlakyRename({(".gongshi-build-", "output"): 99}))
    with pytest.raises(PermissionError), StagedOutput(target) as staged:
        staged.write("index.html", b"new")
        staged.commit()
    assert tree_bytes(target) == {"index.html": b"old", STAMP: STAMP_TEXT}
    assert leftovers(tmp_path) == []


def test_when_even_the_rollback_fails_the_next_build_puts_the_old_site_back(
        tmp_path, monkeypatch, windows_swap):
    target = make_output(tmp_path / "output")
    install(monkeypatch, FlakyRename({(".gongshi-build-", "output"): 99,
                                      (".gongshi-old-", "output"): 99}))
    with pytest.raises(OutputProblem) as stranded, StagedOutput(target) as staged:
        staged.write("index.html", b"new")
        staged.commit()
    assert stranded.value.finding.code == "W012"
    assert str(staged.aside) in stranded.value.finding.message
    assert not target.exists() and (staged.aside / "index.html").read_text() == "old"
    install(monkeypatch, FlakyRename({}))
    with StagedOutput(target) as restoring:  # the next build starts by putting it back
        assert (target / "index.html").read_text() == "old"
    assert [n.code for n in restoring.notes] == ["W013"]
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_an_old_site_that_cannot_be_removed_is_reported_then_removed_next_time(
        tmp_path, monkeypatch, no_wait, exchange):
    if not exchange:
        monkeypatch.setattr(output_module, "_exchange", lambda a, b: False)
    elif output_module._renameat2() is None:
        pytest.skip("no renameat2 here")
    target = make_output(tmp_path / "output")
    real_rmtree = output_module._rmtree

    def held_open(path):
        raise PermissionError(errno.EACCES, "in use", str(path))

    monkeypatch.setattr(output_module, "_rmtree", held_open)
    with StagedOutput(target) as staged:
        staged.write("index.html", b"new")
        staged.commit()
    assert (target / "index.html").read_text() == "new"
    assert [n.code for n in staged.notes] == ["W011"]
    assert "暂时无法删除" in staged.notes[0].message and "下次生成时会自动删除" in staged.notes[0].hint
    assert len(leftovers(tmp_path)) == 1  # the old site, no lock file
    monkeypatch.setattr(output_module, "_rmtree", real_rmtree)
    with StagedOutput(target):
        pass
    assert leftovers(tmp_path) == [] and (target / "index.html").read_text() == "new"


def test_output_imports_and_builds_without_posix_only_modules(tmp_path):
    """As on Windows: no fcntl (filelock then has no flock), no renameat2."""
    code = f"""
import sys, warnings
warnings.simplefilter("ignore")
sys.modules["fcntl"] = None
sys.path.insert(0, {str(REPO)!r})
from pathlib import Path
import gongshi.cli, gongshi.site.output as output
output._renameat2 = lambda: None
root = Path({str(tmp_path)!r})
(root / "output").mkdir()
for text in (b"one", b"two"):
    with output.BuildLock(root / ".gongshi.lock"):
        with output.StagedOutput(root / "output") as staged:
            staged.write("index.html", text)
            staged.commit()
print((root / "output/index.html").read_text(), sorted(p.name for p in root.iterdir()))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "two" and ".gongshi-build" not in done.stdout


# --------------------------------------------------------- file-system failures, in Chinese

def test_a_full_disk_is_a_chinese_error_naming_the_file(project, monkeypatch):
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    before = tree_bytes(project / "output")
    site_yaml = project / "data/site.yaml"  # a new site name: every page is written again, none linked
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("name: 焦作市总工会", "name: 焦作市总工会新", 1),
                         encoding="utf-8")
    written = []

    def disk_fills_up(path, data):
        written.append(path)
        if len(written) > 5:
            raise OSError(errno.ENOSPC, "No space left on device")  # as write() raises it
        with open(path, "wb") as handle:
            handle.write(data)

    monkeypatch.setattr(output_module, "_store", disk_fills_up)
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1, result.output
    shown = written[-1].relative_to(project).as_posix()
    assert f"错误 W022：磁盘空间不足，写入 {shown} 时失败。" in result.stderr
    assert "处理办法：请清理这块磁盘" in result.stderr and "网站文件夹未作改动" in result.stderr
    assert tree_bytes(project / "output") == before and leftovers(project) == []


def test_a_read_only_project_is_a_chinese_error(project, monkeypatch):
    class ReadOnly:
        def __init__(self, path, **kwargs):
            self.path = path

        def acquire(self, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied", self.path)

    monkeypatch.setattr(filelock, "FileLock", ReadOnly)  # output.py imports it where it takes a lock
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1, result.output
    assert "错误 W020：系统拒绝访问 .gongshi.lock" in result.stderr
    assert "复制到可写的文件夹" in result.stderr
    assert not (project / "output").exists()


def test_a_read_only_output_parent_is_a_chinese_error(project, monkeypatch):
    real_mkdir = os.mkdir

    def read_only(path, *args, **kwargs):
        if ".gongshi-build-" in str(path):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(output_module.os, "mkdir", read_only)
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1, result.output
    assert "错误 W021" in result.stderr and "只读" in result.stderr
    assert leftovers(project) == []


@pytest.mark.parametrize("number, code", [
    (errno.EACCES, "W020"), (errno.EPERM, "W020"), (errno.EROFS, "W021"), (errno.ENOSPC, "W022"),
    (errno.ELOOP, "W023"), (errno.ENAMETOOLONG, "W024"), (errno.EBUSY, "W025"),
    (errno.ENOENT, "W026"), (errno.EIO, "W029"),
])
def test_every_os_error_gets_a_chinese_message_with_the_path(tmp_path, number, code):
    finding = os_error_finding(OSError(number, os.strerror(number), str(tmp_path / "p/x.html")),
                               tmp_path)
    assert finding.code == code and "p/x.html" in finding.message and finding.hint
    assert finding.location.file == "p/x.html"


# ------------------------------------------------------------------------------- the lock

def test_second_lock_waits_then_gives_up_with_busy(tmp_path):
    lock_path = tmp_path / ".gongshi.lock"
    waited = []
    with BuildLock(lock_path), pytest.raises(OutputBusy), \
            BuildLock(lock_path, timeout=0.3, on_wait=lambda: waited.append(True)):
        pass
    assert waited == [True]


def test_second_lock_gets_it_when_the_first_ends(tmp_path):
    lock_path = tmp_path / ".gongshi.lock"
    first = BuildLock(lock_path).__enter__()
    released = threading.Event()

    def release():
        released.set()
        first.__exit__(None, None, None)

    threading.Timer(0.2, release).start()
    with BuildLock(lock_path, timeout=5):
        assert released.is_set()


HOLD_THE_LOCK = """
import sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from gongshi.site.output import BuildLock
with BuildLock(Path({lock!r})):
    print("locked", flush=True)
    time.sleep(600)
"""


def test_a_killed_lock_holder_never_leaves_a_stale_lock(project):
    lock = project / ".gongshi.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK.format(repo=str(REPO), lock=str(lock))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputBusy), BuildLock(lock, timeout=0):  # really held while it runs
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    assert lock.exists()  # the file stays; the operating system released the lock
    with BuildLock(lock, timeout=0):  # taken at once, no waiting
        pass
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    assert "等待" not in result.stderr


def test_the_busy_message_never_says_to_delete_the_lock(project, monkeypatch):
    monkeypatch.setattr(pipeline, "BuildLock",
                        lambda path, timeout, on_wait: BuildLock(path, 0.2, on_wait))
    with BuildLock(project / ".gongshi.lock"):
        result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1
    assert "另一个构建正在进行，等待其完成" in result.stderr
    assert "错误 W010：另一个构建" in result.stderr and "自动解除" in result.stderr
    assert ".gongshi.lock" not in result.stderr and "删除" not in result.stderr
    assert not (project / "output").exists()


def test_a_file_writer_never_writes_outside_its_folder(tmp_path):
    from gongshi.site.output import FileWriter

    writer = FileWriter(tmp_path / "site")
    writer.make_folder(tmp_path / "site")
    writer.write("a/b/x.html", b"x")  # its folders are known from now on
    for outside in ("a/b/../../../evil", "a/..", "../evil", "a/b/..", str(tmp_path / "evil")):
        with pytest.raises(ValueError):
            writer.write(outside, b"evil")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (tmp_path / "site" / "a" / "b" / "x.html").read_bytes() == b"x"


def test_a_reused_folder_may_hold_a_folder_where_a_file_goes_and_the_reverse(tmp_path):
    from gongshi.site.output import FileWriter

    site = tmp_path / "site"
    (site / "a.json").mkdir(parents=True)  # the old site's folder, where this site has a file
    (site / "a.json" / "x").write_bytes(b"old")
    (site / "b").write_bytes(b"old")  # the old site's file, where this site has a folder
    writer = FileWriter(site, reused={})
    writer.make_folder(site)
    writer.write("a.json", b"{}")
    writer.write("b/index.html", b"<p></p>")
    assert (site / "a.json").read_bytes() == b"{}" and (site / "b" / "index.html").read_bytes() == b"<p></p>"
