"""Loading the project: the bundled 2018 data as published, and every load error in Chinese."""

from pathlib import Path

import pytest
from conftest import REPO

from gongshi.load.loader import load_site

UNITS_IN_ORDER = ["沁阳市", "孟州市", "温县", "武陟县", "博爱县", "修武县", "解放区", "山阳区",
                  "马村区", "中站区", "财贸工会系统", "教育工会系统", "焦煤集团系统", "市直", "其它"]


@pytest.fixture(scope="module")
def bundled():
    result = load_site(REPO)
    assert result.site is not None, [f.message for f in result.findings]
    return result.site.announcements[0]


def test_bundled_units_in_published_order_with_kinds(bundled):
    assert [u.name for u in bundled.units] == UNITS_IN_ORDER
    kinds = [u.kind for u in bundled.units]
    assert kinds == ["县市区"] * 10 + ["产业系统"] * 3 + ["市直", "其它"]


def test_bundled_categories_as_the_notice_names_them(bundled):
    cats = {c.id: c for c in bundled.categories}
    assert [c.total for c in bundled.categories] == [40, 80, 100, 150, 100, 10, 20, 10, 10]
    assert cats["friend"].name == "焦作市优秀工会之友"
    assert cats["friend"].table_label == "优秀职工之友（名）"  # the 附件's own label, kept
    assert (cats["activist"].action, cats["friend"].action, cats["home"].action) == ("命名", "命名", "表彰")
    assert cats["red_home"].confers == "焦作市五一劳动奖状"
    assert cats["red_small_home"].confers == "焦作市工人先锋号"
    assert cats["worker_star"].confers == cats["friend_star"].confers == "焦作市五一劳动奖章"


def test_bundled_merged_cells_are_shared_blocks(bundled):
    shared = sorted((b.category_id, b.quota, b.units[0].name, len(b.units))
                    for b in bundled.blocks if b.shared)
    assert shared == sorted([
        ("red_home", 3, "沁阳市", 10), ("red_home", 2, "财贸工会系统", 3),
        ("red_small_home", 8, "沁阳市", 10),
        ("worker_star", 3, "沁阳市", 10), ("worker_star", 2, "财贸工会系统", 3),
        ("friend_star", 3, "沁阳市", 10), ("friend_star", 2, "财贸工会系统", 3),
    ])


def test_bundled_contacts_and_sample_flag(bundled):
    assert bundled.department == "市总民主管理指导部"
    assert bundled.contacts.people == ("张栀琳", "杨晨晖")
    assert bundled.contacts.phone == "0391-3999921"
    assert bundled.contacts.tel_uri == "tel:+86-391-3999921"
    assert bundled.contacts.email == "jzmgb@126.com"
    assert bundled.is_sample


def test_bundled_recipients_carry_internal_facts_apart_from_public_fields(bundled):
    worker = next(r for r in bundled.recipients if r.category.id == "worker")
    assert worker.facts.cadre_level
    public = worker.public
    assert not hasattr(public, "facts") and not hasattr(public, "cadre_level")


def test_records_without_any_fact_share_one_empty_set_of_facts():
    """A person with no internal fact (most lists) points at the one empty set, NO_FACTS: one
    object instead of one a record (100,000 names: about 0.1 s of the load)."""
    from gongshi.load.model import NO_FACTS, InternalFacts

    loaded = load_site(REPO)
    recipients = [r for a in loaded.site.announcements for r in a.recipients]
    empty = [r for r in recipients if r.facts == InternalFacts()]
    assert empty and all(r.facts is NO_FACTS for r in empty)
    assert any(r.facts != InternalFacts() for r in recipients)


def edit(project: Path, relative: str, old: str, new: str, count: int = 1) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def messages(project: Path):
    result = load_site(project)
    assert result.findings.errors
    return [(f.code, str(f.location), f.message, f.hint) for f in result.findings.errors]


def test_misspelt_key_says_did_you_mean(project):
    edit(project, "data/2018-mofan/recipients/home.yaml", "    unit: 沁阳市", "    unti: 沁阳市")
    found = messages(project)
    codes = {code for code, *_ in found}
    assert "S002" in codes
    extra = next(f for f in found if f[0] == "S002")
    assert extra[1] == "data/2018-mofan/recipients/home.yaml:10"
    assert "“unti”" in extra[2] and "您是否想写“unit”" in extra[3]


def test_unknown_unit_says_did_you_mean(project):
    edit(project, "data/2018-mofan/recipients/home.yaml", "    unit: 沁阳市", "    unit: 沁阳")
    found = messages(project)
    assert found[0][0] == "L008"
    assert found[0][1] == "data/2018-mofan/recipients/home.yaml:9"
    assert "“沁阳”" in found[0][2] and "您是否想写“沁阳市”" in found[0][3]


def test_negative_and_non_integer_quotas_are_refused(project):
    edit(project, "data/2018-mofan/units.yaml", "{home: 3, small_home: 4,", "{home: -3, small_home: 四,")
    found = messages(project)
    assert [(c, loc) for c, loc, *_ in found] == [("S004", "data/2018-mofan/units.yaml:13"),
                                                 ("S003", "data/2018-mofan/units.yaml:13")]
    assert "不能小于 0" in found[0][2] and "应为整数" in found[1][2]


