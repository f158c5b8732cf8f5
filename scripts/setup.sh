#!/usr/bin/env bash
# Create .venv, install the pinned packages, then gongshi itself (editable, so the `gongshi`
# command runs this checkout). Idempotent: safe to run again.
# Usage: bash scripts/setup.sh [requirements file]   (default: requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
requirements="${1:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi

# pip's own output only when it fails (this machine's index settings make it chatty).
pip_install() {
  local log
  log="$(mktemp)"
  if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" >"$log" 2>&1; then
    grep -v "^WARNING: Location" "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

pip_install -r "$requirements"
# compat: a plain path in a .pth file. The default editable finder imports pathlib, re, urllib
# and more at every start of Python (10 ms; the build starts two or three).
pip_install --no-deps -e . --config-settings editable_mode=compat
# Bytecode for gongshi's own modules now, as pip writes it for an installed package: where
# PYTHONDONTWRITEBYTECODE is set (many container images), Python never writes it itself and
# every command would compile the source again (0.07 s of a 500-name build). A file edited
# later is compiled again in memory (Python compares its time with the bytecode's).
.venv/bin/python -m compileall -q gongshi
