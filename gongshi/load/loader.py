"""Reading a project folder into a `Site`: every file read, validated and cross-referenced.

The loader never stops at the first problem: it gathers every finding it can (bad YAML in one
file does not hide a misspelt unit in another). A record that cannot be read (an unknown unit,
a misspelt field) is reported and left out, and the rest are loaded, so the rule checks still
run on them; the categories with records left out are marked `incomplete`. An announcement
whose own settings, tables or texts are wrong is left out whole, and without a readable
data/site.yaml there is no site at all. The build refuses to write whenever anything was an
error. Layout of a project:

    data/site.yaml                          site settings and the list of announcements
    data/<slug>/announcement.yaml           issuer, department, contacts, 公示 period
    data/<slug>/categories.yaml             the award categories
    data/<slug>/units.yaml                  recommending units, quotas and shared quotas
    data/<slug>/recipients/*.yaml           the approved lists, one category per file
    data/<slug>/decision/*.yaml             the 决定's final list, the same way (optional)
    data/<slug>/changes.yaml                the changes between the 公示 and the 决定 (optional)
    content/<slug>/notice.md                the notice, transcribed
    content/<slug>/gongshi.md               the 公示's text (when a 公示 period is set)
    content/<slug>/decision.md              the 表彰决定 (optional)

(`datafiles.KNOWN_DATA_FILES` lists them once; any other file under data/ is reported:
`stray.stray_files`.)
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from ..files import quick
from ..files.content import body_html, join_cjk_lines, read_document
from ..files.datafiles import recipient_files
from ..files.list_order import ListOrder
from ..files.stray import stray_files
from ..files.yamlfile import DataFileError, SourceList, SourceMap, keep_parsed, parse_read, read_bytes
from ..findings import Findings, Location, did_you_mean, relative_name
from ..urls import RESERVED_SLUGS
from ..zh.names import normalise_name
from ..zh.workdays import CalendarNotCoveredError, HolidaysFileError, WorkCalendar, resolve_period
from .model import (
    NO_FACTS,
    Announcement,
    Attachment,
    Category,
    Change,
    Contacts,
    Decision,
    DecisionText,
    GongshiText,
    HistoryRecord,
    InternalFacts,
    Notice,
    Period,
    PriorHonour,
    QuotaBlock,
    Recipient,
    Site,
    Unit,
)
from .reuse import Same, reused
from .stages import PLACEHOLDER

_NO_FACTS_GIVEN = (None,) * len(InternalFacts.__struct_fields__)


class LoadResult(Struct):
    site: Site | None
    findings: Findings


class _Reader:
    """Reads files relative to the project root, turning failures into findings."""

    def __init__(self, root: Path, findings: Findings):
        self.root = root
        self.findings = findings
        self._names: dict[Path, str] = {}  # for this load (links may change between loads)
        self.digests: dict[Path, bytes] = {}  # SHA-256 of each YAML file parsed in this load

    def name(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:
            name = self._names[path] = relative_name(path, self.root)
        return name

    def read(self, path: Path) -> tuple[bytes, bytes] | None:
        """The file's bytes and their SHA-256, or None (reported) when it cannot be read."""
        try:
            return read_bytes(path, self.name(path))
        except DataFileError as exc:
            self.report(exc)
            return None

    def raw(self, path: Path, read: tuple[bytes, bytes] | None = None):
        """The file's YAML data with its lines, or None (reported) when it has none; `read`:
        what `read` gave for it, or None to read it now. Its digest is kept (`digests`)."""
        if read is None:
            read = self.read(path)
            if read is None:
                return None
        shown = self.name(path)
        try:
            raw = parse_read(*read, shown)
        except DataFileError as exc:
            self.report(exc)
            return None
        self.digests[path] = read[1]
        if raw is None:
            self.findings.error("Y003", f"{shown} 中没有内容（只有注释或空行）。", Location(shown, 1),
                                "请参照同类文件的格式填写内容，或删除这个文件。")
        return raw

    def yaml(self, path: Path, model: str):
        raw = self.raw(path)
        if raw is None:
            return None, None
        return raw, quick.validate(model, raw, self.name(path), self.findings)

    def report(self, exc: DataFileError) -> None:
        for problem in exc.problems:
            self.findings.error(problem.code, problem.message, problem.location, problem.hint,
                                problem.excerpt)