def test_unknown_category_in_quotas_says_did_you_mean(project):
    edit(project, "data/2018-mofan/units.yaml", "{home: 3, small_home: 4,", "{homes: 3, small_home: 4,")
    found = messages(project)
    assert found[0][0] == "L003" and "“homes”" in found[0][2] and "“home”" in found[0][3]


def test_shared_block_of_units_not_adjacent_is_refused(project):
    edit(project, "data/2018-mofan/units.yaml", "units: [caimao, jiaoyu, jiaomei]",
         "units: [caimao, jiaoyu, shizhi]")
    found = messages(project)
    assert "L007" in {code for code, *_ in found}


def test_unit_with_own_and_shared_quota_in_one_category_is_refused(project):
    edit(project, "data/2018-mofan/units.yaml", "friend: 5, red_small_home: 1}",
         "friend: 5, red_small_home: 1, red_home: 1}")
    found = messages(project)
    assert found[0][0] == "L005" and "财贸工会系统" in found[0][2]


def test_person_without_post_is_refused(project):
    path = project / "data/2018-mofan/recipients/worker.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("    title:"))
    del lines[index]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = messages(project)
    assert found[0][0] == "L010" and "工作单位及职务" in found[0][2]


def test_announcement_listed_without_folder_is_refused(project):
    edit(project, "data/site.yaml", "  - 2018-mofan", "  - 2018-mofan\n  - 2019-mofan")
    found = messages(project)
    assert found[0][0] == "L013" and "data/2019-mofan/" in found[0][2]


def test_errors_in_several_files_are_all_reported_at_once(project):
    edit(project, "data/2018-mofan/recipients/home.yaml", "    unit: 沁阳市", "    unit: 沁阳")
    edit(project, "data/2018-mofan/recipients/friend.yaml", "category: friend", "category: frend")
    (project / "content/2018-mofan/notice.md").write_text("no front matter\n", encoding="utf-8")
    codes = {code for code, *_ in messages(project)}
    assert {"L008", "L009", "C001"} <= codes


def test_a_broken_table_is_reported_without_a_cascade_over_the_lists(project):
    edit(project, "data/2018-mofan/units.yaml", "  - id: mengzhou", "  - id: qinyang")
    found = messages(project)
    assert found[0][0] == "L002"
    assert {code for code, *_ in found} <= {"L002", "L004"} and len(found) < 10


def test_unit_name_with_extra_spaces_is_reported_once_at_units_yaml(project):
    edit(project, "data/2018-mofan/units.yaml", "    name: 沁阳市\n", "    name: \"沁阳市  \"\n")
    result = load_site(project)
    assert result.site is not None
    assert [(f.code, str(f.location)) for f in result.findings] == \
        [("N001", "data/2018-mofan/units.yaml:11")]
    assert "“沁阳市  ”" in result.findings.items[0].message
    qinyang = next(u for u in result.site.announcements[0].units if u.id == "qinyang")
    assert qinyang.name == "沁阳市"
    assert any(r.unit is qinyang for r in result.site.announcements[0].recipients)


def test_a_full_stop_typed_as_the_interpunct_in_a_name_is_reported_and_published_as_one(project):
    edit(project, "data/2018-mofan/recipients/worker.yaml", "  - name: 万伟雪\n", "  - name: 阿依古丽.买买提\n")
    result = load_site(project)
    assert result.site is not None
    [finding] = [f for f in result.findings if f.code == "N001"]
    assert str(finding.location).startswith("data/2018-mofan/recipients/worker.yaml:")
    assert "“阿依古丽.买买提”" in finding.message and "已按“阿依古丽·买买提”处理" in finding.message
    names = {r.name for r in result.site.announcements[0].recipients}
    assert "阿依古丽·买买提" in names and "阿依古丽.买买提" not in names


def test_unit_name_of_spaces_only_is_refused(project):
    edit(project, "data/2018-mofan/units.yaml", "    name: 沁阳市\n", "    name: \"　\"\n")
    found = messages(project)
    assert found[0][:2] == ("S011", "data/2018-mofan/units.yaml:11")


def test_records_compare_and_hash_by_their_fields_but_what_is_derived_or_a_place():
    """A period is the same period whatever calendar was made for it and wherever it was
    read (and equal periods hash alike); a site the same site whatever calendar object it was
    given. Every other field counts."""
    import datetime as dt

    from msgspec.structs import replace

    from gongshi.findings import Location
    from gongshi.load.model import Period
    from gongshi.zh.workdays import WorkCalendar

    period = Period(dt.date(2018, 11, 5), dt.date(2018, 11, 9), "17:00")
    placed = replace(period, calendar={"from": "2018-11-05"}, location=Location("a.yaml", 3))
    assert placed == period and hash(placed) == hash(period)
    assert replace(period, end_clock="18:00") != period
    assert replace(period, end=dt.date(2018, 11, 12)) != period
    assert period != (period.start, period.end, period.end_clock, False)

    site = load_site(REPO).site
    assert site is not None
    again = replace(site, calendar=WorkCalendar())
    assert again == site
    assert replace(site, owner="别的单位") != site


def test_a_recipient_makes_its_public_record_once():
    site = load_site(REPO).site
    assert site is not None
    recipient = site.announcements[0].recipients[0]
    assert recipient.public is recipient.public
    assert recipient.public.name == recipient.name and recipient.public.unit_id == recipient.unit.id
