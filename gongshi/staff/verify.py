"""Comparing a deployed copy of the site with the build's SHA256SUMS: what the public sees.

The deployed copy is a folder (the portal's share, a copy on a USB stick) or the site itself
over HTTP/HTTPS. Every file the manifest lists is checked: missing (E001), altered (E002), or
impossible to check (E004: an HTTP status other than 200/404/410, a network or read error).
A folder is also searched for files the manifest does not list (E003); over HTTP a folder
cannot be listed, so there "unexpected" does not apply. The manifest's own copy, SHA256SUMS,
is one of the files checked: it must be the manifest itself. The build's stamp file
(`outdir.STAMP`, which marks a folder the build may replace) is checked in folders but not over
HTTP: it is not meant for the public, and many portals refuse to serve names beginning with ".".

Over HTTP only the standard library is used: the base path of the address is kept, no cookies
are sent, every request has a time-out, compression is refused (identity) and undone where a
server compresses anyway, and a few files are fetched at a time. A copy that cannot be compared
at all (no manifest, a broken manifest line, no such folder, a server that does not answer)
raises `VerifyError`: the command line reports it as a usage error (exit 2).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import socket
import ssl
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from msgspec import Struct

from ..findings import shorten
from ..site.outdir import MANIFEST, STAMP

TIMEOUT = 20.0  # seconds for each connection, read or write
WORKERS = 6  # files fetched at a time: quick on a portal, gentle with it
CHUNK = 1 << 16
MISSING_STATUSES = (404, 410)

NOT_IDENTICAL_HINT = ("把 output/ 整个重新复制到门户（见 README“部署”：rsync -a --delete 或 robocopy /MIR "
                      "才会删去多出的文件），然后再运行 gongshi verify。")

_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")


class VerifyError(Exception):
    """The copy could not be compared at all. A Chinese message and how to fix it."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


class Difference(Struct, frozen=True):
    """One file of the deployed copy that is not as built: E001–E004, why (E004 only)."""

    code: str
    path: str
    why: str = ""


class Manifest(Struct, frozen=True):
    shown: str  # the manifest's name as the user knows it
    digests: dict[str, str]  # relative path -> sha256 hex, SHA256SUMS itself included


class Comparison(Struct):
    target: str
    manifest: Manifest
    differences: list[Difference]
    over_http: bool

    @property
    def identical(self) -> bool:
        return not self.differences


def read_manifest(path: Path, shown: str) -> Manifest:
    """The digests a SHA256SUMS file lists (as `sha256sum -c` reads it), and its own."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VerifyError("E005", f"找不到 {shown}。",
                          "请先在项目目录中运行 gongshi build 生成网站；或用 --output 指定生成的输出目录，"
                          "用 --sums 指定 SHA256SUMS 文件。")
    except OSError as exc:
        raise VerifyError("E005", f"无法读取 {shown}（{exc.strerror or exc}）。",
                          "请确认文件存在、是文件而不是文件夹，并且有权限读取。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VerifyError("E005", f"{shown} 不是 UTF-8 编码的文本。", "请使用 gongshi build 生成的 SHA256SUMS。")
    digests: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        path_text = match.group(2) if match else ""
        parts = path_text.split("/")
        if not match or path_text.startswith("/") or "\\" in path_text or {"", ".", ".."} & set(parts):
            raise VerifyError("E005", f"{shown} 第 {number} 行格式不对：“{shorten(line)}”。",
                              "每行应是 64 位十六进制校验值、两个空格和文件的相对路径。"
                              "请使用 gongshi build 生成的 SHA256SUMS，不要手工修改。")
        if path_text in digests:
            raise VerifyError("E005", f"{shown} 第 {number} 行：文件“{path_text}”列了两次。",
                              "请使用 gongshi build 生成的 SHA256SUMS，不要手工修改。")
        digests[path_text] = match.group(1).lower()
    if not digests:
        raise VerifyError("E005", f"{shown} 中没有列出任何文件。", "请重新运行 gongshi build 生成网站。")
    digests.setdefault(MANIFEST, hashlib.sha256(data).hexdigest())
    return Manifest(shown, digests)


def verify(target: str, manifest: Manifest) -> Comparison:
    """Compare the folder or http(s) address `target` with the manifest."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", target):
        scheme = target.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise VerifyError("E006", f"不支持“{scheme}”网址：{target}。",
                              "网址请以 http:// 或 https:// 开头；核对文件夹时直接写文件夹路径。")
        base = _base_url(target)
        return Comparison(base, manifest, _compare_site(base, manifest), over_http=True)
    folder = Path(target)
    if not folder.is_dir():
        looks_like_host = re.match(r"[\w-]+(\.[\w-]+)+(:\d+)?(/|$)", target) is not None
        raise VerifyError("E006", f"找不到文件夹 {target}。",
                          ("如果这是网址，请在前面加上 http:// 或 https://。" if looks_like_host else "")
                          + "请写部署后网站所在的文件夹（其中应有 index.html 和 SHA256SUMS），或网站首页的网址。")
    return Comparison(str(folder), manifest, _compare_folder(folder, manifest), over_http=False)


# ---------------------------------------------------------------------------- folders

