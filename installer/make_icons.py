"""Draw KetQual's icon and write it in every format the platforms want.

The icon: a rounded square in the study's indigo with two overlapping discs, two coders'
readings of the same passage, their overlap (the agreement) in white. Drawn with Qt so
there is no binary art to maintain; run it again after changing the drawing:

    python installer/make_icons.py [OUTPUT_DIR]      (default: ketqual/resources/icons)

Writes ketqual.svg, ketqual-{16..512}.png, ketqual.ico (PNG entries) and ketqual.icns
(PNG chunks). The ICO and ICNS containers are written here rather than through Qt's image
plugins because those write one image per file, and the platforms want every size.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath
from PySide6.QtSvg import QSvgGenerator

# Paul Tol's "muted" scheme, the palette of the study's codebook.
INDIGO = QColor("#332288")
TEAL = QColor("#44AA99")
ROSE = QColor("#CC6677")
OVERLAP = QColor("#FFFFFF")

PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS chunk types holding PNG data, with their pixel sizes (Apple's icns format).
ICNS_CHUNKS = (
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic13", 256),
    (b"ic08", 256),
    (b"ic14", 512),
    (b"ic09", 512),
    (b"ic10", 1024),
)


def paint(painter: QPainter, size: float) -> None:
    """Paint the icon into a ``size`` x ``size`` square at the origin."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    # A small margin, as icon themes expect, and a corner radius that reads at 16 px.
    margin = size * 0.04
    square = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.setBrush(INDIGO)
    painter.drawRoundedRect(square, size * 0.2, size * 0.2)

    radius = size * 0.25
    left = _disc(QPointF(size * 0.385, size * 0.5), radius)
    right = _disc(QPointF(size * 0.615, size * 0.5), radius)
    painter.setBrush(TEAL)
    painter.drawPath(left)
    painter.setBrush(ROSE)
    painter.drawPath(right)
    painter.setBrush(OVERLAP)
    painter.drawPath(left.intersected(right))


def _disc(centre: QPointF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(centre, radius, radius)
    return path


def render_png(size: int) -> bytes:
    """The icon as PNG bytes at ``size`` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    paint(painter, size)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows ICO container with one PNG entry per size (Vista and later read these)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        # A width or height of 256 is written as 0, by the format's definition.
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """A macOS ICNS container: 'icns', total length, then (type, length, PNG) chunks."""
    body = b"".join(kind + struct.pack(">I", 8 + len(blob)) + blob for kind, blob in chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_svg(path: Path, size: int = 256) -> None:
    """The icon as SVG, painted through QSvgGenerator so it matches the PNGs."""
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(size, size))
    generator.setViewBox(QRectF(0, 0, size, size))
    generator.setTitle("KetQual")
    generator.setDescription("KetQual application icon")
    painter = QPainter(generator)
    paint(painter, size)
    painter.end()


def write_all(out: Path) -> list[Path]:
    """Write every icon file into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    cache: dict[int, bytes] = {}

    def png(size: int) -> bytes:
        if size not in cache:
            cache[size] = render_png(size)
        return cache[size]

    written = []
    for size in PNG_SIZES:
        path = out / f"ketqual-{size}.png"
        path.write_bytes(png(size))
        written.append(path)
    ico = out / "ketqual.ico"
    ico.write_bytes(ico_bytes({size: png(size) for size in ICO_SIZES}))
    icns = out / "ketqual.icns"
    icns.write_bytes(icns_bytes([(kind, png(size)) for kind, size in ICNS_CHUNKS]))
    svg = out / "ketqual.svg"
    write_svg(svg)
    return [*written, ico, icns, svg]


def main(argv: list[str]) -> int:
    """Command-line entry: write the icons into the folder given (or resources/icons)."""
    out = (
        Path(argv[0])
        if argv
        else Path(__file__).resolve().parent.parent / "ketqual" / "resources" / "icons"
    )
    app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    assert app is not None
    for path in write_all(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
