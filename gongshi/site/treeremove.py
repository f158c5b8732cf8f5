"""Removing a whole folder tree that the build made (an old site after the swap), quickly.

Removing a site is one system call per file, and a site of 100,000 names has about 11,500
files. When the old site is no longer in the page cache (it was built minutes ago, the usual
case for staff), `shutil.rmtree` waits on each file in turn: about a second, at the very end
of a build. The calls release the interpreter lock, so a few threads remove the files of a
large tree side by side and wait together (measured on ext4, two cores, caches dropped first:
100,000 names 1.08 -> 0.58 s, 10,000 names 0.19-0.22 -> 0.09-0.10 s). Right after a build,
with everything cached, it makes no difference either way (10,000 names ~0.035 s both ways).
A small tree goes to `shutil.rmtree` as before (400 cached files: 4.0 ms, threads 5.6 ms).

Symbolic links are removed as links and never followed. Only where `shutil.rmtree` itself
guards against links swapped in while it works (`avoids_symlink_attacks`: Linux, macOS) is
the quick path taken; the folder is a site the build made, beside the output, that nobody
else writes to. Elsewhere (Windows, where a junction is not a link to `is_dir`) and for a
small tree, `shutil.rmtree` does it all. If anything goes wrong on the quick path (a file
held open, a folder that cannot be read), `shutil.rmtree` finishes the tree and raises what
it raises.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REMOVERS = 4              # threads removing files side by side
MIN_FILES_IN_PARALLEL = 400  # below this, threads cost more than they could save
BATCH = 64                # files one thread removes per task
QUICK_PATH = shutil.rmtree.avoids_symlink_attacks  # see the module docstring


def remove_tree(path: Path | str) -> None:
    """Remove the folder `path` and everything in it, as `shutil.rmtree(path)` does."""
    if not QUICK_PATH:
        shutil.rmtree(path)
        return
    try:
        files, folders = _contents(os.fspath(path))
    except OSError:
        shutil.rmtree(path)  # it says what is wrong (no such folder, a symbolic link, ...)
        return
    if len(files) >= MIN_FILES_IN_PARALLEL:
        try:
            _unlink_all(files)
            for folder in reversed(folders):  # the deepest first
                os.rmdir(folder)
            os.rmdir(path)
            return
        except OSError:
            pass  # shutil.rmtree removes what is left, or raises the error
    shutil.rmtree(path)


def _contents(top: str) -> tuple[list[str], list[str]]:
    """Every file (and symbolic link) under `top`, and every folder, a folder before those in it."""
    if os.path.islink(top):
        raise OSError(f"{top} is a symbolic link")
    files: list[str] = []
    folders: list[str] = []
    pending = [top]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    pending.append(entry.path)
                else:
                    files.append(entry.path)
    return files, folders


def _unlink_batch(paths: list[str]) -> None:
    for path in paths:
        os.unlink(path)


def _unlink_all(files: list[str]) -> None:
    from concurrent.futures import ThreadPoolExecutor  # here: it imports logging (4 ms of a start)

    batches = [files[start:start + BATCH] for start in range(0, len(files), BATCH)]
    with ThreadPoolExecutor(REMOVERS, thread_name_prefix="gongshi-remove") as pool:
        for done in [pool.submit(_unlink_batch, batch) for batch in batches]:
            done.result()  # raises the first error
