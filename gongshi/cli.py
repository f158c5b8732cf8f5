"""The command line: `gongshi [build|check|serve|…]` (or `python build.py …`), all of it in Chinese.

Exit codes: 0 success, 1 the data has errors (or warnings under --strict), or the output
folder, the lock or the file system refused (a folder the tool must not replace, a read-only
project, a full disk, a symbolic-link loop: see fsproblems), 2 a usage error, 3 an internal
error (a bug: one line of apology, the trace only with --debug).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .argparse_zh import EXIT_USAGE, ChineseArgumentParser
from .process import hold_until_end

# What a build needs (the pipeline, the data files' schema, the report, even the findings and
# msgspec under them) is imported once the command is known, after the build's second process
# is started (see main): it imports the same while this one does, instead of after.
if TYPE_CHECKING:
    from .pipeline import BuildOptions, BuildResult

EXIT_OK, EXIT_DATA, EXIT_BUG = 0, 1, 3  # and EXIT_USAGE (2), which argparse_zh uses too

_COMMANDS = ("build", "check", "serve")
_GLOBAL_WITH_VALUE = ("--project",)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请写成 2018-11-05")


def _port(value: str) -> int:
    if value.isdigit() and 1 <= int(value) <= 65535:
        return int(value)
    raise argparse.ArgumentTypeError(f"“{value}”不是端口号，请写 1 到 65535 之间的整数")


def _base_url(value: str) -> str:
    from .files.values import base_url_problem

    problem = base_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"“{value}”不是网站发布地址。{problem}")
    return value


def make_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="gongshi",
        description="gongshi：把评选表彰的通知、公示名单和推荐单位页面生成静态网站。\n"
                    "不带命令时等同于 build。",
        epilog="退出码：0 成功；1 数据有错误（--strict 时含警告）；2 命令用法错误；3 程序内部错误。",
    )
    parser.add_argument("--project", type=Path, default=Path.cwd(), metavar="目录",
                        help="项目目录（含 data/、content/、templates/），默认为当前目录")
    parser.add_argument("--debug", action="store_true", help="程序出错时显示完整的错误跟踪")
    commands = parser.add_subparsers(dest="command", metavar="命令",
                                     parser_class=ChineseArgumentParser)

    def common(sub):
        sub.add_argument("--strict", action="store_true", help="把警告也当作错误（退出码 1）")
        sub.add_argument("--release", action="store_true",
                         help="正式发布：数据仍标记为示例数据（sample: true）时拒绝")
        sub.add_argument("--today", type=_date, metavar="日期",
                         help="按指定日期判断公示状态（默认今天，或环境变量 SOURCE_DATE_EPOCH）")

    build = commands.add_parser("build", help="检查数据并生成网站到 output/（默认命令）",
                                description="检查数据并生成网站。出错时保留原有 output/ 不动。")
    common(build)
    build.add_argument("--output", type=Path, metavar="目录", help="输出目录，默认为项目下的 output/")
    build.add_argument("--base-url", type=_base_url, metavar="网址",
                       help="覆盖 data/site.yaml 中的 base_url，例如 /gongshi/")
    build.add_argument("--fresh", action="store_true",
                       help="每个文件都重新写出，不沿用上一次 output/ 中内容相同的文件"
                            "（网站内容相同，只是文件全是新的、修改时间都更新；与别的生成器对照测速时用）")
    check = commands.add_parser("check", help="只检查数据，不生成网站",
                                description="检查全部数据文件并报告问题，不写任何文件。")
    common(check)
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="报告格式：text（默认，中文）或 json（供程序读取）")
    serve = commands.add_parser("serve", help="本地预览，修改文件后自动重建并刷新浏览器",
                                description="生成网站并在本机启动预览服务器；修改 data/、content/、"
                                            "templates/、static/ 下的文件后自动重建并刷新浏览器。")
    serve.add_argument("--port", type=_port, default=8000, help="端口，默认 8000")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
    serve.add_argument("--output", type=Path, metavar="目录", help="输出目录，默认为项目下的 output/")
    verify = commands.add_parser("verify", help="核对部署后的网站（文件夹或网址）与生成的 SHA256SUMS 是否一致",
                                 description="逐个核对部署后的网站与生成时的 SHA256SUMS：列出缺少、内容不同和"
                                             "多出的文件（网址无法列出文件夹，只核对前两种）。\n"
                                             "退出码：0 完全一致；1 有不一致；2 用法错误、找不到 SHA256SUMS、"
                                             "文件夹不存在或网址连接不上。")
    verify.add_argument("target", metavar="文件夹或网址",
                        help="部署后的网站：文件夹，或首页网址，如 https://门户域名/gongshi/")
    reference = verify.add_mutually_exclusive_group()
    reference.add_argument("--output", type=Path, metavar="目录",
                           help="用这个输出目录中的 SHA256SUMS 核对，默认为项目下的 output/")
    reference.add_argument("--sums", type=Path, metavar="文件", help="用这个 SHA256SUMS 文件核对")
    # The staff tools (gongshi/staff/): importing the units' workbooks, and their template.
    staff_import = commands.add_parser(
        "import", help="把推荐单位报来的 Excel 汇总表导入为名单（先检查；加 --write 才写入）",
        description="读取 .xlsx、.xls、.ods、.csv 汇总表，按列标题找出姓名、推荐单位等，像 check 一样核查，"
                    "列出与现有名单的差别。加 --write 才写入 data/<公告>/recipients/（原文件备份到 backups/）。")
    staff_import._positionals.title = "参数"
    staff_import.add_argument("files", nargs="+", metavar="文件", help="汇总表文件，可以多个")
    staff_import.add_argument("--write", action="store_true",
                              help="检查通过后写入名单文件（不加时只检查并列出变化，不写任何文件）")
    staff_template = commands.add_parser(
        "template", help="生成给推荐单位填写的 Excel 模板",
        description="按本次公告的类别、推荐单位和核查规则生成汇总表模板（.xlsx），填好后可直接导入。")
    staff_template.add_argument("-o", "--output", type=Path, metavar="文件",
                                help="模板文件名（.xlsx），默认为当前目录下的“<公告简称>推荐汇总表.xlsx”")
    for sub in (staff_import, staff_template):
        sub.add_argument("--announcement", metavar="公告",
                         help="哪一个公告（data/ 下的文件夹名）；本站只有一个公告时可省略")
    staff_new = commands.add_parser(
        "new", help="从上一次公告的设置开始下一次公告（不含名单；只新建文件，不改动已有的文件）",
        description="新建 data/<公告>/ 和 content/<公告>/：复制上一次公告（通知日期最新的一次）的设置、"
                    "类别、推荐单位和核查条件，不复制名单；要重写的文字留作“【请填写……】”。")
    staff_new._positionals.title = "参数"
    staff_new.add_argument("slug", metavar="公告", help="新公告的文件夹名，如 2019-mofan")
    staff_new.add_argument("--from", dest="source", metavar="公告", help="以哪一次公告为底本（默认通知日期最新的一次）")
    return parser


def with_default_command(argv: list[str]) -> list[str]:
    """Insert `build` after the global options when no command is given."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in _COMMANDS or arg in ("-h", "--help") or not arg.startswith("-"):
            return argv
        if arg in _GLOBAL_WITH_VALUE:
            if index + 1 >= len(argv):
                return argv  # let argparse say the value is missing
            index += 2
        elif arg == "--debug" or arg.startswith("--project="):
            index += 1
        else:
            break
    return argv[:index] + ["build"] + argv[index:]


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(with_default_command(list(sys.argv[1:] if argv is None else argv)))
    command = args.command
    root = None
    try:
        root = Path(os.path.realpath(args.project))  # resolve() raises on a link loop
        if command == "verify":
            return _verify(root, args)
        if not (root / "data").is_dir():
            print(f"错误：{root} 不是 gongshi 项目目录（其中没有 data/ 文件夹）。\n"
                  "处理办法：在项目目录中运行，或用 --project 指定项目目录。", file=sys.stderr)
            return EXIT_USAGE
        if command == "check":
            return _check(root, args, _second_process(root))
        if command == "serve":
            from .serve import serve

            return serve(root, args.host, args.port, args.output)
        if command in ("import", "template", "new"):
            from .staff import commands as staff
            return getattr(staff, f"{command}_command")(root, args)
        return _build(root, args, _second_process(root))
    except KeyboardInterrupt:
        print("\n已中止。", file=sys.stderr)
        return 130
    except OSError as exc:  # a file-system failure, not a bug: say which path and what to do
        from .fsproblems import os_error_finding

        _print_problem(os_error_finding(exc, root), command == "build")
        return EXIT_DATA
    except Exception as exc:  # noqa: BLE001 - the last guard before the user
        from .fsproblems import OutputProblem

        if isinstance(exc, OutputProblem):  # its message says what became of the site
            _print_problem(exc.finding, False)
            return EXIT_DATA
        if args.debug:
            import traceback  # only here: importing it costs a build 2 ms

            traceback.print_exc()
        print(f"抱歉，gongshi 遇到了一个程序错误（{type(exc).__name__}），这不是您数据的问题。"
              "请把运行的命令和这行提示发给维护人员；加上 --debug 可以看到详细信息。", file=sys.stderr)
        return EXIT_BUG


