"""Starting the command line safely: the `gongshi` command, `python -m gongshi` and build.py.

Everything here uses the standard library only, so that a Python without the project's
packages (the system Python, a venv not yet set up) gets one Chinese line saying how to set
up instead of an English `ModuleNotFoundError` traceback.
"""

from __future__ import annotations

import gc
import importlib.util
import sys

from .process import end_process

# import name -> the package to install; the build cannot start without any of these.
REQUIRED = {
    "jinja2": "Jinja2",
    "markdown": "Markdown",
    "yaml": "PyYAML",
    "livereload": "livereload",
    "pydantic": "pydantic",
    "chinese_calendar": "chinesecalendar",
    "openpyxl": "openpyxl",
    "filelock": "filelock",
    "nh3": "nh3",
    "opencc": "opencc",
    "python_calamine": "python-calamine",
    "numpy": "numpy",
    "msgspec": "msgspec",
}

EXIT_SETUP = 2
SETUP_HINT = ("请先安装：在项目目录中运行 python -m pip install .（Windows 上为 py -m pip install .），"
              "或在 Linux 上运行 bash scripts/setup.sh，然后重试。")


def missing_packages() -> list[str]:
    """The packages of REQUIRED that this Python cannot import."""
    return [package for module, package in REQUIRED.items()
            if importlib.util.find_spec(module) is None]


def setup_message(missing: list[str]) -> str:
    return f"无法运行 gongshi：缺少所需的软件包 {'、'.join(missing)}。{SETUP_HINT}"


def run() -> None:
    """Entry point of the `gongshi` command: check the packages, then run the CLI."""
    if sys.version_info < (3, 11):
        print("无法运行 gongshi：需要 Python 3.11 或更新的版本，当前为 "
              f"{sys.version_info.major}.{sys.version_info.minor}。请安装新版 Python 后重试。",
              file=sys.stderr)
        sys.exit(EXIT_SETUP)
    missing = missing_packages()
    if missing:
        print(setup_message(missing), file=sys.stderr)
        sys.exit(EXIT_SETUP)
    # Importing makes tens of thousands of objects that live as long as the process, and
    # almost no garbage; Python's cycle collector would scan them again and again (some 90
    # times, 5% of a small build). What was imported is set aside for good (gc.freeze), so
    # no collection scans it. The collector then stays paused: a command runs once and the
    # process ends, and at its end the collector would scan everything the build made (0.3 s
    # at 100,000 names) to free nothing that matters. `serve`, which runs for hours, collects
    # on its own when idle (serve.IdleCollector).
    gc.disable()
    from .cli import main

    gc.freeze()
    end_process(main())
