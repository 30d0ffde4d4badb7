"""What a votes figure shows, as plain data: the drawing layer (``ketqual.render.votes``) only
lays it out and paints it.

Two kinds, both in the style of a journal figure:

* a **bar chart** of one question: one horizontal bar per option in option order, the
  option's text (wrapped) beside its bar, the count (and percentage) at the bar's end, and
  a caption that says what n counts (respondents who answered, respondents present, or
  selections) and how many did not answer;
* a **stacked bar** per one-answer question (yes/no/unsure above all): each bar is 100 %
  of its n, split into its options (and "No answer" when n is the respondents present),
  with a legend, so several questions can be compared at a glance.

Colours come from Paul Tol's colour-blind-safe scheme (:mod:`ketqual.core.palette`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ketqual.core import palette
from ketqual.core.votes import DENOMINATOR_TEXT, QuestionSummary, percent_text

STYLES = ("auto", "bars", "stacked")
BAR_COLOUR = palette.THEME_COLOURS[1]  # indigo: dark enough for print, safe for colour vision
# Yes / No / Unsure: indigo, rose, pale grey; other options cycle through the palette.
STACK_COLOURS = (
    palette.THEME_COLOURS[1],
    palette.THEME_COLOURS[0],
    palette.THEME_COLOURS[9],
    palette.THEME_COLOURS[6],
    palette.THEME_COLOURS[2],
    palette.THEME_COLOURS[5],
    palette.THEME_COLOURS[4],
    palette.THEME_COLOURS[7],
)
NO_ANSWER_COLOUR = "#FFFFFF"
NO_ANSWER = "No answer"


@dataclass(frozen=True)
class Bar:
    """One option's bar: ``share`` of the axis (0-1) and the text at its end."""

    label: str
    count: int
    share: float
    value_text: str


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart of one question."""

    title: str
    bars: tuple[Bar, ...]
    colour: str
    axis_label: str
    axis_max: int
    ticks: tuple[int, ...]
    caption: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """A part of a stacked bar: ``share`` of the bar (0-1)."""

    label: str
    count: int
    share: float
    text: str
    colour: str


@dataclass(frozen=True)
class StackedRow:
    """One question's stacked bar."""

    label: str
    segments: tuple[Segment, ...]
    n_text: str


@dataclass(frozen=True)
class StackedChart:
    """Stacked bars of one or more one-answer questions."""

    title: str
    rows: tuple[StackedRow, ...]
    legend: tuple[tuple[str, str], ...]  # (label, colour)
    caption: tuple[str, ...]


VoteFigure = BarChart | StackedChart


def nice_ticks(maximum: int, most: int = 6) -> tuple[int, ...]:
    """Axis ticks from 0 in steps of 1, 2, 5, 10, 20, 25, 50 ... covering ``maximum``.

    >>> nice_ticks(31)
    (0, 10, 20, 30, 40)
    """
    maximum = max(maximum, 1)
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            if math.ceil(maximum / step) <= most - 1:
                top = math.ceil(maximum / step) * step
                return tuple(range(0, top + 1, step))
        magnitude *= 10


def _value_text(count: int, percent: float | None) -> str:
    return f"{count} ({percent_text(percent)})" if percent is not None else str(count)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def bar_colour(colour: str | None) -> str:
    """A theme's colour for bars, darkened until it stands out on white paper (a contrast
    of 3:1 or more, as for graphics in WCAG 2.1); the default indigo when none."""
    if not colour or not palette.is_colour(colour):
        return BAR_COLOUR
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    for _ in range(20):
        value = f"#{r:02X}{g:02X}{b:02X}"
        if 1.05 / (_luminance(value) + 0.05) >= 3.0:
            return value
        r, g, b = (round(c * 0.9) for c in (r, g, b))
    return BAR_COLOUR


def bar_chart(
    summary: QuestionSummary, *, colour: str | None = None, title: str | None = None
) -> BarChart:
    """The bar chart of one question (any kind)."""
    counts = [r.count for r in summary.rows]
    ticks = nice_ticks(max(counts, default=0))
    axis_max = ticks[-1]
    bars = tuple(
        Bar(
            r.option,
            r.count,
            r.count / axis_max if axis_max else 0.0,
            _value_text(r.count, r.percent),
        )
        for r in summary.rows
    )
    counts_what = "selections" if summary.question.kind == "multiple" else "respondents"
    return BarChart(
        title=title or summary.question.text,
        bars=bars,
        colour=bar_colour(colour),
        axis_label=f"Number of {counts_what}",
        axis_max=axis_max,
        ticks=ticks,
        caption=caption_lines(summary),
    )


