"""File-system problems in Chinese: the one place where an OSError becomes words for staff.

Writing the site can fail for reasons that are not a bug and not the data: the project sits
on a read-only share, the disk is full, a symbolic link points back at itself, a path is too
long for Windows, a folder is held open by another program. `os_error_finding()` turns any
OSError into a finding (codes W020–W029) that names the path and says what to do; the
command line and the preview server print it and exit 1 instead of apologising for a bug.
`OutputProblem` carries such a finding (or a refusal about the output folder) up to them.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .findings import Finding, Location, Severity


class OutputProblem(Exception):
    """A refusal or failure about the output folder, the lock or the file system; its
    message says what became of the published folder."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def shown_path(path: str | os.PathLike, root: Path | None = None) -> str:
    """A path as staff know it: project-relative with '/' inside the project, else absolute."""
    absolute = os.path.abspath(path)
    if root is not None:
        base = os.path.abspath(root)
        try:
            if os.path.commonpath([absolute, base]) == base:
                relative = os.path.relpath(absolute, base)
                return absolute if relative == "." else Path(relative).as_posix()
        except ValueError:  # another drive on Windows
            pass
    return absolute


_PERMISSION_HINT = ("请确认您对这个文件夹有读写权限；在 Windows 上，也请关闭正在打开其中文件的程序"
                    "（浏览器、文件资源管理器的预览、Excel/WPS、杀毒软件扫描等）后重试。"
                    "项目在只读位置（光盘、只读的共享文件夹）时，请先把整个项目复制到可写的文件夹。")

# errno -> (code, message with {path}, hint)
_MESSAGES: dict[int, tuple[str, str, str]] = {
    errno.EACCES: ("W020", "系统拒绝访问 {path}（没有权限，或文件正被其他程序占用）。", _PERMISSION_HINT),
    errno.EPERM: ("W020", "系统不允许修改 {path}（没有权限，或文件正被其他程序占用）。", _PERMISSION_HINT),
    errno.EROFS: ("W021", "{path} 在只读的磁盘或共享文件夹上，无法写入。",
                  "请把整个项目复制到可写的文件夹再运行，或用 --output 把网站生成到可写的文件夹。"),
    errno.ENOSPC: ("W022", "磁盘空间不足，写入 {path} 时失败。",
                   "请清理这块磁盘（或用 --output 换一个空间充足的文件夹）后重新运行。"),
    errno.ELOOP: ("W023", "{path} 是循环的符号链接（链接最终又指回了自己），无法读取或写入。",
                  ("请查看这个链接指向哪里（Linux 上用 ls -l，Windows 上用 dir），"
                   "把它改为指向一个真实存在的文件或文件夹。")),
    errno.ENAMETOOLONG: ("W024", "路径太长，系统无法处理：{path}",
                         "请把项目或输出文件夹移到路径较短的位置（例如 D:\\gongshi），或缩短文件夹名。"),
    errno.EBUSY: ("W025", "{path} 正被占用，无法替换（它可能是一个挂载点，或有程序正在使用它）。",
                  ("请关闭正在使用它的程序后重试；如果它是挂载点或网站服务器的根目录本身，"
                   "请用 --output 指定它里面的一个文件夹。")),
    errno.ENOENT: ("W026", "找不到 {path}（可能在运行过程中被移动或删除了）。",
                   "请确认这个文件或文件夹存在、没有被其他程序移走，然后重试。"),
}
_MESSAGES[errno.ENOTDIR] = _MESSAGES[errno.ENOENT]
_MESSAGES[errno.ETXTBSY] = _MESSAGES[errno.EBUSY]
if hasattr(errno, "EDQUOT"):
    _MESSAGES[errno.EDQUOT] = ("W022", "磁盘配额已用完，写入 {path} 时失败。",
                               "请清理您的文件（或用 --output 换一个空间充足的文件夹）后重新运行。")
_OTHER = ("W029", "读写 {path} 时出错：{reason}。",
          "请确认磁盘连接正常、有读写权限后重试；如果问题仍在，请把这行提示发给维护人员。")

# Windows reports some of these with its own error numbers.
_WINDOWS_ERRNO = {
    32: errno.EACCES,   # ERROR_SHARING_VIOLATION: a program holds the file open
    112: errno.ENOSPC,  # ERROR_DISK_FULL
    206: errno.ENAMETOOLONG,  # ERROR_FILENAME_EXCED_RANGE
    1921: errno.ELOOP,  # ERROR_CANT_RESOLVE_FILENAME: a reparse-point loop
}


def os_error_finding(exc: OSError, root: Path | None = None, shown: str | None = None) -> Finding:
    """The Chinese finding for a failed file-system call: which path, what happened, what to do.

    The path is the error's own, shown relative to `root` when inside it, or `shown` if given.
    """
    number = _WINDOWS_ERRNO.get(getattr(exc, "winerror", None) or -1, exc.errno)
    code, message, hint = _MESSAGES.get(number, _OTHER)  # type: ignore[arg-type]
    if shown is not None:
        path, location = shown, Location(shown)
    elif exc.filename is not None:
        path = shown_path(os.fsdecode(exc.filename), root)
        location = Location(path)
    else:
        path, location = "（系统没有说明是哪个文件）", None
    if exc.filename2 is not None and shown is None:
        path += f"（移动到 {shown_path(os.fsdecode(exc.filename2), root)} 时）"
    reason = exc.strerror or type(exc).__name__
    if exc.errno:
        reason += f"，错误号 {exc.errno}"
    return Finding(code, Severity.ERROR, message.format(path=path, reason=reason), location, hint)
