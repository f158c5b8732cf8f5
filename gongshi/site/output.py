"""Writing the site: into a staging folder beside the output folder, then swapped in whole.

A failed or killed build never leaves a half-written or emptied site. Pages are written to
`.gongshi-build-<token>-<name>/` beside the real output folder (after following a symbolic
link, so the staging folder is on the same file system and never inside the published one),
and only a complete folder replaces the old one:

- on Linux in one atomic `renameat2(RENAME_EXCHANGE)`;
- elsewhere (Windows, macOS, file systems without it) by renaming the old folder aside to
  `.gongshi-old-<token>-<name>`, the staging folder into place, and removing the old one.
  Each rename is retried for a moment when Windows says a file is in use (an open Explorer
  window, a virus scanner); if the second rename fails, the old folder is renamed back. An old
  folder that still cannot be removed is reported (W011) without failing the build, and
  removed at the start of the next one.

Unchanged files are not written again. The site being replaced is one an earlier build made
(outdir), beside the staging folder: a file whose bytes the build makes again is a hard link to
that file (`FileWriter.previous`), compared byte for byte first, and only when it is a plain
file in real folders (no symbolic link or junction on the way), linked from nowhere else, with
the mode a written file ends with; nothing of the old site is changed, since it is published
until the swap. The new site is the same bytes as a fresh write, and each file keeps its
modification time until its bytes change, so a copy to the portal that skips unchanged files
(robocopy, rsync) sends only what changed. Writing a new file costs more than reading one, and
much more on an ext4 without a journal, like the benchmark machine's: it skips the inodes freed
in the last minute when it creates a file, and each build frees the last build's (at 100,000
names some 5,800 files, 157 MB; each new file then took 20-440 microseconds). Where no hard
link can be made (FAT, some shares), the first failure stops the writer trying. An edit made in
place to the old site's file during the build reaches the new site once the file is linked
(before, the build discarded it): the folder is the tool's (outdir's stamp says so).
`build --fresh` (StagedOutput's `link_previous=False`) links nothing and writes every file, as
a build into an empty folder does: what a benchmark of full builds times (the peers' rule).

Which folder may be replaced at all is `outdir`'s job; every folder written here carries its
stamp. Published files are 0644 and folders 0755 whatever the umask (on Windows `chmod` only
clears the read-only flag: harmless).

Leftovers and locks. Each build's staging and old folders share a token and a lock file
beside them, `.gongshi-lock-<token>-<name>`, held (an OS-level lock from `filelock`) for as
long as the build runs. A build starts by removing the leftovers of builds whose lock it can
take, i.e. builds that are no longer running: the operating system releases the lock of a
killed process, so a stale folder is recognised without process ids (`os.kill(pid, 0)` would
kill the process on Windows). The per-build lock matters because the project lock does not
cover the output's parent folder: two projects may publish side by side in one web root, and
one must never remove the other's staging folder. If a build died between the two renames, the
old site is found aside with no output folder and is renamed back first (W013).

The project lock, `BuildLock`, makes a second build of the same project wait for the first; it
is an OS-level lock too, so a killed build never leaves a stale one behind.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from ..findings import Finding, Location, Severity
from ..fsproblems import OutputProblem, shown_path
from .outdir import STAMP, STAMP_TEXT, output_folder
from .treeremove import remove_tree

if TYPE_CHECKING:  # filelock is imported where a lock is taken: the build's second process takes none
    from filelock import FileLock

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
FILE_MODE, FOLDER_MODE = 0o644, 0o755
RETRY_ATTEMPTS = 10
RETRY_DELAY = 0.2  # seconds between attempts; about two seconds in all
_LEFTOVER = re.compile(r"\.gongshi-(build|old|lock)-([0-9a-f]{8})-(.+)", re.DOTALL)
_LEGACY = re.compile(r"\.gongshi-(build|old)-\d+")  # from versions that named them by pid


class OutputBusy(OutputProblem):
    """Another build holds the lock for longer than we are willing to wait."""

    def __init__(self, waited: float = 0.0):
        super().__init__(Finding(
            "W010", Severity.ERROR,
            f"另一个构建（或 gongshi serve 预览中的重建）正在进行，等了 {waited:.0f} 秒仍未结束，"
            "本次构建已放弃，网站文件夹未作改动。", None,
            "请等另一个构建结束后再运行。构建锁由操作系统管理：那个程序结束（哪怕是被强行关闭）时"
            "会自动解除，不需要手动处理任何文件；如果等了很久仍是这样，请在任务管理器中结束卡住的"
            " gongshi（python）程序后重试。"))


class BuildLock:
    """An exclusive OS-level lock on `<project>/.gongshi.lock`, waited for up to `timeout` s."""

    def __init__(self, path: Path, timeout: float = 120.0,
                 on_wait: Callable[[], None] | None = None):
        self.path = path
        self.timeout = timeout
        self.on_wait = on_wait
        self._lock: FileLock | None = None

    def __enter__(self) -> BuildLock:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.path), thread_local=False)
        try:
            lock.acquire(blocking=False)
        except Timeout:
            if self.on_wait:
                self.on_wait()
            try:
                lock.acquire(timeout=self.timeout, poll_interval=0.1)
            except Timeout:
                raise OutputBusy(self.timeout) from None
        self._lock = lock
        return self

    def __exit__(self, *exc) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


class Earlier:
    """The files a preview's last rebuild wrote (output-relative path -> SHA-256 hex and the
    file's identity: inode, size, modification time), in `folder`, the output it swapped in.
    A file of the next rebuild with the same bytes is a hard link to that one instead of a new
    copy, while it is still that very file (anything that replaced or changed it since, such as
    a build from another window, gives it another identity: then it is written)."""

    def __init__(self, folder: Path | None = None, files: dict[str, tuple[str, tuple]] | None = None):
        self.folder = folder
        self.files = files or {}


def _identity(path: Path | str) -> tuple[int, int, int]:
    return _identity_of(os.stat(path))


def _identity_of(status: os.stat_result) -> tuple[int, int, int]:
    """What tells a file and its version apart on one file system: inode, size, modification time."""
    return status.st_ino, status.st_size, status.st_mtime_ns


def _clear(path: Path) -> None:
    """Remove what a reused staging folder holds at `path` (a file, or a folder of the old
    site where this one has a file), so that the path can be written anew."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        if not os.path.isdir(path) or os.path.islink(path):
            raise
        _rmtree(path)


