"""`gongshi new SLUG`: start the next announcement from the last one's settings, without its lists.

"The last one" is the announcement of data/site.yaml whose notice is newest (or the one named
by --from). The new announcement gets, as new files only:

* data/<new>/announcement.yaml - the last one's issuer, department, contacts and options,
  its 简称 to fill in, and no 公示 period yet (so only the notice is published until staff
  add one); categories.yaml, units.yaml and, where the last one has them, rules.yaml and
  import.yaml, copied byte for byte for staff to change as the new notice says; an empty
  recipients/ for the lists;
* content/<new>/notice.md and gongshi.md - the last one's standing parts (issuer, 主送机关,
  署名, attachments, the objection wording) and 【请填写…】 (stages.PLACEHOLDER) where the new
  text goes. The build refuses a text still holding it (J015), so nothing half-written is
  ever published.

It never overwrites: if data/<new>/ or content/<new>/ exists it writes nothing (J022); a file
is created only if it did not exist, and if writing fails midway the files this run created
are removed again (J023). It does not edit data/site.yaml either: staff list the new
announcement there when its notice is ready (until then the build says so once, L019).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from msgspec import Struct

from ..check.report import format_findings
from ..files import schema
from ..files.content import read_document
from ..files.yamlfile import DataFileError, load_yaml
from ..findings import Findings, relative_name
from ..fsproblems import os_error_finding
from ..load.stages import PLACEHOLDER
from ..pipeline import BuildOptions, build_date
from ..urls import RESERVED_SLUGS, SLUG_PATTERN

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
SLUG = re.compile(SLUG_PATTERN)
COPIED = ("categories.yaml", "units.yaml", "rules.yaml", "import.yaml")


class NewProblem(Exception):
    def __init__(self, code: str, message: str, hint: str, exit_code: int = EXIT_DATA):
        super().__init__(message)
        self.code, self.message, self.hint, self.exit_code = code, message, hint, exit_code


class Started(Struct, frozen=True):
    source: str
    written: list[Path]


def new_command(root: Path, args) -> int:
    try:
        started = start_announcement(root, args.slug, args.source)
    except NewProblem as problem:
        print(f"错误 {problem.code}：{problem.message}\n处理办法：{problem.hint}")
        return problem.exit_code
    slug = args.slug
    files = "\n".join(f"  {relative_name(p, root)}" for p in started.written)
    print(f"已从“{started.source}”开始新的公告“{slug}”，新建了以下文件（没有改动任何已有的文件）：\n{files}\n"
          "接下来：\n"
          f"1. 按新的通知修改 data/{slug}/ 中的 categories.yaml（类别、合计）、units.yaml（推荐单位、名额）、"
          "rules.yaml（核查条件），以及 announcement.yaml 中的简称和联系人。\n"
          f"2. 在 content/{slug}/notice.md 中逐字转录通知，替换所有“{PLACEHOLDER}……】”。\n"
          f"3. 在 data/site.yaml 的 announcements 中加一行“  - {slug}”，运行 gongshi check；"
          "网站从通知的日期起发布这次公告。\n"
          f"4. 公示期确定后，在 announcement.yaml 中写上 gongshi（start、end），改好 content/{slug}/gongshi.md，"
          f"名单放进 data/{slug}/recipients/（可用 gongshi import --announcement {slug}）。")
    return EXIT_OK


def start_announcement(root: Path, slug: str, source: str | None) -> Started:
    """Write the new announcement's files (only new ones); raise NewProblem on refusal."""
    if not SLUG.fullmatch(slug) or slug in RESERVED_SLUGS:
        raise NewProblem("J020", f"“{slug}”不能用作公告的文件夹名。",
                         "只用小写英文字母、数字和连字符，以字母或数字开头，例如 2019-mofan；"
                         f"也不能是 {'、'.join(sorted(RESERVED_SLUGS))}。", EXIT_USAGE)
    for folder in (root / "data" / slug, root / "content" / slug):
        if os.path.lexists(folder):
            raise NewProblem("J022", f"{relative_name(folder, root)}/ 已经存在，没有写入任何文件（不覆盖已有的文件）。",
                             "换一个文件夹名；如果这是上次没有做完的，请先确认其中的内容，再决定删除还是继续编辑。")
    source = source or _newest(root)
    files = _plan(root, source, slug)
    return Started(source, _write(root, files, [root / "data" / slug / "recipients"]))


