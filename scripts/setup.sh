#!/usr/bin/env bash
# Set up KetQual on a fresh Debian/Ubuntu machine: system packages (when missing) and a
# virtual environment in .venv with KetQual and its development tools.
# Usage: scripts/setup.sh [app|test]   (app adds what a real window needs)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

# Libraries Qt needs even offscreen and a font; for the tests also PostgreSQL (server-backend
# tests) and binutils (strip, objdump) for the installer bundle test.
packages=(python3 python3-venv python3-dev ca-certificates libgl1 libegl1 libx11-6 libdbus-1-3
          libfontconfig1 fonts-dejavu-core libglib2.0-0 libxkbcommon0)
if [ "$purpose" = test ]; then
  packages+=(postgresql binutils)
fi
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
  echo "setup: these system packages are missing: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
    echo "setup: installing them needs root, so apt-get runs through sudo (it may ask for your password)"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# pip, showing what it fetches (one line a package) and errors, without the build backend's
# deprecation boxes.
pip_install() {
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install --disable-pip-version-check \
      --no-warn-script-location "$@" 2>&1 |
    while IFS= read -r line; do
      case "$line" in
        Collecting*|Successfully*) echo "  $line" ;;
        ERROR*|error:*) echo "$line" >&2 ;;
      esac
    done
  return "${PIPESTATUS[0]}"
}

# The app needs only KetQual's own dependencies; the tests add the development tools and
# the installer builder. Reinstall only when the dependency list changed (re-runs take a
# second or two).
if [ "$purpose" = test ]; then extras='[dev,installer]'; else extras=''; fi
stamp=".venv/.ketqual-installed-$purpose"
test_stamp=".venv/.ketqual-installed-test"
if [ "$purpose" = app ] && [ -f "$test_stamp" ] && [ ! pyproject.toml -nt "$test_stamp" ]; then
  exit 0  # the test set-up holds everything the app needs
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing KetQual into .venv (the first time takes a minute or two)"
  pip_install --upgrade pip
  pip_install -e ".$extras"
  touch "$stamp"
  echo "setup: done"
fi
