#!/usr/bin/env bash
# Build KetQual's Linux bundle, smoke-test it, and pack the tarball.
#
#   installer/build.sh                  build into installer/build and installer/dist
#   installer/build.sh --smoke-only     test an existing dist/ketqual again, no rebuild
#
# Environment:
#   PYTHON               the Python with KetQual and the `installer` extra (default: .venv)
#   KETQUAL_BUILD_DIR    PyInstaller's work folder (default: installer/build)
#   KETQUAL_DIST_DIR     where dist/ketqual and the tarball go (default: installer/dist)
#   KETQUAL_SMOKE_RUNS   how many timed `ketqual --smoke` starts to make (default: 3)
#
# The smoke test runs the frozen programs offscreen: build the demo project, write its
# agreement report as JSON (orjson), export the network and a matrix, exchange it through
# REFI-QDA, draw a votes figure, write a crosstab, make a key file, open the app on the demo.
# Any non-zero exit fails the build, and so does any line on stderr that is not on the
# allow-list below.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${PYTHON:-$root/.venv/bin/python}
build=${KETQUAL_BUILD_DIR:-$here/build}
dist=${KETQUAL_DIST_DIR:-$here/dist}
runs=${KETQUAL_SMOKE_RUNS:-3}
bundle=$dist/ketqual

# Known harmless stderr lines (grep -E patterns), each with its reason.
allowed=(
  # Qt's offscreen platform cannot pass size hints to a window manager (there is none).
  '^This plugin does not support propagateSizeHints\(\)$'
)

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'build.sh: FAILED: %s\n' "$*" >&2; exit 1; }

version=$("$python" -c 'import sys; sys.path.insert(0, sys.argv[1]); import ketqual; print(ketqual.__version__)' "$root")

if [ "${1:-}" != "--smoke-only" ]; then
  "$python" -m PyInstaller --version >/dev/null 2>&1 \
    || fail "PyInstaller is missing: $python -m pip install '.[installer]'"
  say "building KetQual $version with PyInstaller $("$python" -m PyInstaller --version)"
  mkdir -p "$build" "$dist"
  started=$(date +%s)
  if ! "$python" -m PyInstaller --noconfirm --log-level WARN --workpath "$build" \
      --distpath "$dist" "$here/ketqual.spec" >"$build/pyinstaller.log" 2>&1; then
    tail -40 "$build/pyinstaller.log" >&2
    fail "PyInstaller (log: $build/pyinstaller.log)"
  fi
  echo "built in $(( $(date +%s) - started )) s"
fi
[ -x "$bundle/ketqual" ] && [ -x "$bundle/ketqual-cli" ] || fail "no bundle in $bundle"

# ----- smoke test --------------------------------------------------------------------------
say "smoke test"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
# The frozen programs must not touch this machine's KetQual settings.
export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
unset KETQUAL_RESOURCES KETQUAL_SMOKE

# run NAME COMMAND...: run it, fail on a non-zero exit or on stderr outside the allow-list.
run() {
  local name=$1; shift
  local err=$tmp/$name.err
  local status=0
  "$@" >"$tmp/$name.out" 2>"$err" || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$tmp/$name.out" "$err" >&2
    fail "$name exited with status $status ($*)"
  fi
  local unexpected
  unexpected=$(grep -v -E "$(IFS='|'; echo "${allowed[*]}")" "$err" || true)
  if [ -n "$unexpected" ]; then
    printf '%s\n' "$unexpected" >&2
    fail "$name wrote unexpected lines to stderr ($*)"
  fi
  echo "ok: $name"
}

# check FILE MIN_BYTES MAGIC: the file exists, is at least that big and starts as expected.
check() {
  local size
  [ -f "$1" ] || fail "$1 was not written"
  size=$(stat -c %s "$1")
  [ "$size" -ge "$2" ] || fail "$1 is only $size bytes"
  [ "$(head -c ${#3} "$1")" = "$3" ] || fail "$1 does not start with $3"
  echo "ok: $(basename "$1") ($size bytes)"
}

run version "$bundle/ketqual-cli" --version
grep -qx "KetQual $version" "$tmp/version.out" || fail "ketqual-cli --version: $(cat "$tmp/version.out")"
run help "$bundle/ketqual-cli"
grep -q "usage: ketqual" "$tmp/help.out" || fail "ketqual-cli without arguments printed no help"
run demo "$bundle/ketqual-cli" demo "$tmp/demo.ketqual"
check "$tmp/demo.ketqual" 100000 "SQLite format 3"
run info "$bundle/ketqual-cli" info "$tmp/demo.ketqual"
# The JSON report's tables are encoded by orjson, a compiled module the bundle must hold.
run agreement "$bundle/ketqual-cli" agreement "$tmp/demo.ketqual" --replicates 20 \
  -o "$tmp/agreement.json"
