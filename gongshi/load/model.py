"""Typed records of an announcement: categories, units, quota blocks, recipients, notice.

These are what the loader produces and what the checks and pages consume. A unit's own quota
and a quota shared by several units (a merged cell of the 附件 table) are both `QuotaBlock`s,
so the quota arithmetic has one shape. Fields kept only for the rule checks live in
`InternalFacts`; templates receive `PublicRecipient`, which has no way to reach them.

The records are msgspec Structs, as every record of the tool is: built in C, with no methods
compiled at each start as dataclasses have (README, 依赖).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from msgspec import Struct, field
from msgspec.structs import replace

from ..files.list_order import ListOrder
from ..findings import Location

if TYPE_CHECKING:  # only for annotations
    from ..files.schema import RulesFile
    from ..zh.workdays import WorkCalendar


class _kept_once:
    """functools.cached_property without its lock: the value is made on first use and put in the
    record's own __dict__, where every later use finds it without calling anything. On Python
    3.11 cached_property takes a lock on each first use, which doubled what a record's `public`
    cost (100,000 records: 0.09 s instead of 0.05, in each process of a build). Two threads
    asking at once may each make the value; both are equal, and one is kept."""

    def __init__(self, make):
        self.make = make
        self.name = make.__name__
        self.__doc__ = make.__doc__

    def __get__(self, record, owner=None):
        if record is None:
            return self
        value = record.__dict__[self.name] = self.make(record)
        return value


class Category(Struct, frozen=True):
    id: str
    name: str
    table_label: str
    measure: str
    subject: str
    action: str
    total: int
    confers: str | None
    location: Location
    order: ListOrder = ListOrder.SURNAME_STROKES

    @property
    def is_person(self) -> bool:
        return self.subject == "person"


class Unit(Struct, frozen=True):
    id: str
    name: str
    kind: str
    order: int
    location: Location


class QuotaBlock(Struct, frozen=True):
    """Places in one category allotted to one unit, or shared by a block of adjacent units."""

    category_id: str
    quota: int
    units: tuple[Unit, ...]
    location: Location

    @property
    def shared(self) -> bool:
        return len(self.units) > 1


class PriorHonour(Struct, frozen=True):
    title: str
    level: str
    year: int | None = None


class InternalFacts(Struct, frozen=True):
    """Facts used by the rule checks only. Never passed to a template."""

    non_public: bool | None = None
    cadre_level: str | None = None
    membership_rate: float | None = None
    ballot_approval: float | None = None
    satisfaction: float | None = None
    prior_honours: tuple[PriorHonour, ...] | None = None  # None: not recorded
    applicant: str | None = None
    mega_group: bool | None = None
    group_secondary_share: float | None = None


NO_FACTS = InternalFacts()  # a record with none of them (shared: the facts are read-only)


class PublicRecipient(Struct, frozen=True):
    """What a 公示 publishes about one recipient: the only view templates get."""

    name: str
    title: str | None
    gender: str | None
    ethnicity: str | None
    unit_id: str
    unit_name: str
    category_id: str


class Recipient(Struct, frozen=True, dict=True):  # dict: where `public` is kept once made
    category: Category
    unit: Unit
    name: str
    title: str | None
    gender: str | None
    ethnicity: str | None
    location: Location
    facts: InternalFacts = field(default_factory=InternalFacts)

    @_kept_once
    def public(self) -> PublicRecipient:
        """Made once per record (a list of 100,000 names asks for it on every page it is on)."""
        return PublicRecipient(self.name, self.title, self.gender, self.ethnicity,
                               self.unit.id, self.unit.name, self.category.id)


class Contacts(Struct, frozen=True):
    people: tuple[str, ...]
    phone: str
    email: str
    address: str | None = None
    postcode: str | None = None

    @property
    def tel_uri(self) -> str:
        """RFC 3966 global number: 0391-3999921 -> tel:+86-391-3999921."""
        area, number = self.phone.split("-", 1)
        return f"tel:+86-{area.lstrip('0')}-{number}"


class ComparedWithout(Struct, frozen=True):
    """A record whose equality and hash leave out the fields its class names in
    `_NOT_COMPARED` (what dataclasses call compare=False): the rest, in order."""

    _NOT_COMPARED: ClassVar[tuple[str, ...]] = ()

    def _compared(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__struct_fields__ if name not in self._NOT_COMPARED)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())


class Period(ComparedWithout, frozen=True):
    # Two periods are the same period whatever their calendar (made from them) and location.
    _NOT_COMPARED = ("calendar", "location")

    start: dt.date
    end: dt.date
    end_clock: str = ""
    noindex_after_end: bool = False
    # For the browser script that keeps the status current: {"from", "to", "workdays", "days_off"}.
    calendar: dict = field(default_factory=dict)
    location: Location | None = None  # announcement.yaml `gongshi:`


class Attachment(Struct, frozen=True):
    title: str
    table: str


class Notice(Struct, frozen=True):
    title: str
    issuer: str
    addressees: str
    signature: str
    date: dt.date
    attachments: tuple[Attachment, ...]
    body_html: str
    location: Location


class GongshiText(Struct, frozen=True):
    """The editable wording of the 公示 page (content/<slug>/gongshi.md)."""

    title: str
    date: dt.date
    objection: str
    preamble_html: str
    location: Location


class DecisionText(Struct, frozen=True):
    """The 表彰决定 (content/<slug>/decision.md): a 公文 like the notice, with its 文号."""

    title: str
    issuer: str
    number: str | None  # 文号, e.g. 焦工〔2018〕12号
    addressees: str | None
    signature: str
    date: dt.date
    list_title: str  # the title of its attachment, the final list
    body_html: str
    location: Location


# What a recorded correction may change: the public fields of a recipient (changes.yaml `to`).
CORRECTABLE = {"name": "姓名或单位名称", "unit": "推荐单位", "category": "类别", "title": "工作单位及职务",
               "gender": "性别", "ethnicity": "民族"}


class Change(Struct, frozen=True):
    """One recorded change of the list between the 公示 and the 决定 (data/<slug>/changes.yaml):
    a recipient of the 公示 withdrawn (撤销) or corrected (更正), when and for what kind of
    reason. `note` is for the office's own record and is never published."""

    date: dt.date
    action: str  # 撤销 / 更正
    category_id: str
    unit: str  # the 推荐单位 as written (name or id)
    name: str
    to: tuple[tuple[str, str], ...]  # (field, new value) of a 更正, fields of CORRECTABLE
    reason: str  # one of schema.REASONS
    location: Location
    note: str | None = None


