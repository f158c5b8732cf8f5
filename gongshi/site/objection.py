"""The objection channel: `mailto:` links that arrive intact, per RFC 6068.

Each recipient on a 公示 list gets a link that opens the reader's mail program with the
published address, a subject naming the category, the recipient and the 推荐单位, and a body
asking for what an objection needs (the facts, real name, unit, contact). Subject and body
are UTF-8 percent-encoded with `%20` for spaces and `%0D%0A` for line breaks, so Chinese
text survives every mail client that follows the RFC.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..load.model import Category, PublicAnnouncement, PublicRecipient

# What urllib.parse.quote(text, safe="") leaves as it is; every other byte becomes %XX.
_UNRESERVED = re.compile(r"[^A-Za-z0-9_.~-]+")


def _percent(match: re.Match) -> str:
    return "%" + match.group().encode("utf-8").hex("%").upper()


@lru_cache(maxsize=64)
def _encode(text: str) -> str:
    """urllib.parse.quote(text, safe="") with CRLF line breaks, a run of bytes at a time
    (a list of 100,000 names has 200,000 of these links)."""
    return _UNRESERVED.sub(_percent, text.replace("\r\n", "\n").replace("\n", "\r\n"))


def mailto(address: str, subject: str, body: str) -> str:
    return f"mailto:{address}?subject={_encode(subject)}&body={_encode(body)}"


def objection_subject(category: Category, recipient: PublicRecipient) -> str:
    return f"对{category.name}拟{category.action}对象“{recipient.name}”（{recipient.unit_name}推荐）的异议"


def objection_body(announcement: PublicAnnouncement) -> str:
    """The same for every recipient (the subject names who it is about), so the many links
    of a long list compress to almost nothing."""
    return "\n".join([
        f"{announcement.department}：",
        "",
        "异议的具体事实和依据：",
        "",
        "",
        "反映人真实姓名：",
        "工作单位：",
        "联系电话：",
        "",
        "（以单位名义反映的，请另附加盖公章的书面材料。对反映人和反映内容严格保密。）",
    ])


def objection_link(announcement: PublicAnnouncement, category: Category,
                   recipient: PublicRecipient) -> str:
    return mailto(announcement.contacts.email, objection_subject(category, recipient),
                  objection_body(announcement))
