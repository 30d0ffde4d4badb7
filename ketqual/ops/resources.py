"""Where KetQual's bundled resources (codebooks, demo corpus, icons) are.

They live in ``ketqual/resources/`` as package data, so a source checkout, a plain wheel
install and the frozen installer bundle all find them beside the code.
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """The resources folder (override with ``KETQUAL_RESOURCES`` for unusual installs)."""
    override = os.environ.get("KETQUAL_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "resources"


def default_codebook_path() -> Path:
    """The study's default codebook."""
    return resources_dir() / "codebooks" / "ketamine-framework.json"


def demo_dir() -> Path:
    """The demo corpus."""
    return resources_dir() / "demo"
