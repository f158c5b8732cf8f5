#!/usr/bin/env bash
# One command from a fresh Debian machine (as root) to the whole test suite:
# Debian packages (Chromium, a CJK font, nginx), .venv with the test packages, then pytest.
# Extra arguments go to pytest, e.g. bash scripts/test.sh -k quota
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(chromium fonts-noto-cjk nginx-light)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "需要安装 Debian 软件包：${missing[*]}。请以 root 运行，或先执行 sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
