"""The objection channel: RFC 6068 mailto links (subject per row, body once per list page),
visible address, tel: link, on every list."""

from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup
from conftest import REPO
from support.objection_pages import check_objection_pages

from gongshi.site.objection import FACTS, OBJECTION_HINT, OBJECTOR, mailto, objection_body


def test_mailto_percent_encodes_utf8_with_crlf_and_percent20():
    link = mailto("jzmgb@126.com", "对 张三 的异议", "第一行\n第二行")
    assert link.startswith("mailto:jzmgb@126.com?subject=")
    assert "%E5%AF%B9%20%E5%BC%A0%E4%B8%89%20" in link  # 对 张三 : UTF-8 bytes, %20 for spaces
    assert "%0D%0A" in link and "+" not in link and "\n" not in link
    query = parse_qs(urlsplit(link).query)
    assert query["subject"] == ["对 张三 的异议"]
    assert query["body"] == ["第一行\r\n第二行"]
    assert mailto("jzmgb@126.com", "对 张三 的异议") == link[:link.index("&body=")]


def test_each_recipient_has_an_objection_link_naming_category_person_and_unit(built_site):
    """Address and subject only: the body is once per page (next test), added by the script."""
    doc = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"),
                        "html.parser")
    rows = doc.select("section#worker tbody tr[data-search]")
    assert rows
    for row in rows:
        link = row.select_one("td.col-objection a")
        name = row.select_one(".name").get_text()
        assert link.get_text() == "异议" and link["aria-label"] == f"对{name}提出异议"
        href = link["href"]
        assert href.startswith("mailto:jzmgb@126.com?subject=") and "&" not in href
        fields = parse_qs(urlsplit(href).query)
        assert list(fields) == ["subject"]
        subject = fields["subject"][0]
        assert "焦作市优秀工会工作者" in subject and f"“{name}”" in subject and "推荐" in subject
        assert href == mailto("jzmgb@126.com", subject)


def test_a_list_page_carries_the_body_once_and_it_is_objection_body(built_site):
    """On the 公示 page and every unit page: once, encoded, on the list's container; the page
    script appends it to each row's link (tests/served/test_after_the_period.py)."""
    pages = check_objection_pages(built_site, REPO)
    assert "2018-mofan/gongshi/index.html" in pages
    assert sum(p.startswith("2018-mofan/units/") for p in pages) >= 10
    html = (built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    body = unquote(BeautifulSoup(html, "html.parser").select_one("[data-objection-body]")["data-objection-body"])
    for needed in ("市总民主管理指导部", "真实姓名", "工作单位", "联系电话", "事实"):
        assert needed in body
    assert body.count("\r\n") >= 5
    # the whole bundled list: 494 rows, each link without the 600 bytes of body
    assert len(html.encode("utf-8")) < 600_000


def test_the_visible_sentence_and_the_body_ask_for_the_same_things():
    assert OBJECTION_HINT == "反映时请写明异议的具体事实和依据，以及反映人真实姓名、工作单位、联系电话。"
    body = objection_body(SimpleNamespace(department="市总民主管理指导部")).splitlines()
    assert f"{FACTS}：" in body and all(f"{item}：" in body for item in OBJECTOR)
    assert FACTS in OBJECTION_HINT and all(item in OBJECTION_HINT for item in OBJECTOR)


def test_the_address_is_visible_text_and_the_phone_a_tel_link(built_site):
    doc = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"),
                        "html.parser")
    email = doc.select_one(".objection [data-copy]")
    assert email.get_text() == "jzmgb@126.com" and email["data-copy"] == "jzmgb@126.com"
    assert doc.select_one('.objection a[href="tel:+86-391-3999921"]')


def test_two_character_names_are_not_padded_in_the_data(built_site):
    html = (built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(html, "html.parser")
    names = [n.get_text() for n in doc.select(".recipients.persons .name")]
    assert any(len(n) == 2 for n in names)
    assert not any("\u3000" in n or " " in n for n in names)


def test_women_and_ethnicity_are_noted_after_the_name(built_site):
    doc = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"),
                        "html.parser")
    notes = {n.get_text() for n in doc.select(".recipients.persons .note")}
    assert "（女）" in notes
    assert any(note not in ("（女）",) for note in notes)


def test_objection_paragraph_states_channels_receiver_real_names_and_confidentiality(built_site):
    doc = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"),
                        "html.parser")
    text = doc.select_one(".objection").get_text()
    for needed in ("电话", "电子邮件", "信函", "市总民主管理指导部", "加盖单位公章", "真实姓名",
                   "联系方式", "严格保密"):
        assert needed in text, needed


def test_percent_encoding_is_urllib_quote():
    import random
    from urllib.parse import quote

    from gongshi.site.objection import _encode

    rnd = random.Random(5)
    alphabet = "aZ09_.~- %&?/=+#\t“”（）·\u00a0中文异议\U0001F600"
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
        assert _encode.__wrapped__(text) == quote(text, safe=""), text


def test_a_rows_link_is_mailto_of_its_whole_subject():
    """objection_link encodes the words around the name once per unit and category: the link is
    still exactly mailto(address, subject), whatever the name, unit or category holds (line
    breaks, a lone CR, quotes, spaces, astral characters included)."""
    import random

    from gongshi.site.objection import objection_link, objection_subject

    rnd = random.Random(7)
    alphabet = "aZ09_.~- %&?/=+#\t\r\n“”（）·\u00a0张三异议\U0001F600"

    def text(most: int) -> str:
        return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, most)))

    announcement = SimpleNamespace(contacts=SimpleNamespace(email="jzmgb@126.com"))
    for _ in range(3000):
        category = SimpleNamespace(name=text(6), action=rnd.choice(["表彰", "命名", text(3)]))
        recipient = SimpleNamespace(name=text(8), unit_name=text(6))
        assert (objection_link(announcement, category, recipient)
                == mailto("jzmgb@126.com", objection_subject(category, recipient)))
