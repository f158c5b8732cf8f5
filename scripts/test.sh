#!/usr/bin/env bash
# One command from a fresh Debian machine (as root) to the whole test suite:
# Debian packages (Chromium, a CJK font, nginx, poppler-utils for reading printed PDFs, Node.js for
# comparing search.js with Python), .venv with the test packages, then in order, stopping at the
# first that fails: ruff (lint and import order), mypy (types of gongshi/), and pytest on two
# cores with coverage (serve and the other subprocesses included), which must not fall below
# COVERAGE_FLOOR.
# Extra arguments go to pytest, e.g. bash scripts/test.sh -k quota (the coverage floor then does
# not apply: part of the suite covers part of the code).
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(chromium fonts-noto-cjk nginx-light poppler-utils nodejs)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "需要安装 Debian 软件包：${missing[*]}。请以 root 运行，或先执行 sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  # Another apt (an unattended upgrade, a second run) may hold the lock: wait for it, never fail on it.
  apt_get() {
    local attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; then
        return 0
      fi
      echo "apt-get 未成功（可能是另一个安装正在进行），30 秒后重试（第 $attempt 次）……" >&2
      sleep 30
    done
    return 1
  }
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash scripts/setup.sh requirements-dev.txt

COVERAGE_FLOOR=95  # per cent of gongshi/'s lines; raise it when coverage rises
coverage=(--cov=gongshi --cov-report=term)
if [ $# -eq 0 ]; then
  coverage+=(--cov-fail-under="$COVERAGE_FLOOR")
fi

echo "== ruff check" >&2
.venv/bin/ruff check gongshi tests scripts build.py
echo "== mypy gongshi" >&2
.venv/bin/mypy gongshi
echo "== pytest" >&2
exec .venv/bin/python -m pytest -n 2 "${coverage[@]}" "$@"