def _still(path: Path, identity: tuple) -> bool:
    """Whether the file at `path` is still the one with this identity."""
    try:
        return _identity(path) == identity
    except OSError:
        return False


class FileWriter:
    """Writes files into one folder (creating their folders), 0644 files and 0755 folders,
    and keeps each file's SHA-256 for SHA256SUMS. A build's second process (parallel) writes
    into the same staging folder through a FileWriter of its own. With `earlier` (a preview's),
    a file whose bytes did not change is linked from the output instead (see Earlier), and
    `written` describes what it wrote for the next rebuild.

    With `reused` (a preview's staging folder made from the site before the last: see
    StagedOutput), the folder holds files already, described by `reused` as `written` was
    (path -> SHA-256 hex and identity): one with the bytes to write that is still that very
    file stays; any other file at a path is removed before the path is written (it may be a
    hard link to a file of the published site, which must never be written into).

    With `previous` (the site this build replaces: StagedOutput.previous), a file to write
    is instead a hard link to the file at the same path there when that holds the same bytes
    (see `_link_same`)."""

    def __init__(self, folder: Path, earlier: Earlier | None = None,
                 reused: dict[str, tuple[str, tuple]] | None = None, previous: Path | None = None):
        self.folder = folder
        self.previous = previous
        self._previous_folders: dict[str, bool] = {}  # see _plain_folders
        self.files_written = 0
        self.digests: dict[str, str] = {}  # output-relative path -> SHA-256 hex
        self._folders: set[Path] = set()
        self.earlier = earlier
        self.reused = reused
        self.written: dict[str, tuple[str, tuple]] = {}

    def write(self, relative: str, data: bytes, digest: str | None = None) -> None:
        """Write `data` (whose SHA-256 hex is `digest`, when the caller knows it already)."""
        path = self.folder / relative
        if path.parent not in self._folders or path.name in ("", ".", ".."):
            # A path outside the folder has a parent that is not one of its folders made here
            # (nor is one with ".." in it: Path keeps it), so it is always checked.
            if ".." in Path(relative).parts or Path(relative).is_absolute():
                raise ValueError(f"refusing to write outside the output folder: {relative}")
            for folder in reversed(path.relative_to(self.folder).parents[:-1]):
                self.make_folder(self.folder / folder)
        if digest is None:
            digest = hashlib.sha256(data).hexdigest()
        if self.reused is not None:
            before = self.reused.get(relative)
            if before is not None and before[0] == digest and _still(path, before[1]):
                self.written[relative] = before  # already there
                self.digests[relative] = digest
                self.files_written += 1
                return
            _clear(path)
        if self.earlier is None:
            self._put(relative, path, data)
        else:
            identity = self._linked(relative, path, digest)
            if identity is None:
                self._put(relative, path, data)
                identity = _identity(path)
            self.written[relative] = (digest, identity)
        self.digests[relative] = digest
        self.files_written += 1

    def _put(self, relative: str, path: Path, data: bytes) -> None:
        if self.previous is not None and self._plain_folders(relative.rpartition("/")[0]):
            try:
                if _link_same(os.path.join(self.previous, relative), path, data):
                    return
            except NoHardLinks:
                self.previous = None  # nor will any other file be linked here: stop reading them
        _write_file(path, data)

    def _plain_folders(self, folder: str) -> bool:
        """Whether `folder` (relative, "" for the top) and every folder above it in `previous`
        is a real folder, not a symbolic link or junction (whose files are somebody else's)."""
        known = self._previous_folders.get(folder)
        if known is None:
            known = not folder or (self._plain_folders(folder.rpartition("/")[0]) and _is_plain_folder(
                os.path.join(self.previous or "", folder)))
            self._previous_folders[folder] = known
        return known

    def _linked(self, relative: str, path: Path, digest: str) -> tuple | None:
        """Link the earlier file with these bytes; its identity (the link's too), or None."""
        assert self.earlier is not None
        before = self.earlier.files.get(relative)
        if self.earlier.folder is None or before is None or before[0] != digest:
            return None
        source = os.path.join(self.earlier.folder, relative)
        try:
            if _identity(source) != before[1]:
                return None
            os.link(source, path)
        except OSError:  # gone, or no hard links here (some file systems): write it
            return None
        return before[1]  # a hard link: the same inode, size and modification time

    def make_folder(self, folder: Path) -> None:
        if folder in self._folders:
            return
        try:
            os.mkdir(folder)
        except FileExistsError:  # already there, or made by the other process of the build
            if not folder.is_dir():
                if self.reused is None:
                    raise
                _clear(folder)  # a file of the old site where this site has a folder
                os.mkdir(folder)
        os.chmod(folder, FOLDER_MODE)
        self._folders.add(folder)


