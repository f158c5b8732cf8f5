"""`gongshi new SLUG` starts the next announcement from the last one's settings, without its
lists, and writes only new files: it never overwrites, never edits site.yaml, and leaves
nothing behind when it fails. What it leaves to fill in cannot be published (J015)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from conftest import run_cli

from gongshi.staff import new as new_module

NEW = "2020-mofan"


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_writes_only_new_files_from_the_newest_announcement(project):
    before = digests(project)
    result = run_cli("new", NEW, project=project)
    assert result.code == 0, result.output
    assert "已从“2019-shili”开始新的公告“2020-mofan”" in result.stdout
    after = digests(project)
    assert {name: after[name] for name in before} == before  # nothing that existed changed
    assert set(after) - set(before) == {
        f"data/{NEW}/announcement.yaml", f"data/{NEW}/categories.yaml", f"data/{NEW}/units.yaml",
        f"data/{NEW}/rules.yaml", f"content/{NEW}/notice.md", f"content/{NEW}/gongshi.md"}
    for name in ("categories.yaml", "units.yaml", "rules.yaml"):  # the settings, as they were
        assert after[f"data/{NEW}/{name}"] == before[f"data/2019-shili/{name}"]
    assert [p.name for p in (project / "data" / NEW).iterdir() if p.is_dir()] == ["recipients"]
    assert list((project / "data" / NEW / "recipients").iterdir()) == []  # without its lists
    settings = yaml.safe_load((project / "data" / NEW / "announcement.yaml").read_text(encoding="utf-8"))
    assert settings["contacts"] == {"people": ["示例联系人甲"], "phone": "010-00000000", "email": "shili@example.com"}
    assert "gongshi" not in settings and settings["sample"] is True
    assert f"  - {NEW}" not in (project / "data/site.yaml").read_text(encoding="utf-8")


def test_new_from_a_chosen_announcement(project):
    result = run_cli("new", NEW, "--from", "2018-mofan", project=project)
    assert result.code == 0, result.output
    assert (project / "data" / NEW / "units.yaml").read_bytes() == (project / "data/2018-mofan/units.yaml").read_bytes()
    notice = (project / "content" / NEW / "notice.md").read_text(encoding="utf-8")
    assert "addressees: \"各县市区总工会、市各产业工会、市属各基层工会\"" in notice
    gongshi = (project / "content" / NEW / "gongshi.md").read_text(encoding="utf-8")
    assert "以单位名义反映的，须加盖单位公章" in gongshi  # the standing objection wording


def test_new_never_overwrites(project):
    (project / "content" / NEW).mkdir()
    before = digests(project)
    result = run_cli("new", NEW, project=project)
    assert result.code == 1
    assert "错误 J022：content/2020-mofan/ 已经存在，没有写入任何文件" in result.stdout
    assert digests(project) == before and not (project / "data" / NEW).exists()


def test_new_refuses_a_bad_folder_name(project):
    for slug in ("2020_mofan", "Mofan", "search"):
        result = run_cli("new", slug, project=project)
        assert result.code == 2 and "错误 J020" in result.stdout, slug
    result = run_cli("new", NEW, "--from", "1999-none", project=project)
    assert result.code == 1 and "错误 J021" in result.stdout
    assert not (project / "data" / NEW).exists() and not (project / "content" / NEW).exists()


def test_a_failed_write_leaves_nothing_behind(project, monkeypatch):
    calls = []
    real_open = open

    def failing_open(path, mode="r", *args, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(new_module, "open", failing_open, raising=False)
    before = digests(project)
    result = run_cli("new", NEW, project=project)
    assert result.code == 1 and "错误 J023：写入新公告的文件失败，已删除本次新建的文件" in result.stdout
    assert len(calls) == 3
    assert digests(project) == before
    assert not (project / "data" / NEW).exists() and not (project / "content" / NEW).exists()


def test_the_new_announcement_is_published_only_once_filled_in(project):
    assert run_cli("new", NEW, "--from", "2018-mofan", project=project).code == 0
    unlisted = run_cli("check", project=project)
    assert unlisted.code == 0 and "警告 L019：公告文件夹 data/2020-mofan/ 没有列在" in unlisted.stdout
    site = project / "data/site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + f"  - {NEW}\n", encoding="utf-8")
    listed = run_cli("build", "--today", "2020-03-02", project=project)
    assert listed.code == 1 and not (project / "output").exists()
    flagged = [line for line in listed.stdout.splitlines() if "错误 J015" in line]
    assert len(flagged) == 4, listed.stdout  # 简称; the notice's title, date and text
    settings = project / "data" / NEW / "announcement.yaml"
    settings.write_text("\n".join(
        "short_title: 2020年度焦作市模范职工之家等评选表彰" if line.startswith("short_title:") else line
        for line in settings.read_text(encoding="utf-8").splitlines()) + "\n", encoding="utf-8")
    notice = project / "content" / NEW / "notice.md"
    text = notice.read_text(encoding="utf-8").splitlines()
    filled = {"title:": "title: 关于评选表彰2020年度焦作市模范职工之家等的通知", "date:": "date: 2020-03-02"}
    text = [next((v for k, v in filled.items() if line.startswith(k)), line) for line in text]
    text = [("根据工作安排，现将有关事项通知如下。" if line.startswith("【请填写") else line) for line in text]
    notice.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = run_cli("build", "--today", "2020-03-02", project=project)
    assert result.code == 0, result.output
    output = project / "output"
    assert sorted(p.relative_to(output / NEW).as_posix() for p in (output / NEW).glob("*/index.html")) == [
        "notice/index.html", "units/index.html"]
    assert "2020年度焦作市模范职工之家等评选表彰" in (output / "index.html").read_text(encoding="utf-8")
