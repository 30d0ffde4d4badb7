#!/usr/bin/env bash
# Build KetQual.app and a .dmg on macOS (UNTESTED: written without a Mac).
# Needs Python 3.11 with KetQual and its extras: pip install '.[installer,postgres]'
#   installer/macos/build.sh
# The spec wraps the one-folder bundle into dist/KetQual.app (Info.plist declares the
# .ketqual document type and the org.ketqual.project UTI); this script smoke-tests the app
# and makes dist/ketqual-VERSION-macos-ARCH.dmg with hdiutil. The app is not signed or
# notarised: first start is right-click › Open (see installer/README.md).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
python=${PYTHON:-python3}
dist=${KETQUAL_DIST_DIR:-$here/dist}
build=${KETQUAL_BUILD_DIR:-$here/build}
version=$("$python" -c 'import sys; sys.path.insert(0, sys.argv[1]); import ketqual; print(ketqual.__version__)' "$root")

"$python" -m PyInstaller --noconfirm --log-level WARN --workpath "$build" --distpath "$dist" "$here/ketqual.spec"
app=$dist/KetQual.app
# The command line: a link to the app's executable, started by the name ketqual-cli.
ln -sf ketqual "$app/Contents/MacOS/ketqual-cli"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
"$app/Contents/MacOS/ketqual-cli" demo "$tmp/demo.ketqual"
"$app/Contents/MacOS/ketqual-cli" network "$tmp/demo.ketqual" -o "$tmp/network.pdf"
"$app/Contents/MacOS/ketqual-cli" matrix "$tmp/demo.ketqual" -o "$tmp/matrix.xlsx"
"$app/Contents/MacOS/ketqual" --smoke "$tmp/demo.ketqual"
for f in demo.ketqual network.pdf matrix.xlsx; do
  [ "$(stat -f %z "$tmp/$f")" -gt 5000 ] || { echo "$f is too small" >&2; exit 1; }
done

# The disk image: the app and a link to /Applications to drag it onto.
stage=$tmp/dmg
mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
cp "$dist/ketqual/THIRD-PARTY-LICENSES.txt" "$stage/" 2>/dev/null || true
dmg=$dist/ketqual-$version-macos-$(uname -m).dmg
rm -f "$dmg"
hdiutil create -volname "KetQual $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
echo "disk image: $dmg"
