"""Writing output: staged, swapped in whole, never half-written; one build at a time."""

import subprocess
import sys
import threading
import time

import pytest

from gongshi.output import BuildLock, OutputBusy, StagedOutput, remove_stale

from conftest import REPO


def make_output(folder, text="old"):
    folder.mkdir()
    (folder / "index.html").write_text(text)
    return folder


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
    with pytest.raises(RuntimeError):
        with StagedOutput(target) as staged:
            staged.write("index.html", b"half")
            raise RuntimeError("render failed")
    assert (target / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_first_build_creates_the_folder(tmp_path):
    with StagedOutput(tmp_path / "output") as staged:
        staged.write("index.html", b"first")
        staged.commit()
    assert (tmp_path / "output/index.html").read_text() == "first"


KILLED_MIDWAY = """
import os, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from gongshi.output import StagedOutput
staged = StagedOutput(Path({target!r})).__enter__()
staged.write("index.html", b"half-written")
os._exit(9)  # killed before commit
"""


def test_a_build_killed_midway_leaves_the_previous_output_whole(tmp_path):
    target = make_output(tmp_path / "output")
    code = KILLED_MIDWAY.format(repo=str(REPO), target=str(target))
    assert subprocess.run([sys.executable, "-c", code]).returncode == 9
    assert (target / "index.html").read_text() == "old"
    leftovers = list(tmp_path.glob(".gongshi-build-*"))
    assert leftovers  # the killed build's staging folder, never swapped in
    remove_stale(tmp_path)  # the next build starts by clearing it
    assert not list(tmp_path.glob(".gongshi-build-*"))


def test_second_lock_waits_then_gives_up_with_busy(tmp_path):
    lock_path = tmp_path / ".gongshi.lock"
    waited = []
    with BuildLock(lock_path):
        with pytest.raises(OutputBusy):
            with BuildLock(lock_path, timeout=0.3, on_wait=lambda: waited.append(True)):
                pass
    assert waited == [True]


def test_second_lock_gets_it_when_the_first_ends(tmp_path):
    lock_path = tmp_path / ".gongshi.lock"
    first = BuildLock(lock_path).__enter__()
    threading.Timer(0.2, first.__exit__, args=(None, None, None)).start()
    started = time.monotonic()
    with BuildLock(lock_path, timeout=5):
        assert time.monotonic() - started >= 0.15
