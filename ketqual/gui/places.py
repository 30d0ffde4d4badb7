"""The places ``ketqual gui --open NAME`` and the Getting started guide's links open.

Plain data without Qt, so ``ketqual gui --help`` can list the windows before Qt loads; the
main window opens them (:class:`~ketqual.gui.tool_windows.ToolWindows`).
"""

from __future__ import annotations

# ``ketqual gui --open NAME`` and the guide's links: the method that opens each place, and
# the attribute holding the window it opens (None for actions without a window of their own).
PLACES: dict[str, tuple[str, str | None]] = {
    "guide": ("open_guide", "guide"),
    "agreement": ("open_agreement", "agreement"),
    "consensus": ("open_consensus", "consensus"),
    "network": ("open_network", "network"),
    "framework": ("open_charting", "charting"),
    "passages": ("open_passages", "passages"),
    "crosstab": ("open_crosstab", "crosstab"),
    "attributes": ("open_attributes", "attributes"),
    "votes": ("open_votes", "votes_window"),
    "privacy": ("open_privacy", "privacy"),
    "import": ("import_dialog", None),
    "unblind": ("unblind_from_guide", None),
    "return_package": ("return_package_from_guide", None),
    "exchange": ("export_exchange_from_guide", None),
    "code": ("focus_coding", None),
    "new": ("new_project_dialog", None),
    "open": ("open_project_dialog", None),
}


def window_places() -> list[str]:
    """The places that are windows (what ``--open`` with ``--screenshot`` can paint)."""
    return [name for name, (_method, attribute) in PLACES.items() if attribute is not None]