class PublicChange(Struct, frozen=True):
    """One line of the 变更说明: what changed, publicly. No notes, no facts."""

    date: dt.date
    action: str
    category_name: str
    name: str
    unit_name: str
    corrections: tuple[tuple[str, str, str], ...]  # (what, as in the 公示, as in the 决定)
    reason: str


class Decision(Struct, frozen=True, weakref=True):  # weakref: search_index.row_anchors
    """The 决定 of an announcement: its text (None until decision.md is written), its final
    list (data/<slug>/decision/, read like recipients/) and the recorded changes."""

    text: DecisionText | None
    recipients: tuple[Recipient, ...]
    changes: tuple[Change, ...]
    has_list: bool  # data/<slug>/decision/ exists
    incomplete: frozenset[str] = frozenset()
    sources: tuple[Location, ...] = ()  # the decision's files that exist, for messages


class PublicAnnouncement(Struct, frozen=True):
    """What templates may see of an announcement: no recipients, facts, rules or history."""

    slug: str
    short_title: str
    issuer: str
    department: str
    contacts: Contacts
    period: Period | None  # None until the 公示 period is set
    categories: tuple[Category, ...]
    units: tuple[Unit, ...]
    notice: Notice
    gongshi: GongshiText | None
    decision_text: DecisionText | None
    is_sample: bool


class PublicSite(Struct, frozen=True):
    """What templates may see of the site."""

    name: str
    owner: str
    is_sample: bool


class Announcement(Struct, frozen=True, weakref=True):  # weakref: search_index.row_anchors
    slug: str
    short_title: str
    issuer: str
    department: str
    contacts: Contacts
    period: Period | None  # None: the 公示 is not scheduled yet (the notice stage)
    categories: tuple[Category, ...]
    units: tuple[Unit, ...]
    blocks: tuple[QuotaBlock, ...]
    recipients: tuple[Recipient, ...]  # the 公示 list
    notice: Notice
    gongshi: GongshiText | None
    sample_flags: tuple[Location, ...] = ()
    rules: RulesFile | None = None  # thresholds of the notice's rules, as data
    group_by_unit: bool = True
    # Categories some of whose records could not be read (the load reported why): the lists
    # are partial, so rules about a whole list's make-up must not judge them.
    incomplete: frozenset[str] = frozenset()
    decision: Decision | None = None

    @property
    def is_sample(self) -> bool:
        return bool(self.sample_flags)

    @property
    def decision_text(self) -> DecisionText | None:
        return self.decision.text if self.decision is not None else None

    @property
    def decision_view(self) -> Announcement:
        """The announcement with the 决定's list in place of the 公示's (for the checks, the
        pages of the decision stage and the search)."""
        assert self.decision is not None
        return replace(self, recipients=self.decision.recipients, incomplete=self.decision.incomplete)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    @property
    def public(self) -> PublicAnnouncement:
        """Exactly the fields PublicAnnouncement declares, taken from this announcement."""
        return PublicAnnouncement(**{name: getattr(self, name) for name in PublicAnnouncement.__struct_fields__})


class HistoryRecord(Struct, frozen=True):
    """Someone honoured in an earlier year (data/history.yaml), for the no-twice rule."""

    name: str
    category_name: str
    year: int
    title: str | None
    location: Location


class Site(ComparedWithout, frozen=True):
    # Two sites are the same site whatever calendar object each was given.
    _NOT_COMPARED = ("calendar",)

    name: str
    owner: str
    base_url: str
    announcements: tuple[Announcement, ...]
    history: tuple[HistoryRecord, ...] = ()
    calendar: WorkCalendar | None = None

    @property
    def is_sample(self) -> bool:
        return any(a.is_sample for a in self.announcements)

    @property
    def public(self) -> PublicSite:
        return PublicSite(self.name, self.owner, self.is_sample)
