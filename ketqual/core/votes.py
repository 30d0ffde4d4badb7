"""Votes beside the themes: counts, percentages and Wilson intervals for voting questions.

A consultation day often ends with votes (show of hands, ballot papers, a form): yes/no/unsure
questions, a choice of one option, a rating from 1 to 5, or "tick every option you would
support". This module turns the answers into the figures a paper reports, and says exactly
what each percentage is a percentage *of*:

* ``answered``: the respondents who gave an answer to the question (for multiple choice,
  the people who ticked at least one option). Multiple-choice percentages of respondents
  may add up to more than 100 %, because one person can tick several options.
* ``present``: the respondents present when the question was put, answered or not. Those
  who did not answer are counted apart (``missing``) and stay in the denominator.
* ``selections``: every tick counted once (for multiple choice; for a one-answer question
  it is the same as ``answered``). Percentages add up to 100 %, but one person can add
  several selections, so the interval treats them as independent and is only a guide.

Intervals are Wilson score intervals (Wilson 1927; recommended over the Wald interval by
Brown, Cai & DasGupta 2001), 95 % by default: for ``k`` of ``n``, with ``p = k / n`` and
``z`` the normal quantile,

    centre = (p + z²/2n) / (1 + z²/n),   half-width = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)

Everything here is pure: plain data in, plain data out; the store and the sheet reader
hand it their records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

KINDS = ("single", "yesno", "multiple", "rating")
KIND_LABELS = {
    "single": "single choice",
    "yesno": "yes/no/unsure",
    "multiple": "multiple choice",
    "rating": "rating 1-5",
}
SHAPES = ("participants", "tally")
YES_NO_UNSURE = ("Yes", "No", "Unsure")
RATING_OPTIONS = ("1", "2", "3", "4", "5")
DENOMINATORS = ("answered", "present", "selections")
DENOMINATOR_TEXT = {
    "answered": "respondents who answered",
    "present": "respondents present",
    "selections": "selections",
}
Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
NOT_RECORDED = "(not recorded)"


@dataclass(frozen=True)
class Question:
    """A voting question as stored.

    Attributes:
        id: Its row id (``None`` before it is stored).
        text: The question as the sheet names it (unique in a project, ignoring case).
        kind: One of :data:`KINDS`.
        options: Option texts in their order.
        shape: ``participants`` (one answer per participant) or ``tally`` (counts only).
        themes: Ids of the themes (codes) the question is linked to.
        position: Its place in the list of questions (1 = first).
        uid: Stable identifier.
        source: The file it was imported from.
    """

    id: int | None
    text: str
    kind: str
    options: tuple[str, ...]
    shape: str = "participants"
    themes: tuple[int, ...] = ()
    position: int = 0
    uid: str = ""
    source: str = ""

    @property
    def kind_label(self) -> str:
        """The type as a person says it ("yes/no/unsure")."""
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Responses:
    """What was given for one question, before any percentage.

    Attributes:
        counts: Per option (in option order): people who chose it.
        answered: Respondents who gave an answer (for multiple choice, at least one tick);
            ``None`` when unknown (a multiple-choice tally without a respondents row).
        missing: Respondents present who gave no answer.
    """

    counts: tuple[int, ...]
    answered: int | None
    missing: int = 0

    @property
    def present(self) -> int | None:
        """Respondents present: those who answered and those who did not."""
        return None if self.answered is None else self.answered + self.missing

    @property
    def selections(self) -> int:
        """Every tick counted once (equal to ``answered`` for a one-answer question)."""
        return sum(self.counts)


@dataclass(frozen=True)
class OptionRow:
    """One line of a question's table.

    ``percent``, ``ci_low`` and ``ci_high`` are percentages (0-100); all three are ``None``
    when the denominator is 0 or unknown.
    """

    option: str
    count: int
    denominator: int | None
    percent: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class QuestionSummary:
    """A question's figures for one choice of denominator.

    Attributes:
        question: The question.
        denominator: Which denominator (one of :data:`DENOMINATORS`).
        n: Its value (``None`` when unknown).
        rows: One per option, in option order.
        answered: Respondents who answered (``None`` if unknown).
        missing: Respondents present who did not answer.
        present: Respondents present (``None`` if unknown).
        selections: All ticks.
        mean: Mean rating (rating questions with answers only).
        notes: Sentences to print under the table.
    """

    question: Question
    denominator: str
    n: int | None
    rows: tuple[OptionRow, ...]
    answered: int | None
    missing: int
    present: int | None
    selections: int
    mean: float | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def denominator_text(self) -> str:
        """ "n = 44 respondents present", or "n unknown" when it is not known."""
        what = DENOMINATOR_TEXT[self.denominator]
        return f"n = {self.n} {what}" if self.n is not None else f"n unknown ({what})"

    def caption(self) -> str:
        """One line naming n, what it counts, and the answers that are missing."""
        parts = [self.denominator_text]
        if self.question.kind == "multiple" and self.denominator != "selections":
            parts.append(f"{self.selections} selections")
        elif self.question.kind == "multiple" and self.answered is not None:
            parts.append(f"by {self.answered} respondents")
        if self.missing:
            of = f" of {self.present} present" if self.present is not None else ""
            parts.append(f"{self.missing}{of} did not answer")
        return "; ".join(parts)


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion ``successes / n``.

    Args:
        successes: How many (0 to ``n``).
        n: Out of how many.
        z: The normal quantile (1.96 for 95 %).

    Returns:
        ``(low, high)`` as proportions (0-1), or ``None`` when ``n`` is 0.

    Raises:
        ValueError: For negative numbers or ``successes > n``.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"a proportion needs 0 <= successes <= n, not {successes} of {n}")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At 0 and n the exact ends are 0 and 1; floating point lands a hair off them.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def default_options(kind: str) -> tuple[str, ...]:
    """The fixed options of a yes/no/unsure or rating question (else none)."""
    if kind == "yesno":
        return YES_NO_UNSURE
    if kind == "rating":
        return RATING_OPTIONS
    return ()


def count_answers(question: Question, answers: Mapping[str, Sequence[int]]) -> Responses:
    """Count one answer (or several ticks) per participant.

    Args:
        question: The question (its options and kind).
        answers: Participant -> indices of the options they chose (in ``question.options``);
            an empty sequence means present but no answer.

    Raises:
        ValueError: For an index outside the options, or several answers to a question
            that takes one.
    """
    counts = [0] * len(question.options)
    answered = missing = 0
    for participant, chosen in answers.items():
        picked = set(chosen)
        if any(i < 0 or i >= len(counts) for i in picked):
            raise ValueError(f"{participant}: an answer is not one of the options")
        if len(picked) > 1 and question.kind != "multiple":
            raise ValueError(
                f"{participant} gave {len(picked)} answers to a {question.kind_label} question"
            )
        if not picked:
            missing += 1
            continue
        answered += 1
        for i in picked:
            counts[i] += 1
    return Responses(tuple(counts), answered, missing)


def tally_responses(
    question: Question,
    counts: Sequence[int],
    *,
    missing: int = 0,
    respondents: int | None = None,
) -> Responses:
    """Responses from counts alone (a tally sheet).

    For a one-answer question the respondents are the sum of the counts; for multiple
    choice they are ``respondents`` if the tally gave them, else unknown.

    Raises:
        ValueError: For negative counts, or respondents that cannot be right.
    """
    if len(counts) != len(question.options):
        raise ValueError("a tally needs one count per option")
    if any(c < 0 for c in counts) or missing < 0 or (respondents is not None and respondents < 0):
        raise ValueError("counts cannot be negative")
    if question.kind != "multiple":
        if respondents is not None and respondents != sum(counts):
            raise ValueError(
                f"{respondents} respondents, but the counts of a {question.kind_label} "
                f"question add up to {sum(counts)}"
            )
        return Responses(tuple(counts), sum(counts), missing)
    if respondents is not None:
        if counts and respondents < max(counts):
            raise ValueError(f"{respondents} respondents, but {max(counts)} chose one option")
        if respondents > sum(counts):
            raise ValueError(
                f"{respondents} respondents who answered, but only {sum(counts)} selections"
            )
    return Responses(tuple(counts), respondents, missing)


def denominator_value(responses: Responses, denominator: str) -> int | None:
    """The value of ``denominator`` for these responses (``None`` when unknown)."""
    if denominator == "answered":
        return responses.answered
    if denominator == "present":
        return responses.present
    if denominator == "selections":
        return responses.selections
    raise ValueError(f"unknown denominator '{denominator}'; choose {', '.join(DENOMINATORS)}")


def summarise(
    question: Question, responses: Responses, denominator: str = "answered"
) -> QuestionSummary:
    """Counts, percentages and Wilson 95 % intervals of every option.

    Args:
        question: The question.
        responses: What was given.
        denominator: ``answered``, ``present`` or ``selections``.

    Returns:
        The summary, with notes for what a reader must know (percentages of respondents
        adding past 100 %, selections not being people, an unknown denominator).
    """
    n = denominator_value(responses, denominator)
    rows = []
    for option, count in zip(question.options, responses.counts, strict=True):
        if n:
            low, high = wilson_interval(min(count, n), n)  # type: ignore[misc]
            rows.append(OptionRow(option, count, n, 100 * count / n, 100 * low, 100 * high))
        else:
            rows.append(OptionRow(option, count, n, None, None, None))
    notes = _notes(question, responses, denominator, n, rows)
    mean = None
    if question.kind == "rating" and responses.answered:
        mean = sum((i + 1) * c for i, c in enumerate(responses.counts)) / responses.answered
    return QuestionSummary(
        question=question,
        denominator=denominator,
        n=n,
        rows=tuple(rows),
        answered=responses.answered,
        missing=responses.missing,
        present=responses.present,
        selections=responses.selections,
        mean=mean,
        notes=notes,
    )


def _notes(
    question: Question,
    responses: Responses,
    denominator: str,
    n: int | None,
    rows: Sequence[OptionRow],
) -> tuple[str, ...]:
    notes: list[str] = []
    multiple = question.kind == "multiple"
    if n is None:
        notes.append(
            "The number of respondents is not known (the tally has no respondents row), so "
            "percentages of respondents cannot be given; choose selections as the denominator."
        )
    elif n == 0:
        notes.append("Nobody answered, so there are no percentages.")
    elif multiple and denominator != "selections":
        total = sum(r.percent or 0.0 for r in rows)
        if total > 100.0 + 1e-9:
            notes.append(
                "Each respondent could choose more than one option, so the percentages add "
                f"up to more than 100 % (here {total:.0f} %)."
            )
        else:
            notes.append(
                "Each respondent could choose more than one option, so the percentages may "
                "add up to more than 100 %."
            )
    if multiple and denominator == "selections" and n:
        people = f" by {responses.answered} respondents" if responses.answered is not None else ""
        notes.append(
            f"n counts selections ({n}{people}), not people: one respondent can add several, "
            "so the 95 % intervals treat selections as independent and are only a guide."
        )
    if not multiple and denominator == "selections":
        notes.append("One answer per respondent: selections are the respondents who answered.")
    if responses.missing:
        who = "1 respondent" if responses.missing == 1 else f"{responses.missing} respondents"
        where = "counted in n" if denominator == "present" else "left out of n"
        notes.append(f"{who} present did not answer; {where}.")
    return tuple(notes)


@dataclass(frozen=True)
class GroupSummary:
    """A question's figures within one group of participants (a breakdown)."""

    value: str
    participants: int
    summary: QuestionSummary