def _listed(root: Path) -> list[str]:
    findings = Findings()
    try:
        raw = load_yaml(root / "data" / "site.yaml", "data/site.yaml")
    except DataFileError as exc:
        findings.error(exc.code, exc.message, exc.location, exc.hint)
        raw = None
    site = schema.validate(schema.SiteFile, raw, "data/site.yaml", findings) if raw is not None else None
    if site is None:
        raise NewProblem("J021", "无法读取 data/site.yaml，不知道上一次公告是哪一个。\n" + format_findings(findings),
                         "请先改正 data/site.yaml（运行 gongshi check 查看），或用 --from 指定以哪一次公告为底本。")
    return list(site.announcements)


def _newest(root: Path) -> str:
    """The listed announcement whose notice is newest (the last listed among equal dates)."""
    dated = []
    for index, slug in enumerate(_listed(root)):
        try:
            front = read_document(root / "content" / slug / "notice.md", f"content/{slug}/notice.md").front
        except DataFileError:
            continue
        day = front.get("date") if isinstance(front, dict) else None
        if hasattr(day, "isoformat"):
            dated.append((day, index, slug))
    if not dated:
        raise NewProblem("J021", "data/site.yaml 列出的公告都读不出通知的日期，找不到上一次公告。",
                         "请先运行 gongshi check 改正通知（content/<公告>/notice.md），或用 --from 指定底本。")
    return max(dated)[2]


def _plan(root: Path, source: str, slug: str) -> dict[Path, bytes]:
    """Every file to write, as bytes, before anything is written."""
    data, content = root / "data" / source, root / "content" / source
    findings = Findings()
    shown = f"data/{source}/announcement.yaml"
    try:
        raw = load_yaml(data / "announcement.yaml", shown)
        notice = read_document(content / "notice.md", f"content/{source}/notice.md")
        gongshi = (read_document(content / "gongshi.md", f"content/{source}/gongshi.md")
                   if (content / "gongshi.md").is_file() else None)
    except DataFileError as exc:
        raise NewProblem("J021", f"底本公告“{source}”的文件读不出来：{exc.message}",
                         "请先运行 gongshi check 改正它，或用 --from 指定另一次公告。") from exc
    settings = schema.validate(schema.AnnouncementFile, raw, shown, findings)
    if settings is None or not (data / "categories.yaml").is_file() or not (data / "units.yaml").is_file():
        raise NewProblem("J021", f"底本公告“{source}”的设置不完整或有错误。\n" + format_findings(findings),
                         "请先运行 gongshi check 改正它，或用 --from 指定另一次公告。")
    today = build_date(BuildOptions()).isoformat()
    new_data, new_content = root / "data" / slug, root / "content" / slug
    files = {new_data / "announcement.yaml": _announcement_yaml(settings, source).encode("utf-8"),
             new_content / "notice.md": _notice_md(notice.front, source, slug, today).encode("utf-8"),
             new_content / "gongshi.md": _gongshi_md(gongshi.front if gongshi else {}, source, today).encode("utf-8")}
    for name in COPIED:
        if (data / name).is_file():
            files[new_data / name] = (data / name).read_bytes()
    return files


def _text(value) -> str:
    """A YAML scalar for `value`: JSON's string syntax is YAML's double-quoted string."""
    return json.dumps(value, ensure_ascii=False)


