"""Finding the header row of a sheet and what each column holds.

A column is known by its Chinese header, compared without spaces, full-width forms, “*”
marks and remarks in brackets (“入会率（%）” is 入会率). The built-in variants are below; the
office adds its own in import.yaml, which win. Columns holding personal details that a 公示
must never show (身份证号、手机、出生年月、政治面貌、学历、住址……) are recognised first and
never read, whatever the mapping says. The header row is the one of the top rows with a
姓名/名称 column that names the most columns; a second header row below it (a merged “工作单位及职务” over 工作单位 | 职务)
or a heading row above it are taken in.
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from .lookup import compact
from .tables import Table, cell_text

SKIP = ("skip", "忽略")

# Built-in header variants, compared after `header_key`. Order within a field does not matter.
VARIANTS: dict[str, tuple[str, ...]] = {
    "person_name": ("姓名", "候选人姓名", "推荐人选姓名", "人员姓名", "推荐对象姓名"),
    "name": ("名称", "单位名称", "工会名称", "工会全称", "单位全称", "集体名称", "单位(集体)名称",
             "推荐对象", "工会组织名称", "基层工会名称", "职工之家名称", "职工小家名称"),
    "unit": ("推荐单位", "推荐单位名称", "申报单位"),
    "title": ("工作单位及职务", "单位及职务", "工作单位和职务", "单位和职务", "工作单位职务", "单位职务",
              "工作单位及职务(职称)", "工作单位及职务职称"),
    "workplace": ("工作单位", "所在单位", "单位"),
    "position": ("职务", "现任职务", "职务(职称)", "职务职称"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "category": ("荣誉称号", "类别", "评选类别", "推荐类别", "表彰类别", "申报类别", "奖项", "称号",
                 "拟表彰荣誉称号", "推荐荣誉称号"),
    "non_public": ("是否非公企业", "是否非公有制企业", "是否非公有制企业工会", "非公企业",
                   "非公有制企业", "是否非公"),
    "cadre_level": ("干部类别", "干部类型", "人员类别"),
    "membership_rate": ("入会率", "职工入会率"),
    "ballot_approval": ("同意票率", "投票同意率", "会员代表大会同意票率", "会员(代表)大会同意票率"),
    "satisfaction": ("满意度", "会员评家满意度", "评家满意度"),
    "prior_honours": ("此前荣誉", "曾获荣誉", "所获荣誉", "已获荣誉", "曾获荣誉称号", "此前获得的荣誉称号",
                      "获得荣誉"),
    "applicant": ("申报单位",),
    "mega_group": ("是否特大型企业集团", "是否特大型企业集团工会", "特大型企业集团"),
    "group_secondary_share": ("二级单位获市级以上模范职工之家的比例", "二级单位获市级以上模范职工之家比例",
                              "二级单位比例"),
    "serial": ("序号", "编号", "排序"),
}

# Words of headers that hold personal details: such a column is never read.
PERSONAL = ("身份证", "身份号码", "证件号", "手机", "电话", "联系方式", "出生", "生日", "年龄",
            "政治面貌", "党派", "学历", "学位", "文化程度", "住址", "地址", "邮箱", "电子邮件",
            "籍贯", "婚姻", "健康", "银行", "账号", "邮编", "QQ", "微信", "入党", "参加工作时间")

# Fields a column may feed (header variants name these; import.yaml may name them too).
FIELDS = ("name", "unit", "title", "workplace", "position", "gender", "ethnicity", "category",
          "non_public", "cadre_level", "membership_rate", "ballot_approval", "satisfaction",
          "prior_honours", "applicant", "mega_group", "group_secondary_share")
PUBLIC_FIELDS = ("name", "unit", "title", "workplace", "position", "gender", "ethnicity")

# The header each field gets in the template and in messages (each one a built-in variant).
COLUMN_TITLES = {
    "person_name": "姓名", "name": "工会名称", "unit": "推荐单位", "title": "工作单位及职务",
    "gender": "性别", "ethnicity": "民族", "category": "荣誉称号",
    "non_public": "是否非公有制企业工会", "cadre_level": "干部类别",
    "membership_rate": "职工入会率（%）", "ballot_approval": "同意票率（%）",
    "satisfaction": "会员评家满意度（%）", "prior_honours": "此前荣誉", "applicant": "申报单位",
    "mega_group": "是否特大型企业集团工会",
    "group_secondary_share": "二级单位获市级以上模范职工之家的比例（%）",
}

HEADER_SEARCH_ROWS = 20
_REMARK = re.compile(r"\([^()]*\)$")


def header_key(text: str) -> str:
    """How headers are compared: no spaces, width-folded, no “*”, no trailing remark in ()."""
    key = compact(text).replace("*", "").replace("＊", "")
    return key.rstrip(":")


def _bare(key: str) -> str:
    while _REMARK.search(key):
        key = _REMARK.sub("", key)
    return key


_LOOKUP: dict[str, str] = {}
for _field, _names in VARIANTS.items():
    for _name in _names:
        _LOOKUP.setdefault(header_key(_name), _field)


def is_personal(key: str) -> bool:
    return any(word.lower() in key.lower() for word in PERSONAL)


def role_of(text: str, overrides: dict[str, str]) -> str:
    """What a header names: a field, "serial", "personal", "skip", or "" (unknown)."""
    key = header_key(text)
    if not key:
        return ""
    if is_personal(key):
        return "personal"
    for candidate in (key, _bare(key)):
        if candidate in overrides:
            return "skip" if overrides[candidate] in SKIP else overrides[candidate]
        if candidate in _LOOKUP:
            return _LOOKUP[candidate]
    return ""


class Column(Struct):
    index: int
    header: str          # as written (the lowest header row that says what it is)
    role: str            # see role_of, after resolving name/unit/workplace by context
    header_row: int      # 0-based row of that header text


class SheetLayout(Struct):
    """Where the header is and which column feeds which field."""

    header_top: int
    header_bottom: int
    fields: dict[str, Column] = field(default_factory=dict)
    personal: list[Column] = field(default_factory=list)
    unknown: list[Column] = field(default_factory=list)
    duplicates: list[tuple[Column, Column]] = field(default_factory=list)
    conflicts: list[tuple[Column, Column]] = field(default_factory=list)
    above: list[str] = field(default_factory=list)  # texts above the header (titles, 填报单位)


def find_layout(table: Table, overrides: dict[str, str]) -> SheetLayout | None:
    """The header and columns of a sheet, or None when no row has a 姓名/名称 column."""
    rows = table.rows
    top, best = None, 0
    for r in range(min(HEADER_SEARCH_ROWS, len(rows))):
        roles = [role_of(cell_text(v), overrides) for v in rows[r]]
        known = sum(1 for role in roles if role)
        if any(role in ("name", "person_name") for role in roles) and known > best:
            top, best = r, known  # the row that names the most columns (not “单位名称：…” above it)
    if top is None:
        return None
    header_rows = [top]
    if top > 0 and _is_heading_row(rows[top - 1], rows[top], overrides):
        header_rows.insert(0, top - 1)
    below = top + 1
    while below < len(rows) and below - top < 3 and _continues_header(rows[below], rows[below - 1],
                                                                      overrides):
        header_rows.append(below)
        below += 1
    layout = SheetLayout(header_rows[0], header_rows[-1])
    layout.above = [t for r in range(header_rows[0]) for t in map(cell_text, rows[r]) if t]
    columns = []
    for c in range(table.width):
        column = _column(table, c, header_rows, overrides)
        if column is not None:
            columns.append(column)
    _resolve(columns, layout, overrides)
    return layout


def _is_heading_row(row, header, overrides) -> bool:
    """A row above the header that itself holds known headers (推荐单位 over two rows)."""
    return any(role_of(cell_text(v), overrides) not in ("", "personal") and not cell_text(h)
               for v, h in zip(row, header))


def _continues_header(row, above, overrides) -> bool:
    """A second header row: only headers (or repeats of the one above), at least one new."""
    texts = [cell_text(v) for v in row]
    if not any(texts):
        return False
    new = False
    for text, over in zip(texts, [cell_text(v) for v in above]):
        if not text:
            continue
        if text == over:
            continue
        if role_of(text, overrides) == "":
            return False
        new = True
    return new


def _column(table: Table, c: int, header_rows: list[int], overrides) -> Column | None:
    texts = [(r, cell_text(table.at(r, c))) for r in header_rows]
    known = [(r, t) for r, t in texts if role_of(t, overrides)]
    if known:
        r, text = known[-1]
        return Column(c, text, role_of(text, overrides), r)
    written = [(r, t) for r, t in texts if t]
    if written:
        r, text = written[-1]
        return Column(c, text, "", r)
    has_data = any(cell_text(table.at(r, c)) for r in range(header_rows[-1] + 1, len(table.rows)))
    return Column(c, "", "", header_rows[-1]) if has_data else None


def _resolve(columns: list[Column], layout: SheetLayout, overrides: dict[str, str]) -> None:
    """Settle the context-dependent headers and collect fields, personal and unknown columns."""
    roles = {c.role for c in columns}
    for column in columns:
        key = header_key(column.header)
        if column.role == "person_name":
            column.role = "name"
        if key in overrides or _bare(key) in overrides:
            continue  # the office said what this column is
        if column.role == "name" and "person_name" in roles and key in ("单位名称", "单位全称"):
            column.role = "workplace"  # 姓名 | 单位名称: the person's workplace
        elif column.role == "unit" and key == "申报单位" and any(
                c.role == "unit" and c is not column for c in columns):
            column.role = "applicant"  # 推荐单位 | 申报单位: the second is the applicant
        elif column.role == "workplace" and key == "单位" and "person_name" not in roles:
            column.role = ""  # a bare 单位 beside a 名称 column says nothing certain
    for column in columns:
        if column.role == "personal":
            layout.personal.append(column)
        elif column.role == "":
            layout.unknown.append(column)
        elif column.role in ("serial", "skip"):
            continue
        elif column.role in layout.fields:
            layout.duplicates.append((layout.fields[column.role], column))
        else:
            layout.fields[column.role] = column
    title = layout.fields.get("title")
    for part in ("workplace", "position"):
        if title is not None and part in layout.fields:
            layout.conflicts.append((title, layout.fields[part]))