check "$tmp/agreement.json" 100000 '{"format":"ketqual-agreement"'
run network "$bundle/ketqual-cli" network "$tmp/demo.ketqual" -o "$tmp/network.pdf"
check "$tmp/network.pdf" 5000 "%PDF"
run network-svg "$bundle/ketqual-cli" network "$tmp/demo.ketqual" -o "$tmp/network.svg"
check "$tmp/network.svg" 5000 "<?xml"
run matrix "$bundle/ketqual-cli" matrix "$tmp/demo.ketqual" -o "$tmp/matrix.xlsx"
check "$tmp/matrix.xlsx" 5000 "PK"
# The REFI-QDA exchange both ways (zip and XML through defusedxml), a votes figure, a
# crosstab and a key file (the privacy verbs' encryption).
run export-qdpx "$bundle/ketqual-cli" export-qdpx "$tmp/demo.ketqual" -o "$tmp/demo.qdpx"
check "$tmp/demo.qdpx" 50000 "PK"
run import-qdpx "$bundle/ketqual-cli" import-qdpx "$tmp/demo.qdpx" -o "$tmp/exchanged.ketqual"
check "$tmp/exchanged.ketqual" 100000 "SQLite format 3"
run votes-figure "$bundle/ketqual-cli" votes figure "$tmp/demo.ketqual" 1 2 -o "$tmp/votes.svg"
check "$tmp/votes.svg" 5000 "<?xml"
run crosstab "$bundle/ketqual-cli" crosstab "$tmp/demo.ketqual" --columns session \
  --format xlsx -o "$tmp/crosstab.xlsx"
check "$tmp/crosstab.xlsx" 3000 "PK"
export KETQUAL_SMOKE_KEY_PASSPHRASE="smoke test passphrase, not a secret"
run key "$bundle/ketqual-cli" key "$tmp/exchanged.ketqual" new \
  --key-passphrase-env KETQUAL_SMOKE_KEY_PASSPHRASE "$tmp/exchanged.kqkey"
check "$tmp/exchanged.kqkey" 100 "KETQUALKEY"
[ -s "$bundle/_internal/ketqual/resources/third-party-licenses.json" ] || fail "licence list missing"
[ -s "$bundle/THIRD-PARTY-LICENSES.txt" ] || fail "THIRD-PARTY-LICENSES.txt missing"

# The app: the first start after a build is the cold one.
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  run "app-smoke-$i" "$bundle/ketqual" --smoke "$tmp/demo.ketqual"
  times+=("$(( ($(date +%s%N) - start) / 1000000 ))")
done
[ -s "$tmp/app-smoke-1.out" ] && fail "ketqual --smoke printed: $(cat "$tmp/app-smoke-1.out")"
# A project that cannot be opened must fail the smoke run, not hang on a dialog.
if timeout 60 "$bundle/ketqual" --smoke "$tmp/missing.ketqual" >/dev/null 2>&1; then
  fail "ketqual --smoke accepted a missing project"
fi
echo "ok: a missing project fails the smoke run"

size_mb=$(du -sm "$bundle" | cut -f1)
# Optional components bundled because the build environment has them (team server, coder
# packages); the size target is for KetQual itself.
optional=$(cd "$bundle/_internal" && ls -d cryptography* psycopg* keyring* jaraco* \
  secretstorage* jeepney* cffi* _cffi_backend* 2>/dev/null || true)
optional_mb=0
[ -z "$optional" ] || optional_mb=$(cd "$bundle/_internal" && du -smc $optional | tail -1 | cut -f1)
echo "start to window painted (--smoke, demo open), ms: ${times[*]} (first after the build)"
echo "bundle: ${size_mb} MB unpacked, of which ${optional_mb} MB optional components" \
  "(${optional//$'\n'/ }) ($bundle)"

# ----- tarball -----------------------------------------------------------------------------
if [ "${1:-}" != "--smoke-only" ]; then
  say "packing"
  name=ketqual-$version-linux-$(uname -m)
  stage=$dist/stage/$name
  rm -rf "$dist/stage"
  mkdir -p "$stage/share/icons"
  cp -a "$bundle/." "$stage/"
  cp "$here/linux/install.sh" "$stage/"
  cp "$here/linux/ketqual.desktop" "$here/linux/ketqual-mime.xml" "$stage/share/"
  cp "$root"/ketqual/resources/icons/ketqual.svg "$root"/ketqual/resources/icons/ketqual-*.png "$stage/share/icons/"
  cat >"$stage/README.txt" <<EOF
KetQual $version for Linux (x86-64)

Run it where it is:    ./ketqual            (the app)
                       ./ketqual-cli --help (the command line)
Install for this user: ./install.sh         (menu entry, icon, .ketqual files open in KetQual)
Remove again:          ./install.sh --uninstall

Licences of the bundled components: THIRD-PARTY-LICENSES.txt
EOF
  tarball=$dist/$name.tar.gz
  tar -C "$dist/stage" -czf "$tarball.part" "$name"
  mv "$tarball.part" "$tarball"
  rm -rf "$dist/stage"
  echo "tarball: $tarball ($(du -m "$tarball" | cut -f1) MB)"
fi

# One line for scripts and the bundle test to read.
echo "RESULT ok size_mb=$size_mb optional_mb=$optional_mb start_ms=$(IFS=,; echo "${times[*]}")"
