#!/usr/bin/env bash
# Set up KetQual on a fresh Debian/Ubuntu machine: system packages (when missing) and a
# virtual environment in .venv with KetQual and its development tools.
# Usage: scripts/setup.sh [app|test]   (app adds what a real window needs)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

# Libraries Qt needs even offscreen, a font, PostgreSQL for the server-backend tests, and
# binutils (strip, objdump) for the installer bundle test.
packages=(python3 python3-venv python3-dev ca-certificates libgl1 libegl1 libx11-6 libdbus-1-3
          libfontconfig1 fonts-dejavu-core libglib2.0-0 libxkbcommon0 postgresql binutils)
if [ "$purpose" = app ]; then
  # What Qt's xcb platform plugin needs for a real window (also under Xvfb).
  packages+=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
             libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)
fi

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
# A python3 that is not Debian's (pyenv, a distro build) may already bring venv.
if python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  kept=()
  for p in "${missing[@]}"; do [[ "$p" == python3* ]] || kept+=("$p"); done
  missing=("${kept[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Reinstall only when the dependency list changed (keeps re-runs to a second or two).
stamp=.venv/.ketqual-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev,installer]'
  touch "$stamp"
fi