def _second_process(root: Path):
    """The build's second process, started now if the project is large enough (parallel)."""
    from .site import parallel

    return parallel.start(root)


def _verify(root: Path, args) -> int:
    from .findings import relative_name
    from .site.outdir import MANIFEST
    from .staff.verify import VerifyError, format_report, read_manifest, verify
    sums = args.sums or (args.output or root / "output") / MANIFEST
    try:
        comparison = verify(args.target, read_manifest(sums, relative_name(sums, root)))
    except VerifyError as error:
        print(f"错误 {error.code}：{error.message}\n处理办法：{error.hint}", file=sys.stderr)
        return EXIT_USAGE
    print(format_report(comparison))
    return EXIT_OK if comparison.identical else EXIT_DATA


def _options(args) -> BuildOptions:
    from .pipeline import BuildOptions

    return BuildOptions(strict=args.strict, release=args.release, today=args.today,
                        output=getattr(args, "output", None), base_url=getattr(args, "base_url", None),
                        fresh=getattr(args, "fresh", False),
                        on_lock_wait=lambda: print("另一个构建正在进行，等待其完成……", file=sys.stderr))


def _check(root: Path, args, started=None) -> int:
    from .check.report import counts_line, findings_json
    from .pipeline import check_project

    result = check_project(root, _options(args), render=True, started=started)
    hold_until_end(result)
    if args.format == "json":
        print(findings_json(result.findings, args.strict))
    else:
        _print_findings(result)
        if result.ok:
            _print_stages(result)
        print(("检查通过。" if result.ok else "检查未通过。") + counts_line(result.findings, args.strict))
    return EXIT_OK if result.ok else EXIT_DATA


