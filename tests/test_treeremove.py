"""treeremove: a large old site is removed by a few threads, as completely as shutil.rmtree
removes it, never following a symbolic link; a small one, or one the quick path cannot finish,
goes to shutil.rmtree."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from gongshi.site import treeremove


def _site(root: Path, files: int) -> Path:
    """A folder shaped like a site: pages in nested folders, a flat folder of many files."""
    site = root / "old-site"
    for n in range(files):
        folder = site / "search" if n % 2 else site / "units" / f"u{n % 37}" / "deep"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{n}.json").write_bytes(b"{}")
    (site / "empty").mkdir()
    return site


def _unlinks_by_thread(monkeypatch) -> list[str]:
    names: list[str] = []
    real = os.unlink

    def unlink(path, *args, **kwargs):
        names.append(threading.current_thread().name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(treeremove.os, "unlink", unlink)
    return names


needs_quick_path = pytest.mark.skipif(not treeremove.QUICK_PATH,
                                      reason="the quick path is taken only where rmtree guards links")


@needs_quick_path
def test_a_large_tree_is_removed_whole_by_threads(tmp_path, monkeypatch):
    site = _site(tmp_path, treeremove.MIN_FILES_IN_PARALLEL + 100)
    names = _unlinks_by_thread(monkeypatch)
    treeremove.remove_tree(site)
    assert not site.exists()
    assert list(tmp_path.iterdir()) == []
    assert len(names) == treeremove.MIN_FILES_IN_PARALLEL + 100
    assert all(name.startswith("gongshi-remove") for name in names)


def test_a_small_tree_goes_to_shutil(tmp_path, monkeypatch):
    site = _site(tmp_path, 20)
    calls: list[Path] = []
    real = shutil.rmtree
    monkeypatch.setattr(treeremove.shutil, "rmtree", lambda path: (calls.append(path), real(path)))
    treeremove.remove_tree(site)
    assert calls == [site] and not site.exists()


@needs_quick_path
def test_links_are_removed_as_links_never_followed(tmp_path):
    kept = tmp_path / "not-ours"
    (kept / "inside").mkdir(parents=True)
    (kept / "inside" / "keep.txt").write_text("keep", encoding="utf-8")
    (kept / "file.txt").write_text("keep", encoding="utf-8")
    site = _site(tmp_path, treeremove.MIN_FILES_IN_PARALLEL + 10)
    (site / "units" / "link-to-folder").symlink_to(kept, target_is_directory=True)
    (site / "search" / "link-to-file").symlink_to(kept / "file.txt")
    treeremove.remove_tree(site)
    assert not site.exists()
    assert (kept / "inside" / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert (kept / "file.txt").read_text(encoding="utf-8") == "keep"


def test_a_link_given_as_the_tree_is_refused_as_shutil_refuses_it(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    (target / "keep.txt").write_text("keep", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    with pytest.raises(OSError):
        treeremove.remove_tree(link)
    assert (target / "keep.txt").exists()


def test_where_rmtree_does_not_guard_links_it_does_it_all(tmp_path, monkeypatch):
    site = _site(tmp_path, treeremove.MIN_FILES_IN_PARALLEL + 10)
    names = _unlinks_by_thread(monkeypatch)
    monkeypatch.setattr(treeremove, "QUICK_PATH", False)
    treeremove.remove_tree(site)
    assert not site.exists()
    assert names and not any(name.startswith("gongshi-remove") for name in names)


def test_a_missing_tree_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        treeremove.remove_tree(tmp_path / "gone")


@needs_quick_path
def test_what_the_quick_path_cannot_remove_shutil_finishes(tmp_path, monkeypatch):
    site = _site(tmp_path, treeremove.MIN_FILES_IN_PARALLEL + 10)
    real = treeremove._unlink_batch
    failed: list[int] = []

    def flaky(paths):
        if not failed:
            failed.append(len(paths))
            raise PermissionError(13, "held open", paths[0])
        real(paths)

    monkeypatch.setattr(treeremove, "_unlink_batch", flaky)
    treeremove.remove_tree(site)
    assert failed and not site.exists()


@needs_quick_path
def test_an_error_shutil_meets_too_is_raised(tmp_path, monkeypatch):
    site = _site(tmp_path, treeremove.MIN_FILES_IN_PARALLEL + 10)

    def refuse(paths):
        raise PermissionError(13, "held open", paths[0])

    def refuse_all(path):
        raise PermissionError(13, "held open", str(path))

    monkeypatch.setattr(treeremove, "_unlink_batch", refuse)
    monkeypatch.setattr(treeremove.shutil, "rmtree", refuse_all)
    with pytest.raises(PermissionError):
        treeremove.remove_tree(site)
    assert site.exists()
