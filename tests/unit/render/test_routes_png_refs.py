"""Edge routes around boxes, the PNG encoder, and the workaround that keeps None alive."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage

from ketqual.render import png
from ketqual.render.network import routes

ROOT = Path(__file__).resolve().parents[3]


def box(x: float, y: float, w: float = 100, h: float = 60) -> QRectF:
    return QRectF(x, y, w, h)


def test_a_clear_edge_is_straight_from_border_to_border():
    path = routes.route(box(0, 0), box(300, 0))
    assert path is not None and not path.curved
    assert path.start.x() == pytest.approx(100 + routes.GAP, abs=0.1)
    assert path.end.x() == pytest.approx(300 - routes.GAP, abs=0.1)
    assert path.start.y() == pytest.approx(30) and path.end.y() == pytest.approx(30)


def test_an_edge_bends_around_a_box_in_its_way_towards_the_centre():
    a, b, middle = box(0, 0), box(400, 0), box(200, 0)
    path = routes.route(a, b, [middle], towards=QPointF(250, 300))
    assert path.curved
    clear = middle.adjusted(
        -routes.CLEARANCE, -routes.CLEARANCE, routes.CLEARANCE, routes.CLEARANCE
    )
    assert not any(clear.contains(p) for p in path.polyline(200))
    assert path.point(0.5).y() > 60  # bowed down, towards the point given
    assert not a.contains(path.start) and not b.contains(path.end)


def test_overlapping_boxes_have_no_visible_edge():
    assert routes.route(box(0, 0), box(50, 20)) is None


def test_part_of_a_route_lies_on_the_route():
    path = routes.Route(QPointF(0, 0), QPointF(50, 100), QPointF(100, 0))
    piece = path.part(0.2, 0.7)
    for t in (0.0, 0.3, 1.0):
        expected = path.point(0.2 + 0.5 * t)
        assert piece.point(t).x() == pytest.approx(expected.x())
        assert piece.point(t).y() == pytest.approx(expected.y())


def test_png_encoder_writes_pixels_and_resolution(qapp):
    image = QImage(5, 3, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    image.setPixelColor(1, 2, QColor("#117733"))
    data = png.encode(image, 300)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    back = QImage.fromData(data, "PNG")
    assert (back.width(), back.height()) == (5, 3)
    assert back.pixelColor(1, 2).name() == "#117733" and back.pixelColor(0, 0).name() == "#ffffff"
    assert back.dotsPerMeterX() == back.dotsPerMeterY() == round(300 / 0.0254)
    # Every chunk's checksum is right (QImage would forgive some faults).
    position = 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, kind
        position += 12 + length


@pytest.mark.parametrize("package", ["ketqual.render", "ketqual.gui"])
def test_qt_calls_without_end_do_not_free_none(package):
    # 200,000 calls of a Qt method returning nothing would take more references from None
    # than it has, and abort the interpreter, without the workaround (see render/refs.py).
    code = (
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        f"import {package}\n"
        "from PySide6.QtGui import QFont\n"
        "font = QFont()\n"
        "for _ in range(200_000):\n"
        "    font.setPixelSize(12)\n"
        "print('alive')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "alive"


def test_an_arrow_leaves_a_tall_box_from_its_edge():
    tall = QRectF(0, 0, 160, 900)  # a theme with many subthemes
    beside = QRectF(300, 700, 120, 60)
    path = routes.route(tall, beside)
    assert path is not None and not path.curved
    # Side by side: a level line between the facing sides, outside both boxes.
    assert path.start.x() == pytest.approx(160 + routes.GAP, abs=0.2)
    assert path.end.x() == pytest.approx(300 - routes.GAP, abs=0.2)
    assert path.start.y() == pytest.approx(path.end.y()) and 700 <= path.start.y() <= 760
    below = QRectF(20, 1100, 120, 60)
    down = routes.route(tall, below)
    assert down.start.y() == pytest.approx(900 + routes.GAP, abs=0.2)
    assert down.end.y() == pytest.approx(1100 - routes.GAP, abs=0.2)
    # Diagonal: from the centre, but the visible line starts where it leaves the box,
    # even though the middle of the centre-to-centre line lies inside the tall box.
    far = QRectF(400, 1000, 100, 60)
    diagonal = routes.route(tall, far)
    assert not tall.adjusted(-1, -1, 1, 1).contains(diagonal.start)
    assert not far.adjusted(-1, -1, 1, 1).contains(diagonal.end)


def test_png_strips_make_one_picture(qapp, tmp_path):
    strips = []
    for top, colour in ((0, "#117733"), (3, "#ffffff"), (6, "#332288")):
        image = QImage(4, 3 if top < 6 else 1, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        strips.append(image)
    path = tmp_path / "s.png"
    with path.open("wb") as out:
        png.write_strips(out, 4, 7, 150, strips)
    back = QImage(str(path))
    assert (back.width(), back.height()) == (4, 7)
    assert [back.pixelColor(0, y).name() for y in (0, 3, 6)] == ["#117733", "#ffffff", "#332288"]
    with path.open("wb") as out, pytest.raises(ValueError, match="rows"):
        png.write_strips(out, 4, 9, 150, strips)
