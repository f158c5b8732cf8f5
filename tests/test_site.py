"""End to end: build the bundled project in a temporary folder and read the pages."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXED_DAY, REPO, run_cli


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(output: Path):
    return sorted(output.rglob("*.html"))


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_expected_pages_exist(built_site):
    expected = ["index.html", "404.html", "2018-mofan/index.html", "2018-mofan/notice/index.html",
                "2018-mofan/gongshi/index.html", "2018-mofan/units/index.html"]
    for name in expected:
        assert (built_site / name).is_file(), name
    unit_pages = sorted(p.parent.name for p in (built_site / "2018-mofan/units").glob("*/index.html"))
    assert len(unit_pages) == 15 and "qinyang" in unit_pages and "qita" in unit_pages


def test_every_page_has_a_title_one_h1_and_the_sample_banner(built_site):
    for page in html_pages(built_site):
        doc = soup(page)
        assert doc.html["lang"] == "zh-CN", page
        assert doc.title and doc.title.get_text(strip=True), page
        assert len(doc.find_all("h1")) == 1, page
        banner = doc.select_one(".sample-banner")
        assert banner is not None and "示例数据" in banner.get_text(), page


def test_gongshi_page_has_period_and_contacts_above_and_below_the_lists(built_site):
    doc = soup(built_site / "2018-mofan/gongshi/index.html")
    article = doc.select_one("article.gongshi")
    blocks = article.select("section.objection:not([hidden])")  # the closed text waits, hidden
    assert len(blocks) == 2
    first_list = article.select_one("section.category")
    last_list = article.select("section.category")[-1]
    assert blocks[0].find_next("section", class_="category") is first_list
    assert blocks[1].find_previous("section", class_="category") is last_list
    for block in blocks:
        assert "公示时间：2018年11月5日至9日" in block.get_text()
        assert block.select_one('a[href="tel:+86-391-3999921"]').get_text() == "0391-3999921"
        assert block.select_one('a[href="mailto:jzmgb@126.com"]').get_text() == "jzmgb@126.com"
        assert "张栀琳、杨晨晖" in block.get_text()
        assert "市总民主管理指导部" in block.get_text()


def test_gongshi_lists_every_recipient_grouped_by_category_then_unit(built_site):
    doc = soup(built_site / "2018-mofan/gongshi/index.html")
    sections = doc.select("section.category")
    assert [s["id"] for s in sections] == ["home", "small_home", "worker", "activist", "friend",
                                           "red_home", "red_small_home", "worker_star", "friend_star"]
    home = sections[0]
    assert home.h2.get_text() == "焦作市模范职工之家（38个）"
    # One table per category (its columns line up throughout); each 推荐单位 a <tbody> headed by it.
    assert [len(s.select("table")) for s in sections] == [1] * 9
    units = [h.a.get_text() for h in home.select("tbody > tr.group-row h3.group-heading")]
    assert units[:3] == ["沁阳市", "孟州市", "温县"] and units[-1] == "其它"
    assert len(home.select("tbody.unit-group")) == len(units)
    numbers = [int(td.get_text()) for td in home.select("td.col-number")]
    assert numbers == list(range(1, 39))
    assert home.select_one("thead").get_text(" ", strip=True) == "序号 单位名称 异议"
    worker = sections[2]
    assert worker.select_one("thead").get_text(" ", strip=True) == "序号 姓名 工作单位及职务 异议"
    total_rows = sum(len(s.select("tbody tr[data-search]")) for s in sections)
    assert total_rows == 38 + 74 + 96 + 145 + 96 + 9 + 19 + 9 + 9


def test_unit_page_shows_quotas_shared_quotas_and_places_used(built_site):
    doc = soup(built_site / "2018-mofan/units/qinyang/index.html")
    assert doc.h1.get_text() == "沁阳市"
    rows = {tr.th.get_text(): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in doc.select("table.unit-quotas tbody tr")}
    assert rows["焦作市模范职工之家"][:2] == ["3个", "3个"]
    red = rows["焦作市模范职工之家红旗单位"]
    assert red[0] == "3个（共用）"
    assert "孟州市" in red[2] and "中站区" in red[2] and "共用3个" in red[2]
    assert "沁阳市" not in red[2]
    listed = [s.h3.get_text() for s in doc.select("section.category")]
    assert "焦作市模范职工之家（3个）" in listed
    assert "tel:+86-391-3999921" in str(doc.select_one(".compact-contact"))


def test_unit_page_of_a_unit_with_own_red_quota(built_site):
    doc = soup(built_site / "2018-mofan/units/shizhi/index.html")
    rows = {tr.th.get_text(): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in doc.select("table.unit-quotas tbody tr")}
    assert rows["焦作市模范职工之家红旗单位"][0] == "3个"
    assert "共用" not in rows["焦作市模范职工之家红旗单位"][0]


def internal_values(project_root) -> set[str]:
    """Every value of an internal field in the bundled data, as text."""
    import yaml
    values = set()
    for path in (project_root / "data/2018-mofan/recipients").glob("*.yaml"):
        for record in yaml.safe_load(path.read_text(encoding="utf-8"))["recipients"]:
            for key in ("membership_rate", "ballot_approval", "satisfaction", "group_secondary_share",
                        "applicant", "cadre_level"):
                if record.get(key) is not None:
                    values.add(str(record[key]))
            for honour in record.get("prior_honours") or []:
                values.add(honour["title"])
    return values


def test_internal_fields_reach_no_published_file(built_site):
    from conftest import REPO
    public_words = (REPO / "content/2018-mofan/notice.md").read_text(encoding="utf-8") + \
        (REPO / "data/2018-mofan/categories.yaml").read_text(encoding="utf-8")
    # Values that are also public words (category names, phrases of the notice) prove nothing.
    secrets = {v for v in internal_values(REPO) if v not in public_words}
    assert len(secrets) > 50
    for path in built_site.rglob("*"):
        if not path.is_file() or path.suffix == ".xlsx":
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for field in ("non_public", "cadre_level", "membership_rate", "ballot_approval",
                      "prior_honours", "applicant", "mega_group", "group_secondary_share"):
            assert field not in text, (path, field)
        words = [v for v in secrets if not v.replace(".", "").isdigit() and v in text]
        numbers = [v for v in secrets if v.replace(".", "").isdigit() and f">{v}<" in text]
        assert words == [] and numbers == [], (path, words[:3], numbers[:3])


def test_templates_cannot_reach_internal_fields(project):
    unit = project / "templates/unit.html"
    unit.write_text(unit.read_text(encoding="utf-8").replace(
        "<h1>{{ unit.name }}</h1>", "<h1>{{ unit.name }}{{ announcement.recipients[0].facts }}</h1>"),
        encoding="utf-8")
    result = run_cli("check", project=project)
    assert result.code == 1
    assert "V002" in result.stdout and "templates/unit.html" in result.stdout


def test_build_reports_the_table_flaw_and_a_summary(project):
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 0, result.output
    assert "警告 T001" in result.stdout
    assert "“模范职工小家（个）”一列：各单位名额之和为 78，但合计行写的是 80" in result.stdout
    assert "构建完成：生成 22 个页面" in result.stdout and "1 个警告" in result.stdout
    assert "秒" in result.stdout


def test_strict_turns_the_table_flaw_into_an_error(project):
    result = run_cli("build", "--strict", project=project)
    assert result.code == 1
    assert "错误 T001" in result.stdout
    assert not (project / "output").exists()


def test_release_refuses_sample_data_and_leaves_output_untouched(project):
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    before = tree_digest(project / "output")
    result = run_cli("build", "--release", project=project)
    assert result.code == 1
    assert "R001" in result.stdout and "示例数据" in result.stdout
    assert tree_digest(project / "output") == before


def test_two_builds_are_byte_identical(project, tmp_path):
    for name in ("one", "two"):
        result = run_cli("build", "--today", FIXED_DAY, "--output", str(tmp_path / name), project=project)
        assert result.code == 0, result.output
    first, second = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert first == second and len(first) > 20


def test_failed_build_leaves_previous_output_untouched(project):
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    before = tree_digest(project / "output")
    units = project / "data/2018-mofan/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("{home: 3,", "{home: 1,", 1),
                     encoding="utf-8")
    result = run_cli("build", project=project)
    assert result.code == 1
    assert "Q001" in result.stdout and "沁阳市 的“焦作市模范职工之家”名额为 1 个" in result.stdout
    assert "output/ 保持原样" in result.stdout
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".gongshi-build-*"))


def test_links_carry_the_base_path_when_served_under_a_sub_path(project):
    result = run_cli("build", "--base-url", "https://portal.example/gh/2018/", project=project)
    assert result.code == 0, result.output
    for page in html_pages(project / "output"):
        doc = soup(page)
        for tag in doc.find_all(["a", "link"]):
            href = tag.get("href", "")
            if href.startswith(("tel:", "mailto:", "#", "http", "data:")):
                continue
            assert href.startswith("/gh/2018/"), (page, href)


def test_404_page_links_are_absolute(built_site):
    doc = soup(built_site / "404.html")
    hrefs = [a["href"] for a in doc.select("main a")]
    assert hrefs and all(h.startswith("/") for h in hrefs)


def test_data_is_text_never_html(project):
    path = project / "data/2018-mofan/recipients/worker.yaml"
    text = path.read_text(encoding="utf-8")
    first_title = next(line for line in text.splitlines() if line.startswith("    title:"))
    text = text.replace(first_title, '    title: "<script>alert(1)</script>某公司\\"主席\\" **加粗**"', 1)
    path.write_text(text, encoding="utf-8")
    assert run_cli("build", project=project).code == 0
    html = (project / "output/2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;某公司&#34;主席&#34; **加粗**" in html


def test_two_builds_at_once_both_finish_and_output_is_whole(project):
    command = [sys.executable, str(REPO / "build.py"), "--project", str(project), "build",
               "--today", FIXED_DAY]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    assert len(html_pages(project / "output")) == 22
    assert not list(project.glob(".gongshi-build-*")) and not list(project.glob(".gongshi-old-*"))


@pytest.mark.parametrize("args, code, text", [
    (["--help"], 0, "用法：gongshi"),
    (["build", "--help"], 0, "检查数据并生成网站"),
    (["frobnicate"], 2, "无效的选择“frobnicate”"),
    (["check", "--format", "xml"], 2, "参数 --format：无效的选择"),
    (["build", "--today", "2018-02-30"], 2, "不是日期"),
    (["serve", "--port", "70000"], 2, "不是端口号"),
])
def test_command_line_speaks_chinese_and_exit_codes(project, args, code, text):
    result = run_cli(*args, project=project)
    assert result.code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output


def test_check_writes_nothing_and_reports_json(project):
    result = run_cli("check", "--format", "json", project=project)
    assert result.code == 0
    import json
    payload = json.loads(result.stdout)
    assert payload["warnings"] == 1 and payload["findings"][0]["code"] == "T001"
    assert payload["findings"][0]["file"] == "data/2018-mofan/categories.yaml"
    assert not (project / "output").exists()


def test_not_a_project_is_a_usage_error(tmp_path):
    result = run_cli("build", project=tmp_path)
    assert result.code == 2 and "不是 gongshi 项目目录" in result.stderr


def make_official(project):
    """The bundled project with its sample flags removed (as staff do before publishing)."""
    for path in (project / "data").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("sample: true\n", "")
        path.write_text(text, encoding="utf-8")


def test_lists_leave_search_engines_after_the_period_when_asked(project):
    make_official(project)
    announcement = project / "data/2018-mofan/announcement.yaml"
    announcement.write_text(announcement.read_text(encoding="utf-8").replace(
        "  end: 2018-11-09\n", "  end: 2018-11-09\n  noindex_after_end: true\n"), encoding="utf-8")
    assert run_cli("build", "--release", "--today", "2018-11-08", project=project).code == 0
    robots_meta = 'name="robots" content="noindex"'
    assert robots_meta not in (project / "output/2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    assert run_cli("build", "--release", "--today", "2018-11-10", project=project).code == 0
    assert robots_meta in (project / "output/2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    assert robots_meta in (project / "output/2018-mofan/units/qinyang/index.html").read_text(encoding="utf-8")
    assert robots_meta not in (project / "output/2018-mofan/notice/index.html").read_text(encoding="utf-8")
    robots = (project / "output/robots.txt").read_text()
    assert "Disallow: /2018-mofan/gongshi/" in robots and "Disallow: /2018-mofan/notice/" not in robots
    assert "示例数据" not in (project / "output/index.html").read_text(encoding="utf-8")


def test_postal_address_is_listed_only_when_supplied(project, built_site):
    assert "信函地址" not in (built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    announcement = project / "data/2018-mofan/announcement.yaml"
    announcement.write_text(announcement.read_text(encoding="utf-8").replace(
        "  email: jzmgb@126.com\n", "  email: jzmgb@126.com\n  address: 示例路1号\n  postcode: '454000'\n"),
        encoding="utf-8")
    assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
    html = (project / "output/2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
    assert "信函地址" in html and "示例路1号（邮政编码 454000）" in html


def test_announcement_folder_names_are_checked(project):
    site = project / "data/site.yaml"
    for slug, code in (("x/../../outside", "S012"), ("search", "L016")):
        site.write_text(f"name: 站\nowner: 主办\nannouncements:\n  - {slug}\n", encoding="utf-8")
        result = run_cli("build", project=project)
        assert result.code == 1 and code in result.stdout, result.output
    assert not (project.parent / "outside").exists()


def test_blank_names_and_posts_are_refused(project):
    path = project / "data/2018-mofan/recipients/worker.yaml"
    text = path.read_text(encoding="utf-8")
    first_title = next(line for line in text.splitlines() if line.startswith("    title:"))
    text = text.replace(first_title, '    title: " "', 1).replace("  - name: ", '  - name: "\u3000"\n    unit: 沁阳市\n    title: 某职务\n  - name: ', 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", project=project)
    assert result.code == 1
    assert "S011" in result.stdout and "L010" in result.stdout


def test_bad_source_date_epoch_falls_back_to_today(project):
    result = run_cli("check", project=project, env={"SOURCE_DATE_EPOCH": "99999999999999"})
    assert result.code == 0 and "Traceback" not in result.output


def test_project_option_without_a_value_is_a_usage_error():
    result = run_cli("--project")
    assert result.code == 2 and "参数 --project：需要一个值" in result.stderr