def breakdown(
    question: Question,
    answers: Mapping[str, Sequence[int]],
    values: Mapping[str, str],
    denominator: str = "answered",
) -> list[GroupSummary]:
    """A question's figures per value of a participant attribute (patients, carers, ...).

    Args:
        question: The question (answered one row per participant).
        answers: Participant -> option indices, as for :func:`count_answers`.
        values: Participant -> attribute value; participants missing here (or with a
            blank value) form the group :data:`NOT_RECORDED`.
        denominator: As for :func:`summarise`.

    Returns:
        One summary per value (in order of first appearance in ``values``, ignoring case
        for grouping), then :data:`NOT_RECORDED` if anyone lacks a value.
    """
    order: dict[str, str] = {}  # casefolded value -> first spelling seen
    for value in values.values():
        text = " ".join(str(value).split())
        if text and text.casefold() not in order:
            order[text.casefold()] = text
    groups: dict[str, dict[str, Sequence[int]]] = {key: {} for key in order}
    lost: dict[str, Sequence[int]] = {}
    for participant, chosen in answers.items():
        text = " ".join(str(values.get(participant, "")).split())
        (groups[text.casefold()] if text else lost)[participant] = chosen
    out = [
        GroupSummary(
            order[key],
            len(members),
            summarise(question, count_answers(question, members), denominator),
        )
        for key, members in groups.items()
        if members
    ]
    if lost:
        out.append(
            GroupSummary(
                NOT_RECORDED,
                len(lost),
                summarise(question, count_answers(question, lost), denominator),
            )
        )
    return out