class StagedOutput:
    """A staging folder that becomes the output folder on `commit()` and vanishes otherwise.

    `output` may be a symbolic link: the folder it points to is replaced, the link stays.
    `notes` gathers warnings for the user (an old folder that could not be removed, a site
    put back after an interrupted build).
    """

    def __init__(self, output: Path, root: Path | None = None, spare: Path | None = None,
                 link_previous: bool = True):
        self.output = output
        self.link_previous = link_previous  # False: every file written anew (build --fresh)
        self.root = root
        self.spare = spare  # a preview's: an old site beside the output to stage in (see reused)
        self.reused = False
        self.target = Path(os.path.realpath(os.path.abspath(output)))
        self.token = os.urandom(4).hex()  # as secrets.token_hex(4), without importing it
        self.staging = self._sibling("build")
        self.aside = self._sibling("old")
        self.writer = FileWriter(self.staging)
        self.previous: Path | None = None  # the site being replaced, to link unchanged files from
        self.notes: list[Finding] = []
        self.committed = False
        self._lock: FileLock | None = None

    def _sibling(self, kind: str, token: str | None = None) -> Path:
        return self.target.parent / f".gongshi-{kind}-{token or self.token}-{self.target.name[:100]}"

    def __enter__(self) -> StagedOutput:
        self.target = output_folder(self.output, self.root)
        self.staging, self.aside = self._sibling("build"), self._sibling("old")
        self.writer = FileWriter(self.staging)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        from filelock import FileLock

        self._lock = FileLock(str(self._sibling("lock")), thread_local=False)
        self._lock.acquire(blocking=False)  # a fresh random name: nobody else holds it
        try:
            if self.spare is not None:
                self.reused = self._adopt(self.spare)
            self._clear_leftovers()
            if self.reused:
                self.writer = FileWriter(self.staging, reused={})
            elif self.link_previous and os.path.isdir(self.target):  # a site an earlier build made (output_folder)
                self.previous = self.target
                self.writer = FileWriter(self.staging, previous=self.previous)
            self.writer.make_folder(self.staging)
            self.write(STAMP, STAMP_TEXT)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _adopt(self, spare: Path) -> bool:
        """Make the old site `spare` (a preview's, left by commit(discard=False)) this build's
        staging folder, under this build's name and lock; False when it cannot be (gone, or
        removed meanwhile by another build, or in use): then the staging folder is new."""
        if spare.parent != self.target.parent or not _LEFTOVER.fullmatch(spare.name):
            return False
        try:
            os.rename(spare, self.staging)
        except OSError:
            return False
        return True

    def sweep(self, written: Collection[str]) -> None:
        """In a reused staging folder, remove what this build did not write (the old site's
        files and folders that are not in the new one). `written`: every path written."""
        if not self.reused:
            return
        for folder, folders, files in os.walk(self.staging, topdown=False):
            base = Path(folder).relative_to(self.staging).as_posix()
            prefix = "" if base == "." else base + "/"
            for name in files:
                if prefix + name not in written:
                    os.unlink(os.path.join(folder, name))
            for name in folders:
                path = os.path.join(folder, name)
                if os.path.islink(path):  # never made by a build: not published
                    os.unlink(path)
                    continue
                try:
                    os.rmdir(path)
                except OSError:
                    pass  # not empty: it holds files of the new site

    def write(self, relative: str, data: bytes) -> None:
        self.writer.write(relative, data)

    @property
    def files_written(self) -> int:
        return self.writer.files_written

    def copy_tree(self, source: Path, relative: str) -> list[Finding]:
        """Copy `source` (static/) into the site; return the symbolic links refused instead."""
        files, refused = tree_files(source, relative, self.root)
        if not refused:
            for name, path in files:
                with open(path, "rb") as handle:
                    self.write(f"{relative}/{name}", handle.read())
        return refused

    def commit(self, discard: bool = True) -> Path | None:
        """Swap the staged site in. The old site is removed, or with `discard=False` left
        where it is and returned (a preview removes it after the browsers are told to reload:
        `remove_old`); a folder left so is a leftover like any other, which the next build of
        this output removes if nobody did."""
        old = None
        if not os.path.lexists(self.target):
            _retry(_rename, self.staging, self.target)
        elif _exchange(self.staging, self.target):
            old = self.staging  # it now holds the old site
        else:
            _retry(_rename, self.target, self.aside)
            try:
                _retry(_rename, self.staging, self.target)
            except OSError as failure:
                try:
                    _retry(_rename, self.aside, self.target)
                except OSError:
                    raise OutputProblem(self._stranded()) from failure
                raise
            old = self.aside
        self.committed = True
        if old is not None and discard:
            self._discard(old)
            return None
        return old

    def __exit__(self, *exc) -> None:
        try:
            if not self.committed and os.path.lexists(self.staging):
                _remove_tree(self.staging)
        finally:
            if self._lock is not None:
                self._lock.release()
                _unlink(self._sibling("lock"))
                self._lock = None

    def _discard(self, old: Path) -> None:
        """Remove the old site after a swap; if it cannot be removed, say so and go on."""
        if not remove_old(old):
            self.notes.append(Finding(
                "W011", Severity.WARNING,
                f"新网站已生成，但原来的网站（已改名为 {old}）暂时无法删除，可能有程序正在使用其中的文件。",
                Location(shown_path(old, self.root)),
                "不必处理：下次生成时会自动删除它。也可以关闭正在使用它的程序（文件资源管理器、"
                "浏览器、杀毒软件等）后自己删除这个文件夹。"))

    def _stranded(self) -> Finding:
        target = shown_path(self.target, self.root)
        return Finding(
            "W012", Severity.ERROR,
            f"无法把新网站放到 {target}，也无法把原来的网站放回原处：原来的网站现在在 {self.aside}。",
            Location(target),
            f"请关闭正在使用这些文件夹的程序，然后重新运行生成命令：它会先把 {self.aside} 放回 {target}"
            f"再生成。也可以自己把 {self.aside} 改名为 {self.target.name}。")

    def _clear_leftovers(self) -> None:
        """Remove what killed or failed builds of this output left beside it (see the module
        docstring); put back an old site that an interrupted swap left aside."""
        parent, name = self.target.parent, self.target.name[:100]
        tokens: set[str] = set()
        for entry in sorted(os.listdir(parent)):
            match = _LEFTOVER.fullmatch(entry)
            if match and match.group(3) == name and match.group(2) != self.token:
                tokens.add(match.group(2))
            elif _LEGACY.fullmatch(entry) and (parent / entry).is_dir():
                _remove_tree(parent / entry)
        from filelock import FileLock, Timeout

        for token in sorted(tokens):
            lock = FileLock(str(self._sibling("lock", token)), thread_local=False)
            try:
                lock.acquire(blocking=False)
            except Timeout:
                continue  # that build is still running
            try:
                old, staging = self._sibling("old", token), self._sibling("build", token)
                if os.path.isdir(old) and not os.path.lexists(self.target):
                    _retry(_rename, old, self.target)
                    self.notes.append(Finding(
                        "W013", Severity.WARNING,
                        f"上一次生成在替换网站时中断了，已先把原来的网站放回 {shown_path(self.target, self.root)}。",
                        Location(shown_path(self.target, self.root)),
                        "不必处理：本次生成成功后会整个替换它。"))
                for leftover in (old, staging):
                    if os.path.lexists(leftover) and not _remove_tree(leftover):
                        self.notes.append(Finding(
                            "W011", Severity.WARNING,
                            f"上一次生成留下的 {leftover} 暂时无法删除，可能有程序正在使用其中的文件。",
                            Location(shown_path(leftover, self.root)),
                            "不必处理：下次生成时会再试着删除它。"))
            finally:
                lock.release()
                _unlink(self._sibling("lock", token))


