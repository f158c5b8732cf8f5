"""Publication order on the built pages: 姓氏笔画 within each 推荐单位, ties and gaps reported."""

from bs4 import BeautifulSoup
from conftest import FIXED_DAY, run_cli
from support.strokes import sort_names


def names_in(html: str, category_id: str) -> list[list[str]]:
    doc = BeautifulSoup(html, "html.parser")
    section = doc.select_one(f"section#{category_id}")
    return [[n.get_text() for n in group.select(".name")] for group in section.select(".unit-group")]


def gongshi(project) -> str:
    return (project / "output/2018-mofan/gongshi/index.html").read_text(encoding="utf-8")


def append_people(project, category, people):
    units = project / "data/2018-mofan/units.yaml"  # room for the extra people in 市直
    units.write_text(units.read_text(encoding="utf-8").replace("activist: 70,", "activist: 80,"),
                     encoding="utf-8")
    path = project / f"data/2018-mofan/recipients/{category}.yaml"
    text = path.read_text(encoding="utf-8")
    for name, unit in people:
        text += f"  - name: {name}\n    unit: {unit}\n    title: 焦作市示例测试有限公司工会干事\n    cadre_level: 基层工会干部\n"
    path.write_text(text, encoding="utf-8")


def test_each_unit_group_is_in_surname_stroke_order(built_site):
    html = (built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    groups = names_in(html, "worker")
    assert len(groups) == 15
    for names in groups:
        assert names == sort_names(names, "surname")
    assert "（按姓氏笔画排序）" in html and "（按单位名称笔画排序）" in html


def test_single_given_names_come_first_and_ties_are_reported(project):
    append_people(project, "activist", [("丁小强", "市直"), ("丁宁", "市直"), ("田甲", "市直"), ("由甲", "市直")])
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    shizhi = names_in(gongshi(project), "activist")[13]
    assert shizhi.index("丁宁") < shizhi.index("丁小强")
    assert shizhi.index("田甲") < shizhi.index("由甲")  # input order kept for the tie
    assert "警告 O001" in result.stdout and "田甲" in result.stdout and "由甲" in result.stdout


def test_character_without_stroke_data_warns_and_blocks_release(project):
    append_people(project, "activist", [("李䶶", "市直")])
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0
    assert "警告 O002" in result.stdout and "“䶶”" in result.stdout and "data/strokes.yaml" in result.stdout
    strict = run_cli("build", "--strict", "--today", FIXED_DAY, project=project)
    assert strict.code == 1
    release = run_cli("check", "--release", project=project)
    assert release.code == 1 and "错误 O002" in release.stdout


def test_order_and_grouping_are_settings(project):
    categories = project / "data/2018-mofan/categories.yaml"
    text = categories.read_text(encoding="utf-8").replace(
        "    action: 命名\n    total: 150\n", "    action: 命名\n    total: 150\n    order: 原顺序\n")
    categories.write_text(text, encoding="utf-8")
    announcement = project / "data/2018-mofan/announcement.yaml"
    announcement.write_text(announcement.read_text(encoding="utf-8") + "group_by_unit: false\n",
                            encoding="utf-8")
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    html = gongshi(project)
    doc = BeautifulSoup(html, "html.parser")
    activist = doc.select_one("section#activist")
    assert "（排名不分先后）" in activist.get_text()
    assert not activist.select("h3.unit-heading")
    assert "推荐单位" in activist.select_one("thead").get_text()
    source = (project / "data/2018-mofan/recipients/activist.yaml").read_text(encoding="utf-8")
    given = [line.split(": ", 1)[1] for line in source.splitlines() if line.startswith("  - name: ")]
    assert [n.get_text() for n in activist.select(".name")] == given
