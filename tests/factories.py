"""Small model objects for unit tests, built directly (no files)."""

from __future__ import annotations

import datetime as dt

from gongshi.files.schema import RulesFile
from gongshi.findings import Location
from gongshi.load.model import (
    Announcement,
    Category,
    Contacts,
    GongshiText,
    InternalFacts,
    Notice,
    Period,
    PriorHonour,
    QuotaBlock,
    Recipient,
    Unit,
)

HERE = Location("test.yaml", 1)


def category(id_="home", total=3, subject="organisation", measure="个", name=None):
    return Category(id_, name or f"类别{id_}", f"{id_}（{measure}）", measure, subject, "表彰",
                    total, None, HERE)


def units(*names, kind="县市区"):
    return tuple(Unit(f"u{i}", name, kind, i, Location("units.yaml", i + 1))
                 for i, name in enumerate(names))


def block(cat, quota, *members, line=1):
    return QuotaBlock(cat.id, quota, tuple(members), Location("units.yaml", line))


def recipient(cat, unit, name, line=1, title=None, **facts):
    if "prior_honours" in facts and facts["prior_honours"] is not None:
        facts["prior_honours"] = tuple(PriorHonour(*h) for h in facts["prior_honours"])
    return Recipient(cat, unit, name, title, None, None, Location("r.yaml", line),
                     InternalFacts(**facts))


def announcement(categories, units_, blocks, recipients=(), rules=None):
    notice = Notice("通知", "发文单位", "主送", "署名", dt.date(2018, 10, 9), (), "", HERE)
    gongshi = GongshiText("公示", dt.date(2018, 11, 5), "异议", "", HERE)
    return Announcement("t", "测试", "发文单位", "部门",
                        Contacts(("甲",), "0391-3999921", "a@b.cn"),
                        Period(dt.date(2018, 11, 5), dt.date(2018, 11, 9)),
                        tuple(categories), tuple(units_), tuple(blocks), tuple(recipients),
                        notice, gongshi, rules=RulesFile.model_validate(rules or {}))