def tree_files(source: Path, relative: str,
               root: Path | None = None) -> tuple[list[tuple[str, Path]], list[Finding]]:
    """The files under `source` to publish, as (path below source with '/', path to read),
    and the symbolic links refused, as findings.

    A link inside `source` is followed when it points to a file or folder inside `source`
    too (an alias); a link that points anywhere else is refused (W030) — outside the project,
    or inside it but outside `source` (data/ holds fields that must not be published) — and so
    are a link to nothing (W031) and a link that loops back to a folder above it (W032).
    `source` itself may be a link (to a shared theme, say). A missing `source` has no files.
    """
    files: list[tuple[str, Path]] = []
    refused: list[Finding] = []
    if not os.path.lexists(source):
        return files, refused
    os.stat(source)  # a loop raises ELOOP with the path
    top = os.path.realpath(source)
    project = os.path.realpath(root) if root is not None else None

    def refuse(code: str, name: str, message: str, hint: str) -> None:
        refused.append(Finding(code, Severity.ERROR, message, Location(f"{relative}/{name}"), hint))

    def walk(folder: Path, prefix: str, above: frozenset[str]) -> None:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in entries:
            name, path = prefix + entry.name, Path(entry.path)
            points_to = os.readlink(path) if entry.is_symlink() else None
            try:
                os.stat(path)  # follows links (and Windows junctions): a loop or nothing raises
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    refuse("W032", name, f"{relative}/{name} 是循环的符号链接（指向 {points_to}，"
                                         "最终又指回自己），没有发布。",
                           "请把它改为指向 static/ 中真实存在的文件，或者用文件本身代替这个链接。")
                elif points_to is not None and exc.errno == errno.ENOENT:
                    refuse("W031", name, f"{relative}/{name} 是符号链接，但它指向的 {points_to} 不存在，"
                                         "没有发布。",
                           "请把要发布的文件本身放进 static/，或者改正这个链接。")
                else:
                    raise
                continue
            real = os.path.realpath(path)
            if not _within(real, top):
                outside = project is None or not _within(real, project)
                where = "项目之外" if outside else f"项目中 {relative}/ 以外位置"
                refuse("W030", name, f"{relative}/{name} 是指向{where}的符号链接（{points_to or real}），"
                                     "为防止把不该公开的文件发布出去，本次没有生成。",
                       f"只有放在 {relative}/ 里的文件才会发布：请把要发布的文件复制（而不是链接）到 "
                       f"{relative}/ 中，再删去这个链接。")
                continue
            if entry.is_dir():
                if real in above:
                    refuse("W032", name, f"{relative}/{name} 是指向它上级文件夹的符号链接，形成循环，没有发布。",
                           "请删去这个链接，或者把它改为指向 static/ 中别的文件夹。")
                    continue
                walk(path, name + "/", above | {real})
            elif entry.is_file():
                files.append((name, path))

    walk(source, "", frozenset({top}))
    return files, refused


