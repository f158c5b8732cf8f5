"""`gongshi import`: messy workbooks made in code (openpyxl, odfpy), CSV in several encodings
and a checked-in .xls, each imported into a scratch copy of the bundled project.

What staff rely on: every problem at its file, sheet, row and column; personal columns left
out and said so; the build's own checks before anything is written; nothing written without
--write; a dated backup outside data/ of every file replaced; the same bytes on re-import.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import REPO, run_cli

RECIPIENTS = "data/2018-mofan/recipients"


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def workbook(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
             hidden: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
        if name in hidden:
            sheet.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def load(project: Path, category: str) -> dict:
    return yaml.safe_load((project / RECIPIENTS / f"{category}.yaml").read_text(encoding="utf-8"))


def imported(project: Path, *files: Path, write: bool = True):
    args = ["import", *map(str, files), "--announcement", "2018-mofan"] + (["--write"] if write else [])
    return run_cli(*args, project=project)


# A 汇总表 as units send them: two title rows, a two-row header whose 工作单位及职务 is merged
# over 工作单位 | 职务, 推荐单位 merged down over two rows, 序号 as text, full-width spaces,
# a blank row, a 合计 row, a footer with a phone number, and personal columns.
MESSY_ACTIVISTS = [
    ["焦作市优秀工会积极分子推荐汇总表"],
    ["填报单位：沁阳市总工会", None, None, None, None, None, "填报日期：2018年10月20日"],
    ["序号", "姓  名", "性别", "身份证号", "工作单位及职务", None, "推荐单位", "联系电话"],
    [None, None, None, None, "工作单位", "职务", None, None],
    ["1", "张　三 ", "男", "410811198001011234", "沁阳市示例甲公司", "工会主席", "沁阳市", "13800000000"],
    [2, "李四", "女性", None, "沁阳市示例乙公司", "车间工会主席", None, None],
    [None, None, None, None, None, None, None, None],
    ["3", " 王五", "男", None, "孟州市示例丙公司", "工会干事", "孟州市", None],
    ["合计", "3人", None, None, None, None, None, None],
    ["填表人：赵六", None, None, None, None, None, None, "13900000000"],
]
MESSY_MERGES = {"积极分子": ["A1:H1", "E3:F3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "G3:G4", "H3:H4",
                          "G5:G6"]}


def test_messy_workbook_is_read_and_previewed_without_writing(project, tmp_path):
    book = workbook(tmp_path / "推荐单位汇总表.xlsx", {"积极分子": MESSY_ACTIVISTS}, MESSY_MERGES)
    before = digest(project / "data")
    result = imported(project, book, write=False)
    assert result.code == 0, result.output
    assert "工作表“积极分子”：焦作市优秀工会积极分子 3 条（略过合计、落款等 1 行）" in result.stdout
    assert ("推荐单位汇总表.xlsx 工作表“积极分子”：个人信息，不导入、不公开：D 列“身份证号”、H 列“联系电话”"
            in result.stdout)
    assert "新增：张三（沁阳市）、李四（沁阳市）、王五（孟州市）" in result.stdout
    assert "没有写入任何文件" in result.stdout and "--write" in result.stdout
    assert digest(project / "data") == before
    assert not (project / "backups").exists()


def test_messy_workbook_written(project, tmp_path):
    book = workbook(tmp_path / "推荐单位汇总表.xlsx", {"积极分子": MESSY_ACTIVISTS}, MESSY_MERGES)
    result = imported(project, book)
    assert result.code == 0, result.output
    text = (project / RECIPIENTS / "activist.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 焦作市优秀工会积极分子名单：由 gongshi import 从推荐单位的汇总表导入。来源：\n"
                           "#   推荐单位汇总表.xlsx（工作表“积极分子”）\n")
    assert "sample" not in text and "2018年10月20日" not in text
    assert "4108" not in text and "1380000" not in text and "1390000" not in text
    data = yaml.safe_load(text)
    assert data["category"] == "activist"
    assert data["recipients"] == [
        {"name": "张三", "unit": "沁阳市", "title": "沁阳市示例甲公司工会主席", "gender": "男"},
        {"name": "李四", "unit": "沁阳市", "title": "沁阳市示例乙公司车间工会主席", "gender": "女"},
        {"name": "王五", "unit": "孟州市", "title": "孟州市示例丙公司工会干事", "gender": "男"},
    ]
    assert run_cli("check", project=project).code == 0


def test_unit_from_the_title_row_when_there_is_no_unit_column(project, tmp_path):
    book = workbook(tmp_path / "沁阳.xlsx", {"优秀工会工作者": [
        ["焦作市优秀工会工作者推荐表"],
        ["填报单位：", "沁阳市总工会（盖章）"],
        ["姓名", "工作单位及职务", "干部类别"],
        ["周七", "沁阳市示例丁公司工会主席", "基层工会干部"],
    ]})
    result = imported(project, book)
    assert result.code == 0, result.output
    assert load(project, "worker")["recipients"] == [
        {"name": "周七", "unit": "沁阳市", "title": "沁阳市示例丁公司工会主席", "cadre_level": "基层工会干部"}]


def test_one_sheet_with_a_category_column(project, tmp_path):
    book = workbook(tmp_path / "汇总.xlsx", {"Sheet1": [
        ["序号", "荣誉称号", "姓名", "工作单位及职务", "推荐单位"],
        [1, "优秀工会积极分子", "吴一", "温县示例公司工会干事", "温县"],
        [2, "焦作市优秀工会之友", "郑二", "温县示例镇镇长", "温县"],
        [3, "积极分子", "冯三", "温县示例厂工会主席", "温县"],
    ]})
    result = imported(project, book)
    assert result.code == 0, result.output
    assert "焦作市优秀工会积极分子 2 条，焦作市优秀工会之友 1 条" in result.stdout
    assert [r["name"] for r in load(project, "activist")["recipients"]] == ["吴一", "冯三"]
    assert [r["name"] for r in load(project, "friend")["recipients"]] == ["郑二"]


def test_several_files_for_one_category_make_one_list_in_table_order(project, tmp_path):
    header = ["姓名", "工作单位及职务", "推荐单位"]
    later = workbook(tmp_path / "a-孟州.xlsx", {"积极分子": [header, ["孟一", "孟州市示例公司职工", "孟州市"]]})
    earlier = workbook(tmp_path / "b-沁阳.xlsx", {"积极分子": [header, ["沁一", "沁阳市示例公司职工", "沁阳市"]]})
    result = imported(project, earlier, later)
    assert result.code == 0, result.output
    text = (project / RECIPIENTS / "activist.yaml").read_text(encoding="utf-8")
    assert "#   a-孟州.xlsx（工作表“积极分子”）\n#   b-沁阳.xlsx（工作表“积极分子”）\n" in text
    # 沁阳市 comes before 孟州市 in the 附件 table, whatever the file names
    assert [r["unit"] for r in yaml.safe_load(text)["recipients"]] == ["沁阳市", "孟州市"]


def test_unknown_unit_is_reported_at_its_cell_and_nothing_is_written(project, tmp_path):
    book = workbook(tmp_path / "推荐单位汇总表.xlsx", {"积极分子": [
        ["焦作市优秀工会积极分子推荐汇总表"],
        ["序号", "姓名", "推荐单位", "工作单位及职务"],
        [1, "甲", "孟州", "孟州市示例公司职工"],
    ]})
    before = digest(project / "data")
    result = imported(project, book)
    assert result.code == 1
    lines = result.stdout.splitlines()
    heading = lines.index("推荐单位汇总表.xlsx 工作表“积极分子”")
    assert lines[heading + 1].startswith("  第 3 行 C 列  错误 L008：“甲”的推荐单位“孟州”不在名额分配表中。")
    assert "您是否想写“孟州市”" in lines[heading + 2]
    assert "没有写入任何文件" in result.stdout
    assert digest(project / "data") == before and not (project / "backups").exists()


def test_rules_are_checked_even_when_another_row_is_refused(project, tmp_path):
    book = workbook(tmp_path / "之家.xlsx", {"模范职工之家": [
        ["工会名称", "推荐单位", "是否非公企业", "入会率", "同意票率", "曾获荣誉"],
        ["沁阳市示例甲公司工会委员会", "沁阳", "是", "98%", 0.9, "沁阳市模范职工之家（县级，2015）"],
        ["沁阳市示例乙公司工会委员会", "沁阳市", "否", "85", "95", "无"],
    ]})
    result = imported(project, book)
    assert result.code == 1
    out = result.stdout
    assert "第 2 行 B 列  错误 L008" in out
    assert "第 3 行 D 列  错误 M001：“沁阳市示例乙公司工会委员会”的职工入会率为 85%" in out
    assert "第 3 行 F 列  警告 H002" in out
    assert "data/" not in out.split("问题：")[1].split("与现有名单比较")[0]  # no YAML places


def test_quota_overrun_names_the_rows(project, tmp_path):
    rows = [["姓名", "工作单位及职务", "推荐单位"]]
    rows += [[f"沁{n}", f"沁阳市示例公司职工{n}", "沁阳市"] for n in range(1, 10)]  # quota is 8
    book = workbook(tmp_path / "沁阳市.xlsx", {"积极分子": rows})
    result = imported(project, book)
    assert result.code == 1
    line = next(text for text in result.stdout.splitlines() if "Q001" in text)
    assert line.startswith("  第 10 行 A 列  错误 Q001：沁阳市 的“焦作市优秀工会积极分子”名额为 8 名")
    assert "这一名额下的 9 行：沁阳市.xlsx 工作表“积极分子” 第 2、3、4、5、6、7、8、9、10 行。" in line


def test_duplicate_in_two_files_points_at_both_cells(project, tmp_path):
    header = ["姓名", "工作单位及职务", "推荐单位"]
    one = workbook(tmp_path / "一.xlsx", {"积极分子": [header, ["重名", "温县示例公司职工", "温县"]]})
    two = workbook(tmp_path / "二.xlsx", {"积极分子": [header, [], ["重　名", "温县示例公司职工", "温县"]]})
    result = imported(project, one, two)
    assert result.code == 1
    assert ("第 3 行 A 列  错误 D001：“重名”在“焦作市优秀工会积极分子”中重复出现"
            "（第一次见 一.xlsx 工作表“积极分子” 第 2 行 A 列）。") in result.stdout


def test_personal_number_in_a_public_cell(project, tmp_path):
    book = workbook(tmp_path / "x.xlsx", {"积极分子": [
        ["姓名", "工作单位及职务", "推荐单位"], ["钱七", "温县示例公司职工 13812345678", "温县"]]})
    result = imported(project, book)
    assert result.code == 1
    assert "第 2 行 B 列  错误 X001：“钱七”的 title 中有疑似手机号“138****5678”" in result.stdout
    assert "请从“工作单位及职务”列中删去这串数字" in result.stdout


@pytest.mark.parametrize("sheet, candidates", [
    ("标兵", "焦作市优秀工会工作者标兵、焦作市优秀工会之友标兵"),
    ("之家", "焦作市模范职工之家、焦作市模范职工之家红旗单位"),
])
def test_ambiguous_sheet_name_is_an_error(project, tmp_path, sheet, candidates):
    book = workbook(tmp_path / "x.xlsx", {sheet: [["姓名", "工作单位及职务", "推荐单位"], ["甲", "某职务", "市直"]]})
    result = imported(project, book)
    assert result.code == 1
    assert f"错误 I004：工作表“{sheet}”可能是{candidates}，无法确定是哪个类别。" in result.stdout
    assert "import.yaml 的 sheets 中写明" in result.stdout


def test_sheets_that_are_not_lists(project, tmp_path):
    book = workbook(tmp_path / "x.xlsx", {
        "填表说明": [["请按要求填写"]],
        "积极分子": [["姓名", "工作单位及职务", "推荐单位"], ["甲", "温县示例公司职工", "温县"]],
        "单位": [["温县"], ["孟州市"]],
        "备注": [["随便写点什么"]],
        "Sheet3": [],
    }, hidden=("单位",))
    result = imported(project, book)
    assert result.code == 1
    out = result.stdout
    assert "工作表“填表说明”：填表说明，跳过" in out and "工作表“单位”：隐藏的工作表，跳过" in out
    assert "工作表“Sheet3”：空白，跳过" in out
    assert "x.xlsx 工作表“备注”\n  错误 I003：找不到列标题行" in out


def test_cell_values_that_cannot_be_read(project, tmp_path):
    book = workbook(tmp_path / "x.xlsx", {"模范职工之家": [
        ["名称", "推荐单位", "是否非公企业", "入会率（%）", "曾获荣誉"],
        ["温县示例公司工会委员会", "温县", "也许", "九十", "温县模范职工之家"],
        [None, "温县", "是"],
    ]})
    result = imported(project, book)
    assert result.code == 1
    out = result.stdout
    assert "第 2 行 C 列  错误 I010：“也许”不是“是”或“否”。" in out
    assert "第 2 行 D 列  错误 I010：“九十”不是百分比。" in out
    assert "第 2 行 E 列  错误 I010：此前荣誉“温县模范职工之家”看不出级别。" in out
    assert "第 3 行 A 列  错误 I008：这一行填了内容，但姓名（名称）是空的。" in out


def test_internal_fields_in_their_usual_forms(project, tmp_path):
    rows = [["名称", "推荐单位", "是否非公有制企业", "职工入会率", "同意票率", "曾获荣誉"]]
    forms = [("98%", 0.9, "是"), ("０.９６", "88.5", "√"), (95, "90%", "否")]
    for n, (rate, ballot, flag) in enumerate(forms, start=1):
        rows.append([f"市直示例{n}公司工会委员会", "市直", flag, rate, ballot,
                     f"焦作市模范职工之家（市级，201{n}）；河南省模范职工之家（省级）"])
    book = workbook(tmp_path / "x.xlsx", {"模范职工之家": rows})
    result = imported(project, book, write=False)
    # home has a 50% non-public rule over 40 places: three records cannot meet it (P001)
    assert "P001" in result.stdout and "I010" not in result.stdout
    from gongshi.staff.records import parse_honours, parse_percent
    assert [parse_percent(r, str(r)) for r in ("98%", 0.9, "０.９６", "88.5", 95, "90%")] == \
        [98, 90, 96, 88.5, 95, 90]
    assert parse_honours("焦作市模范职工之家（市级，2011）；河南省模范职工之家（省级）") == [
        {"title": "焦作市模范职工之家", "level": "市级", "year": 2011},
        {"title": "河南省模范职工之家", "level": "省级"}]


def test_reimport_shows_changes_and_writes_only_with_write(project, tmp_path):
    header = ["姓名", "性别", "工作单位及职务", "推荐单位"]
    first = workbook(tmp_path / "v1" / "温县.xlsx", {"积极分子": [
        header, ["甲", "男", "温县示例公司职工", "温县"], ["乙", "女", "温县示例厂职工", "温县"]]})
    assert imported(project, first).code == 0
    path = project / RECIPIENTS / "activist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    gender: 女\n", "    gender: 女\n    ethnicity: 回族\n"),
                    encoding="utf-8")  # edited by hand
    edited = path.read_bytes()
    second = workbook(tmp_path / "v2" / "温县.xlsx", {"积极分子": [
        header, ["甲", "男", "温县示例公司工会主席", "温县"], ["乙", "女", "温县示例厂职工", "温县"],
        ["丙", "男", "温县示例店职工", "温县"]]})
    result = imported(project, second, write=False)
    assert result.code == 0, result.output
    assert "data/2018-mofan/recipients/activist.yaml：新增 1 条，删除 0 条，修改 2 条" in result.stdout
    assert "新增：丙（温县）" in result.stdout
    assert "修改：甲（温县）：工作单位及职务“温县示例公司职工”→“温县示例公司工会主席”" in result.stdout
    assert "修改：乙（温县）：民族“回族”→“（空）”" in result.stdout
    assert path.read_bytes() == edited
    assert len(list((project / "backups").iterdir())) == 1  # from the first import only

    result = imported(project, second)
    assert result.code == 0, result.output
    backups = sorted((project / "backups").glob("*/data/2018-mofan/recipients/activist.yaml"))
    assert len(backups) == 2 and backups[-1].read_bytes() == edited
    assert "被替换的原文件备份在 backups/" in result.stdout


def test_write_keeps_a_backup_outside_data_and_leaves_no_temporary_files(project, tmp_path):
    original = (project / RECIPIENTS / "activist.yaml").read_bytes()
    untouched = (project / RECIPIENTS / "friend.yaml").read_bytes()
    book = workbook(tmp_path / "温县.xlsx", {"积极分子": [["姓名", "工作单位及职务", "推荐单位"],
                                                       ["甲", "温县示例公司职工", "温县"]]})
    result = imported(project, book)
    assert result.code == 0, result.output
    (backup,) = (project / "backups").iterdir()
    assert len(backup.name) == 15 and backup.name[8] == "-"  # YYYYmmdd-HHMMSS
    assert (backup / RECIPIENTS / "activist.yaml").read_bytes() == original
    assert [p.name for p in backup.rglob("*") if p.is_file()] == ["activist.yaml"]
    assert (project / RECIPIENTS / "friend.yaml").read_bytes() == untouched
    data_files = {p.relative_to(project).as_posix() for p in (project / "data").rglob("*") if p.is_file()}
    assert data_files == {p.relative_to(REPO).as_posix() for p in (REPO / "data").rglob("*") if p.is_file()}
    assert not list(project.glob(".gongshi-import-*"))
    assert "backups/" in (REPO / ".gitignore").read_text(encoding="utf-8")


def test_importing_the_same_workbooks_twice_gives_the_same_bytes(project, tmp_path):
    book = workbook(tmp_path / "推荐单位汇总表.xlsx", {"积极分子": MESSY_ACTIVISTS}, MESSY_MERGES)
    assert imported(project, book).code == 0
    first = (project / RECIPIENTS / "activist.yaml").read_bytes()
    other = tmp_path / "other"
    from conftest import copy_project
    copy_project(other)
    assert imported(other, book).code == 0
    assert (other / RECIPIENTS / "activist.yaml").read_bytes() == first
    result = imported(project, book)
    assert result.code == 0 and "名单与现有文件完全相同，没有写入任何文件" in result.stdout
    assert len(list((project / "backups").iterdir())) == 1  # only the first import replaced a file


@pytest.mark.parametrize("encoding, label", [("utf-8-sig", "UTF-8（带 BOM）"), ("utf-8", "UTF-8"),
                                             ("gbk", "GBK"), ("utf-16", "UTF-16")])
def test_csv_in_the_encodings_windows_writes(project, tmp_path, encoding, label):
    path = tmp_path / "优秀工会之友.csv"
    delimiter = "\t" if encoding == "utf-16" else ","
    rows = [["序号", "姓名", "工作单位及职务", "推荐单位", "手机"], ["1", "阿依古丽·买买提", "武陟县示例镇镇长", "武陟县", "13800000000"]]
    path.write_bytes("\r\n".join(delimiter.join(r) for r in rows).encode(encoding))
    result = imported(project, path)
    assert result.code == 0, result.output
    assert f"优秀工会之友.csv（{label} 编码）：焦作市优秀工会之友 1 条" in result.stdout
    assert "优秀工会之友.csv：个人信息，不导入、不公开：E 列“手机”" in result.stdout
    assert load(project, "friend")["recipients"] == [
        {"name": "阿依古丽·买买提", "unit": "武陟县", "title": "武陟县示例镇镇长"}]


def test_ods_made_with_odfpy(project, tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="优秀工会工作者")

    def row(*values, span=0):
        element = TableRow()
        for index, value in enumerate(values):
            if value is None:
                element.addElement(CoveredTableCell())
                continue
            cell = TableCell(valuetype="string", **({"numbercolumnsspanned": span} if index == 0 and span else {}))
            cell.addElement(P(text=value))
            element.addElement(cell)
        table.addElement(element)

    row("焦作市优秀工会工作者推荐表", None, None, None, span=4)
    row("姓名", "工作单位及职务", "推荐单位", "干部类别")
    row("褚八", "修武县示例公司工会主席", "修武县", "基层工会干部")
    document.spreadsheet.addElement(table)
    path = tmp_path / "修武县.ods"
    document.save(str(path))
    result = imported(project, path)
    assert result.code == 0, result.output
    assert load(project, "worker")["recipients"] == [
        {"name": "褚八", "unit": "修武县", "title": "修武县示例公司工会主席", "cadre_level": "基层工会干部"}]


def test_old_binary_xls_from_the_fixture(project):
    result = imported(project, REPO / "tests" / "fixtures" / "import_activist.xls")
    assert result.code == 0, result.output
    assert "import_activist.xls 工作表“积极分子”：个人信息，不导入、不公开：D 列“身份证号”" in result.stdout
    assert load(project, "activist")["recipients"] == [
        {"name": "石磊", "unit": "温县", "title": "温县示例甲公司工会主席", "gender": "男"},
        {"name": "田静", "unit": "温县", "title": "温县示例乙公司工会干事", "gender": "女"}]


def test_folders_with_chinese_names_and_spaces(tmp_path):
    from conftest import copy_project
    project = copy_project(tmp_path / "市总 工会" / "公示 网站")
    book = workbook(tmp_path / "收到的 汇总表" / "温县 积极分子.xlsx", {"积极分子": [
        ["姓名", "工作单位及职务", "推荐单位"], ["甲", "温县示例公司职工", "温县"]]})
    result = imported(project, book)
    assert result.code == 0, result.output
    assert "#   温县 积极分子.xlsx（工作表“积极分子”）" in \
        (project / RECIPIENTS / "activist.yaml").read_text(encoding="utf-8")
    assert (project / "backups").is_dir()


def test_unreadable_files_are_named(project, tmp_path):
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "表.et").write_bytes(b"x")
    result = imported(project, tmp_path / "坏.xlsx", tmp_path / "表.et", tmp_path / "没有.xlsx")
    assert result.code == 1
    out = result.stdout
    assert "错误 I001：坏.xlsx 无法作为表格读取" in out
    assert "错误 I001：表.et 是WPS 表格格式（.et），无法读取。" in out
    assert "错误 I001：找不到文件 没有.xlsx。" in out


def test_mapping_file_maps_headers_sheets_and_units(project, tmp_path):
    (project / "data/2018-mofan/import.yaml").write_text(
        "columns:\n  人员名称: name\n  单位职务: title\n  备注: 忽略\n"
        "sheets:\n  第一批: activist\n"
        "units:\n  焦作市财贸工会: 财贸工会系统\n", encoding="utf-8")
    book = workbook(tmp_path / "x.xlsx", {"第一批": [
        ["人员名称", "单位职务", "推荐单位", "备注"], ["甲", "焦作市示例商场职工", "焦作市财贸工会", "无"]]})
    result = imported(project, book)
    assert result.code == 0, result.output
    assert "未识别" not in result.stdout
    assert load(project, "activist")["recipients"] == [
        {"name": "甲", "unit": "财贸工会系统", "title": "焦作市示例商场职工"}]


def test_mapping_file_is_validated(project, tmp_path):
    (project / "data/2018-mofan/import.yaml").write_text(
        "columns:\n  单位职务: titel\n  身份证号: title\n"
        "sheets:\n  第一批: activst\n", encoding="utf-8")
    book = workbook(tmp_path / "x.xlsx", {"积极分子": [["姓名", "工作单位及职务", "推荐单位"], ["甲", "某", "温县"]]})
    result = imported(project, book)
    assert result.code == 1
    out = result.stdout
    assert "data/2018-mofan/import.yaml\n  第 2 行  错误 S008：“单位职务”" in out
    # the broken mapping stops the import before any workbook is read
    assert "读取的表格" not in out


def test_mapping_file_cannot_publish_personal_columns(project, tmp_path):
    (project / "data/2018-mofan/import.yaml").write_text(
        "columns:\n  身份证号: title\nsheets:\n  第一批: activst\n", encoding="utf-8")
    book = workbook(tmp_path / "x.xlsx", {"积极分子": [["姓名", "推荐单位"], ["甲", "温县"]]})
    result = imported(project, book)
    assert result.code == 1
    assert "第 2 行  错误 I011：列“身份证号”是不公开的个人信息，不能对应到“title”。" in result.stdout
    assert "第 4 行  错误 I011：工作表“第一批”对应的类别“activst”不存在。" in result.stdout


def test_several_announcements_need_announcement(project, tmp_path):
    site = project / "data/site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "  - 2019-mofan\n", encoding="utf-8")
    book = workbook(tmp_path / "x.xlsx", {"积极分子": [["姓名"], ["甲"]]})
    result = run_cli("import", str(book), project=project)
    assert result.code == 2 and "请用 --announcement 指定" in result.stderr
    result = run_cli("import", str(book), "--announcement", "2020", project=project)
    assert result.code == 2 and "公告“2020”不在" in result.stderr


def test_import_needs_files():
    result = run_cli("import")
    assert result.code == 2 and "缺少必需的参数" in result.stderr


def test_category_matching_is_never_silently_wrong():
    from gongshi.files.schema import CategoriesFile
    from gongshi.files.yamlfile import load_yaml
    from gongshi.staff.lookup import CategoryMatcher

    raw = load_yaml(REPO / "data/2018-mofan/categories.yaml", "categories.yaml")
    matcher = CategoryMatcher(CategoriesFile.model_validate(raw).categories)
    sure = {"积极分子": "activist", "焦作市优秀工会积极分子推荐名单": "activist",
            "2018年度优秀工会工作者标兵汇总表": "worker_star", "优秀工会工作者": "worker",
            "红旗职工之家": "red_home", "模范职工小家红旗单位": "red_small_home",
            "优秀职工之友（名）": "friend", "small_home": "small_home"}
    for text, expected in sure.items():
        assert matcher.match(text) == (expected, []), text
    for text in ("标兵", "之家", "小家", "工作者", "工会之友", "模范职工之家及小家", "Sheet1", "模范之家"):
        found, _ = matcher.match(text)
        assert found is None, text


def test_generic_sheet_name_uses_the_file_name_and_names_with_notes(project, tmp_path):
    book = workbook(tmp_path / "沁阳市优秀工会积极分子推荐表.xlsx", {"Sheet1": [
        ["姓名", "工作单位及职务", "推荐单位", "性别"],
        ["张三（女）", "沁阳市示例公司职工", "沁阳市", None],
        ["李四(女，回族)", "沁阳市示例厂职工", "沁阳市", "女"],
        ["王五（女）", "沁阳市示例店职工", "沁阳市", "男"],
    ]})
    result = imported(project, book)
    assert result.code == 1
    assert "第 4 行 A 列  错误 I010：姓名中注明的“女”与性别一列的“男”不一致。" in result.stdout
    assert "工作表“Sheet1”：焦作市优秀工会积极分子 3 条" in result.stdout
    book = workbook(tmp_path / "二" / "沁阳市优秀工会积极分子推荐表.xlsx", {"Sheet1": [
        ["姓名", "工作单位及职务", "推荐单位", "性别"],
        ["张三（女）", "沁阳市示例公司职工", "沁阳市", None],
        ["李四(女，回族)", "沁阳市示例厂职工", "沁阳市", "女"],
    ]})
    assert imported(project, book).code == 0
    assert load(project, "activist")["recipients"] == [
        {"name": "张三", "unit": "沁阳市", "title": "沁阳市示例公司职工", "gender": "女"},
        {"name": "李四", "unit": "沁阳市", "title": "沁阳市示例厂职工", "gender": "女", "ethnicity": "回族"}]


def test_a_file_name_naming_several_categories_is_not_guessed(project, tmp_path):
    book = workbook(tmp_path / "2018年度焦作市模范职工之家等评选表彰推荐汇总表.xlsx", {"Sheet1": [
        ["名称", "推荐单位"], ["沁阳市示例公司工会委员会", "沁阳市"]]})
    result = imported(project, book)
    assert result.code == 1 and "错误 I004：工作表“Sheet1”" in result.stdout
    assert not (project / "backups").exists()


def test_header_problems_are_named(project, tmp_path):
    book = workbook(tmp_path / "x.xlsx", {
        "积极分子": [["单位名称", "沁阳市总工会", None, "填报日期"],
                 ["序号", "姓名", "工作单位及职务", "推荐单位"], [1, "甲", "沁阳市示例公司职工", "沁阳市"]],
        "优秀工会之友": [["姓名", "工作单位及职务", "姓名"], ["乙", "某职务", "乙"]],
        "优秀工会工作者": [["姓名", "工作单位及职务"], ["丙", "某职务"]],
    })
    result = imported(project, book)
    assert result.code == 1
    out = result.stdout
    assert "工作表“积极分子”：焦作市优秀工会积极分子 1 条" in out  # the header is row 2, not 单位名称 above it
    assert "第 1 行 C 列  错误 I007：“姓名”（A 列）和“姓名”（C 列）对应同一项内容" in out
    assert "第 1 行 A 列  错误 I006：找不到“推荐单位”列，表头上方也没有写“填报单位：……”。" in out


def test_two_list_files_of_one_category_are_not_guessed(project, tmp_path):
    extra = project / RECIPIENTS / "activist-2.yaml"
    extra.write_text("category: activist\nsample: true\nrecipients: []\n", encoding="utf-8")
    book = workbook(tmp_path / "x.xlsx", {"积极分子": [["姓名", "工作单位及职务", "推荐单位"], ["甲", "某", "温县"]]})
    before = digest(project / "data")
    result = imported(project, book)
    assert result.code == 1 and "错误 I013：类别“activist”有 2 个名单文件" in result.stdout
    assert digest(project / "data") == before


def test_csv_in_an_unknown_encoding(project, tmp_path):
    path = tmp_path / "积极分子.csv"
    path.write_bytes(b"\x80\xff\x80\xff")
    result = imported(project, path)
    assert result.code == 1 and "错误 I002：积极分子.csv 的编码无法识别" in result.stdout


def test_yaml_values_read_back_unchanged():
    from gongshi.staff.yamltext import scalar
    tricky = ["yes", "是", "123", "0391", "2018-01-01", "#甲", "甲: 乙", "[甲]", "null", "~", "张三 #1", "'甲'",
              "\"", "\\", "- 甲", "甲,乙", "@甲", "on", "NO", "1e3", "甲:", "甲\t乙"]
    for value in tricky:
        assert yaml.safe_load("k: " + scalar(value))["k"] == value
        assert yaml.safe_load("k: [{t: " + scalar(value, flow=True) + "}]")["k"][0]["t"] == value