def percent_text(value: float | None, digits: int = 0) -> str:
    """ "64 %" (or "–" when undefined)."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}\u00a0%"


def interval_text(row: OptionRow, digits: int = 0) -> str:
    """ "49–76 %" (or "–")."""
    if row.ci_low is None or row.ci_high is None:
        return "–"
    return f"{row.ci_low:.{digits}f}–{row.ci_high:.{digits}f}\u00a0%"


def table_rows(summaries: Sequence[QuestionSummary]) -> list[dict[str, object]]:
    """Every option of every summary as a plain row (CSV, JSON, xlsx).

    Keys: ``question``, ``kind``, ``option``, ``count``, ``denominator`` (the number),
    ``denominator_kind`` (which one), ``percent``, ``ci_low``, ``ci_high`` (percentages,
    ``None`` when undefined), ``missing``, ``answered``, ``present``, ``selections``.
    """
    rows: list[dict[str, object]] = []
    for s in summaries:
        for r in s.rows:
            rows.append(
                {
                    "question": s.question.text,
                    "kind": s.question.kind,
                    "option": r.option,
                    "count": r.count,
                    "denominator": s.n,
                    "denominator_kind": s.denominator,
                    "percent": _rounded(r.percent),
                    "ci_low": _rounded(r.ci_low),
                    "ci_high": _rounded(r.ci_high),
                    "missing": s.missing,
                    "answered": s.answered,
                    "present": s.present,
                    "selections": s.selections,
                }
            )
    return rows


def _rounded(value: float | None) -> float | None:
    # Enough digits to check the arithmetic by hand; no float noise in the files.
    return None if value is None else round(value, 4)


def headline(summary: QuestionSummary, option: int = 0) -> str:
    """A sentence-ready figure such as "Yes: 28 of 44 (64 %, 95 % CI 49–76 %)"."""
    row = summary.rows[option]
    of = f" of {row.denominator}" if row.denominator is not None else ""
    if row.percent is None:
        return f"{row.option}: {row.count}{of}"
    return (
        f"{row.option}: {row.count}{of} ({percent_text(row.percent)}, "
        f"95\u00a0% CI {interval_text(row)})"
    )


@dataclass(frozen=True)
class ThemeVotes:
    """A theme's linked questions with their figures (for matrices, the network, reports)."""

    theme_id: int
    theme: str
    colour: str
    summaries: tuple[QuestionSummary, ...]


def figures_text(summary: QuestionSummary) -> str:
    """A question's figures in one line of prose-ready text:
    "Yes 30 (71 %, 95 % CI 57–83 %); No 5 (12 %, 95 % CI 5–25 %); Unsure 7 (…)"."""
    parts = []
    for row in summary.rows:
        if row.percent is None:
            parts.append(f"{row.option} {row.count}")
        else:
            parts.append(
                f"{row.option} {row.count} ({percent_text(row.percent)}, "
                f"95\u00a0% CI {interval_text(row)})"
            )
    return "; ".join(parts)


def theme_vote_rows(themes: Sequence[ThemeVotes]) -> list[tuple[str, str]]:
    """``(theme, text)`` per linked question: the question, its type, what n counts, its
    figures and the notes a reader needs (for README sheets and facts tables)."""
    rows = []
    for theme in themes:
        for s in theme.summaries:
            notes = " ".join(n for n in s.notes if "present did not answer" not in n)
            text = f"{s.question.text} ({s.question.kind_label}; {s.caption()}): {figures_text(s)}."
            rows.append((theme.theme, f"{text} {notes}".strip()))
    return rows
