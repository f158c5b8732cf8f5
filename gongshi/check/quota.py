"""Quota arithmetic: who may fill which places, how many are used, and the 附件 table.

An `Allocation` answers, for one announcement: which quota block covers a unit in a
category, how many recipients each unit and each block has, the sum of allotted places per
category, and the rows of the 表彰名额分配表 with merged cells (rowspan) as printed.
Usage is counted in one pass over the recipients; each block's members are gathered in another,
the first time the checks ask for them (the pages never do).
"""

from __future__ import annotations

from collections import Counter

from msgspec import Struct

from ..load.model import Announcement, Category, QuotaBlock, Recipient, Unit


class TableCell(Struct, frozen=True):
    text: str
    rowspan: int = 1


class TableRow(Struct, frozen=True):
    unit: Unit
    cells: tuple[TableCell | None, ...]  # None: covered by a merged cell above


class UnitQuota(Struct, frozen=True):
    """One line of a unit page: its places in one category and how many are used."""

    category: Category
    block: QuotaBlock | None
    used_by_unit: int
    used_by_block: int

    @property
    def partners(self) -> tuple[Unit, ...]:
        return self.block.units if self.block else ()

    @property
    def remaining(self) -> int:
        return (self.block.quota - self.used_by_block) if self.block else 0


def _block_key(block: QuotaBlock) -> tuple[str, str]:
    return (block.category_id, block.units[0].id)


class Allocation:
    def __init__(self, announcement: Announcement):
        self.announcement = announcement
        self._block_for: dict[tuple[str, str], QuotaBlock] = {}
        for block in announcement.blocks:
            for unit in block.units:
                self._block_for[(block.category_id, unit.id)] = block
        # How many each unit uses in each category, counted in C (at 100,000 names a build
        # makes this in both processes).
        self._used: Counter[tuple[str, str]] = Counter(
            [(recipient.category.id, recipient.unit.id) for recipient in announcement.recipients])
        self._members: dict[tuple[str, str], list[Recipient]] | None = None  # see recipients_in_block

    def block_for(self, category_id: str, unit_id: str) -> QuotaBlock | None:
        return self._block_for.get((category_id, unit_id))

    def used_by_unit(self, category_id: str, unit_id: str) -> int:
        return self._used[(category_id, unit_id)]

    def used_by_block(self, block: QuotaBlock) -> int:
        return sum(self._used[(block.category_id, u.id)] for u in block.units)

    def allotted(self, category_id: str) -> int:
        """The sum of the places actually allotted to units in a category."""
        return sum(b.quota for b in self.announcement.blocks if b.category_id == category_id)

    def recipients_in_block(self, block: QuotaBlock) -> list[Recipient]:
        """The block's recipients, in list order."""
        if self._members is None:
            self._members = {}  # by the block's first unit
            for recipient in self.announcement.recipients:
                covering = self._block_for.get((recipient.category.id, recipient.unit.id))
                if covering is not None:
                    self._members.setdefault(_block_key(covering), []).append(recipient)
        return list(self._members.get(_block_key(block), ()))

    def unit_quotas(self, unit: Unit) -> list[UnitQuota]:
        lines = []
        for category in self.announcement.categories:
            block = self.block_for(category.id, unit.id)
            lines.append(UnitQuota(category, block, self.used_by_unit(category.id, unit.id),
                                   self.used_by_block(block) if block else 0))
        return lines

    def table_rows(self) -> list[TableRow]:
        """Rows of the 附件 table: a shared quota appears once, spanning its block's rows."""
        rows = []
        for unit in self.announcement.units:
            cells: list[TableCell | None] = []
            for category in self.announcement.categories:
                block = self.block_for(category.id, unit.id)
                if block is None:
                    cells.append(TableCell(""))
                elif block.units[0] == unit:
                    cells.append(TableCell(str(block.quota), len(block.units)))
                else:
                    cells.append(None)
            rows.append(TableRow(unit, tuple(cells)))
        return rows
