"""Downloads (CSV with BOM, XLSX, JSON) and the machine files (robots, feed, sitemap, sums)."""

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
from conftest import FIXED_DAY, run_cli
from openpyxl import load_workbook

DOWNLOADS = "2018-mofan/downloads/gongshi"


def page_rows(built_site):
    doc = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"),
                        "html.parser")
    rows = []
    for section in doc.select("section.category"):
        category = section.h2.get_text().split("（")[0]
        for tr in section.select("tbody tr[data-search]"):
            rows.append((category, tr.select_one("td.col-number").get_text(), tr.th.select_one(".name").get_text()
                         if tr.th.select_one(".name") else tr.th.get_text()))
    return rows


def test_csv_has_a_bom_and_the_page_rows(built_site):
    raw = (built_site / f"{DOWNLOADS}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    reader = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert reader[0] == ["类别", "序号", "姓名或单位名称", "性别", "民族", "工作单位及职务", "推荐单位"]
    assert [(r[0], r[1], r[2]) for r in reader[1:]] == page_rows(built_site)


def test_xlsx_opens_with_the_same_rows(built_site):
    book = load_workbook(built_site / f"{DOWNLOADS}.xlsx")
    sheet = book["公示名单"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "类别"
    assert [(r[0], str(r[1]), r[2]) for r in values[2:]] == page_rows(built_site)


def test_xlsx_parts_are_deflated_at_the_chosen_level(built_site):
    """Every part is compressed at xlsxfile.DEFLATE_LEVEL (5: nearly the default's size in two
    thirds of its time): the stored sizes are what zlib makes at that level."""
    import zipfile
    import zlib

    from gongshi.site.xlsxfile import DEFLATE_LEVEL

    with zipfile.ZipFile(built_site / f"{DOWNLOADS}.xlsx") as archive:
        for info in archive.infolist():
            compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
            made = compressor.compress(archive.read(info)) + compressor.flush()
            assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size == len(made), info.filename
    assert DEFLATE_LEVEL == 5


def test_json_has_the_same_public_fields_only(built_site):
    data = json.loads((built_site / f"{DOWNLOADS}.json").read_text(encoding="utf-8"))
    assert data["period"] == {"start": "2018-11-05", "end": "2018-11-09"}
    people = [p for c in data["categories"] for p in c["recipients"]]
    assert len(people) == len(page_rows(built_site))
    assert set(people[0]) == {"number", "name", "gender", "ethnicity", "title", "unit"}
    text = json.dumps(data, ensure_ascii=False)
    assert "non_public" not in text and "cadre_level" not in text and "membership" not in text


def test_downloads_are_linked_with_their_sizes(built_site):
    doc = BeautifulSoup((built_site / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8"),
                        "html.parser")
    items = doc.select(".downloads li")
    assert [i.a["href"].rsplit(".", 1)[1] for i in items] == ["xlsx", "csv", "json"]
    for item in items:
        size = len((built_site / item.a["href"].lstrip("/")).read_bytes())
        assert f"{size / 1024:.1f} KB" in item.get_text()


def test_sha256sums_lists_every_other_file(built_site):
    lines = (built_site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}
    files = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((built_site / name).read_bytes()).hexdigest() == digest


def test_sha256sums_are_in_the_order_paths_compare_in(built_site):
    """SHA256SUMS lists the files as this system's paths compare (part by part: "a/b" before
    "a-b/c", though "-" sorts before "/" as text); feeds.path_order gives that order without a
    PurePath for each file, for the site's files and for names that tell the two orders apart."""
    from pathlib import PurePath

    from gongshi.site.feeds import path_order

    lines = (built_site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = [line.split("  ", 1)[1] for line in lines]
    assert listed == sorted(listed, key=PurePath)
    tricky = listed + ["a/b", "a-b/c", "a.b/c", "a b/c", "A/b", "a/B", "公示/甲.html", "公示-续/乙.html",
                       "z", "a/b/c/d.json", "a/b/c", "a1/x", "a10/x", "a2/x"]
    assert sorted(tricky, key=path_order) == sorted(tricky, key=PurePath)


def test_sample_site_keeps_search_engines_out_and_has_a_feed(built_site):
    assert "Disallow: /" in (built_site / "robots.txt").read_text()
    feed = ET.fromstring((built_site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles[0].startswith("关于焦作市模范职工之家等拟表彰对象") and titles[1].startswith("关于评选表彰")
    assert not (built_site / "sitemap.xml").exists()  # base_url "/" has no host


def test_sitemap_with_a_full_base_url(project):
    result = run_cli("build", "--today", FIXED_DAY, "--base-url", "https://portal.example/gs/", project=project)
    assert result.code == 0
    sitemap = ET.fromstring((project / "output/sitemap.xml").read_bytes())
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://portal.example/gs/2018-mofan/gongshi/" in locs and len(locs) == 21
    assert "Sitemap: https://portal.example/gs/sitemap.xml" in (project / "output/robots.txt").read_text()


def test_summary_reports_the_page_weight(project):
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    line = next(text for text in result.stdout.splitlines() if text.startswith("页面大小"))
    kb = float(line.split("共 ")[1].split(" KB")[0])
    assert 10 < kb < 100


# --------------------------------------------------------------------------- formula injection

RISKY = ['=HYPERLINK("#","点击查看")', "+1+1", "-2+3", "@SUM(1)", "\tTab", "\r回车", "#N/A"]


def risky_lists():
    from factories import category, units

    from gongshi.load.model import PublicRecipient
    from gongshi.site.lists import CategoryList, UnitGroup

    worker = category("worker", subject="person", measure="名", name="=类别")
    (unit,) = units("-推荐单位")
    people = tuple(PublicRecipient(name, "@职务", None, "+民族", unit.id, unit.name, worker.id)
                   for name in RISKY)
    return [CategoryList(worker, len(people), (UnitGroup(unit, people, 1),))]


def test_xlsx_cells_that_look_like_formulas_stay_text():
    import datetime as dt
    import zipfile

    from gongshi.site.downloads import to_xlsx

    data = to_xlsx("=公示标题", dt.date(2018, 11, 5), risky_lists())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            part = archive.read(name)
            assert b"<f>" not in part and b"<f " not in part, name
    sheet = load_workbook(io.BytesIO(data))["公示名单"]
    assert sheet["A1"].value == "=公示标题" and sheet["A1"].data_type == "s"
    rows = list(sheet.iter_rows(min_row=3))
    assert [r[2].value for r in rows] == [n.replace("\r", "\n") for n in RISKY]  # XML reads CR as LF
    for row in rows:
        for cell in row:
            if cell.column == 2:
                assert cell.data_type == "n"
                continue
            assert cell.value is None or cell.data_type == "s", (cell.coordinate, cell.value)
            if cell.value and cell.value[0] in "=+-@\t\r":
                assert cell.quotePrefix, cell.coordinate
    assert (rows[0][0].value, rows[0][4].value, rows[0][5].value, rows[0][6].value) == \
        ("=类别", "+民族", "@职务", "-推荐单位")


def test_csv_cells_that_look_like_formulas_get_a_leading_quote():
    from gongshi.site.downloads import to_csv

    reader = list(csv.reader(io.StringIO(to_csv(risky_lists()).decode("utf-8-sig"), newline="")))
    names = [row[2] for row in reader[1:]]
    assert names == ["'" + n if n[0] in "=+-@\t\r" else n for n in RISKY]
    assert names[-1] == "#N/A"  # not a formula in a CSV
    assert reader[1][0] == "'=类别" and reader[1][4] == "'+民族" and reader[1][5] == "'@职务"
    assert reader[1][6] == "'-推荐单位" and reader[1][1] == "1"


def test_a_name_like_a_formula_is_a_warning_and_published_as_text(project):
    path = project / "data/2018-mofan/recipients/friend.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - name: 郝玉健\n", "  - name: '=HYPERLINK(\"#\",\"郝玉健\")'\n", 1), encoding="utf-8")
    check = run_cli("check", project=project)
    assert check.code == 0, check.output
    section = check.stdout.split("data/2018-mofan/recipients/friend.yaml\n", 1)[1].split("\n\n")[0]
    assert "第 9 行  警告 X003：“=HYPERLINK(\"#\",\"郝玉健\")”的 name 以 “=” 开头" in section
    assert "处理办法：请删去 name 开头的 “=”" in check.stdout
    builds = []
    for _ in range(2):
        assert run_cli("build", "--today", FIXED_DAY, project=project).code == 0
        builds.append({s: (project / f"output/{DOWNLOADS}.{s}").read_bytes() for s in ("csv", "xlsx")})
    assert builds[0] == builds[1]
    rows = list(csv.reader(io.StringIO(builds[0]["csv"].decode("utf-8-sig"))))
    assert ["'=HYPERLINK(\"#\",\"郝玉健\")"] == [r[2] for r in rows if "HYPERLINK" in r[2]]
    sheet = load_workbook(io.BytesIO(builds[0]["xlsx"]))["公示名单"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [('=HYPERLINK("#","郝玉健")', "s", True)]


def test_json_is_what_json_dumps_writes(built_site):
    """to_json writes the text itself (json's indenting encoder is slow): the same bytes."""
    data = (built_site / f"{DOWNLOADS}.json").read_bytes()
    assert data == (json.dumps(json.loads(data), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def test_shared_strings_are_escaped_at_once_as_one_by_one():
    """The shared strings are escaped in one pass over them all, joined by a private-use
    character (one that holds it is escaped by itself): the same text as each escaped alone."""
    import random

    from gongshi.site import xlsxfile

    calls = []
    real = xlsxfile._escape

    def counted(text):
        calls.append(text)
        return real(text)

    rnd = random.Random(2)
    pieces = ["a", "&", "<", ">", "_", "x", "0", "4", "_x0041_", "\x01", "\ue000", "中", " ", "\n", "F"]
    for _ in range(3000):
        texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8))) for _ in range(rnd.randint(0, 6))]
        alone = "".join(f'<si><t xml:space="preserve">{real(t)}</t></si>' if t != t.strip() or "\n" in t
                        else f"<si><t>{real(t)}</t></si>" for t in texts)
        assert xlsxfile._shared_strings(texts) == alone, texts
    try:
        xlsxfile._escape = counted
        xlsxfile._shared_strings([f"名字{i}&" for i in range(1000)])
    finally:
        xlsxfile._escape = real
    assert len(calls) == 1  # at once, not a thousand times


def test_xlsx_text_reads_back_as_written():
    """Characters XML cannot hold are written as Excel's _xHHHH_ escapes, a literal _x0041_ is
    escaped too, and markup characters are entities: a reader like Excel's gets the text back."""
    import datetime as dt

    from python_calamine import CalamineWorkbook

    from gongshi.site.xlsxfile import NORMAL, workbook

    texts = ["a\x01b", "_x0041_", " lead", "x&<>y", "=1+1", "line\nbreak", "中文"]
    data = workbook("表", [(NORMAL, [*texts, 5])], (10,) * 8, 0, 0, dt.datetime(2018, 1, 1), "gongshi",
                    frozenset("="))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("表").to_python()
    assert sheet == [[*texts, 5.0]]
