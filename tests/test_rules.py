"""Each rule of the notice as a check: thresholds from rules.yaml, absent fields said once."""

import pytest
from factories import announcement, block, category, recipient, units

from gongshi.check.checks import run_checks
from gongshi.findings import Location
from gongshi.load.model import HistoryRecord, Site


def codes(ann, history=()):
    return [(f.code, f.location.line if f.location else None)
            for f in run_checks(Site("站", "主办", "/", (ann,), tuple(history)))]


def found(ann, history=()):
    return list(run_checks(Site("站", "主办", "/", (ann,), tuple(history))))


HOME = category("home", total=4)
WORKER = category("worker", total=10, subject="person", measure="名")
(A,) = units("甲县")


def home_list(flags, rules):
    people = [recipient(HOME, A, f"单位{i}", line=i + 1, non_public=flag) for i, flag in enumerate(flags)]
    return announcement([HOME], (A,), [block(HOME, 4, A)], people, rules)


NON_PUBLIC = {"non_public_share": {"categories": ["home"], "percent": 50}}


def test_non_public_share_counts_against_allotted_places_not_the_list():
    assert codes(home_list([True, True, False], NON_PUBLIC)) == []  # 2 of 4 places
    assert codes(home_list([True, False, False], NON_PUBLIC)) == [("P001", 1)]


def test_non_public_share_threshold_is_data():
    rules = {"non_public_share": {"categories": ["home"], "percent": 75}}
    assert [c for c, _ in codes(home_list([True, True, False], rules))] == ["P001"]


def test_absent_field_is_said_once_and_does_not_fail_the_rule_it_could_satisfy():
    result = found(home_list([True, None, None], NON_PUBLIC))
    assert [f.code for f in result] == ["A001"]
    assert "2 条记录没有填写 non_public" in result[0].message
    assert result[0].location.line == 2


def worker_list(levels, rules=None):
    people = [recipient(WORKER, A, f"人{i}", line=i + 1, title="某职务", cadre_level=level)
              for i, level in enumerate(levels)]
    rules = rules or {"leadership_cadres": {"categories": ["worker"], "maximum_percent": 10,
                                            "capped": "工会领导机关县级及以下干部",
                                            "ineligible": "工会领导机关县级以上干部"}}
    return announcement([WORKER], (A,), [block(WORKER, 10, A)], people, rules)


def test_leadership_cadres_at_most_ten_percent_of_the_list():
    base = ["基层工会干部"] * 9
    assert codes(worker_list(base + ["工会领导机关县级及以下干部"])) == []  # 1 of 10
    over = worker_list(["基层工会干部"] * 8 + ["工会领导机关县级及以下干部"] * 2)
    assert codes(over) == [("P002", 10)]


def test_cadres_above_county_level_are_not_eligible():
    assert codes(worker_list(["基层工会干部", "工会领导机关县级以上干部"])) == [("P003", 2)]


@pytest.mark.parametrize("field, code, rules_key", [
    ("membership_rate", "M001", "membership_rate"),
    ("ballot_approval", "M002", "ballot_approval"),
    ("satisfaction", "M003", "satisfaction"),
])
def test_percentage_thresholds(field, code, rules_key):
    rules = {rules_key: {"home": 90}}
    people = [recipient(HOME, A, "达标", line=1, **{field: 90}),
              recipient(HOME, A, "不达标", line=2, **{field: 89.9})]
    result = found(announcement([HOME], (A,), [block(HOME, 4, A)], people, rules))
    assert [(f.code, f.location.line) for f in result] == [(code, 2)]
    assert "89.9%" in result[0].message and "90%" in result[0].message


def test_mega_group_second_tier_share_only_for_mega_groups():
    rules = {"mega_group_secondary_share": {"home": 60}}
    people = [recipient(HOME, A, "普通企业", line=1),
              recipient(HOME, A, "大集团甲", line=2, mega_group=True, group_secondary_share=59),
              recipient(HOME, A, "大集团乙", line=3, mega_group=True)]
    assert codes(announcement([HOME], (A,), [block(HOME, 4, A)], people, rules)) == [("A001", 3), ("M004", 2)]


RED = category("red_home", total=3)


def red_with(honours, in_principle=False):
    rules = {"prior_honours": [{"categories": ["red_home"], "minimum_level": "市级",
                                "titles": ["模范职工之家", "职工小家", "优秀工会工作者"],
                                "in_principle": in_principle}]}
    people = [recipient(RED, A, "候选", line=4, prior_honours=honours)]
    return announcement([RED], (A,), [block(RED, 3, A)], people, rules)


def test_red_and_star_need_a_municipal_or_higher_title():
    assert codes(red_with([("焦作市模范职工之家", "市级")])) == []
    assert codes(red_with([("河南省模范职工小家", "省级")])) == []
    assert codes(red_with([("沁阳市模范职工之家", "县级")])) == [("H001", 4)]
    assert codes(red_with([("焦作市三八红旗手", "市级")])) == [("H001", 4)]
    assert codes(red_with([])) == [("H001", 4)]
    assert codes(red_with(None)) == [("A001", 4)]


def test_in_principle_requirement_is_a_warning():
    result = found(red_with([("沁阳市模范职工之家", "县级")], in_principle=True))
    assert [f.code for f in result] == ["H002"] and not result[0].is_error
    assert "原则上" in result[0].message


