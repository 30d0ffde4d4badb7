"""The app's own command line (``ketqual gui ...``, ``ketqual --smoke``), without Qt.

Kept apart from :mod:`ketqual.gui.app` so that a mistyped option is refused before Qt
loads (``ketqual gui --help`` prints at once).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ketqual.gui.places import window_places


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Arguments of the app itself."""
    parser = argparse.ArgumentParser(prog="ketqual gui", description="Open the KetQual app.")
    parser.add_argument("project", nargs="?", help="project to open (default: the last one)")
    parser.add_argument("--document", type=int, help="document id to show")
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="paint the window once, save it to FILE.png and exit",
    )
    parser.add_argument(
        "--open",
        metavar="WINDOW",
        help=f"open a window as its menu does: {', '.join(window_places())} "
        "(with --screenshot, that window is painted)",
    )
    parser.add_argument(
        "--code",
        action="append",
        help="with --open passages: tick this code (Theme or Theme/Subtheme) and find; "
        "with --open attributes: show where this participant (P14) is named",
    )
    parser.add_argument(
        "--columns", help="with --open crosstab: the attribute whose values make the columns"
    )
    parser.add_argument("--units", action="store_true", help="show sentence units")
    parser.add_argument("--coder", help="work as this coder (default: remembered, or asked)")
    parser.add_argument(
        "--layers",
        help="with --screenshot on an unblinded project: coders whose layers to show, comma-separated",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        default=os.environ.get("KETQUAL_SMOKE") == "1",
        help="open the window (and PROJECT), paint it once and exit: 0 if all went well "
        "(also KETQUAL_SMOKE=1)",
    )
    return parser.parse_args(argv)
