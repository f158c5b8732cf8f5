"""Rules of issue 2: declared totals against sums; quotas (own and shared) never exceeded."""

from factories import announcement, block, category, recipient, units

from gongshi.check.checks import run_checks
from gongshi.load.model import Site


def findings_for(ann):
    return list(run_checks(Site("站", "主办", "/", (ann,))))


def test_declared_total_differing_from_the_sum_is_a_warning_naming_column_and_figures():
    small = category("small_home", total=80)
    a, b = units("甲", "乙")
    found = findings_for(announcement([small], (a, b), [block(small, 40, a), block(small, 38, b)]))
    assert [f.code for f in found] == ["T001"]
    assert not found[0].is_error
    assert "small_home（个）" in found[0].message
    assert "78" in found[0].message and "80" in found[0].message


def test_own_quota_exceeded_is_an_error_naming_the_unit_at_the_first_extra_record():
    home = category("home", total=2)
    a, b = units("沁阳市", "孟州市")
    people = [recipient(home, a, "一", line=5), recipient(home, a, "二", line=9),
              recipient(home, b, "三", line=12)]
    found = findings_for(announcement([home], (a, b), [block(home, 1, a), block(home, 1, b)], people))
    assert [f.code for f in found] == ["Q001"]
    assert found[0].is_error
    assert "沁阳市" in found[0].message and "超出 1" in found[0].message
    assert found[0].location.line == 9


def test_shared_quota_exceeded_names_every_unit_of_the_block():
    red = category("red", total=1)
    a, b = units("温县", "武陟县")
    people = [recipient(red, a, "一"), recipient(red, b, "二", line=7)]
    found = findings_for(announcement([red], (a, b), [block(red, 1, a, b)], people))
    assert [f.code for f in found] == ["Q001"]
    assert "温县、武陟县 共用" in found[0].message
    assert found[0].location.line == 7


def test_recipient_from_a_unit_without_quota_in_the_category_is_an_error():
    home, red = category("home", total=1), category("red", total=0)
    (a,) = units("市直")
    found = findings_for(announcement([home, red], (a,), [block(home, 1, a)],
                                      [recipient(red, a, "某某", line=3)]))
    assert [f.code for f in found] == ["Q002"]
    assert "市直" in found[0].message and found[0].location.line == 3


def test_quotas_filled_exactly_pass():
    home = category("home", total=2)
    a, b = units("甲", "乙")
    people = [recipient(home, a, "一"), recipient(home, b, "二")]
    assert findings_for(announcement([home], (a, b), [block(home, 1, a), block(home, 1, b)], people)) == []


def test_quota_larger_than_the_declared_total_is_an_error_naming_both():
    home = category("home", total=5)
    a, b, c = units("甲", "乙", "丙")
    own = block(home, 6, a, line=13)
    shared = block(home, 7, b, c, line=80)
    found = findings_for(announcement([home], (a, b, c), [own, shared]))
    above = [f for f in found if f.code == "T002"]
    assert [(f.location.line, f.is_error) for f in above] == [(13, True), (80, True)]
    assert "甲 的" in above[0].message and "名额为 6 个" in above[0].message
    assert "合计 5 个" in above[0].message and "test.yaml 第 1 行" in above[0].message
    assert "乙、丙 共用的" in above[1].message


def test_quota_equal_to_the_total_is_fine():
    home = category("home", total=5)
    (a,) = units("甲")
    assert findings_for(announcement([home], (a,), [block(home, 5, a)])) == []