def _within(path: str, folder: str) -> bool:
    a, b = os.path.normcase(path), os.path.normcase(folder)
    try:
        return os.path.commonpath([a, b]) == b
    except ValueError:
        return False


class NoHardLinks(Exception):
    """The file system cannot make hard links (FAT, some network shares)."""


# What os.link raises where no hard link can be made at all: errno values, and Windows'
# ERROR_INVALID_FUNCTION (FAT) and ERROR_NOT_SUPPORTED.
_NO_LINK_ERRNOS = frozenset(getattr(errno, name) for name in ("EPERM", "EXDEV", "EOPNOTSUPP", "ENOTSUP")
                            if hasattr(errno, name))  # not every platform names all four
_NO_LINK_WINERRORS = frozenset({1, 50})
# Windows marks junctions, symbolic links and cloud placeholders so (os.stat_result.st_file_attributes).
_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)


def _is_plain_folder(path: str) -> bool:
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and not _is_reparse_point(status)


def _is_reparse_point(status: os.stat_result) -> bool:
    return bool(getattr(status, "st_file_attributes", 0) & _REPARSE_POINT)


def _has_written_mode(status: os.stat_result) -> bool:
    """Whether a file has the mode a written one ends with: FILE_MODE; on Windows, where
    `chmod` only clears the read-only flag (see the module docstring), not read-only."""
    if os.name == "nt":
        return bool(status.st_mode & stat.S_IWRITE)
    return stat.S_IMODE(status.st_mode) == FILE_MODE


