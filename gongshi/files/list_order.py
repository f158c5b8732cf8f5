"""How a category's list may be ordered: the words staff write as `order` in categories.yaml.

A module of its own, without pydantic: the ordered site carries these values, and the build's
second process reads that site without ever validating a data file (site/parallel.py).
"""

from __future__ import annotations

from enum import StrEnum


class ListOrder(StrEnum):
    """How a category's list is ordered (categories.yaml `order`); the values are what staff
    write there. `ordering` applies them and words them for the published list."""

    SURNAME_STROKES = "姓氏笔画"  # persons' default
    NAME_STROKES = "姓名笔画"
    STROKES = "笔画"              # organisations' default: the whole name
    PINYIN = "拼音"
    AS_GIVEN = "原顺序"           # published as （排名不分先后）

    @classmethod
    def default_for(cls, is_person: bool) -> ListOrder:
        return cls.SURNAME_STROKES if is_person else cls.STROKES

    @property
    def persons_only(self) -> bool:
        """Orders that read a name as 姓 + 名, which an organisation's name has not."""
        return self in (ListOrder.SURNAME_STROKES, ListOrder.NAME_STROKES)
