"""`gongshi template`: the workbook the units fill in, and that it imports back as it is."""

from __future__ import annotations

import openpyxl
import yaml
from conftest import run_cli

RECIPIENTS = "data/2018-mofan/recipients"


def make_template(project, tmp_path):
    path = tmp_path / "发给 各单位" / "推荐汇总表.xlsx"
    result = run_cli("template", "--announcement", "2018-mofan", "-o", str(path), project=project)
    assert result.code == 0, result.output
    assert str(path) in result.stdout
    return path


def test_template_sheets_headers_and_drop_downs(project, tmp_path):
    book = openpyxl.load_workbook(make_template(project, tmp_path))
    assert book.sheetnames[0] == "填表说明"
    assert book.sheetnames[1:10] == ["焦作市模范职工之家", "焦作市模范职工小家", "焦作市优秀工会工作者",
                                     "焦作市优秀工会积极分子", "焦作市优秀工会之友", "焦作市模范职工之家红旗单位",
                                     "焦作市模范职工小家红旗单位", "焦作市优秀工会工作者标兵", "焦作市优秀工会之友标兵"]
    lists = book.worksheets[-1]
    assert lists.sheet_state == "hidden"
    headers = {sheet.title: [c.value for c in sheet[2]] for sheet in book.worksheets[1:10]}
    assert headers["焦作市优秀工会积极分子"] == ["序号", "姓名", "性别", "民族", "工作单位及职务", "推荐单位"]
    # organisations: no personal columns; the rules' columns for that category
    assert headers["焦作市模范职工之家"] == ["序号", "工会名称", "推荐单位", "是否非公有制企业工会",
                                        "职工入会率（%）", "同意票率（%）", "此前荣誉", "是否特大型企业集团工会",
                                        "二级单位获市级以上模范职工之家的比例（%）"]
    assert headers["焦作市模范职工之家红旗单位"] == ["序号", "工会名称", "推荐单位", "职工入会率（%）",
                                              "会员评家满意度（%）", "此前荣誉"]
    assert headers["焦作市优秀工会工作者"][-1] == "干部类别"
    assert headers["焦作市优秀工会工作者标兵"][-3:] == ["干部类别", "此前荣誉", "申报单位"]

    sheet = book["焦作市模范职工之家红旗单位"]
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    unit_list = validations["C3:C502"].formula1
    assert unit_list.startswith("'下拉选项'!$")
    column = unit_list.split("!$")[1].split("$")[0]
    units = [c.value for c in lists[column] if c.value]
    # red_home places: shared by the ten 县市区, by the three 产业系统, and 市直、其它 of their own
    assert units[0] == "沁阳市" and units[-2:] == ["市直", "其它"] and len(units) == 15
    person = book["焦作市优秀工会积极分子"]
    person_validations = {str(v.sqref): v.formula1 for v in person.data_validations.dataValidation}
    assert person_validations["C3:C502"] == '"男,女"'
    assert len([c.value for c in lists[person_validations["F3:F502"].split("!$")[1].split("$")[0]]
                if c.value]) == 15

    text = "\n".join(str(c.value) for row in book["填表说明"].iter_rows() for c in row if c.value)
    for words in ("身份证号", "手机号", "出生年月", "政治面貌", "不公开", "jzmgb@126.com", "0391-3999921",
                  "工作单位及职务", "此前荣誉"):
        assert words in text, words


def test_filled_template_imports_cleanly(project, tmp_path):
    path = make_template(project, tmp_path)
    book = openpyxl.load_workbook(path)
    book["焦作市优秀工会积极分子"].append([1, "赵一", "男", "汉族", "沁阳市示例公司工会主席", "沁阳市"])
    book["焦作市优秀工会积极分子"].append([2, "钱二", "女", "回族", "沁阳市示例厂工会干事", "沁阳市"])
    book["焦作市优秀工会工作者"].append([1, "孙三", "男", None, "孟州市示例公司工会主席", "孟州市", "基层工会干部"])
    book["焦作市模范职工之家红旗单位"].append(
        [1, "焦作市示例甲公司工会委员会", "市直", 0.97, "96%", "焦作市模范职工之家（市级，2016）"])
    book["焦作市优秀工会工作者标兵"].append(
        [1, "李四", "女", "汉族", "焦作市示例乙公司工会主席", "市直", "基层工会干部",
         "焦作市优秀工会工作者（市级，2015）", "焦作市示例乙公司工会委员会"])
    filled = tmp_path / "市直 填好的.xlsx"
    book.save(filled)

    result = run_cli("import", str(filled), "--announcement", "2018-mofan", "--write", project=project)
    assert result.code == 0, result.output
    assert "问题：" not in result.stdout and "（0 个警告）" in result.stdout
    assert "工作表“填表说明”：填表说明，跳过" in result.stdout
    assert "工作表“下拉选项”：隐藏的工作表，跳过" in result.stdout
    assert "未导入的列" not in result.stdout
    red = yaml.safe_load((project / RECIPIENTS / "red_home.yaml").read_text(encoding="utf-8"))
    assert red["recipients"] == [{"name": "焦作市示例甲公司工会委员会", "unit": "市直", "membership_rate": 97,
                                  "satisfaction": 96, "prior_honours": [
                                      {"title": "焦作市模范职工之家", "level": "市级", "year": 2016}]}]
    assert run_cli("check", project=project).code == 0


def test_template_never_overwrites_and_stays_out_of_data(project, tmp_path):
    path = make_template(project, tmp_path)
    before = path.read_bytes()
    result = run_cli("template", "--announcement", "2018-mofan", "-o", str(path), project=project)
    assert result.code == 1 and "I015" in result.stdout and "已经存在" in result.stdout
    assert path.read_bytes() == before
    result = run_cli("template", "--announcement", "2018-mofan", "-o", str(project / "data" / "模板.xlsx"), project=project)
    assert result.code == 1 and "不能放在 data/" in result.stdout
    assert not (project / "data" / "模板.xlsx").exists()
    result = run_cli("template", "--announcement", "2018-mofan", "-o", str(tmp_path / "模板.xls"), project=project)
    assert result.code == 1 and ".xlsx" in result.stdout
