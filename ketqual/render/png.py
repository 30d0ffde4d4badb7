"""A fast PNG encoder for rendered figures (Qt's own PNG writer takes half a second).

A 300-dpi figure is some 7 million pixels, mostly white; without PNG's per-row filters
zlib at level 3 packs them smaller than Qt's default in a tenth of the time. The file
records its resolution (``pHYs``), so it opens at its printed size.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
from PySide6.QtGui import QImage

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode(image: QImage, dpi: int) -> bytes:
    """The image as PNG bytes (8-bit RGB) with its resolution set to ``dpi``."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    pixels = np.frombuffer(rgb.constBits(), np.uint8, count=stride * height)
    rows = np.zeros((height, 1 + width * 3), dtype=np.uint8)  # filter byte 0: none
    rows[:, 1:] = pixels.reshape(height, stride)[:, : width * 3]
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"tEXt", b"Software\x00KetQual"),
            _chunk(b"IDAT", zlib.compress(rows.tobytes(), 3)),
            _chunk(b"IEND", b""),
        )
    )
