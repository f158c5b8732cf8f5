"""One run reports everything it can: records that cannot be loaded are reported and left out,
and the rule checks still run on the rest; a quota overrun names every record beyond the quota."""

from pathlib import Path

from conftest import FIXED_DAY, run_cli
from factories import announcement, block, category, recipient, units
from msgspec.structs import replace

from gongshi.check.checks import run_checks
from gongshi.files.schema import RecipientsFile, validate_records
from gongshi.files.yamlfile import load_yaml
from gongshi.findings import Findings
from gongshi.load.model import Site


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def reported(project: Path, command: str = "check"):
    result = run_cli(command, "--today", FIXED_DAY, project=project)
    assert result.code == 1, result.output
    return result


def test_an_unknown_unit_does_not_hide_a_quota_overrun_elsewhere(project):
    edit(project, "data/2018-mofan/recipients/home.yaml", "    unit: 孟州市\n", "    unit: 孟州\n")
    edit(project, "data/2018-mofan/units.yaml", "{home: 3, small_home: 4, worker: 5, activist: 8,",
         "{home: 3, small_home: 4, worker: 5, activist: 6,")  # 沁阳市, the first row
    result = reported(project)
    assert "错误 L008：" in result.stdout and "推荐单位“孟州”不在名额分配表中" in result.stdout
    assert "错误 Q001：沁阳市 的“焦作市优秀工会积极分子”名额为 6 名，名单中有 8 名，超出 2 名" in result.stdout


def test_a_misspelt_field_does_not_hide_a_duplicate(project):
    edit(project, "data/2018-mofan/recipients/worker.yaml", "    title: ", "    titel: ")
    path = project / "data/2018-mofan/recipients/activist.yaml"
    path.write_text(path.read_text(encoding="utf-8") +
                    "  - name: 陆璐\n    unit: 沁阳市\n    title: 沁阳市示例嘉祥食品有限公司车间工会主席\n",
                    encoding="utf-8")
    result = reported(project)
    assert "未知字段“titel”" in result.stdout
    assert "错误 D001：“陆璐”在“焦作市优秀工会积极分子”中重复出现" in result.stdout


def test_the_build_still_refuses_to_write_when_records_were_left_out(project):
    edit(project, "data/2018-mofan/recipients/home.yaml", "    unit: 孟州市\n", "    unit: 孟州\n")
    result = reported(project, "build")
    assert "output/ 保持原样未改动" in result.stdout
    assert not (project / "output").exists()


def test_a_failed_record_is_left_out_and_the_others_keep_their_lines(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("category: home\nrecipients:\n  - name: 甲\n    unit: 一\n"
                    "  - name: 乙\n    unti: 二\n  - name: 丙\n    unit: 三\n", encoding="utf-8")
    findings = Findings()
    parsed, kept = validate_records(RecipientsFile, load_yaml(path, "list.yaml"), "list.yaml",
                                    findings, "recipients")
    assert [r.name for r in parsed.recipients] == ["甲", "丙"] and kept == [0, 2]
    assert [(f.code, f.location.line) for f in findings] == [("S001", 5), ("S002", 6)]


def test_a_file_whose_own_fields_are_wrong_is_left_out_whole(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("categroy: home\nrecipients:\n  - name: 甲\n    unit: 一\n", encoding="utf-8")
    findings = Findings()
    parsed, kept = validate_records(RecipientsFile, load_yaml(path, "list.yaml"), "list.yaml",
                                    findings, "recipients")
    assert parsed is None and kept == []
    assert {f.code for f in findings} == {"S001", "S002"}


def findings_for(ann):
    return list(run_checks(Site("站", "主办", "/", (ann,))))


def test_quota_overrun_lists_every_record_beyond_the_quota_in_file_order():
    home = category("home", total=2)
    (a,) = units("沁阳市")
    # In publication order (strokes), not the file's: the report must follow the file.
    people = [recipient(home, a, "丁", line=20), recipient(home, a, "乙", line=4),
              recipient(home, a, "丙", line=12), recipient(home, a, "甲", line=8)]
    (found,) = findings_for(announcement([home], (a,), [block(home, 2, a)], people))
    assert found.code == "Q001" and found.location.line == 12
    assert "名单中有 4 个，超出 2 个" in found.message
    assert "第 2 个之后的是：“丙”（第 12 行）、“丁”（第 20 行）。" in found.message


def test_quota_overrun_on_a_list_with_records_left_out_says_so():
    home = category("home", total=1)
    (a,) = units("沁阳市")
    people = [recipient(home, a, "甲", line=3), recipient(home, a, "乙", line=7)]
    ann = replace(announcement([home], (a,), [block(home, 1, a)], people), incomplete=frozenset({"home"}))
    (found,) = findings_for(ann)
    assert "名单中能读取的记录就有 2 个，超出 1 个" in found.message


def test_share_rules_skip_a_list_with_records_left_out():
    home = category("home", total=2)
    (a,) = units("沁阳市")
    people = [recipient(home, a, "甲", non_public=False), recipient(home, a, "乙", non_public=False)]
    rules = {"non_public_share": {"categories": ["home"], "percent": 50}}
    ann = announcement([home], (a,), [block(home, 2, a)], people, rules)
    assert [f.code for f in findings_for(ann)] == ["P001"]
    assert findings_for(replace(ann, incomplete=frozenset({"home"}))) == []


def test_cadre_share_skips_a_list_with_records_left_out():
    worker = category("worker", total=2, subject="person", measure="名")
    (a,) = units("沁阳市")
    people = [recipient(worker, a, "甲", title="主席", cadre_level="工会领导机关县级及以下干部")]
    rules = {"leadership_cadres": {"categories": ["worker"], "maximum_percent": 10,
                                   "capped": "工会领导机关县级及以下干部",
                                   "ineligible": "工会领导机关县级以上干部"}}
    ann = announcement([worker], (a,), [block(worker, 2, a)], people, rules)
    assert [f.code for f in findings_for(ann)] == ["P002"]
    assert findings_for(replace(ann, incomplete=frozenset({"worker"}))) == []
