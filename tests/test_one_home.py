"""One home for each idea (issue 15): the 间隔号, "did you mean", the O002 wording, the URL
layout and the list orders are each written in one module, and everything else uses it.

Each test would fail if a second copy crept back: the code is scanned for the idea spelled
out anywhere but its home, and the users of the one copy are checked to agree with it.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest
from conftest import FIXED_DAY, run_cli
from factories import category
from msgspec.structs import replace

from gongshi import urls
from gongshi.files.list_order import ListOrder
from gongshi.files.schema import CategoryEntry
from gongshi.findings import did_you_mean, you_meant
from gongshi.load.ordering import STROKE_MODES, order_note
from gongshi.site.search_index import normalise
from gongshi.zh.names import INTERPUNCT, INTERPUNCT_VARIANTS, normalise_name
from gongshi.zh.strokes import bare_name, missing_reports, sort_by_strokes

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "gongshi"
SCRIPTS = sorted((REPO / "static" / "js").glob("*.js"))
TEMPLATES = sorted((REPO / "templates").rglob("*.html"))


@functools.cache
def code_strings(path: Path) -> list[tuple[int, str]]:
    """The strings of a module's code (docstrings left out), with their lines; an f-string
    as its template, "{}" for each value. Parsed once per worker: several tests scan every
    module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
            found.append((node.lineno, "".join(part.value if isinstance(part, ast.Constant) else "{}"
                                               for part in node.values)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found.append((node.lineno, node.value))
    return found


def modules(*but: str) -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).as_posix() not in but]


# ---------------------------------------------------------------------------- the 间隔号


def test_the_interpunct_set_is_the_dots_staff_type_and_nothing_else():
    assert INTERPUNCT == "\u00b7" and INTERPUNCT_VARIANTS[0] == INTERPUNCT
    assert len(set(INTERPUNCT_VARIANTS)) == len(INTERPUNCT_VARIANTS)
    # what the IMEs, WPS/Word symbol tables and 繁体 sources give for the dot in a name
    assert set("\u00b7\u30fb\uff65\u2022\u2027\u2219\u22c5\u0387") <= set(INTERPUNCT_VARIANTS)
    # never a letter, digit or space: mapping one would change a name
    assert not any(ch.isalnum() or ch.isspace() for ch in INTERPUNCT_VARIANTS)


@pytest.mark.parametrize("dot", list(INTERPUNCT_VARIANTS))
def test_every_interpunct_is_one_dot_to_names_strokes_and_search(dot):
    typed = f"阿依古丽 {dot} 买买提"
    assert normalise_name(typed) == "阿依古丽·买买提"
    assert bare_name(typed) == bare_name("阿依古丽买买提") == "阿依古丽买买提"
    assert normalise(typed) == normalise("阿依古丽买买提")
    assert sort_by_strokes([typed]).missing == []


@pytest.mark.parametrize("typed", ["阿依古丽.买买提", "阿依古丽．买买提", "阿依古丽 . 买买提", "阿依古丽。买买提"])
def test_a_full_stop_between_chinese_characters_is_the_interpunct(typed):
    assert normalise_name(typed) == "阿依古丽·买买提"


@pytest.mark.parametrize("typed", ["No.1 车间", "3.5 万元", "张三.", "J.K. 罗琳", "焦作市总工会。"])
def test_a_full_stop_elsewhere_is_left_as_written(typed):
    assert normalise_name(typed) == typed


def test_no_module_or_script_spells_out_an_interpunct_of_its_own():
    escapes = re.compile("|".join(rf"\\u{ord(ch):04x}" for ch in INTERPUNCT_VARIANTS), re.IGNORECASE)
    for path in modules("zh/names.py"):
        text = path.read_text(encoding="utf-8")
        assert not escapes.search(text), path
        for line, value in code_strings(path):
            assert not (set(value) & set(INTERPUNCT_VARIANTS)), f"{path}:{line}: {value!r}"
    for path in SCRIPTS:
        text = path.read_text(encoding="utf-8")
        assert not escapes.search(text), path
        for match in re.finditer(r"\[[^\]\n]*\]", text):  # character classes
            assert not (set(match.group()) & set(INTERPUNCT_VARIANTS)), f"{path}: {match.group()}"
        assert "data-interpunct" in text, path  # where they read the set instead


def test_pages_carry_the_set_for_the_scripts(built_site):
    from bs4 import BeautifulSoup
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").html
        assert html["data-interpunct"] == INTERPUNCT_VARIANTS, page


# ---------------------------------------------------------------------------- did you mean


def test_did_you_mean_has_one_wording():
    assert you_meant("worker") == "您是否想写“worker”？" and you_meant("") == ""
    assert did_you_mean("wroker", ["worker", "activist"]) == "您是否想写“worker”？"
    assert did_you_mean("xyz", ["worker", "activist"]) == "可选：worker、activist。"
    assert did_you_mean("姓名", ["name", "unit"], "这里可用的字段", aliases={"姓名": "name"},
                        always_list=True) == "您是否想写“name”？这里可用的字段：name、unit。"
    # an alias that is not a choice here is no guess
    assert did_you_mean("姓名", ["unit"], "可填", aliases={"姓名": "name"}) == "可填：unit。"
    for path in modules("findings.py"):
        text = path.read_text(encoding="utf-8")
        assert "您是否想" not in text and "difflib" not in text, path


