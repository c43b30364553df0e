#!/usr/bin/env bash
# Installs what the notices need from Debian: a CJK font and HarfBuzz's subsetting library.
# With "browser" also installs Debian's chromium for the browser journeys.
set -euo pipefail

need=()
fc-list :lang=zh family 2>/dev/null | grep -q "Noto Serif CJK SC" || need+=(fonts-noto-cjk fontconfig)
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so" || need+=(libharfbuzz-subset0)
if [ "${1:-}" = "browser" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing system packages: ${need[*]}" >&2
  echo "Install them as root:  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
