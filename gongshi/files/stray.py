"""A finding for every file under data/ that the tool does not read (datafiles.KNOWN_DATA_FILES
lists what it reads).

A list saved as `recipients/activist.yaml.txt` (Windows hides the “.txt”), renamed to
`ACTIVIST.YAML`, or left in `recipients/backup/`, and a `rule.yaml` beside where `rules.yaml`
belongs, would otherwise be skipped without a word, and the category shown with no names.
`stray_files()` reports everything else:

* an error (L017) for any file in a recipients folder (or a folder below it) that is not
  read, and for any file whose name looks like YAML (`*.yaml`, `*.yml`, `*.YAML`,
  `x.yaml.txt`…) that is not read: these are data the user meant the tool to read;
* a warning (L018) for other files (a README.txt, notes.docx, a scanned PDF staff keep
  beside the data): nothing is lost, but data/ should hold only what is read;
* a warning (L019), once, for an announcement folder (one with announcement.yaml) that
  data/site.yaml does not list: it is not published.

What datafiles ignores (hidden files, the litter of Windows, macOS and Office) is not reported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..findings import Finding, Location, Severity, closest, relative_name, you_meant
from .datafiles import (
    ANNOUNCEMENT,
    DECISION,
    KNOWN_DATA_FILES,
    LIST_FOLDERS,
    RECIPIENTS,
    is_ignored,
    is_known,
)

_YAML_LIKE = re.compile(r"^(?P<base>.*?\.(?:yaml|yml))(?P<extra>.*)$", re.IGNORECASE)


def stray_files(root: Path, announcements: Iterable[str]) -> list[Finding]:
    """A finding for every file under data/ that the tool does not read."""
    scan = _Scan(root)
    data = root / "data"
    if not data.is_dir():
        return []
    listed = set(announcements)
    for entry in _entries(data):
        if entry.is_dir():
            if entry.name in listed:
                scan.announcement(entry)
            elif (entry / "announcement.yaml").is_file():
                scan.unlisted(entry, sorted(s for s in listed if not (data / s).is_dir()))
            else:
                scan.elsewhere(entry, in_recipients=False)
        elif not is_known("", entry.name):
            scan.stray(entry, "", in_recipients=False)
    return scan.findings


def _entries(folder: Path) -> list[Path]:
    try:
        children = list(folder.iterdir())
    except OSError:
        return []
    return sorted((c for c in children if not is_ignored(c.name)), key=lambda c: c.name)


class _Scan:
    """Walks data/ and collects a finding for each file that is not read."""

    def __init__(self, root: Path):
        self.root = root
        self.findings: list[Finding] = []

    def add(self, code: str, message: str, path: Path, hint: str, shown: str = "") -> None:
        severity = Severity.ERROR if code == "L017" else Severity.WARNING
        self.findings.append(Finding(code, severity, message,
                                     Location(shown or relative_name(path, self.root)), hint))

    def announcement(self, folder: Path) -> None:
        for entry in _entries(folder):
            if entry.is_dir():
                if entry.name in LIST_FOLDERS:
                    self.recipients(entry)
                else:
                    self.elsewhere(entry, in_recipients=False)
            elif not is_known(ANNOUNCEMENT, entry.name):
                self.stray(entry, ANNOUNCEMENT, in_recipients=False)

    def recipients(self, folder: Path) -> None:
        kind = f"{ANNOUNCEMENT}/{folder.name}"
        for entry in _entries(folder):
            if entry.is_dir():
                self.elsewhere(entry, in_recipients=True)
            elif not is_known(kind, entry.name):
                self.stray(entry, kind, in_recipients=True)

    def elsewhere(self, folder: Path, in_recipients: bool) -> None:
        """A folder nothing is read from: every file in it, at any depth."""
        for current, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not is_ignored(d))
            for name in sorted(files):
                if not is_ignored(name):
                    self.in_subfolder(Path(current) / name, in_recipients)

    def unlisted(self, folder: Path, missing: list[str]) -> None:
        """An announcement folder site.yaml does not list (`missing`: listed, no folder)."""
        slug = folder.name
        guess = closest(slug, missing)
        hint = (f"如果要发布这次公告，请在 data/site.yaml 的 announcements 中加上“{slug}”；"
                "如果是旧的或还在准备的公告，可以不管这条警告（--strict 时为错误），"
                "或把文件夹移到 data/ 以外。")
        if guess:
            hint = f"site.yaml 列出的是“{guess}”：如果两者是同一次公告，请统一文件夹名。" + hint
        self.add("L019", f"公告文件夹 data/{slug}/ 没有列在 data/site.yaml 的 announcements 中，"
                 "不会生成网页。", folder, hint, shown=f"data/{slug}/")

    def stray(self, path: Path, folder_kind: str, in_recipients: bool) -> None:
        """A file beside the files that are read: why it is not, and what it was meant to be."""
        name = path.name
        known = [p for p in KNOWN_DATA_FILES[folder_kind] if "*" not in p]
        yaml_like = _YAML_LIKE.match(name)
        if yaml_like:
            base, extra = yaml_like.group("base"), yaml_like.group("extra")
            suffix = base[base.rindex("."):]
            guess = base.lower() if in_recipients else base
            if known and guess.lower() not in known:
                guess = closest(guess.lower(), known)
            elif known:
                guess = guess.lower()
            if extra:
                reason = (f"文件名的最后是“{extra}”，不是 .yaml（Windows 常常隐藏扩展名，"
                          f"它看上去像“{base}”）")
            elif suffix != suffix.lower():
                reason = "扩展名必须是小写的“.yaml”或“.yml”"
            elif known and name.lower() in known:
                reason = "文件名必须全部是小写字母"
            elif guess:
                reason = f"本程序在这里读取的是“{guess}”，不读“{name}”"
            else:
                reason = "这不是本程序认识的文件名"
            self.add("L017", f"这个文件不会被读取：{reason}。" + _lost(in_recipients), path,
                     self._rename_hint(path, guess, known))
        elif in_recipients:
            target = f"{path.stem.lower()}.yaml"
            rename = (f"同一文件夹中已有“{target}”" if _has(path.parent, target)
                      else f"如果它本来就是这种格式的名单，请改名为“{target}”")
            self.add("L017", "这个文件不会被读取：名单文件夹中只读取 .yaml 和 .yml 文件。"
                     + _lost(True), path,
                     f"名单必须是 .yaml 文件（照同一文件夹中其他名单的格式录入）；{rename}；"
                     "如果只是参考材料或底稿，请移到 data/ 文件夹以外。")
        else:
            same_stem = f"{path.stem.lower()}.yaml"
            if same_stem in known:
                hint = (f"本程序只读取同一文件夹中的“{same_stem}”，不读这个文件；"
                        f"请把内容录入“{same_stem}”，再把这个文件移到 data/ 文件夹以外。")
            else:
                hint = ("data/ 文件夹中只应放程序读取的数据文件；说明、底稿、扫描件等请移到 data/ 以外"
                        "（例如在项目中另建一个“资料”文件夹）。--strict 时这条警告视为错误。")
            self.add("L018", "这个文件不是本程序读取的数据文件，生成网站时不会用到它。", path, hint)

    def in_subfolder(self, path: Path, in_recipients: bool) -> None:
        folder = relative_name(path.parent, self.root) + "/"
        if in_recipients:
            lists = DECISION if folder.split("/")[2:3] == [DECISION] else RECIPIENTS  # data/<公告>/<lists>/…
            self.add("L017", f"这个文件不会被读取：名单文件夹下的子文件夹（{folder}）中的文件都不会被读取。"
                     + _lost(True), path,
                     f"如果这是要{'发布' if lists == DECISION else '公示'}的名单，请把它直接放到 {lists}/ 文件夹中；"
                     "如果是备份或旧版本，请移到 data/ 文件夹以外。")
            return
        code = "L017" if _YAML_LIKE.match(path.name) else "L018"
        self.add(code, f"这个文件不会被读取：本程序不从文件夹 {folder} 读取数据。", path,
                 "备份和旧版本请移到 data/ 文件夹以外；要用的数据请放到规定的文件夹、用规定的文件名"
                 "（见 README“目录”一节）。")

    @staticmethod
    def _rename_hint(path: Path, guess: str, known: list[str]) -> str:
        if not guess:
            return (f"这里能读取的文件是：{'、'.join(known)}。请改用其中一个文件名，"
                    "或把这个文件移到 data/ 文件夹以外。")
        if guess != path.name and _has(path.parent, guess):
            return (f"同一文件夹中已有“{guess}”，这个文件多半是旧的副本或备份："
                    "请确认后把它移到 data/ 文件夹以外（或删除）。")
        return (you_meant(guess) + f"请把文件改名为“{guess}”（在资源管理器的“查看”中勾选"
                "“文件扩展名”才能看到完整的文件名）。")


def _has(folder: Path, name: str) -> bool:
    """Whether `folder` holds a file of exactly this name (on Windows, ACTIVIST.YAML
    "exists" as activist.yaml: compare names, not existence)."""
    return name in {p.name for p in folder.iterdir()}


def _lost(in_recipients: bool) -> str:
    return "其中的名单不会出现在公示中（这个类别可能显示为 0 人）。" if in_recipients else ""
