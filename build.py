#!/usr/bin/env python3
"""`python build.py [build|check|serve|…] [选项]`: the same as the `gongshi` command.

Kept so that a checkout works without installing the package; see `python build.py --help`.
"""

from gongshi.launcher import run

if __name__ == "__main__":
    run()
