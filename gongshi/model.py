"""Typed records of an announcement: categories, units, quota blocks, recipients, notice.

These are what the loader produces and what the checks and pages consume. A unit's own quota
and a quota shared by several units (a merged cell of the 附件 table) are both `QuotaBlock`s,
so the quota arithmetic has one shape. Fields kept only for the rule checks live in
`InternalFacts`; templates receive `PublicRecipient`, which has no way to reach them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from .findings import Location


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    table_label: str
    measure: str
    subject: str
    action: str
    total: int
    confers: str | None
    location: Location
    order: str = "姓氏笔画"  # see ordering.ORDERS

    @property
    def is_person(self) -> bool:
        return self.subject == "person"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    order: int
    location: Location


@dataclass(frozen=True)
class QuotaBlock:
    """Places in one category allotted to one unit, or shared by a block of adjacent units."""

    category_id: str
    quota: int
    units: tuple[Unit, ...]
    location: Location

    @property
    def shared(self) -> bool:
        return len(self.units) > 1


@dataclass(frozen=True)
class PriorHonour:
    title: str
    level: str
    year: int | None = None


@dataclass(frozen=True)
class InternalFacts:
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


@dataclass(frozen=True)
class PublicRecipient:
    """What a 公示 publishes about one recipient: the only view templates get."""

    name: str
    title: str | None
    gender: str | None
    ethnicity: str | None
    unit_id: str
    unit_name: str
    category_id: str


@dataclass(frozen=True)
class Recipient:
    category: Category
    unit: Unit
    name: str
    title: str | None
    gender: str | None
    ethnicity: str | None
    location: Location
    facts: InternalFacts = field(default_factory=InternalFacts)

    @cached_property
    def public(self) -> PublicRecipient:
        """Made once per record (a list of 100,000 names asks for it on every page it is on)."""
        return PublicRecipient(self.name, self.title, self.gender, self.ethnicity,
                               self.unit.id, self.unit.name, self.category.id)


@dataclass(frozen=True)
class Contacts:
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


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    end_clock: str = ""
    noindex_after_end: bool = False
    # For the browser script that keeps the status current: {"from", "to", "workdays", "days_off"}.
    calendar: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Attachment:
    title: str
    table: str


@dataclass(frozen=True)
class Notice:
    title: str
    issuer: str
    addressees: str
    signature: str
    date: dt.date
    attachments: tuple[Attachment, ...]
    body_html: str
    location: Location


@dataclass(frozen=True)
class GongshiText:
    """The editable wording of the 公示 page (content/<slug>/gongshi.md)."""

    title: str
    date: dt.date
    objection: str
    preamble_html: str
    location: Location


@dataclass(frozen=True)
class PublicAnnouncement:
    """What templates may see of an announcement: no recipients, facts, rules or history."""

    slug: str
    short_title: str
    issuer: str
    department: str
    contacts: Contacts
    period: Period
    categories: tuple[Category, ...]
    units: tuple[Unit, ...]
    notice: Notice
    gongshi: GongshiText
    is_sample: bool


@dataclass(frozen=True)
class PublicSite:
    """What templates may see of the site."""

    name: str
    owner: str
    is_sample: bool


@dataclass(frozen=True)
class Announcement:
    slug: str
    short_title: str
    issuer: str
    department: str
    contacts: Contacts
    period: Period
    categories: tuple[Category, ...]
    units: tuple[Unit, ...]
    blocks: tuple[QuotaBlock, ...]
    recipients: tuple[Recipient, ...]
    notice: Notice
    gongshi: GongshiText
    sample_flags: tuple[Location, ...] = ()
    rules: Any = None  # schema.RulesFile: thresholds of the notice's rules, as data
    group_by_unit: bool = True
    # Categories some of whose records could not be read (the load reported why): the lists
    # are partial, so rules about a whole list's make-up must not judge them.
    incomplete: frozenset[str] = frozenset()

    @property
    def is_sample(self) -> bool:
        return bool(self.sample_flags)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    @property
    def public(self) -> PublicAnnouncement:
        """Exactly the fields PublicAnnouncement declares, taken from this announcement."""
        return PublicAnnouncement(**{f.name: getattr(self, f.name) for f in fields(PublicAnnouncement)})


@dataclass(frozen=True)
class HistoryRecord:
    """Someone honoured in an earlier year (data/history.yaml), for the no-twice rule."""

    name: str
    category_name: str
    year: int
    title: str | None
    location: Location


@dataclass(frozen=True)
class Site:
    name: str
    owner: str
    base_url: str
    announcements: tuple[Announcement, ...]
    history: tuple[HistoryRecord, ...] = ()
    calendar: Any = field(default=None, compare=False)  # workdays.WorkCalendar

    @property
    def is_sample(self) -> bool:
        return any(a.is_sample for a in self.announcements)

    @property
    def public(self) -> PublicSite:
        return PublicSite(self.name, self.owner, self.is_sample)
