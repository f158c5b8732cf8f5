"""How long a staff member waits after saving one recipient, until the open browser page shows
it: `gongshi serve` in its own process, Chromium (Playwright) on the recipient's unit page.

    .venv/bin/python scripts/serve_latency.py                      # the bundled project
    .venv/bin/python scripts/serve_latency.py --names 10000 --units 200
    .venv/bin/python scripts/serve_latency.py --project <folder>    # a copy of it is used

Each run appends a mark to the first recipient's 工作单位及职务 in its list file (written as an
editor saves it) and measures, from the moment the file is written, until the page shows the
mark: the preview seeing the save (poll and settle), the rebuild, the reload message, and the
browser loading the page again. "Shown" is the frame the browser is about to paint when the
reloaded page's text first holds the mark (a script checks before every frame and notes the
moment); "seen by the test" is when Playwright's wait for that text returns, later by however
long it takes to look again in the new page (tens of milliseconds: it is not the staff
member's wait, and earlier figures were of it). The rebuild's own time is what serve prints
("用时 … 秒"). Measured, never asserted; needs Chromium and Playwright (scripts/test.sh).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("data", "content", "templates", "static")

# Run in every page the test opens: before each frame, until the page's text holds the mark
# the test set (sessionStorage survives the reload), note the moment (ms since the epoch).
SHOWN_SCRIPT = """(() => {
  const look = () => {
    const mark = sessionStorage.getItem("gongshiMark");
    if (mark && document.body && document.body.innerText.includes(mark)) {
      sessionStorage.setItem("gongshiShown:" + mark, String(performance.timeOrigin + performance.now()));
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_titled(project: Path) -> tuple[Path, str, str]:
    """The first list file with a recipient who has a title; the unit page URL path of that
    recipient; the exact title line."""
    slug = yaml.safe_load((project / "data" / "site.yaml").read_text("utf-8"))["announcements"][0]
    folder = project / "data" / slug
    units = {u["name"]: u["id"] for u in yaml.safe_load((folder / "units.yaml").read_text("utf-8"))["units"]}
    for path in sorted((folder / "recipients").glob("*.yaml")):
        text = path.read_text("utf-8")
        line = re.search(r"(?m)^[ \t-]*title: .*$", text)
        if line is None:
            continue
        first = next(r for r in yaml.safe_load(text)["recipients"] if r.get("title"))
        return path, f"{slug}/units/{units[first['unit']]}/", line.group(0)
    raise SystemExit("serve_latency.py: no recipient with a title (工作单位及职务) in the project")


def main() -> int:
    parser = argparse.ArgumentParser(description="测量预览：保存一处改动到浏览器显示的时间")
    parser.add_argument("--project", type=Path, help="项目文件夹（复制后使用，不改动原文件）；默认附带的项目")
    parser.add_argument("--names", type=int, help="改用 benchmark.py 生成的 N 个名字的项目")
    parser.add_argument("--units", type=int, help="与 --names 一起用：单位数")
    parser.add_argument("--runs", type=int, default=5, help="测量次数，默认 5")
    parser.add_argument("--today", default="2018-11-07", help="生成日期（名单须在公示期内），默认 2018-11-07")
    parser.add_argument("--chromium", default=os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        if args.names:
            sys.path.insert(0, str(ROOT / "scripts"))
            from benchmark import write_project
            write_project(project, args.names, args.units or max(15, min(1000, args.names // 100)))
        else:
            for part in PARTS:
                shutil.copytree((args.project or ROOT) / part, project / part)
        listed, page_path, title_line = first_titled(project)
        port = free_port()
        day = dt.datetime.combine(dt.date.fromisoformat(args.today), dt.time(12), dt.UTC)
        env = os.environ | {"PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": str(int(day.timestamp()))}
        log = Path(tmp) / "serve.log"
        with open(log, "wb") as out:
            server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project), "serve",
                                       "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        url = f"http://127.0.0.1:{port}/{page_path}"
        try:
            deadline = time.monotonic() + 600
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"serve did not start:\n{log.read_text('utf-8', 'replace')}")
                    time.sleep(0.1)
            time.sleep(1.5)  # past livereload's own reload when the server starts
            waits: list[float] = []
            shown: list[float] = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium)
                page = browser.new_page()
                page.add_init_script(SHOWN_SCRIPT)
                connected: list[str] = []
                page.on("websocket", lambda ws: ws.on("framesent", lambda frame: connected.append(str(frame))))
                page.goto(url)
                page.wait_for_function("() => true")
                while not any('"info"' in frame for frame in connected):
                    page.wait_for_timeout(20)
                page.wait_for_timeout(300)
                text = listed.read_text("utf-8")
                for run in range(args.runs):
                    mark = f"改{run}号"
                    page.evaluate("mark => sessionStorage.setItem('gongshiMark', mark)", mark)
                    page.wait_for_timeout(500)
                    started, saved = time.perf_counter(), time.time()
                    listed.write_text(text.replace(title_line, title_line + mark, 1), "utf-8")
                    page.wait_for_function(f"() => document.body && document.body.innerText.includes({mark!r})",
                                           timeout=120_000, polling=5)
                    waits.append(time.perf_counter() - started)
                    page.wait_for_function(f"() => sessionStorage.getItem('gongshiShown:' + {mark!r})")
                    shown.append(float(page.evaluate(f"sessionStorage.getItem('gongshiShown:' + {mark!r})"))
                                 / 1000 - saved)
                browser.close()
                listed.write_text(text, "utf-8")
        finally:
            if server.poll() is None:
                os.killpg(server.pid, 15)
                server.wait(10)
        rebuilds = [float(s) for s in re.findall(r"用时 ([0-9.]+) 秒", log.read_text("utf-8", "replace"))]
    size = f"{args.names} 个名字" if args.names else "附带的数据"
    print(f"规模：{size}；页面 /{page_path}；{args.runs} 次，负载 {os.getloadavg()[0]:.1f}")
    print("  保存到浏览器显示（秒）：" + "、".join(f"{w:.3f}" for w in shown) + f"；中位数 {statistics.median(shown):.3f}")
    print("  测试程序察觉（秒，含 Playwright 在新页面中重新查看的延迟）：" + "、".join(f"{w:.3f}" for w in waits)
          + f"；中位数 {statistics.median(waits):.3f}")
    if len(rebuilds) > 1:
        later = rebuilds[1:]  # the first is the start-up build
        print("  其中重建（serve 所报，秒）：" + "、".join(f"{r:.2f}" for r in later) + f"；中位数 {statistics.median(later):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
