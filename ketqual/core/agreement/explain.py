"""Words, bands and colours for showing agreement figures to people.

Shared by the exporters, the command line and the window so that a statistic is named,
explained, rounded and coloured the same way everywhere. The explanations are plain
language for readers who are not statisticians; the module docstrings of the engine
hold the formulas.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from ketqual.core.agreement.interpret import (
    KRIPPENDORFF_CITATION,
    LANDIS_KOCH_CITATION,
    Band,
    interpret,
)
from ketqual.core.agreement.result import Statistic


@dataclass(frozen=True)
class StatisticInfo:
    """How to present one coefficient.

    Attributes:
        name: Machine name used by the report, e.g. ``"cohen_kappa"``.
        label: Name for people, e.g. ``"Cohen's kappa"``.
        scheme: Benchmark scheme for :func:`~ketqual.core.agreement.interpret.interpret`,
            or ``None`` where verbal bands would mislead (raw overlap measures).
        explanation: What the number means, in plain words.
        citation: Where the coefficient comes from (empty for plain proportions).
    """

    name: str
    label: str
    scheme: str | None
    explanation: str
    citation: str


_INFO = (
    StatisticInfo(
        "percent_agreement",
        "Percent agreement",
        None,
        "The share of units on which the two coders made the same call: both applied the "
        "code, or both left it off. Easy to read, but it takes no account of agreement that "
        "would happen by luck, so a rarely used code looks excellent even when the coders "
        "never agree on where it applies.",
        "",
    ),
    StatisticInfo(
        "cohen_kappa",
        "Cohen's kappa",
        "landis-koch",
        "Agreement beyond what two coders would reach by chance if each applied the code "
        "as often as they actually did, at random places. 1 is perfect agreement, 0 is no "
        "better than chance, below 0 is worse than chance. With rare codes kappa can be "
        "low even when raw agreement is high; compare with AC1 and PABAK.",
        "Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and "
        "Psychological Measurement, 20(1), 37-46.",
    ),
    StatisticInfo(
        "scott_pi",
        "Scott's pi",
        "landis-koch",
        "Like kappa, but chance agreement is worked out from both coders' use of the code "
        "taken together, as if they shared one habit. It differs from kappa when one coder "
        "applies the code much more often than the other.",
        "Scott, W. A. (1955). Reliability of content analysis: The case of nominal scale "
        "coding. Public Opinion Quarterly, 19(3), 321-325.",
    ),
    StatisticInfo(
        "fleiss_kappa",
        "Fleiss' kappa",
        "landis-koch",
        "Kappa for three or more coders: the agreement of every pair of coders, averaged, "
        "beyond what chance would give if all coders shared one habit of using the code. "
        "With two coders it is Scott's pi.",
        "Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. "
        "Psychological Bulletin, 76(5), 378-382.",
    ),
    StatisticInfo(
        "light_kappa",
        "Light's kappa",
        "landis-koch",
        "Cohen's kappa for every pair of coders, averaged (pairs where it is undefined left "
        "out). The table of pairs shows which coder departs from the others.",
        "Light, R. J. (1971). Measures of response agreement for qualitative data: Some "
        "generalizations and alternatives. Psychological Bulletin, 76(5), 365-377.",
    ),
    StatisticInfo(
        "krippendorff_alpha",
        "Krippendorff's alpha",
        "krippendorff",
        "One minus the disagreement the coders showed divided by the disagreement "
        "expected by chance. For two coders and a yes/no code it is close to Scott's pi, "
        "with a small correction for the number of units. Content analysts usually ask for "
        "at least 0.800, and accept 0.667 only for tentative conclusions.",
        KRIPPENDORFF_CITATION,
    ),
    StatisticInfo(
        "gwet_ac1",
        "Gwet's AC1",
        "landis-koch",
        "A chance-corrected agreement that estimates chance differently from kappa: it "
        "assumes chance agreement is largest when a code is used about half the time and "
        "small when it is rare or nearly universal. It therefore stays close to raw "
        "agreement for rare codes, where kappa can drop sharply.",
        "Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the "
        "presence of high agreement. British Journal of Mathematical and Statistical "
        "Psychology, 61(1), 29-48.",
    ),
    StatisticInfo(
        "pabak",
        "PABAK",
        "landis-koch",
        "Prevalence- and bias-adjusted kappa: percent agreement rescaled so that 0 means "
        "the agreement of two coin tosses and 1 perfect agreement (2 x agreement - 1). "
        "Shown next to kappa to reveal how much a rare code drags kappa down.",
        "Byrt, T., Bishop, J., & Carlin, J. B. (1993). Bias, prevalence and kappa. Journal "
        "of Clinical Epidemiology, 46(5), 423-429.",
    ),
    StatisticInfo(
        "dice",
        "Positive agreement (Dice)",
        None,
        "Of everything either coder coded, how much both coded, counting the shared part "
        "twice: 2 x both / (A's coded + B's coded). It ignores text neither coded, so it "
        "answers 'when one of us used this code, did the other too?'.",
        "Dice, L. R. (1945). Measures of the amount of ecologic association between "
        "species. Ecology, 26(3), 297-302.",
    ),
    StatisticInfo(
        "jaccard",
        "Jaccard index",
        None,
        "The overlap of the two coders' coded text divided by everything either coded. "
        "Stricter than Dice for the same data; also ignores text neither coded.",
        "Jaccard, P. (1912). The distribution of the flora in the alpine zone. New "
        "Phytologist, 11(2), 37-50.",
    ),
    StatisticInfo(
        "pooled_kappa",
        "Pooled kappa (De Vries)",
        "landis-koch",
        "One kappa for many codes: the coders' agreement averaged over the codes, minus the "
        "chance agreement averaged over the codes, over one minus that chance agreement. "
        "Every code weighs the same, and codes nobody used do not make it undefined. Cohen's "
        "terms for two coders, Fleiss' for three or more. Not the same number as kappa on "
        "all codes' tables added together (the 'all codes' row of kappa) or the mean of the "
        "codes' kappas.",
        "De Vries, H., Elliott, M. N., Kanouse, D. E., & Teleki, S. S. (2008). Using pooled "
        "kappa to summarize interrater agreement across many items. Field Methods, 20(3), "
        "272-282.",
    ),
    StatisticInfo(
        "mean_kappa",
        "Mean of per-code kappas",
        "landis-koch",
        "Each code's kappa (Cohen's for two coders, Fleiss' for three or more), averaged "
        "over the codes with equal weight; codes whose kappa is undefined are left out. "
        "De Vries et al. compare it with pooled kappa.",
        "De Vries, H., Elliott, M. N., Kanouse, D. E., & Teleki, S. S. (2008). Using pooled "
        "kappa to summarize interrater agreement across many items. Field Methods, 20(3), "
        "272-282.",
    ),
    StatisticInfo(
        "alpha_u",
        "Krippendorff's alpha_U",
        "krippendorff",
        "Alpha for unitizing: it compares where each coder's coded stretches begin and end "
        "along the text, so a passage coded by both but with different boundaries counts "
        "as partial disagreement, weighted by how far the boundaries differ.",
        "Krippendorff, K. (2004). Measuring the reliability of qualitative text analysis "
        "data. Quality & Quantity, 38(6), 787-800.",
    ),
    StatisticInfo(
        "u_alpha",
        "Krippendorff's |u-alpha",
        "krippendorff",
        "A later unitizing alpha that asks only whether each stretch of text is coded or "
        "not by each coder, treating each coded stretch as one unit. It is close to "
        "character-level alpha but respects that a coded passage is a whole.",
        "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the "
        "reliability of unitizing textual continua: Further developments. Quality & "
        "Quantity, 50(6), 2347-2364.",
    ),
    StatisticInfo(
        "u_alpha_nominal",
        "u-alpha, all codes",
        "krippendorff",
        "The code system as one variable: every character gets one value per coder, a code "
        "or 'not coded'. Agreement on where coded stretches lie and which code they get, at "
        "once. Needs codes that never overlap: where a coder put two codes on the same "
        "text it is undefined (see the figure per theme).",
        "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the "
        "reliability of unitizing textual continua: Further developments. Quality & "
        "Quantity, 50(6), 2347-2364.",
    ),
    StatisticInfo(
        "c_u_alpha",
        "c|u-alpha, codes where both coded",
        "krippendorff",
        "Agreement on the codes of the text that coders both coded; where coded stretches "
        "begin and end does not count. It answers 'when we both coded something, did we "
        "give it the same code?'. Needs codes that never overlap.",
        "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the "
        "reliability of unitizing textual continua: Further developments. Quality & "
        "Quantity, 50(6), 2347-2364.",
    ),
    StatisticInfo(
        "cu_alpha",
        "cu-alpha, codes of all coded text",
        "krippendorff",
        "Agreement on the codes of all text that at least one coder coded: text one coder "
        "coded and another left uncoded is disagreement, text nobody coded counts for "
        "nothing. Needs codes that never overlap.",
        "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the "
        "reliability of unitizing textual continua: Further developments. Quality & "
        "Quantity, 50(6), 2347-2364.",
    ),
    StatisticInfo(
        "u_alpha_binary",
        "|u-alpha, any code",
        "krippendorff",
        "Agreement on which text is coded at all, whatever the code: each coder's codings "
        "merged into stretches of coded text. Defined even where codes overlap.",
        "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the "
        "reliability of unitizing textual continua: Further developments. Quality & "
        "Quantity, 50(6), 2347-2364.",
    ),
)
STATISTICS: dict[str, StatisticInfo] = {i.name: i for i in _INFO}
HEADLINE = ("cohen_kappa", "krippendorff_alpha", "gwet_ac1", "percent_agreement")
HEADLINE_MULTI = ("fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "percent_agreement")
OVERALL_KAPPAS = (
    ("stacked", "Stacked: all codes' tables added"),
    ("mean_kappa", "Mean of the per-code kappas"),
    ("pooled_kappa", "Pooled kappa (De Vries et al. 2008)"),
)
UNITIZING_ACROSS = ("u_alpha_nominal", "c_u_alpha", "cu_alpha", "u_alpha_binary")

UNIT_LABELS = {
    "character": "Characters",
    "sentence": "Sentences",
    "paragraph": "Paragraphs",
    "document": "Documents",
}
UNIT_EXPLANATIONS = {
    "character": "Every character of the text is one decision: coded or not. Boundaries "
    "count, so coding a sentence and a half against a sentence is partial disagreement.",
    "sentence": "Each sentence is one decision: coded when (enough of) it is coded. "
    "Small differences in where a coding starts or ends stop mattering.",
    "paragraph": "Each paragraph is one decision, as for sentences but coarser.",
    "document": "Each document is one decision: did the coder use the code anywhere in "
    "it? Agreement on whether a theme is present at all. A single code x document cell is "
    "then one decision, so chance-corrected figures there are undefined or 0; read the "
    "figures pooled over documents or codes.",
}
BAND_CITATIONS = {"landis-koch": LANDIS_KOCH_CITATION, "krippendorff": KRIPPENDORFF_CITATION}
BAND_SHORT = {"landis-koch": "Landis & Koch 1977", "krippendorff": "Krippendorff 2004"}
BAND_RANGES = {
    "landis-koch": "below 0 poor; 0 to 0.20 slight; 0.21 to 0.40 fair; 0.41 to 0.60 moderate; "
    "0.61 to 0.80 substantial; 0.81 to 1 almost perfect",
    "krippendorff": "below 0.667 discard the variable; 0.667 to 0.800 tentative conclusions "
    "only; 0.800 and above reliable",
}
UNDEFINED = "undefined"
BOOTSTRAP_NOTE = (
    "Intervals are 95% percentile bootstrap intervals over documents: documents are drawn "
    "again with replacement many times and the figure recomputed. Per code x document "
    "cells have no interval."
)


def label(name: str) -> str:
    """The display name of a statistic (the machine name when unknown)."""
    info = STATISTICS.get(name)
    return info.label if info else name


def ordered(names: Collection[str]) -> list[str]:
    """Statistic names in display order, unknown names last."""
    known = [n for n in STATISTICS if n in names]
    return known + sorted(n for n in names if n not in STATISTICS)


def citations(names: Collection[str]) -> list[str]:
    """The benchmark sources, then the source of each named statistic, without repeats."""
    out = [BAND_CITATIONS[s] for s in ("landis-koch", "krippendorff")]
    for name in ordered(names):
        info = STATISTICS.get(name)
        if info is not None and info.citation and info.citation not in out:
            out.append(info.citation)
    return out


def band(stat: Statistic) -> Band | None:
    """The benchmark band for a statistic, or ``None`` when its kind gets no bands."""
    info = STATISTICS.get(stat.name)
    if info is None or info.scheme is None:
        return None
    return interpret(stat.value, info.scheme)


def format_value(name: str, value: float | None) -> str:
    """A value for reading: percent agreement as a percentage, others to 3 decimals."""
    if value is None or not math.isfinite(value):
        return UNDEFINED
    if name == "percent_agreement":
        return f"{value:.1%}"
    return f"{value:.3f}"


def cell_text(value: float | None) -> str:
    """Two decimals for a small heatmap cell, or an en dash when undefined."""
    if value is None or not math.isfinite(value):
        return "–"
    # Rounding -0.003 gives "-0.00", which reads like another number than 0.00.
    return f"{0.0 if abs(value) < 0.005 else value:.2f}"


def format_ci(stat: Statistic) -> str:
    """``"0.712 to 0.845"``, or ``""`` without an interval."""
    if stat.ci_low is None or stat.ci_high is None:
        return ""
    return f"{format_value(stat.name, stat.ci_low)} to {format_value(stat.name, stat.ci_high)}"


def describe(stat: Statistic) -> str:
    """One line: value, interval and band, or ``undefined: <reason>``."""
    if stat.value is None:
        return f"{UNDEFINED}: {stat.reason}"
    text = format_value(stat.name, stat.value)
    ci = format_ci(stat)
    if ci:
        text += f" (95% CI {ci})"
    b = band(stat)
    if b is not None:
        text += f"; {b.label} ({BAND_SHORT[b.scheme]})"
    return text


# ColorBrewer RdYlBu (five classes), marked colour-blind safe by ColorBrewer: low agreement
# warm, high agreement blue, so the scale reads the same without red-green vision.
_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (215, 48, 39)),
    (0.25, (252, 141, 89)),
    (0.5, (254, 224, 144)),
)
_STOPS += ((0.75, (145, 191, 219)), (1.0, (69, 117, 180)))
UNDEFINED_COLOUR = "#dddddd"


def heat_colour(value: float | None) -> str:
    """Background colour for a value on a 0-1 scale (below 0 as 0); grey when undefined."""
    if value is None or not math.isfinite(value):
        return UNDEFINED_COLOUR
    x = min(1.0, max(0.0, value))
    for (x0, c0), (x1, c1) in zip(_STOPS, _STOPS[1:], strict=False):
        if x <= x1:
            t = (x - x0) / (x1 - x0)
            rgb = (round(a + (b - a) * t) for a, b in zip(c0, c1, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    raise AssertionError("unreachable")  # pragma: no cover


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``)."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    # Relative luminance per WCAG, simplified to the sRGB weights.
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 else "#ffffff"