def load_site(root: Path) -> LoadResult:
    findings = Findings()
    reader = _Reader(root, findings)
    site_path = root / "data" / "site.yaml"
    _, site_file = reader.yaml(site_path, "SiteFile")
    if site_file is None:
        return LoadResult(None, findings)
    calendar = _load_calendar(reader, root)
    announcements = []
    seen: set[str] = set()
    for slug in site_file.announcements:
        if slug in RESERVED_SLUGS:
            findings.error("L016", f"公告文件夹名“{slug}”与网站自己的文件夹重名。",
                           Location(reader.name(site_path)), "请换一个名字，例如 2019-mofan。")
            continue
        if slug in seen:
            findings.error("L012", f"公告“{slug}”在 announcements 中列了两次。",
                           Location(reader.name(site_path)), "请删除重复的一项。")
            continue
        seen.add(slug)
        announcement = _load_announcement(reader, slug, calendar)
        if announcement is not None:
            announcements.append(announcement)
    history, history_flag = _load_history(reader, root / "data" / "history.yaml")
    findings.extend(stray_files(root, site_file.announcements))
    if history_flag is not None:
        announcements = [replace(a, sample_flags=a.sample_flags + (history_flag,))
                         for a in announcements]
    site = Site(site_file.name, site_file.owner, _normalise_base_url(site_file.base_url),
                tuple(announcements), history, calendar)
    return LoadResult(site, findings)


def _load_calendar(reader: _Reader, root: Path) -> WorkCalendar | None:
    """China's working days: the chinese-calendar package plus data/holidays.yaml."""
    try:
        return WorkCalendar.for_project(root)
    except HolidaysFileError as exc:
        for problem in exc.problems:
            reader.report(problem)
    except DataFileError as exc:
        reader.report(exc)
    return None