def stars(kind, quota, *applicants):
    star = category("worker_star", total=quota, subject="person", measure="名")
    (unit,) = units("市直" if kind == "市直" else "温县", kind=kind)
    people = [recipient(star, unit, f"人{i}", line=i + 1, title="职务", applicant=a)
              for i, a in enumerate(applicants)]
    rules = {"one_per_applicant": {"categories": ["worker_star"], "unit_is_applicant": ["县市区", "产业系统"]}}
    return announcement([star], (unit,), [block(star, quota, unit)], people, rules)


def test_one_nominee_per_applicant_unit():
    assert codes(stars("县市区", 1, None)) == []
    assert codes(stars("县市区", 1, None, None)) == [("Q001", 2), ("U001", 2)]
    assert codes(stars("市直", 3, "甲工会", "乙工会")) == []
    assert codes(stars("市直", 3, "甲工会", "甲工会")) == [("U001", 2)]
    assert codes(stars("市直", 3, "甲工会", None)) == [("A001", 2)]


def test_duplicates_in_a_list_compare_normalised_names():
    # Names are normalised on load (张　三 -> 张三); the rule compares the stored form.
    people = [recipient(WORKER, A, "张三", line=3, title="甲公司主席"),
              recipient(WORKER, A, "张三", line=8, title="甲公司主席"),
              recipient(WORKER, A, "张三", line=12, title="乙公司主席")]
    result = found(announcement([WORKER], (A,), [block(WORKER, 10, A)], people))
    assert [(f.code, f.location.line) for f in result] == [("D001", 8), ("D002", 12)]
    assert "第 3 行" in result[0].message


def test_duplicates_are_reported_name_by_name_in_the_order_first_met():
    """Interleaved repeats: all of 张三's (the name met first) before 李四's, each in list order;
    the same name in another category is no repeat."""
    people = [recipient(WORKER, A, "张三", line=2, title="甲"),
              recipient(WORKER, A, "李四", line=3, title="甲"),
              recipient(HOME, A, "张三", line=4),
              recipient(WORKER, A, "李四", line=5, title="乙"),
              recipient(WORKER, A, "张三", line=6, title="甲"),
              recipient(WORKER, A, "张三", line=7, title="丙")]
    ann = announcement([WORKER, HOME], (A,), [block(WORKER, 10, A), block(HOME, 4, A)], people)
    result = [f for f in found(ann) if f.code.startswith("D")]
    assert [(f.code, f.location.line) for f in result] == [("D001", 6), ("D002", 7), ("D002", 5)]
    assert all("第 2 行" in f.message for f in result[:2]) and "第 3 行" in result[2].message


def test_history_of_earlier_recipients():
    earlier = [HistoryRecord("甲单位工会委员会", HOME.name, 2015, None, Location("data/history.yaml", 7)),
               HistoryRecord("张三", WORKER.name, 2015, "甲公司主席", Location("data/history.yaml", 9)),
               HistoryRecord("李四", WORKER.name, 2015, None, Location("data/history.yaml", 12))]
    people = [recipient(HOME, A, "甲单位工会委员会", line=2),
              recipient(WORKER, A, "张三", line=5, title="甲公司主席"),
              recipient(WORKER, A, "李四", line=6, title="乙公司主席")]
    ann = announcement([HOME, WORKER], (A,), [block(HOME, 4, A), block(WORKER, 10, A)], people)
    result = found(ann, earlier)
    assert [(f.code, f.location.line) for f in result] == [("D003", 2), ("D003", 5), ("D004", 6)]
    assert "2015 年" in result[0].message and "data/history.yaml 第 7 行" in result[0].message


def test_the_whole_list_is_looked_at_once_and_one_by_one_only_when_it_may_matter():
    """X001 and X003 first ask all names and titles at once (privacy.may_hold_numbers,
    formulas.any_starts_like_formula): the same answer as asking each, on random values, and
    a list whose only suspect is its last title still gets its findings."""
    import random

    from gongshi.check.formulas import any_starts_like_formula, starts_like_formula
    from gongshi.check.privacy import find_personal_numbers, may_hold_numbers

    rnd = random.Random(3)
    alphabet = ["张", "王", "工会", "主席", " ", "\n", "=", "+", "-", "@", "\t", "\r", "1", "3", "９", "①", "&", "#", "a"]
    for _ in range(3000):
        values = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6))) for _ in range(rnd.randint(0, 5))]
        if not may_hold_numbers(values):
            assert not any(find_personal_numbers(value) for value in values), values
        assert any_starts_like_formula(values) or not any(map(starts_like_formula, values)), values
    assert may_hold_numbers(["张三", "某厂１"]) and not may_hold_numbers(["张三", "某厂"])
    assert any_starts_like_formula(["张三", "=1"]) and not any_starts_like_formula(["张三", "a=1"])
    people = [recipient(WORKER, A, f"职工{chr(0x4e00 + i)}", line=2 + i, title="某厂工会主席") for i in range(200)]
    people.append(recipient(WORKER, A, "王五", line=300, title="+某公司工会主席13903910000"))
    result = found(announcement([WORKER], (A,), [block(WORKER, 201, A)], people))
    assert {(f.code, f.location.line) for f in result} >= {("X001", 300), ("X003", 300)}


def test_personal_numbers_in_public_fields_are_errors_naming_the_record():
    people = [recipient(WORKER, A, "王五", line=4, title="某公司工会主席13903910000")]
    result = found(announcement([WORKER], (A,), [block(WORKER, 10, A)], people))
    assert [(f.code, f.location.line) for f in result] == [("X001", 4)]
    assert "139****0000" in result[0].message and "13903910000" not in result[0].message
