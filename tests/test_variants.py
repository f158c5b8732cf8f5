"""Names differing only in traditional/simplified form: OpenCC's t2s table, each name
converted once; possible duplicates within a category (D005) and against history (D006)."""

from factories import announcement, block, category, recipient, units

from gongshi.check.checks import run_checks
from gongshi.findings import Location
from gongshi.load.model import HistoryRecord, Site
from gongshi.zh import variants
from gongshi.zh.variants import simplified_forms, variant_pairs

WORKER = category("worker", total=10, subject="person", measure="名")
FRIEND = category("friend", total=10, subject="person", measure="名")
HOME = category("home", total=10)
(A,) = units("甲县")


def findings(people, history=(), categories=(WORKER,)):
    blocks = [block(c, 10, A) for c in categories]
    ann = announcement(list(categories), (A,), blocks, people)
    return list(run_checks(Site("站", "主办", "/", (ann,), tuple(history))))


def test_simplified_forms_use_the_t2s_table_not_a_hand_list():
    forms = simplified_forms(["陸璐", "張三", "陆璐", "瀋陽", "阿依古丽·买买提"])
    assert forms == {"陸璐": "陆璐", "張三": "张三", "陆璐": "陆璐", "瀋陽": "沈阳",
                     "阿依古丽·买买提": "阿依古丽·买买提"}


def test_each_distinct_name_is_converted_once_in_one_call(monkeypatch):
    calls = []
    real = variants._converter()

    class Counting:
        def convert(self, text):
            calls.append(text)
            return real.convert(text)

    monkeypatch.setattr(variants, "_converter", lambda: Counting())
    forms = simplified_forms(["陸璐", "张三", "陸璐", "張三"] * 1000)
    assert len(calls) == 1 and calls[0].split("\n") == ["陸璐", "张三", "張三"]
    assert forms["張三"] == "张三"


def test_converter_is_built_once():
    assert variants._converter() is variants._converter()


def test_variant_pairs_one_per_other_spelling():
    names = ["陆璐", "张三", "陸璐", "陸璐", "陆璐", "張三"]
    assert variant_pairs(names, simplified_forms(names)) == [(0, 2), (1, 5)]
    assert variant_pairs(["张三", "李四"], simplified_forms(["张三", "李四"])) == []


def test_traditional_and_simplified_in_one_category_is_a_warning_naming_both_lines():
    people = [recipient(WORKER, A, "陆璐", line=9, title="甲公司主席"),
              recipient(WORKER, A, "陸璐", line=40, title="甲公司主席")]
    (finding,) = findings(people)
    assert (finding.code, finding.location.line, finding.is_error) == ("D005", 40, False)
    assert "“陸璐”与“陆璐”（见 r.yaml 第 9 行）" in finding.message
    assert "工作单位及职务也相同" in finding.message


def test_exact_duplicates_stay_d001_and_other_categories_are_apart():
    people = [recipient(WORKER, A, "张三", line=3, title="甲"), recipient(WORKER, A, "张三", line=5, title="甲"),
              recipient(FRIEND, A, "張三", line=7, title="甲")]
    assert [(f.code, f.location.line) for f in findings(people, categories=(WORKER, FRIEND))] == \
        [("D001", 5)]


def test_organisations_too():
    people = [recipient(HOME, A, "焦作市示例機械有限公司工會委員會", line=2),
              recipient(HOME, A, "焦作市示例机械有限公司工会委员会", line=6)]
    (finding,) = findings(people, categories=(HOME,))
    assert finding.code == "D005" and "同一单位" in finding.message


def test_against_history_of_the_same_honour():
    earlier = [HistoryRecord("張三", WORKER.name, 2015, None, Location("data/history.yaml", 9)),
               HistoryRecord("陸璐", FRIEND.name, 2016, None, Location("data/history.yaml", 12))]
    people = [recipient(WORKER, A, "张三", line=5, title="甲"), recipient(WORKER, A, "陆璐", line=6, title="乙")]
    (finding,) = findings(people, earlier)
    assert (finding.code, finding.location.line, finding.is_error) == ("D006", 5, False)
    assert "2015 年" in finding.message and "“張三”（见 data/history.yaml 第 9 行）" in finding.message


def test_same_spelling_in_history_stays_d003_only():
    earlier = [HistoryRecord("张三", WORKER.name, 2015, None, Location("data/history.yaml", 9))]
    people = [recipient(WORKER, A, "张三", line=5, title="甲")]
    assert [f.code for f in findings(people, earlier)] == ["D004"]
