#!/usr/bin/env bash
# Set up a fresh machine: a venv in .venv with ecopark installed.
#   bash tools/setup.sh        the tool
#   bash tools/setup.sh --dev  plus test tools, Debian's chromium (browser tests) and
#                              LibreOffice (the .doc conversion test)
#   bash tools/setup.sh --samples  plus the sample generators' tools (fonts, LibreOffice,
#                              reportlab, python-docx, pypdf): to regenerate samples/ or
#                              generate the randomised corpus (benchmarks/bench_accuracy.py)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--dev" ]; then
  APT=()
  command -v chromium >/dev/null 2>&1 || APT+=(chromium)
  command -v soffice >/dev/null 2>&1 || APT+=(libreoffice-writer-nogui)
  if [ ${#APT[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT[@]}" >/dev/null
  fi
fi

if [ "${1:-}" = "--samples" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-zenhei \
    fonts-arphic-uming fonts-noto-cjk libreoffice-writer-nogui >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -e '.[dev]'
elif [ "${1:-}" = "--samples" ]; then
  .venv/bin/python -m pip install -q -e '.[dev,samples]'
else
  .venv/bin/python -m pip install -q -e .
fi
