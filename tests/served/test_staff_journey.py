"""The staff path end to end, as README tells it: template → filled by a unit → import (diff,
then --write with a backup) → build → copy to the portal (nginx) → verify, then a tampered
file on the portal is named. Each step is the real `gongshi` command in its own process,
as staff run it, and what it prints is Chinese.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import openpyxl
import pytest
import yaml

from .conftest import REPO, start_nginx, stop_process_group

pytestmark = pytest.mark.nginx

FIXED_DAY = "2018-11-07"
ACTIVIST_SHEET = "焦作市优秀工会积极分子"


def gongshi(project, *args: str) -> subprocess.CompletedProcess:
    """`python -m gongshi` is the `gongshi` command (same entry point)."""
    return subprocess.run([sys.executable, "-m", "gongshi", "--project", str(project), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=180)


def no_english_sentences(text: str) -> bool:
    """What staff read is Chinese: no line made only of English words (a traceback, say)."""
    return not any(re.fullmatch(r"[A-Za-z ,.:;'()\-]{20,}", line.strip()) for line in text.splitlines())


def test_template_import_build_deploy_verify(tmp_path):
    project = tmp_path / "民主管理指导部 公示"
    for part in ("data", "content", "templates", "static"):
        shutil.copytree(REPO / part, project / part)
    recipients = project / "data/2018-mofan/recipients/activist.yaml"
    before = recipients.read_bytes()

    # 1. the template for the units
    workbook = tmp_path / "发给各单位" / "推荐汇总表.xlsx"
    made = gongshi(project, "template", "--announcement", "2018-mofan", "-o", str(workbook))
    assert made.returncode == 0, made.stdout + made.stderr
    assert no_english_sentences(made.stdout + made.stderr)

    # 2. a unit fills it in
    book = openpyxl.load_workbook(workbook)
    sheet = book[ACTIVIST_SHEET]
    sheet.append([1, "赵一", "男", "汉族", "沁阳市示例公司工会主席", "沁阳市"])
    sheet.append([2, "钱二", "女", "回族", "沁阳市示例厂工会干事", "沁阳市"])
    filled = tmp_path / "收到的汇总表" / "沁阳市 推荐汇总表.xlsx"
    filled.parent.mkdir()
    book.save(filled)

    # 3. import: first only the differences, nothing written
    preview = gongshi(project, "import", str(filled), "--announcement", "2018-mofan")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert "赵一" in preview.stdout and "--write" in preview.stdout
    assert recipients.read_bytes() == before
    assert no_english_sentences(preview.stdout + preview.stderr)

    # ... then written, with the replaced list kept in backups/
    written = gongshi(project, "import", str(filled), "--announcement", "2018-mofan", "--write")
    assert written.returncode == 0, written.stdout + written.stderr
    imported = yaml.safe_load(recipients.read_text(encoding="utf-8"))
    assert [r["name"] for r in imported["recipients"]] == ["赵一", "钱二"]
    backups = list((project / "backups").rglob("activist.yaml"))
    assert len(backups) == 1 and backups[0].read_bytes() == before

    # 4. build for the portal's sub-folder
    built = gongshi(project, "build", "--today", FIXED_DAY, "--base-url", "/gongshi/")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "构建完成" in built.stdout and no_english_sentences(built.stdout + built.stderr)

    # 5. copy to the portal and serve it
    portal = tmp_path / "portal" / "gongshi"
    shutil.copytree(project / "output", portal)
    mount, process = start_nginx(tmp_path / "nginx", portal, "/gongshi/")
    try:
        page = (portal / "2018-mofan/gongshi/index.html").read_text(encoding="utf-8")
        assert "赵一" in page and "钱二" in page

        # 6. verify what the public sees
        same = gongshi(project, "verify", mount.url())
        assert same.returncode == 0, same.stdout + same.stderr
        assert "核对通过" in same.stdout

        (portal / "2018-mofan/gongshi/index.html").write_text(page.replace("赵一", "赵壹"),
                                                               encoding="utf-8")
        changed = gongshi(project, "verify", mount.url())
        assert changed.returncode == 1
        assert "内容不同" in changed.stdout and "2018-mofan/gongshi/index.html" in changed.stdout
        assert no_english_sentences(changed.stdout + changed.stderr)
    finally:
        stop_process_group(process)
