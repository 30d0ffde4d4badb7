"""Drawing the theme-overlap network with Qt's painter, for the app and for exports.

One set of painting routines (:mod:`ketqual.render.network.painting`) draws boxes, edges, title
and legend; the app's scene items call them one by one and the SVG, PDF and PNG exports
(:mod:`ketqual.render.network.export`) call them for the whole figure. Only QtCore, QtGui and
QtSvg are used (no widgets), so exports run headless. This package never touches the
project: it draws the plain figure description that operations hand it.
"""

from __future__ import annotations

import os
import sys

from ketqual.render.refs import make_none_immortal

# Painting calls Qt thousands of times; see refs.py for why None needs protecting first.
make_none_immortal()

_APP = None  # the headless application exports create; kept so Qt does not lose it


def ensure_app():
    """A Qt GUI application for fonts and painting: the running one, or a headless one.

    On Linux without a display the offscreen platform is used, so the command line can
    draw on a server.
    """
    global _APP
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is not None:
        return app
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _APP = QGuiApplication([])
    return _APP