def _link_same(source: str, path: Path, data: bytes) -> bool:
    """Make `path` a hard link to `source` if that is a plain file (not a symbolic link nor
    any other reparse point), linked from nowhere else, with the mode a written file ends
    with, holding exactly `data`; False, with nothing made, otherwise. Raises NoHardLinks
    where no link can be made. Nothing of `source` is ever changed: it is the site still
    published until the swap (its folders are checked by FileWriter._plain_folders)."""
    try:
        status = os.lstat(source)
        if (not stat.S_ISREG(status.st_mode) or _is_reparse_point(status) or status.st_nlink != 1
                or status.st_size != len(data) or not _has_written_mode(status)):
            return False
        with open(source, "rb") as handle:
            if not _same_file(os.fstat(handle.fileno()), status) or handle.read(len(data) + 1) != data:
                return False
    except OSError:  # gone, or unreadable: write it
        return False
    try:
        os.link(source, path)
    except OSError as exc:
        if exc.errno in _NO_LINK_ERRNOS or getattr(exc, "winerror", None) in _NO_LINK_WINERRORS:
            raise NoHardLinks(str(exc)) from exc
        return False
    try:
        if not _same_file(os.lstat(path), status):  # `source` was replaced or changed after it was read
            raise FileExistsError(path)
    except OSError:
        _unlink(path)
        return False
    return True


