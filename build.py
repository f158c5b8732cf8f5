#!/usr/bin/env python3
"""Entry point: `python build.py [build|check|serve] [选项]`. See `python build.py --help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gongshi.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
