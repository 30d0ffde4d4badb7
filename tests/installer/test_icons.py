"""The icon files the installers and the window use: present, complete, readable."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QImage, QImageReader

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "ketqual" / "resources" / "icons"
# Loaded from its file: installer/ is a folder of build scripts, not an importable package
# (and PyPI has an unrelated package called "installer").
_spec = importlib.util.spec_from_file_location("make_icons", ROOT / "installer" / "make_icons.py")
make_icons = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_icons)


@pytest.fixture(scope="module")
def qt_app():
    return QGuiApplication.instance() or QGuiApplication(["test"])


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_committed_pngs_have_their_size(qt_app, size):
    image = QImage(str(ICONS / f"ketqual-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    # Not an empty canvas: the centre (the two coders' overlap) is painted white.
    assert image.pixelColor(size // 2, size // 2).name() == "#ffffff"


def test_ico_holds_every_size_as_png_entries():
    data = (ICONS / "ketqual.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sides = []
    for index in range(count):
        width, _h, _c, _r, _p, _b, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sides.append(width or 256)
    assert sides == sorted(make_icons.ICO_SIZES)


def test_icns_chunks_add_up_and_qt_reads_it(qt_app):
    data = (ICONS / "ketqual.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    position, kinds = 8, []
    while position < len(data):
        kind, length = (
            data[position : position + 4],
            struct.unpack_from(">I", data, position + 4)[0],
        )
        assert data[position + 8 : position + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.append(kind)
        position += length
    assert position == len(data)
    assert kinds == [kind for kind, _size in make_icons.ICNS_CHUNKS]
    assert QImageReader(str(ICONS / "ketqual.icns")).canRead()


def test_generator_writes_the_same_set(qt_app, tmp_path):
    written = make_icons.write_all(tmp_path)
    assert sorted(path.name for path in written) == sorted(
        path.name for path in ICONS.iterdir() if path.suffix in {".png", ".ico", ".icns", ".svg"}
    )
    svg = (tmp_path / "ketqual.svg").read_text(encoding="utf-8")
    assert "#332288" in svg and "<title>KetQual</title>" in svg