def _announcement_yaml(settings: schema.AnnouncementFile, source: str) -> str:
    contacts = settings.contacts
    lines = [
        f"# 下一次评选表彰的设置：由 gongshi new 从 {source} 复制（不含名单）。各项的含义见 data/{source}/announcement.yaml。",
        "# 请按新的通知修改简称和下面的各项。",
        "# 公示期确定后，照下面的样子加上 gongshi（在此之前网站只发布通知和名额分配表）：",
        "# gongshi:",
        "#   start: 公示第一天，如 2019-11-04",
        "#   end: 公示最后一天（含），或写 length: 5 和 unit: 工作日",
    ]
    if settings.sample:
        lines.append("sample: true")
    lines += [f"short_title: {PLACEHOLDER}简称，如“2019年度……评选表彰”】",
              f"issuer: {_text(settings.issuer)}",
              f"department: {_text(settings.department)}",
              "contacts:",
              f"  people: {_text(list(contacts.people))}",
              f"  phone: {_text(contacts.phone)}",
              f"  email: {_text(contacts.email)}"]
    if contacts.address:
        lines.append(f"  address: {_text(contacts.address)}")
    if contacts.postcode:
        lines.append(f"  postcode: {_text(contacts.postcode)}")
    if not settings.group_by_unit:
        lines.append("group_by_unit: false")
    return "\n".join(lines) + "\n"


def _block(key: str, text: str) -> list[str]:
    """`key: |-` and the text indented below it (a YAML literal block)."""
    return [f"{key}: |-", *(f"  {line}" if line else "" for line in str(text).splitlines())]


def _notice_md(front, source: str, slug: str, today: str) -> str:
    lines = ["---",
             f"# 通知：由 gongshi new 从 {source} 开始。照新的通知原文逐字转录标题、主送机关、正文、署名和日期。",
             "# date 是成文日期，也是网站发布这次公告的日期。",
             f"issuer: {_text(front.get('issuer', ''))}",
             f"title: {PLACEHOLDER}通知标题】",
             f"addressees: {_text(front.get('addressees', ''))}",
             f"signature: {_text(front.get('signature', ''))}",
             f"date: {today}  # {PLACEHOLDER}成文日期】"]
    attachments = front.get("attachments") or []
    if attachments:
        lines.append("attachments:")
        for item in attachments:
            lines += [f"  - title: {_text(item.get('title', ''))}", f"    table: {_text(item.get('table', ''))}"]
    lines += ["---", "", f"{PLACEHOLDER}通知正文：照原文逐字转录；附件“表彰名额分配表”由 data/{slug}/units.yaml 生成，不必转录】", ""]
    return "\n".join(lines)


def _gongshi_md(front, source: str, today: str) -> str:
    lines = ["---",
             "# 公示页的文字：在 announcement.yaml 写上公示期（gongshi）之后才用到。",
             f"# 受理异议的说明照 {source}；标题、落款日期和导语请按这次公示填写。",
             f"title: {PLACEHOLDER}公示标题】",
             f"date: {today}  # {PLACEHOLDER}落款日期】",
             *_block("objection", front.get("objection") or f"{PLACEHOLDER}受理异议的说明】"),
             "---",
             f"{PLACEHOLDER}公示导语】",
             ""]
    return "\n".join(lines)


def _write(root: Path, files: dict[Path, bytes], folders: list[Path]) -> list[Path]:
    """Create every folder and file, each only if it does not exist; on failure remove what
    this run created and raise NewProblem."""
    created: list[Path] = []
    written: list[Path] = []

    def make(folder: Path) -> None:
        for parent in reversed([folder, *folder.parents]):
            if parent.is_relative_to(root) and not parent.exists():
                parent.mkdir()
                created.append(parent)

    try:
        for path, data in sorted(files.items()):
            make(path.parent)
            with open(path, "xb") as handle:  # "x": never an existing file
                handle.write(data)
            written.append(path)
        for folder in folders:
            make(folder)
    except OSError as exc:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
        finding = os_error_finding(exc, root)
        raise NewProblem("J023", "写入新公告的文件失败，已删除本次新建的文件。" + finding.message,
                         finding.hint or "请检查项目文件夹是否可写，然后重新运行。") from exc
    return written