def _same_file(one: os.stat_result, other: os.stat_result) -> bool:
    """The same file, unchanged: its identity, size and modification time."""
    return _identity_of(one) == _identity_of(other) and one.st_dev == other.st_dev


def _store(path: Path, data: bytes) -> bool:
    """Put bytes in a file (the one place the site's files are written; tests inject errors).
    True when the file has FILE_MODE already (the usual umask), so needs no chmod."""
    with open(path, "wb") as handle:
        handle.write(data)
        return os.fstat(handle.fileno()).st_mode & 0o777 == FILE_MODE


def _write_file(path: Path, data: bytes) -> None:
    try:
        has_mode = _store(path, data)
    except OSError as exc:
        if exc.filename is None:  # write() and close() do not say which file (disk full)
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    if not has_mode:
        os.chmod(path, FILE_MODE)


def _rename(source: Path, destination: Path) -> None:
    os.rename(source, destination)


def _retry(action: Callable, *args) -> None:
    """Run a file operation, retrying for a moment while Windows says a file is in use."""
    for attempt in range(RETRY_ATTEMPTS):
        try:
            action(*args)
            return
        except PermissionError:
            if attempt == RETRY_ATTEMPTS - 1:
                raise
            time.sleep(RETRY_DELAY)


def _rmtree(path: Path) -> None:
    remove_tree(path)


def _remove_tree(path: Path) -> bool:
    """Remove a folder we made, retrying while files in it are held open; True when gone."""
    for attempt in range(RETRY_ATTEMPTS):
        try:
            _rmtree(path)
        except FileNotFoundError:
            return True
        except OSError:
            if attempt < RETRY_ATTEMPTS - 1:
                time.sleep(RETRY_DELAY)
        if not os.path.lexists(path):
            return True
    return False


def remove_old(old: Path) -> bool:
    """Remove an old site that a swap left beside the output (`StagedOutput.commit` with
    `discard=False`); False when it is still there (a file held open): the next build of that
    output removes it then, as it does any build's leftovers."""
    return _remove_tree(old)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # already gone (Windows removes it on release), or removed by a cleaner


@functools.cache
def _renameat2():
    """Linux's renameat2 through ctypes, or None where there is no such call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2; False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(number, os.strerror(number), str(a), None, str(b))
