#!/usr/bin/env bash
# One command from a fresh clone to a built site in output/: set up .venv, then build.
# Extra arguments go to build.py, e.g. bash scripts/build-site.sh --strict
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/python build.py build "$@"
