"""The passage of a disagreement as one coder coded it, with some text either side.

Each coder gets one pane; the same stretch of text is shown in both so the eye can go
straight across. The disputed passage has a thin frame colour behind it; each coding is
tinted with its code's colour and listed underneath with its memo.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from ketqual.core.records import CodeRecord, CodingRecord

CONTEXT_LINES = 3  # whole lines shown either side of the passage ...
CONTEXT_MAX = 700  # ... but never more than this many characters either side


def context_window(
    text: str, start: int, end: int, lines: int = CONTEXT_LINES, limit: int = CONTEXT_MAX
) -> tuple[int, int]:
    """Where the shown text starts and ends: up to ``lines`` whole lines either side of
    the passage, cut at a space when a side would pass ``limit`` characters."""
    lo = start
    for _ in range(lines + 1):  # +1: first back to the start of the passage's own line
        if lo <= 0:
            break
        found = text.rfind("\n", 0, lo - 1 if lo > 0 and text[lo - 1] == "\n" else lo)
        lo = found + 1 if found != -1 else 0
    if start - lo > limit:
        space = text.find(" ", start - limit, start)
        lo = space + 1 if space != -1 else start - limit
    hi = end
    for _ in range(lines + 1):
        if hi >= len(text):
            break
        found = text.find("\n", hi + 1 if text[hi : hi + 1] == "\n" else hi)
        hi = found if found != -1 else len(text)
    if hi - end > limit:
        space = text.rfind(" ", end, end + limit)
        hi = space if space != -1 else end + limit
    return lo, hi


def tint(colour: str, share: float = 0.35) -> str:
    """``colour`` mixed with white (``share`` of the colour), for a background."""
    value = colour.lstrip("#")
    if len(value) != 6:
        return "#eeeeee"
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(255 - (255 - c) * share) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _segments(lo: int, hi: int, cuts: Sequence[int]) -> list[tuple[int, int]]:
    points = sorted({lo, hi, *[c for c in cuts if lo < c < hi]})
    return list(zip(points, points[1:], strict=False))


def passage_html(
    text: str,
    start: int,
    end: int,
    codings: Sequence[CodingRecord],
    codes: dict[int, CodeRecord],
    label_of,
) -> str:
    """Rich text of the passage ``[start, end)`` with ``codings`` tinted, and a legend."""
    lo, hi = context_window(text, start, end)
    cuts = [start, end] + [c.start for c in codings] + [c.end for c in codings]
    parts = ["<p style='line-height:130%'>"]
    if lo > 0:
        parts.append("<span style='color:#777'>… </span>")
    for a, b in _segments(lo, hi, cuts):
        chunk = escape(text[a:b]).replace("\n", "<br>")
        covering = [c for c in codings if c.start <= a and b <= c.end]
        inside = start <= a and b <= end
        style = []
        if covering:
            code = codes.get(covering[-1].code_id)
            style.append(f"background-color:{tint(code.colour if code else '#999999')}")
            if len(covering) > 1:
                style.append("text-decoration:underline")
        elif inside:
            style.append("background-color:#e4e4e4;font-weight:600")
        if not inside:
            style.append("color:#666")
        parts.append(f"<span style='{';'.join(style)}'>{chunk}</span>" if style else chunk)
    if hi < len(text):
        parts.append("<span style='color:#777'> …</span>")
    parts.append("</p>")
    if codings:
        parts.append("<table cellspacing='2' cellpadding='2'>")
        for coding in sorted(codings, key=lambda c: (c.start, c.end)):
            code = codes.get(coding.code_id)
            colour = code.colour if code else "#999999"
            memo = f"<br><i>{escape(coding.memo)}</i>" if coding.memo.strip() else ""
            parts.append(
                f"<tr><td style='background-color:{colour}'>&nbsp;&nbsp;</td>"
                f"<td><b>{escape(label_of(coding.code_id))}</b> "
                f"<span style='color:#666'>({coding.start}–{coding.end})</span>{memo}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p style='color:#666'><i>Not coded here.</i></p>")
    return "".join(parts)


def side_title(side: str, name: str) -> str:
    """A pane's title: the side of the review and the coder on it ("Coder A: Hana"), the
    name once when it is the side's name already (the demo's "Coder A")."""
    return side if name.casefold() == side.casefold() else f"{side}: {name}"


class PassagePane(QWidget):
    """One coder's reading of the passage."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(f"<b>{escape(title)}</b>")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.browser)

    def set_title(self, title: str) -> None:
        """Name the coder whose reading this pane shows."""
        self.title.setText(f"<b>{escape(title)}</b>")
        self.browser.setAccessibleName(title)

    def show_html(self, html: str) -> None:
        """Show a passage."""
        self.browser.setHtml(html)
