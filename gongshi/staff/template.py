"""`gongshi template`: the workbook the recommending units fill in, made for the announcement.

A first sheet 填表说明 (what each column means, what is never published and must not be
sent, how to send it back), then one sheet per category named as in categories.yaml with
the headers the importer knows (COLUMN_TITLES): 姓名 … for people, 工会名称 for
organisations, plus the columns the rules of rules.yaml need for that category. 推荐单位
is a drop-down of the units that have places in that category (a hidden sheet holds the
lists, which may be long); 性别, 是/否 and 干部类别 are drop-downs too. Filled in and sent
back, it imports as it is.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..findings import Findings
from ..zh.names import INTERPUNCT
from .headers import COLUMN_TITLES
from .importer import Project, read_project
from .records import CADRE_LEVELS, RECORD_FIELDS

ROWS = 500                 # rows that get the drop-downs
LISTS_SHEET = "下拉选项"     # hidden
INSTRUCTIONS_SHEET = "填表说明"

EXPLANATIONS = {
    "person_name": ("姓名", f"必填。与身份证一致；少数民族姓名中的间隔号写“{INTERPUNCT}”。", "公开"),
    "name": ("工会名称", "必填。写工会的全称，如“××有限公司工会委员会”。", "公开"),
    "gender": ("性别", "从下拉列表选择。", "公开"),
    "ethnicity": ("民族", "如“汉族”“回族”。", "公开"),
    "title": ("工作单位及职务", "必填。写全称，如“××有限公司工会主席”。", "公开"),
    "unit": ("推荐单位", "必填。从下拉列表选择（即通知附件名额分配表中的单位）。", "公开"),
    "non_public": ("是否非公有制企业工会", "选择“是”或“否”。", "不公开，仅用于核查"),
    "cadre_level": ("干部类别", "从下拉列表选择。", "不公开，仅用于核查"),
    "membership_rate": ("职工入会率（%）", "只填数字，如 96.5 或 96.5%。", "不公开，仅用于核查"),
    "ballot_approval": ("同意票率（%）", "会员（代表）大会无记名投票的同意票率，只填数字。", "不公开，仅用于核查"),
    "satisfaction": ("会员评家满意度（%）", "只填数字。", "不公开，仅用于核查"),
    "prior_honours": ("此前荣誉", ("写成“称号（级别，年份）”，级别为 县级、市级、省级 或 全国，多项用“；”分开，"
                      "如“焦作市模范职工之家（市级，2015）”；没有写“无”。"), "不公开，仅用于核查"),
    "applicant": ("申报单位", "所在的基层工会或申报单位全称（每个申报单位限报一名）。", "不公开，仅用于核查"),
    "mega_group": ("是否特大型企业集团工会", "选择“是”或“否”。", "不公开，仅用于核查"),
    "group_secondary_share": ("二级单位获市级以上模范职工之家的比例（%）", "特大型企业集团工会填写，只填数字。",
                              "不公开，仅用于核查"),
}


@dataclass  # an exception: a dataclass, since a msgspec Struct cannot be one
class TemplateProblem(Exception):
    code: str
    message: str
    hint: str


def default_name(project: Project) -> str:
    title = project.announcement.short_title if project.announcement else project.slug
    return re.sub(r'[\\/:*?"<>|]', "", title) + "推荐汇总表.xlsx"


def write_template(root: Path, slug: str, output: Path | None, findings: Findings) -> Path | None:
    """Write the template; None (with findings) when the project's tables are broken."""
    project = read_project(root, slug, findings)
    if project is None or project.announcement is None:
        return None
    path = (output or Path(default_name(project))).resolve()
    if path.suffix.lower() != ".xlsx":
        raise TemplateProblem("I015", f"模板只能保存为 .xlsx 文件，不能是“{path.name}”。",
                              "请在 -o 后写以 .xlsx 结尾的文件名。")
    if path.is_relative_to((root / "data").resolve()):
        raise TemplateProblem("I015", "模板不能放在 data/ 文件夹中（那里只放数据文件）。",
                              "请用 -o 指定 data/ 以外的位置，例如桌面。")
    if path.exists():
        raise TemplateProblem("I015", f"文件 {path} 已经存在，为免覆盖已填写的内容，没有生成模板。",
                              "请用 -o 换一个文件名，或先把原文件改名或移走。")
    book = build_workbook(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".gongshi-template-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def category_fields(category, rules) -> list[str]:
    """The template's columns for a category: public ones, then those its rules need."""
    person = category.subject == "person"
    cid = category.id
    fields = ["person_name", "gender", "ethnicity", "title", "unit"] if person else ["name", "unit"]
    wanted = set()
    if rules.non_public_share and cid in rules.non_public_share.categories:
        wanted.add("non_public")
    if (rules.leadership_cadres and cid in rules.leadership_cadres.categories) or \
            cid in rules.grassroots_only:
        wanted.add("cadre_level")
    for name in ("membership_rate", "ballot_approval", "satisfaction"):
        if cid in getattr(rules, name):
            wanted.add(name)
    if cid in rules.mega_group_secondary_share:
        wanted |= {"mega_group", "group_secondary_share"}
    if any(cid in rule.categories for rule in rules.prior_honours):
        wanted.add("prior_honours")
    if person and rules.one_per_applicant and cid in rules.one_per_applicant.categories:
        wanted.add("applicant")
    return fields + [name for name in RECORD_FIELDS if name in wanted]


def units_with_places(project: Project, category_id: str) -> list[str]:
    """Units with their own or a shared place in the category, in the 附件 table's order."""
    return [u.name for u in project.units if u.quotas.get(category_id) or any(
        s.category == category_id and s.quota and u.id in s.units for s in project.shared_quotas)]


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "名单"
    base, number = title, 2
    while title in used:
        title = f"{base[:28]}{number}"
        number += 1
    used.add(title)
    return title


THIN = Side(style="thin", color="999999")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
PRIVATE_FILL = PatternFill("solid", fgColor="FCE4D6")


def build_workbook(project: Project) -> Workbook:
    book = Workbook()
    book.properties.creator = "gongshi"
    instructions = book.active
    instructions.title = INSTRUCTIONS_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    used = {INSTRUCTIONS_SHEET, LISTS_SHEET}
    list_columns: dict[str, str] = {}

    def choice_range(key: str, values: list[str]) -> str:
        if key not in list_columns:
            column = get_column_letter(len(list_columns) + 1)
            for row, value in enumerate(values, start=1):
                lists[f"{column}{row}"] = value
            list_columns[key] = f"'{LISTS_SHEET}'!${column}$1:${column}${max(len(values), 1)}"
        return list_columns[key]

    sheets: list[tuple[str, object, list[str]]] = []
    for category in project.categories:
        sheet = book.create_sheet(_sheet_title(category.name, used), len(sheets) + 1)
        fields = category_fields(category, project.rules)
        _category_sheet(sheet, project, category, fields, choice_range)
        sheets.append((sheet.title, category, fields))
    _instructions(instructions, project, sheets)
    return book


def _category_sheet(sheet, project: Project, category, fields: list[str], choice_range) -> None:
    headers = ["序号"] + [COLUMN_TITLES[f] for f in fields]
    sheet.append([f"{category.name}推荐名单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    sheet.freeze_panes = "B3"
    for index, (header, name) in enumerate(zip(headers, ["serial"] + fields), start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        private = EXPLANATIONS.get(name, ("", "", "公开"))[2] != "公开"
        cell.fill = PRIVATE_FILL if private else HEADER_FILL
        width = {"serial": 6, "person_name": 12, "gender": 8, "ethnicity": 8, "title": 36, "name": 40,
                 "unit": 16, "prior_honours": 40, "applicant": 30}.get(name, 16)
        sheet.column_dimensions[get_column_letter(index)].width = width
        letter = get_column_letter(index)
        target = f"{letter}3:{letter}{ROWS + 2}"
        validation = None
        if name == "unit":
            units = units_with_places(project, category.id)
            validation = DataValidation(type="list", formula1=choice_range(f"unit:{category.id}", units),
                                        allow_blank=True, showErrorMessage=True,
                                        errorTitle="推荐单位", error="请从下拉列表中选择推荐单位。")
        elif name == "gender":
            validation = DataValidation(type="list", formula1='"男,女"', allow_blank=True,
                                        showErrorMessage=True, error="请选择“男”或“女”。")
        elif name in ("non_public", "mega_group"):
            validation = DataValidation(type="list", formula1='"是,否"', allow_blank=True,
                                        showErrorMessage=True, error="请选择“是”或“否”。")
        elif name == "cadre_level":
            validation = DataValidation(type="list", formula1=choice_range("cadre", list(CADRE_LEVELS)),
                                        allow_blank=True, showErrorMessage=True,
                                        error="请从下拉列表中选择干部类别。")
        elif name in EXPLANATIONS:
            validation = DataValidation(allow_blank=True)  # any value: only the input prompt
        if validation is not None:
            validation.promptTitle = EXPLANATIONS.get(name, (header,))[0][:32]
            validation.prompt = EXPLANATIONS.get(name, ("", ""))[1][:255]
            validation.showInputMessage = True
            sheet.add_data_validation(validation)
            validation.add(target)


def _instructions(sheet, project: Project, sheets) -> None:
    announcement = project.announcement
    assert announcement is not None  # write_template stops before when it is missing
    contacts = announcement.contacts
    rows = [
        [f"{announcement.short_title}推荐汇总表 填表说明"],
        [],
        ["一、每个类别一张工作表（见下方标签），只填本单位推荐的类别；没有推荐的类别留空，不要删除工作表。"],
        ["二、不要改动工作表名称和第 2 行的列标题，不要插入合并单元格；每人（每个单位）一行。"],
        ["三、“推荐单位”请从下拉列表选择；各单位名额见通知附件《表彰名额分配表》。"],
        [("四、本表只收集公示所需的内容。请不要填写身份证号、手机号、联系电话、出生年月、政治面貌、学历、"
         "家庭住址等个人信息；即使填了，导入时也一律略去，不会公开。")],
        ["五、浅红色列标题的列只用于核查是否符合通知条件，不公开；浅蓝色的列将在公示中公开。"],
        [(f"六、填好后保存为 .xlsx 格式（WPS 请“另存为”Excel 工作簿），发送至 {contacts.email}。"
         f"联系人：{'、'.join(contacts.people)}，电话 {contacts.phone}（{announcement.department}）。")],
        [],
        ["列", "说明", "是否公开"],
    ]
    seen = set()
    for _, _, fields in sheets:
        for name in fields:
            if name not in seen and name in EXPLANATIONS:
                seen.add(name)
                rows.append(list(EXPLANATIONS[name]))
    rows += [[], ["工作表", "类别", "列"]]
    for title, category, fields in sheets:
        kind = "个人" if category.subject == "person" else "集体"
        rows.append([title, f"{category.name}（{kind}，{category.action}）",
                     "、".join(COLUMN_TITLES[f] for f in fields)])
    for row in rows:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 60
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