def caption_lines(summary: QuestionSummary) -> tuple[str, ...]:
    """The caption: n and what it counts, missing answers, what the percentages are of."""
    lines = [summary.caption() + "."]
    what = DENOMINATOR_TEXT[summary.denominator]
    if summary.n:
        lines.append(f"Percentages are of the {summary.n} {what}.")
    if summary.question.kind == "multiple" and summary.denominator != "selections":
        lines.append(
            "Respondents could choose more than one option, so percentages may add up "
            "to more than 100 %."
        )
    if summary.mean is not None:
        lines.append(f"Mean rating {summary.mean:.1f} (1 to 5).")
    return tuple(lines)


def stacked_chart(
    summaries: Sequence[QuestionSummary], *, title: str | None = None
) -> StackedChart:
    """Stacked bars, one per question; each bar is its n (with "No answer" when n is the
    respondents present).

    Raises:
        ValueError: For a multiple-choice question (its options overlap), or none at all.
    """
    if not summaries:
        raise ValueError("no questions to draw")
    for s in summaries:
        if s.question.kind == "multiple":
            raise ValueError(
                f"'{s.question.text}' is multiple choice: its options overlap, so it cannot "
                "be stacked; draw it as bars"
            )
    legend: dict[str, str] = {}
    rows = []
    for s in summaries:
        segments = []
        for i, r in enumerate(s.rows):
            colour = _segment_colour(legend, r.option, i if s.question.kind == "yesno" else None)
            share = r.count / s.n if s.n else 0.0
            segments.append(
                Segment(r.option, r.count, share, _value_text(r.count, r.percent), colour)
            )
        if s.denominator == "present" and s.missing and s.n:
            legend.setdefault(NO_ANSWER, NO_ANSWER_COLOUR)
            share = s.missing / s.n
            segments.append(
                Segment(
                    NO_ANSWER,
                    s.missing,
                    share,
                    _value_text(s.missing, 100 * share),
                    NO_ANSWER_COLOUR,
                )
            )
        rows.append(
            StackedRow(
                s.question.text,
                tuple(segments),
                f"n\u00a0=\u00a0{s.n}" if s.n is not None else "n unknown",
            )
        )
    what = DENOMINATOR_TEXT[summaries[0].denominator]
    caption = [f"Each bar is 100 % of its n ({what})."]
    missing = [s for s in summaries if s.missing and s.denominator != "present"]
    if missing and len(summaries) > 1:
        caption.append(
            "Not answered (left out of n): "
            + "; ".join(f"{s.question.text} {s.missing}" for s in missing)
            + "."
        )
    if len(summaries) == 1:
        caption.insert(0, summaries[0].caption() + ".")
    return StackedChart(
        title=title or _stacked_title(summaries),
        rows=tuple(rows),
        legend=tuple(legend.items()),
        caption=tuple(caption),
    )


def _stacked_title(summaries: Sequence[QuestionSummary]) -> str:
    if len(summaries) == 1:
        return summaries[0].question.text
    if all(s.question.kind == "yesno" for s in summaries):
        return "Yes, no or unsure"
    return "Votes"


def _segment_colour(legend: dict[str, str], label: str, fixed: int | None) -> str:
    """Yes, No, Unsure always get the same colours; another option keeps the colour it got
    first, or takes the next one not yet used."""
    if label in legend:
        return legend[label]
    if fixed is not None and fixed < len(STACK_COLOURS):
        colour = STACK_COLOURS[fixed]
    else:
        used = set(legend.values())
        free = [c for c in STACK_COLOURS if c not in used]
        colour = free[0] if free else STACK_COLOURS[len(legend) % len(STACK_COLOURS)]
    legend[label] = colour
    return colour


def choose_style(summaries: Sequence[QuestionSummary], style: str = "auto") -> str:
    """``bars`` or ``stacked``: auto stacks yes/no/unsure questions (and several questions),
    and draws bars otherwise.

    Raises:
        ValueError: For an unknown style, several questions as bars, or stacked multiple choice.
    """
    if style not in STYLES:
        raise ValueError(f"unknown figure style '{style}'; choose {', '.join(STYLES)}")
    if style == "auto":
        if len(summaries) > 1 or all(s.question.kind == "yesno" for s in summaries):
            style = "stacked"
        else:
            style = "bars"
    if style == "bars" and len(summaries) != 1:
        raise ValueError(
            "a bar chart shows one question; give one, or draw several one-answer "
            "questions as stacked bars"
        )
    return style


def build_figure(
    summaries: Sequence[QuestionSummary],
    *,
    style: str = "auto",
    title: str | None = None,
    colour: str | None = None,
) -> VoteFigure:
    """The figure for one or more questions (see :func:`choose_style`)."""
    if not summaries:
        raise ValueError("no questions to draw")
    if choose_style(summaries, style) == "bars":
        return bar_chart(summaries[0], colour=colour, title=title)
    return stacked_chart(summaries, title=title)
