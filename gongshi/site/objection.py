"""The objection channel: `mailto:` links that arrive intact, per RFC 6068, and what an
objection needs, in the words the site uses wherever it asks for it.

Each recipient on a 公示 list gets a link that opens the reader's mail program with the
published address and a subject naming the category, the recipient and the 推荐单位. The body
asking for what an objection needs (the facts, real name, unit, contact) is the same for every
row, so a list page carries it once, percent-encoded, in its list's `data-objection-body`
(templates/partials/objection_body.html), and the page script adds it to each row's link
(`&body=`). Without the script the link still opens a mail with address and subject, and the
sentence `OBJECTION_HINT` beside the objection channel says what to write. Subject and body
are UTF-8 percent-encoded with `%20` for spaces and `%0D%0A` for line breaks, so Chinese text
survives every mail client that follows the RFC.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..load.model import Category, PublicAnnouncement, PublicRecipient

# What an objection must state, and what the person objecting gives about themselves: the
# body's lines and the visible sentence are both made from these.
FACTS = "异议的具体事实和依据"
OBJECTOR = ("反映人真实姓名", "工作单位", "联系电话")
# The visible sentence beside the objection channel, for a reader whose mail arrives without
# the body (no script, or a mail program that drops it).
OBJECTION_HINT = f"反映时请写明{FACTS}，以及{'、'.join(OBJECTOR)}。"

# What urllib.parse.quote(text, safe="") leaves as it is; every other byte becomes %XX.
_UNRESERVED = re.compile(r"[^A-Za-z0-9_.~-]+")


def _percent(match: re.Match) -> str:
    return "%" + match.group().encode("utf-8").hex("%").upper()


def _quote(text: str) -> str:
    """urllib.parse.quote(text, safe="") with CRLF line breaks, a run of bytes at a time
    (a list of 100,000 names has 100,000 of these links)."""
    return _UNRESERVED.sub(_percent, text.replace("\r\n", "\n").replace("\n", "\r\n"))


_encode = lru_cache(maxsize=64)(_quote)  # for what many links share: a body, a subject's words


def _subject_link(address: str, encoded_subject: str) -> str:
    return f"mailto:{address}?subject={encoded_subject}"


def mailto(address: str, subject: str, body: str | None = None) -> str:
    link = _subject_link(address, _encode(subject))
    return link if body is None else f"{link}&body={_encode(body)}"


def _subject_around(category_name: str, action: str, unit_name: str) -> tuple[str, str]:
    """What a subject says before and after the recipient's name."""
    return f"对{category_name}拟{action}对象“", f"”（{unit_name}推荐）的异议"


def objection_subject(category: Category, recipient: PublicRecipient) -> str:
    before, after = _subject_around(category.name, category.action, recipient.unit_name)
    return before + recipient.name + after


@lru_cache(maxsize=256)
def _encoded_around(category_name: str, action: str, unit_name: str) -> tuple[str, str]:
    """_subject_around, percent-encoded: the same for a unit's rows in a category."""
    before, after = _subject_around(category_name, action, unit_name)
    return _quote(before), _quote(after)


def objection_body(announcement: PublicAnnouncement) -> str:
    """The same for every recipient (the subject names who it is about)."""
    return "\n".join([
        f"{announcement.department}：",
        "",
        f"{FACTS}：",
        "",
        "",
        *(f"{item}：" for item in OBJECTOR),
        "",
        "（以单位名义反映的，请另附加盖公章的书面材料。对反映人和反映内容严格保密。）",
    ])


def encoded_objection_body(announcement: PublicAnnouncement) -> str:
    """The body as a link carries it: the page script appends `&body=` and this to each row's
    link (what a list page's data-objection-body holds)."""
    return _encode(objection_body(announcement))


def objection_link(announcement: PublicAnnouncement, category: Category,
                   recipient: PublicRecipient) -> str:
    """A row's link: address and subject only (the body is once per page, see above):
    mailto(address, objection_subject(...)), with the words around the name encoded once for
    all the rows they are the same for (percent-encoding a text is encoding its characters
    one by one, and no line break is split: the name is encoded whole)."""
    before, after = _encoded_around(category.name, category.action, recipient.unit_name)
    return _subject_link(announcement.contacts.email, before + _quote(recipient.name) + after)
