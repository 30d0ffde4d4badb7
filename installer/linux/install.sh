#!/bin/sh
# Install KetQual for this user (no root needed): the program into
# ~/.local/share/ketqual, `ketqual` and `ketqual-cli` into ~/.local/bin, and a menu entry,
# icon and .ketqual file association into ~/.local/share.
#   ./install.sh              install (or update)
#   ./install.sh --uninstall  remove all of it (your projects are not touched)
# XDG_DATA_HOME and KETQUAL_BIN_DIR move the targets.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=${KETQUAL_BIN_DIR:-$HOME/.local/bin}
prefix=$data/ketqual
sizes="16 32 48 64 128 256 512"

refresh() {
    # Desktops read these caches; a missing tool only means a slower first lookup.
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" >/dev/null 2>&1 || true
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" >/dev/null 2>&1 || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$prefix"
    rm -f "$bin/ketqual" "$bin/ketqual-cli" "$data/applications/ketqual.desktop" \
          "$data/mime/packages/ketqual.xml" "$data/icons/hicolor/scalable/apps/ketqual.svg" \
          "$data/icons/hicolor/scalable/mimetypes/application-x-ketqual.svg"
    for size in $sizes; do
        rm -f "$data/icons/hicolor/${size}x${size}/apps/ketqual.png" \
              "$data/icons/hicolor/${size}x${size}/mimetypes/application-x-ketqual.png"
    done
    refresh
    echo "KetQual removed."
    exit 0
fi

# The program: copied whole, replacing an older version.
rm -rf "$prefix.new"
mkdir -p "$prefix.new" "$bin"
cp -a "$here/ketqual" "$here/_internal" "$prefix.new/"
ln -s ketqual "$prefix.new/ketqual-cli"
cp "$here/THIRD-PARTY-LICENSES.txt" "$prefix.new/" 2>/dev/null || true
rm -rf "$prefix"
mv "$prefix.new" "$prefix"
ln -sf "$prefix/ketqual" "$bin/ketqual"
ln -sf "$prefix/ketqual" "$bin/ketqual-cli"

# Menu entry (pointing at the installed program), icons, and the file type.
mkdir -p "$data/applications" "$data/mime/packages" \
         "$data/icons/hicolor/scalable/apps" "$data/icons/hicolor/scalable/mimetypes"
sed -e "s|^Exec=ketqual|Exec=\"$prefix/ketqual\"|" -e "s|^TryExec=ketqual|TryExec=$prefix/ketqual|" \
    "$here/share/ketqual.desktop" > "$data/applications/ketqual.desktop"
cp "$here/share/ketqual-mime.xml" "$data/mime/packages/ketqual.xml"
cp "$here/share/icons/ketqual.svg" "$data/icons/hicolor/scalable/apps/ketqual.svg"
cp "$here/share/icons/ketqual.svg" "$data/icons/hicolor/scalable/mimetypes/application-x-ketqual.svg"
for size in $sizes; do
    for kind in apps mimetypes; do
        mkdir -p "$data/icons/hicolor/${size}x${size}/$kind"
    done
    cp "$here/share/icons/ketqual-$size.png" "$data/icons/hicolor/${size}x${size}/apps/ketqual.png"
    cp "$here/share/icons/ketqual-$size.png" \
       "$data/icons/hicolor/${size}x${size}/mimetypes/application-x-ketqual.png"
done
refresh
# Make KetQual the default for .ketqual files if the desktop offers a way to say so.
command -v xdg-mime >/dev/null 2>&1 && xdg-mime default ketqual.desktop application/x-ketqual 2>/dev/null || true

echo "KetQual installed in $prefix"
echo "Start it from the applications menu, by opening a .ketqual file, or with: $bin/ketqual"
case ":$PATH:" in *":$bin:"*) ;; *) echo "(add $bin to PATH to type ketqual / ketqual-cli in a terminal)";; esac