def _print_findings(result: BuildResult) -> None:
    from .check.report import format_findings

    text = format_findings(result.findings, result.strict)
    if text:
        print(text)


def _print_stages(result: BuildResult) -> None:
    """Which stage each announcement is in on the day built for (nothing is published
    before a notice's date: without this line its missing pages would be a silent surprise)."""
    from .load.stages import stage_report
    from .zh.chinese_dates import format_date

    if result.site is None or result.day is None:
        return
    print(f"按 {format_date(result.day)} 的日期：")
    for announcement in result.site.announcements:
        print("  " + stage_report(announcement, result.day))


def _print_problem(finding, unchanged: bool) -> None:
    from .check.report import format_findings
    from .findings import Findings

    print(format_findings(Findings([finding])), file=sys.stderr)
    if unchanged:
        print("构建未完成，网站文件夹未作改动。", file=sys.stderr)


def _build(root: Path, args, started=None) -> int:
    from .check.report import counts_line
    from .pipeline import build_project

    result = build_project(root, _options(args), started)
    hold_until_end(result)
    _print_findings(result)
    output = result.output or root / "output"
    shown = (output.relative_to(root).as_posix() if output.is_relative_to(root) else str(output)) + "/"
    if not result.written:
        print(f"构建未完成：发现错误，{shown} 保持原样未改动。{counts_line(result.findings, args.strict)}")
        return EXIT_DATA
    weights = "；".join(f"{page} 压缩后连同样式和脚本共 {size / 1024:.1f} KB"
                        for page, size in sorted(result.page_weights.items()))
    if os.path.islink(output):
        shown += f"（即链接指向的 {result.published}）"
    print(f"构建完成：生成 {result.pages_written} 个页面（共 {result.files_written} 个文件）到 {shown}，"
          f"{len(result.findings.warnings)} 个警告，用时 {result.seconds:.2f} 秒。")
    if weights:
        print(f"页面大小：{weights}。")
    _print_stages(result)
    return EXIT_OK
