"""A category's list as the pages and the downloads show it: its rows, grouped by 推荐单位, and
the pages of a split list (and what each of those pages is given of its category: SplitCategory).

`pages.category_lists()` makes them; the list templates and `downloads` read them. They sit
below both so that downloads need not import pages (which imports downloads).
"""

from __future__ import annotations

from msgspec import Struct

from ..load.model import Category, PublicRecipient, Unit


class ListRow(Struct, frozen=True):
    """One row of a list as a template shows it."""

    number: int    # 序号
    anchor: str    # the row's id (search_index.row_anchors())
    recipient: PublicRecipient


class UnitGroup(Struct, frozen=True):
    unit: Unit | None  # None: the list is not grouped by 推荐单位
    recipients: tuple[PublicRecipient, ...]
    first_number: int  # 序号 of the first recipient, counted through the category
    anchors: tuple[str, ...] = ()  # the rows' ids, one per recipient
    unit_count: int = 0  # the unit's recipients in the category, when this group is a slice
    continued: bool = False  # the unit's rows began on the page before (a split list)

    @property
    def count(self) -> int:
        return self.unit_count or len(self.recipients)

    @property
    def rows(self) -> list[ListRow]:
        return [ListRow(self.first_number + i, anchor, recipient)
                for i, (anchor, recipient) in enumerate(zip(self.anchors, self.recipients))]


class ListPart(Struct, frozen=True):
    """One page of a category's list, when the 公示 list is split."""

    path: str       # "2018-mofan/gongshi/worker/" (first page) or "2018-mofan/gongshi/worker/2/"
    number: int     # 1, 2, ...
    groups: tuple[UnitGroup, ...]
    rows: int
    first_number: int  # 序号 range of the page
    last_number: int

    @property
    def label(self) -> str:
        """第2页（序号 3001—6000，沁阳市—温县）"""
        units = [g.unit.name for g in self.groups if g.unit is not None]
        span = "" if not units else f"，{units[0]}" + ("" if units[-1] == units[0] else f"—{units[-1]}")
        return f"第{self.number}页（序号 {self.first_number}—{self.last_number}{span}）"


class CategoryList(Struct, frozen=True):
    category: Category
    count: int
    groups: tuple[UnitGroup, ...]
    parts: tuple[ListPart, ...] = ()  # its pages when the 公示 list is split, else ()

    @property
    def path(self) -> str | None:
        """The page that lists it when the list is split (its first page), else None."""
        return self.parts[0].path if self.parts else None


class PartLink(Struct, frozen=True):
    """A page of a split category's list as the category's other pages link to it (the pager:
    partials/part_pager.html reads no more)."""

    path: str
    number: int


class SplitCategory(Struct, frozen=True):
    """What a page of a split list is given of its category: the category, how many it lists
    and a link to each of its pages, but not the list itself (the page's own rows are its
    ListPart). So a change on one page (one person's 工作单位及职务) leaves the category's other
    pages as they were in a preview (site.memo fingerprints what a page is given): at 100,000
    names every page of the category (11 at the benchmark's) was rendered again."""

    category: Category
    count: int
    parts: tuple[PartLink, ...]

    @classmethod
    def of(cls, item: CategoryList) -> SplitCategory:
        return cls(item.category, item.count,
                   tuple(PartLink(p.path, p.number) for p in item.parts))