def _compare_folder(folder: Path, manifest: Manifest) -> list[Difference]:
    differences = []
    present: dict[str, Path] = {}
    for directory, _subfolders, files in os.walk(folder):
        for name in files:
            found = Path(directory) / name
            present[found.relative_to(folder).as_posix()] = found
    for relative in sorted(set(manifest.digests) | set(present)):
        path = present.get(relative)
        expected = manifest.digests.get(relative)
        if path is None:
            differences.append(Difference("E001", relative))
        elif expected is None:
            differences.append(Difference("E003", relative))
        else:
            try:
                if _file_digest(path) != expected:
                    differences.append(Difference("E002", relative))
            except OSError as exc:
                differences.append(Difference("E004", relative, f"无法读取（{exc.strerror or exc}）"))
    return differences


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------- HTTP

# The default handlers (proxies from the environment, redirects, HTTPS) and no cookie jar.
_opener = urllib.request.build_opener()
_HEADERS = {"User-Agent": "gongshi-verify", "Accept-Encoding": "identity", "Accept": "*/*"}


def _base_url(target: str) -> str:
    """The address with its path ending in "/" (files are under it), no query or fragment."""
    parts = urlsplit(target)
    if not parts.hostname:
        raise VerifyError("E006", f"网址“{target}”中没有主机名。", "请写网站首页的完整网址，例如 https://门户域名/gongshi/。")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def _compare_site(base: str, manifest: Manifest) -> list[Difference]:
    _probe(base)
    differences = []
    paths = sorted(relative for relative in manifest.digests if relative != STAMP)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(lambda relative: _fetch_digest(base + quote(relative, safe="/")), paths))
    for relative, (status, digest, why) in zip(paths, outcomes):
        if why:
            differences.append(Difference("E004", relative, why))
        elif status in MISSING_STATUSES:
            differences.append(Difference("E001", relative))
        elif status != 200:
            differences.append(Difference("E004", relative, f"服务器返回 HTTP {status}"))
        elif digest != manifest.digests[relative]:
            differences.append(Difference("E002", relative))
    return differences


def _request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers=_HEADERS)


def _probe(base: str) -> None:
    """One request for the front page: a server that does not answer at all is not compared."""
    try:
        with _opener.open(_request(base), timeout=TIMEOUT):
            pass
    except urllib.error.HTTPError:
        pass  # it answers; what it says about each file is checked file by file
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise VerifyError("E006", f"无法连接到 {base}（{_network_reason(exc)}）。",
                          "请检查网址（主机名、端口、路径）是否写对，本机能否打开这个网址（网络、代理），"
                          "以及服务器是否在运行。")


def _fetch_digest(url: str) -> tuple[int, str | None, str]:
    """(HTTP status, sha256 of the body as published, why it could not be checked or "")."""
    try:
        with _opener.open(_request(url), timeout=TIMEOUT) as response:
            encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
            decoder = _decoder(encoding)
            if decoder is False:
                return response.status, None, f"服务器使用了无法识别的压缩方式（{encoding}）"
            digest = hashlib.sha256()
            received = 0
            while chunk := response.read(CHUNK):
                received += len(chunk)
                digest.update(decoder.decompress(chunk) if decoder else chunk)
            if decoder:
                digest.update(decoder.flush())
            promised = response.headers.get("Content-Length", "")
            if promised.isdigit() and received < int(promised):
                # http.client ends a short body quietly when reading in chunks
                return response.status, None, "连接中断"
            return response.status, digest.hexdigest(), ""
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, None, ""
    except zlib.error:
        return 0, None, "服务器返回的压缩数据已损坏"
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError, EOFError) as exc:
        return 0, None, _network_reason(exc)


def _decoder(encoding: str):
    """A decompressor for a Content-Encoding; None for identity; False when unknown."""
    if encoding in ("identity", ""):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    return False


def _network_reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.gaierror):
        return "找不到这个主机名"
    if isinstance(reason, ConnectionRefusedError):
        return "连接被拒绝：服务器没有运行，或端口不对"
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"{TIMEOUT:g} 秒内没有响应"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return "HTTPS 证书无法验证"
    if isinstance(reason, ssl.SSLError):
        return "HTTPS 连接失败"
    if isinstance(reason, (ConnectionError, EOFError, http.client.HTTPException)):
        return "连接中断"
    return str(reason) or type(reason).__name__


# ---------------------------------------------------------------------------- report

_GROUPS = (("E001", "缺少 {n} 个文件（E001）"), ("E002", "内容不同 {n} 个文件（E002）"),
           ("E003", "多出 {n} 个文件（E003，{manifest} 中没有列出）"), ("E004", "无法核对 {n} 个文件（E004）"))


def format_report(comparison: Comparison) -> str:
    """The comparison for staff: every differing file, grouped by kind, and what to do."""
    manifest = comparison.manifest
    total = len(manifest.digests)
    where = "网址" if comparison.over_http else "文件夹"
    if comparison.identical:
        return f"核对通过：{where} {comparison.target} 与 {manifest.shown} 列出的 {total} 个文件完全一致。"
    differences = comparison.differences
    lines = [f"{where} {comparison.target} 与 {manifest.shown}（{total} 个文件）不一致："]
    for code, title in _GROUPS:
        group = [d for d in differences if d.code == code]
        if group:
            lines.append(f"  {title.format(n=len(group), manifest=manifest.shown)}：")
            lines += [f"    {d.path}" + (f"：{d.why}" if d.why else "") for d in group]
    lines.append(f"共 {len(differences)} 处不一致：公众看到的不是这次生成的网站。")
    if sum(1 for d in differences if d.code == "E001") == total:
        lines.append("一个文件也没有找到：" + ("网址可能写错了，应是网站首页的地址（与 base_url 一致）。"
                                          if comparison.over_http else "文件夹可能选错了。"))
    lines.append(f"处理办法：{NOT_IDENTICAL_HINT}")
    return "\n".join(lines)
