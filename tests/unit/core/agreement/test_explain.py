"""Presentation helpers: labels, bands, rounding, colours, and the labelled result."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ketqual.core.agreement import explain
from ketqual.core.agreement.result import Statistic
from tests.agreement_data import PATHS, make_result


def test_every_reported_statistic_is_explained_with_a_source():
    result = make_result()
    # Two coders report every statistic but the ones of three or more coders.
    assert set(result.statistics("character")) == set(explain.STATISTICS) - {
        "fleiss_kappa",
        "light_kappa",
    }
    for info in explain.STATISTICS.values():
        assert len(info.explanation) > 80
        assert info.scheme in (None, "landis-koch", "krippendorff")
        assert info.citation or info.name == "percent_agreement"
    assert explain.HEADLINE[0] == "cohen_kappa"


def test_describe_and_format():
    stat = Statistic("cohen_kappa", 0.8123, ci_low=0.7, ci_high=0.9)
    assert explain.describe(stat) == (
        "0.812 (95% CI 0.700 to 0.900); almost perfect (Landis & Koch 1977)"
    )
    assert explain.format_value("percent_agreement", 0.9876) == "98.8%"
    assert explain.format_value("dice", None) == "undefined"
    undefined = Statistic("cohen_kappa", None, reason="both coders coded nothing")
    assert explain.describe(undefined) == "undefined: both coders coded nothing"
    assert explain.band(Statistic("dice", 0.5)) is None
    assert explain.band(Statistic("alpha_u", 0.7)).label == "tentative conclusions"
    assert explain.cell_text(-0.003) == "0.00" and explain.cell_text(0.876) == "0.88"
    assert explain.cell_text(None) == "–" and explain.cell_text(-0.25) == "-0.25"
    assert explain.ordered({"zeta", "dice", "cohen_kappa"}) == ["cohen_kappa", "dice", "zeta"]


def test_heat_colours_run_from_red_to_blue_and_grey_when_undefined():
    assert explain.heat_colour(None) == explain.UNDEFINED_COLOUR
    assert explain.heat_colour(math.nan) == explain.UNDEFINED_COLOUR
    assert explain.heat_colour(-0.4) == explain.heat_colour(0.0) == "#d73027"
    assert explain.heat_colour(1.0) == "#4575b4"
    assert explain.heat_colour(0.5) == "#fee090"
    assert explain.text_colour("#4575b4") == "#ffffff"
    assert explain.text_colour("#fee090") == "#000000"


def test_citations_start_with_the_benchmarks_and_do_not_repeat():
    cites = explain.citations(["krippendorff_alpha", "cohen_kappa", "percent_agreement"])
    assert cites[0].startswith("Landis") and cites[1].startswith("Krippendorff, K. (2004)")
    assert len(cites) == len(set(cites)) == 3


def test_labelled_result_views_agree_with_the_report():
    result = make_result()
    assert result.code_ids() == (10, 11, 20) and result.document_ids() == (1, 2, 3)
    matrix = result.matrix("character", "cohen_kappa")
    table = result.report.table("character", "code_document")
    for i, code in enumerate(result.code_ids()):
        for j, doc in enumerate(result.document_ids()):
            stat = table.statistic(table.row(code, doc), "cohen_kappa")
            assert matrix.cell(i, j) == stat
            assert (stat.value is None) == bool(np.isnan(matrix.values[i, j]))
    assert result.per_code("character", "cohen_kappa")[2][1].reason == "both coders coded nothing"
    assert [t for t, _ in result.per_theme("sentence", "dice")] == [10, 20]
    assert result.code_label(11) == PATHS[11] and result.code_label(99) == "99"
    assert result.document_label(3, short=True) == "D3"
    assert result.context()["codes"][1] == {"id": 11, "path": "Access/Travel"}
    theme = make_result(level="theme")
    assert theme.code_ids() == (10, 20) and theme.level == "theme"
    with pytest.raises(KeyError):
        result.report.table("word", "overall")


def test_cautions_name_codes_and_statistics_instead_of_ids():
    result = make_result()
    cautions = result.cautions()
    assert len(cautions) == len(result.report.warnings)
    assert ("", "", cautions[0][2]) == cautions[0] and cautions[0][2].startswith("Only 3 document")
    travel = [c for c in cautions if c[1] == "Access/Travel"]
    assert travel and all(c[0] in explain.UNIT_LABELS.values() for c in travel)
    for _unit, _where, text in cautions:
        assert "code_id" not in text and "theme_id" not in text
        assert "cohen_kappa" not in text and text[:1].isupper()
    assert any("Cohen's kappa" in text for *_, text in cautions)


def test_cautions_at_theme_level_are_listed_once():
    theme = make_result(level="theme")
    cautions = theme.cautions()
    assert len(cautions) == len(set(cautions))
    per_code = [w for w in theme.report.warnings if w.scope == "code"]
    per_theme = [w for w in theme.report.warnings if w.scope == "theme"]
    assert len(per_code) == len(per_theme) > 0  # the engine's scopes coincide here
    assert len(cautions) == len(theme.report.warnings) - len(per_theme)
    subtheme = make_result()
    pooled = [c for c in subtheme.cautions() if c[1].endswith("(whole theme)")]
    assert pooled or not [w for w in subtheme.report.warnings if w.scope == "theme"]