def _normalise_base_url(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _item_line(raw: SourceMap, key: str, index: int) -> int:
    """The line of item `index` of the list under `key` (the key's own line if it is no list)."""
    items = raw.get(key)
    return items.line_of(index) if isinstance(items, SourceList) else raw.line_of(key)


def _period(reader: _Reader, path: Path, raw, entry, calendar: WorkCalendar | None) -> Period | None:
    """The 公示 period: an end date, a length in 工作日/自然日, or both (then they must agree)."""
    location = Location(reader.name(path), raw.line_of("gongshi"))
    if calendar is None:
        return None  # data/holidays.yaml is broken; already reported
    try:
        end, problem = resolve_period(entry.start, entry.end, entry.length, entry.unit, calendar)
        if problem:
            reader.findings.error("K101", problem, location,
                                  "请改正 end（结束日期）或 length（天数），使两者一致；只写其中一个也可以。")
            return None
        days = calendar.days_off_and_workdays(entry.start, end)
    except CalendarNotCoveredError as exc:
        reader.findings.error(exc.code, exc.message, location, exc.hint)
        return None
    return Period(entry.start, end, entry.end_clock or "", entry.noindex_after_end, days, location)


def _load_announcement(reader: _Reader, slug: str, calendar: WorkCalendar | None) -> Announcement | None:
    findings = reader.findings
    folder = reader.root / "data" / slug
    if not folder.is_dir():
        findings.error("L013", f"data/site.yaml 列出了公告“{slug}”，但找不到文件夹 data/{slug}/。",
                       Location("data/site.yaml"),
                       f"请新建 data/{slug}/（可复制已有公告的文件夹），或从 announcements 中删除“{slug}”。")
        return None
    errors_before = len(findings.errors)
    ann_raw, ann = reader.yaml(folder / "announcement.yaml", "AnnouncementFile")
    cats_raw, cats_file = reader.yaml(folder / "categories.yaml", "CategoriesFile")
    units_raw, units_file = reader.yaml(folder / "units.yaml", "UnitsFile")
    content = reader.root / "content" / slug
    notice = _load_notice(reader, content / "notice.md")
    # No 公示 period yet (a new announcement): only the notice is published, gongshi.md waits.
    wants_gongshi = ann is None or ann.gongshi is not None
    gongshi = _load_gongshi(reader, content / "gongshi.md") if wants_gongshi else None
    decision_text = _load_decision_text(reader, content / "decision.md")
    for path in (folder / "announcement.yaml", content / "notice.md", content / "decision.md",
                 *([content / "gongshi.md"] if wants_gongshi else [])):
        _refuse_placeholders(reader, path)
    table_errors = len(findings.errors)
    categories: tuple[Category, ...] = ()
    if cats_file:
        path = folder / "categories.yaml"
        categories = reused(("categories", reader.name(path), reader.digests[path]), findings,
                            _categories, reader, path, cats_raw, cats_file)
    units: tuple[Unit, ...] = ()
    blocks: tuple[QuotaBlock, ...] = ()
    if units_file and categories:
        path = folder / "units.yaml"
        units, blocks = reused(("units", reader.name(path), reader.digests[path], Same(categories)),
                               findings, _units, reader, path, units_raw, units_file, categories)
    if len(findings.errors) > table_errors:
        # The tables themselves are wrong: checking the lists against them would only
        # repeat the same mistake many times. Fix the tables first.
        categories, units, blocks = categories if units else (), (), ()
    rules = _load_rules(reader, folder / "rules.yaml", categories)
    settings_errors = len(findings.errors) - errors_before
    recipients, sample_flags, incomplete = _recipients(reader, folder / "recipients", categories, units)
    if ann is not None and ann.sample:
        sample_flags = (Location(reader.name(folder / "announcement.yaml"),
                                 ann_raw.line_of("sample")),) + sample_flags
    decision, decision_flags = _load_decision(reader, folder, content, decision_text, categories, units)
    sample_flags += decision_flags
    if settings_errors or ann is None or notice is None or (wants_gongshi and gongshi is None):
        return None
    period = None
    if ann.gongshi is not None:
        period = _period(reader, folder / "announcement.yaml", ann_raw, ann.gongshi, calendar)
        if period is None:
            return None
    given = ann.contacts
    contacts = Contacts(tuple(given.people), given.phone, given.email, given.address, given.postcode)
    return Announcement(
        slug=slug, short_title=ann.short_title, issuer=ann.issuer, department=ann.department,
        contacts=contacts, period=period,
        categories=categories, units=units, blocks=blocks, recipients=recipients,
        notice=notice, gongshi=gongshi, sample_flags=sample_flags, rules=rules,
        group_by_unit=ann.group_by_unit, incomplete=incomplete, decision=decision)


def _refuse_placeholders(reader: _Reader, path: Path) -> None:
    """J015 for every line still holding what `gongshi new` left to fill in."""
    if not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return  # reading it properly reports why
    shown = reader.name(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if PLACEHOLDER in line:
            reader.findings.error("J015", f"这里还是 gongshi new 留下的占位文字：{line.strip()[:60]}",
                                  Location(shown, number),
                                  "请按正式文件填写这一项（连同“【】”一起替换）；没有定下来之前，"
                                  "先不要把这个公告列入 data/site.yaml。")


def _load_decision_text(reader: _Reader, path: Path) -> DecisionText | None:
    """content/<slug>/decision.md, when it exists (None also when it is wrong: reported)."""
    if not path.is_file():
        return None
    doc, front = _read_front(reader, path, "DecisionFront")
    if front is None:
        return None
    # Located at its date: the line that decides when it is published.
    return DecisionText(front.title, front.issuer, front.number, front.addressees, front.signature,
                        front.date, front.list_title, body_html(doc, reader.findings),
                        Location(doc.shown_as, doc.front.line_of("date")))


def _load_decision(reader: _Reader, folder: Path, content: Path, text: DecisionText | None,
                   categories: tuple[Category, ...], units: tuple[Unit, ...]
                   ) -> tuple[Decision | None, tuple[Location, ...]]:
    """The 决定's parts that exist: its text, its list (data/<slug>/decision/) and the recorded
    changes (data/<slug>/changes.yaml); None when there is none of them. The list and the
    changes are read, and checked, before the decision's date, so problems show early."""
    list_folder, changes_path = folder / "decision", folder / "changes.yaml"
    sources = tuple(Location(reader.name(p) + ("/" if p == list_folder else ""))
                    for p in (content / "decision.md", list_folder, changes_path) if p.exists())
    if not sources:
        return None, ()
    recipients, flags, incomplete = _recipients(reader, list_folder, categories, units)
    changes: tuple[Change, ...] = ()
    if changes_path.is_file():
        changes, flag = _load_changes(reader, changes_path)
        flags += (flag,) if flag else ()
    return Decision(text, recipients, changes, list_folder.is_dir(), incomplete, sources), flags


def _load_changes(reader: _Reader, path: Path) -> tuple[tuple[Change, ...], Location | None]:
    raw = reader.raw(path)
    if raw is None:
        return (), None
    shown = reader.name(path)
    parsed, kept = quick.validate_records("ChangesFile", raw, shown, reader.findings, "changes")
    if parsed is None:
        return (), None
    changes = []
    for index, entry in zip(kept, parsed.changes):
        to = tuple((key, normalise_name(value) if key in ("name", "unit") else value)
                   for key, value in (entry.to.model_dump() if entry.to else {}).items()
                   if value is not None)
        changes.append(Change(entry.date, entry.action, entry.category, normalise_name(entry.unit),
                              normalise_name(entry.name), to, entry.reason,
                              Location(shown, _item_line(raw, "changes", index)), entry.note))
    flag = Location(shown, raw.line_of("sample")) if parsed.sample else None
    return tuple(changes), flag


def _load_rules(reader: _Reader, path: Path, categories: tuple[Category, ...]):
    """The notice's thresholds (data/<slug>/rules.yaml); optional, validated against categories."""
    if not path.is_file():
        return quick.defaults("RulesFile")
    raw, rules = reader.yaml(path, "RulesFile")
    if rules is None or not categories:
        return rules
    known = [c.id for c in categories]
    shown = reader.name(path)
    for key in raw:
        value = raw[key]
        mentioned: list[str] = []
        if isinstance(value, dict):
            mentioned = list(value.get("categories", [])) if "categories" in value else list(value)
        elif isinstance(value, list):
            for item in value:
                mentioned += list(item.get("categories", [])) if isinstance(item, dict) else [item]
        for category_id in mentioned:
            if category_id not in known:
                reader.findings.error("L014", f"规则“{key}”中有未知类别“{category_id}”。",
                                      Location(shown, raw.line_of(key)),
                                      did_you_mean(str(category_id), known))
    return rules


def _load_history(reader: _Reader, path: Path) -> tuple[tuple[HistoryRecord, ...], Location | None]:
    """Earlier recipients (data/history.yaml, optional) for the no-twice rule."""
    if not path.is_file():
        return (), None
    raw, history = reader.yaml(path, "HistoryFile")
    if history is None:
        return (), None
    shown = reader.name(path)
    records = tuple(HistoryRecord(normalise_name(h.name), h.category, h.year, h.title,
                                  Location(shown, _item_line(raw, "honours", i)))
                    for i, h in enumerate(history.honours))
    flag = Location(shown, raw.line_of("sample")) if history.sample else None
    return records, flag


def _read_front(reader: _Reader, path: Path, model: str):
    shown = reader.name(path)
    try:
        doc = read_document(path, shown)
    except DataFileError as exc:
        reader.report(exc)
        return None, None
    return doc, quick.validate(model, doc.front, shown, reader.findings)


def _load_gongshi(reader: _Reader, path: Path) -> GongshiText | None:
    doc, front = _read_front(reader, path, "GongshiFront")
    if front is None:
        return None
    return GongshiText(front.title, front.date, join_cjk_lines(front.objection),
                       body_html(doc, reader.findings), Location(doc.shown_as, 1))


def _load_notice(reader: _Reader, path: Path) -> Notice | None:
    doc, front = _read_front(reader, path, "NoticeFront")
    if front is None:
        return None
    shown = doc.shown_as
    attachments = tuple(Attachment(a.title, a.table) for a in front.attachments)
    return Notice(front.title, front.issuer, front.addressees, front.signature, front.date,
                  attachments, body_html(doc, reader.findings), Location(shown, 1))


def _categories(reader: _Reader, path: Path, cats_raw, cats_file) -> tuple[Category, ...]:
    shown = reader.name(path)
    raw = cats_raw["categories"]
    result, seen = [], set()
    for index, entry in enumerate(cats_file.categories):
        location = Location(shown, raw.line_of(index))
        if entry.id in seen:
            reader.findings.error("L001", f"类别代号“{entry.id}”重复。", location,
                                  "每个类别的 id 必须不同。")
            continue
        seen.add(entry.id)
        order = entry.order or ListOrder.default_for(entry.subject == "person")
        if order.persons_only and entry.subject != "person":
            *others, last = [o.value for o in ListOrder if not o.persons_only]
            reader.findings.error("L015", f"集体类别“{entry.name}”不能按“{order}”排序。", location,
                                  f"集体名单请用 {'、'.join(others)} 或 {last}。")
        result.append(Category(entry.id, entry.name, entry.table_label, entry.measure,
                               entry.subject, entry.action, entry.total, entry.confers,
                               location, order))
    return tuple(result)


def _units(reader: _Reader, path: Path, raw, units_file,
           categories: tuple[Category, ...]) -> tuple[tuple[Unit, ...], tuple[QuotaBlock, ...]]:
    findings = reader.findings
    shown = reader.name(path)
    category_ids = [c.id for c in categories]
    units: list[Unit] = []
    by_id: dict[str, Unit] = {}
    blocks: list[QuotaBlock] = []
    names: set[str] = set()
    for index, entry in enumerate(units_file.units):
        entry_raw = raw["units"][index]
        location = Location(shown, raw["units"].line_of(index))
        name = _unit_name(findings, entry.name, Location(shown, entry_raw.line_of("name")))
        if not name:
            continue
        if entry.id in by_id or name in names:
            findings.error("L002", f"推荐单位“{name}”（{entry.id}）重复。", location,
                           "每个单位的 id 和名称都必须不同。")
            continue
        unit = Unit(entry.id, name, entry.kind, len(units), location)
        units.append(unit)
        by_id[unit.id] = unit
        names.add(unit.name)
        for category_id, quota in entry.quotas.items():
            quota_loc = Location(shown, entry_raw["quotas"].line_of(category_id))
            if category_id not in category_ids:
                findings.error("L003", f"“{entry.name}”的名额中有未知类别“{category_id}”。",
                               quota_loc, did_you_mean(category_id, category_ids))
                continue
            blocks.append(QuotaBlock(category_id, quota, (unit,), quota_loc))
    for index, entry in enumerate(units_file.shared_quotas):
        location = Location(shown, raw["shared_quotas"].line_of(index))
        if entry.category not in category_ids:
            findings.error("L003", f"共用名额中有未知类别“{entry.category}”。", location,
                           did_you_mean(entry.category, category_ids))
            continue
        members = []
        for unit_id in entry.units:
            if unit_id not in by_id:
                findings.error("L004", f"共用名额中有未知单位“{unit_id}”。", location,
                               did_you_mean(unit_id, list(by_id)))
            else:
                members.append(by_id[unit_id])
        if len(members) != len(entry.units):
            continue
        orders = sorted(u.order for u in members)
        if orders != list(range(orders[0], orders[0] + len(orders))):
            findings.error("L007", f"共用名额（{entry.category}，{entry.quota}）的单位在表中不相邻。",
                           location, "合并单元格只能合并相邻的行：请调整 units 的顺序或拆分这组单位。")
            continue
        members.sort(key=lambda u: u.order)
        blocks.append(QuotaBlock(entry.category, entry.quota, tuple(members), location))
    _refuse_overlaps(findings, blocks)
    return tuple(units), tuple(blocks)


def _unit_name(findings: Findings, given: str, location: Location) -> str:
    """A unit's name as recipients write it: normalised like a person's name, once, here
    (otherwise every recipient of the unit would be told the unit is unknown)."""
    name = normalise_name(given)
    if not name:
        findings.error("S011", "“name”（推荐单位名称）不能为空（只有空格也算空）。", location,
                       "请照附件表格填写单位名称。")
    elif name != given:
        findings.warning("N001", f"单位名称“{given}”含有多余的空格或非标准间隔号，已按“{name}”处理。",
                         location, f"请直接写成“{name}”；名单中的推荐单位也按“{name}”核对。")
    return name


def _refuse_overlaps(findings: Findings, blocks: list[QuotaBlock]) -> None:
    owner: dict[tuple[str, str], QuotaBlock] = {}
    for block in blocks:
        for unit in block.units:
            key = (block.category_id, unit.id)
            if key in owner:
                findings.error(
                    "L005", f"“{unit.name}”在类别“{block.category_id}”中有两处名额"
                    f"（另一处见第 {owner[key].location.line} 行）。", block.location,
                    "一个单位在一个类别中只能有本单位名额或共用名额之一，请删去其中一处。")
            else:
                owner[key] = block


def _recipient(findings: Findings, category: Category, unit_lookup: dict[str, Unit],
               units: tuple[Unit, ...], entry, location: Location) -> Recipient | None:
    name = normalise_name(entry.name)
    if not name:
        findings.error("S011", "“name”（姓名或单位全称）不能为空（只有空格也算空）。", location,
                       "请填写姓名或单位全称，或删除这条记录。")
        return None
    if name != entry.name:
        findings.warning("N001", f"名称“{entry.name}”含有多余的空格或非标准间隔号，已按“{name}”处理。",
                         location, f"请直接写成“{name}”：对齐用的空格由网页排版负责，不要写进数据。")
    unit = unit_lookup.get(normalise_name(entry.unit))
    if unit is None:
        findings.error("L008", f"“{name}”的推荐单位“{entry.unit}”不在名额分配表中。",
                       location, did_you_mean(entry.unit, [u.name for u in units]))
        return None
    title = normalise_name(entry.title) if entry.title else None
    if category.is_person and not title:
        findings.error("L010", f"个人类别“{category.name}”的“{name}”缺少工作单位及职务（title）。",
                       location, "请加上一行“title: 某单位某职务”，这是公示必须列出的内容。")
        return None
    if not category.is_person and (entry.title or entry.gender or entry.ethnicity):
        findings.error("L011", f"集体类别“{category.name}”的“{name}”填写了个人才有的字段"
                       "（title、gender 或 ethnicity）。", location,
                       "集体只填单位全称（name）和推荐单位（unit）；如果这是个人，请移到个人类别的文件中。")
        return None
    honours = None
    if entry.prior_honours is not None:
        honours = tuple(PriorHonour(h.title, h.level, h.year) for h in entry.prior_honours)
    given = (entry.non_public, entry.cadre_level, entry.membership_rate, entry.ballot_approval,
             entry.satisfaction, honours, normalise_name(entry.applicant) if entry.applicant else None,
             entry.mega_group, entry.group_secondary_share)
    # A list with none of the facts (most lists of persons): one object for all its records.
    facts = NO_FACTS if given == _NO_FACTS_GIVEN else InternalFacts(*given)
    return Recipient(category, unit, name, title, entry.gender, entry.ethnicity, location, facts)


def _recipients(reader: _Reader, folder: Path, categories: tuple[Category, ...],
                units: tuple[Unit, ...]) -> tuple[tuple[Recipient, ...], tuple[Location, ...],
                                                  frozenset[str]]:
    """The records that could be read, the sample flags, and the categories missing some records."""
    if not folder.is_dir():
        return (), (), frozenset()
    by_id = {c.id: c for c in categories}
    unit_lookup = {u.name: u for u in units} | {u.id: u for u in units}
    recipients: list[Recipient] = []
    flags: list[Location] = []
    incomplete: set[str] = set()
    for path in recipient_files(folder):
        read = reader.read(path)
        if read is None:
            incomplete |= set(by_id)  # which category the file holds is not known
            continue
        shown = reader.name(path)
        key = ("records", shown, read[1], Same(categories), Same(units))
        records, flag, missing = reused(key, reader.findings, _recipients_file,
                                        reader, path, read, by_id, unit_lookup, categories, units)
        keep_parsed(shown, read[1])  # when not parsed now: for new categories or units next time
        recipients += records
        flags += (flag,) if flag is not None else ()
        incomplete |= missing
    return tuple(recipients), tuple(flags), frozenset(incomplete)


def _recipients_file(reader: _Reader, path: Path, read: tuple[bytes, bytes], by_id: dict[str, Category],
                     unit_lookup: dict[str, Unit], categories: tuple[Category, ...], units: tuple[Unit, ...]
                     ) -> tuple[tuple[Recipient, ...], Location | None, frozenset[str]]:
    """One list file's records that could be read, its sample flag, and the categories it
    leaves records out of (`read`: its bytes and their SHA-256)."""
    findings = reader.findings
    shown = reader.name(path)
    errors_before = len(findings.errors)
    recipients: list[Recipient] = []
    flag = None
    raw = reader.raw(path, read)
    parsed, kept = (quick.validate_records("RecipientsFile", raw, shown, findings, "recipients")
                    if raw is not None else (None, []))
    if parsed is not None and parsed.sample:
        flag = Location(shown, raw.line_of("sample"))
    category = by_id.get(parsed.category) if parsed is not None else None
    if parsed is not None and categories and units and category is None:
        findings.error("L009", f"未知类别“{parsed.category}”。", Location(shown, raw.line_of("category")),
                       did_you_mean(parsed.category, list(by_id)))
    if parsed is not None and category is not None and units:
        for index, entry in zip(kept, parsed.recipients):
            location = Location(shown, _item_line(raw, "recipients", index))
            recipient = _recipient(findings, category, unit_lookup, units, entry, location)
            if recipient is not None:
                recipients.append(recipient)
    if len(findings.errors) == errors_before:
        return tuple(recipients), flag, frozenset()
    # Records were left out; which category they belong to is known only if the file says.
    named = raw.get("category") if isinstance(raw, dict) else None
    return tuple(recipients), flag, frozenset({named} if isinstance(named, str) and named in by_id else by_id)