def test_a_misspelt_key_gets_the_shared_hint(project):
    path = project / "data/2018-mofan/recipients/activist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    title:", "    titel:", 1), encoding="utf-8")
    result = run_cli("check", project=project)
    assert result.code == 1
    assert "您是否想写“title”？这里可用的字段：" in result.stdout


# ---------------------------------------------------------------------------- O002


def test_missing_stroke_data_has_one_wording(project):
    path = project / "data/2018-mofan/recipients/activist.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - name: 李䶶\n    unit: 市直\n"
                    "    title: 焦作市示例测试有限公司工会干事\n    cadre_level: 基层工会干部\n", encoding="utf-8")
    units = project / "data/2018-mofan/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("activist: 70,", "activist: 80,"), encoding="utf-8")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    [report] = missing_reports(sort_by_strokes(["李䶶"]))
    assert report.message in result.stdout and report.hint in result.stdout
    # codes.py holds every code's short title (the README's table), not a message.
    for path in modules("zh/strokes.py", "codes.py"):
        assert "没有笔画数据" not in path.read_text(encoding="utf-8"), path


# ---------------------------------------------------------------------------- URLs


def test_urls_lay_out_the_site():
    assert urls.announcement("2018-mofan") == "2018-mofan/"
    assert urls.notice("2018-mofan") == "2018-mofan/notice/"
    assert urls.list_page("2018-mofan", "gongshi") == "2018-mofan/gongshi/"
    assert urls.list_page("2018-mofan", "decision", "worker") == "2018-mofan/decision/worker/"
    assert urls.list_page("2018-mofan", "gongshi", "worker", 2) == "2018-mofan/gongshi/worker/2/"
    assert urls.unit("2018-mofan", "qinyang") == "2018-mofan/units/qinyang/"
    assert urls.download("2018-mofan", "gongshi", "csv") == "2018-mofan/downloads/gongshi.csv"
    assert urls.search("manifest.json") == "search/manifest.json"
    assert {urls.STATIC, urls.SEARCH} <= urls.RESERVED_SLUGS


URL_PIECES = re.compile(r"(^|/|})(units|notice|gongshi|decision|downloads|search|static)/")


def test_no_module_lays_out_a_url_of_its_own():
    for path in modules("urls.py"):
        for line, value in code_strings(path):
            if re.search("[\u4e00-\u9fff]", value) or value.startswith(("data/", "content/", "gongshi/")):
                continue  # a message, or a path in the project's folders or the package
            assert not URL_PIECES.search(value), f"{path}:{line}: {value!r}"


# url()'s argument in a template: nothing (the base), a path from urls.py, or a path a page's
# context made with it (a list part's, a download's, the list's home), maybe with a fragment.
ALLOWED_URL_ARGUMENT = re.compile(r"(|paths\.\w+(\(.*\))?|[\w.]*path|list_home)( \+ '#\w+')?")


def test_templates_build_no_path_themselves():
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for call in re.findall(r"url\(([^()]*(?:\([^()]*\)[^()]*)*)\)", text):
            assert ALLOWED_URL_ARGUMENT.fullmatch(call), f"{path.name}: url({call})"
        assert not re.search(r"slug\s*\+", text), path.name


def test_every_published_file_is_where_urls_says(built_site):
    """The pages, downloads and search files of the built site are at urls.py's paths."""
    from gongshi.load.loader import load_site
    site = load_site(built_site.parent).site
    for announcement in site.announcements:
        if not (built_site / urls.announcement(announcement.slug)).is_dir():
            continue  # not published on the build day
        for unit in announcement.units:
            assert (built_site / urls.unit(announcement.slug, unit.id) / "index.html").is_file()
        assert (built_site / urls.notice(announcement.slug) / "index.html").is_file()
        assert (built_site / urls.units(announcement.slug) / "index.html").is_file()
    slug = site.announcements[0].slug
    assert (built_site / urls.list_page(slug, "gongshi") / "index.html").is_file()
    assert (built_site / urls.download(slug, "gongshi", "xlsx")).is_file()
    assert (built_site / urls.search("manifest.json")).is_file()
    assert (built_site / urls.search() / "index.html").is_file()
    for name in (urls.NOT_FOUND, urls.FEED, urls.ROBOTS, urls.CHECKSUMS):
        assert (built_site / name).is_file(), name


def test_scripts_have_no_url_rule():
    for path in SCRIPTS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"[\"'][^\"'\n]*(units/|manifest\.json|/search/)", text), path


# ---------------------------------------------------------------------------- list orders


def test_every_list_order_is_read_applied_and_worded():
    assert set(CategoryEntry.model_fields["order"].annotation.__args__) >= {ListOrder}
    for order in ListOrder:
        assert CategoryEntry(id="x", name="x", table_label="x", measure="名", subject="person",
                             action="表彰", total=1, order=order.value).order is order
        assert order_note(replace(category("x", subject="person"), order=order))
    assert set(STROKE_MODES) == {o for o in ListOrder if "笔画" in o.value}
    assert [o for o in ListOrder if o.persons_only] == [ListOrder.SURNAME_STROKES, ListOrder.NAME_STROKES]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert all(f"`{o.value}`" in readme for o in ListOrder if o is not ListOrder.SURNAME_STROKES)


def test_no_module_names_an_order_of_its_own():
    names = {o.value for o in ListOrder}
    for path in modules("files/list_order.py"):
        for line, value in code_strings(path):
            assert value not in names, f"{path}:{line}: {value!r}"
