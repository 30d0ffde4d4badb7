"""The report of three or more coders: against the two-coder report and brute force."""

from __future__ import annotations

import itertools

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from ketqual.core.agreement.report import build_report
from ketqual.core.agreement.report_input import CodeInput, DocumentInput
from ketqual.core.agreement.report_multi import build_multi_report
from ketqual.core.agreement.unitizing_codes import unitizing_family
from tests.unit.core.agreement import family_oracle

DOCS = [
    DocumentInput("d1", 30, {"sentence": [(0, 10), (10, 20), (20, 30)], "paragraph": [(0, 30)]}),
    DocumentInput("d2", 20, {"sentence": [(0, 12), (12, 20)], "paragraph": [(0, 20)]}),
    DocumentInput("d3", 25, {"sentence": [(0, 25)], "paragraph": [(0, 25)]}),
]
CODES = [CodeInput("T1", "Theme 1"), CodeInput("S1", "Sub 1", "T1"), CodeInput("T2", "Theme 2")]
LAYERS = [
    [("d1", "T1", 0, 8), ("d1", "T2", 12, 20), ("d2", "S1", 0, 10), ("d3", "T2", 5, 20)],
    [("d1", "T1", 2, 8), ("d1", "T2", 12, 25), ("d2", "S1", 2, 10), ("d3", "T1", 5, 12)],
    [("d1", "T1", 0, 6), ("d2", "T1", 0, 12), ("d3", "T2", 6, 20), ("d3", "S1", 0, 4)],
]
SHARED = ("percent_agreement", "krippendorff_alpha", "gwet_ac1", "pabak", "dice", "jaccard")
SHARED += ("u_alpha", "u_alpha_nominal", "c_u_alpha", "cu_alpha", "u_alpha_binary")


@pytest.mark.parametrize("level", ["theme", "subtheme"])
def test_two_coders_give_the_two_coder_report(level):
    old = build_report(DOCS, CODES, *LAYERS[:2], level=level, n_replicates=40, seed=3)
    new = build_multi_report(DOCS, CODES, LAYERS[:2], level=level, n_replicates=40, seed=3)
    for (unit, scope), table in old.tables.items():
        other = new.table(unit, scope)
        for i in range(len(table)):
            assert other.coverage(i) == table.coverage(i)
            pairs = [(n, n) for n in SHARED if n in table.values] + [("fleiss_kappa", "scott_pi")]
            for mine, theirs in pairs:
                assert other.statistic(i, mine).reason == table.statistic(i, theirs).reason
                a, b = other.statistic(i, mine), table.statistic(i, theirs)
                for field in ("value", "ci_low", "ci_high"):
                    x, y = getattr(a, field), getattr(b, field)
                    assert (x is None) == (y is None), (unit, scope, mine, field)
                    if x is not None:
                        assert x == pytest.approx(y, abs=1e-9), (unit, scope, mine, field)
    # Light's kappa of two coders is Cohen's kappa.
    overall = old.table("character", "overall").statistic(0, "cohen_kappa").value
    assert new.table("character", "overall").statistic(0, "light_kappa").value == pytest.approx(
        overall
    )


def _labels(length, spans):
    out = np.zeros(length, dtype=int)
    for s, e in spans:
        out[s:e] = 1
    return out


def _theme_layers(level):
    parent = {"S1": "T1"}
    out = []
    for layer in LAYERS:
        out.append([(d, parent.get(c, c) if level == "theme" else c, s, e) for d, c, s, e in layer])
    return out


def test_three_coders_against_brute_force():
    report = build_multi_report(DOCS, CODES, LAYERS, level="theme", n_replicates=0)
    layers = _theme_layers("theme")
    lengths = {d.id: d.text_length for d in DOCS}
    for code in ("T1", "T2"):
        # pooled over documents: one long label vector per coder
        rows = []
        for layer in layers:
            rows.append(
                np.concatenate(
                    [
                        _labels(
                            lengths[d], [(s, e) for dd, c, s, e in layer if dd == d and c == code]
                        )
                        for d in lengths
                    ]
                )
            )
        data = np.array(rows)
        table = report.table("character", "code")
        row = table.row(code)
        counts = np.stack([3 - data.sum(0), data.sum(0)], axis=1)
        assert table.statistic(row, "fleiss_kappa").value == pytest.approx(sm_fleiss(counts))
        ref = krippendorff.alpha(
            reliability_data=data.astype(float), level_of_measurement="nominal"
        )
        assert table.statistic(row, "krippendorff_alpha").value == pytest.approx(ref)
        light = np.mean(
            [cohen_kappa_score(data[i], data[j]) for i, j in itertools.combinations(range(3), 2)]
        )
        assert table.statistic(row, "light_kappa").value == pytest.approx(light)
        assert table.coverage(row) == np.bincount(data.sum(0), minlength=4).tolist()
    # Sentences: a sentence is coded by a coder when any of its characters is.
    sent = report.table("sentence", "code_document")
    row = sent.row("T2", "d1")
    assert sent.coverage(row) == [1, 1, 1, 0]  # sentence 0 by nobody, 1 by A and B, 2 by B


def test_unitizing_family_in_the_report_is_the_per_text_function():
    report = build_multi_report(DOCS, CODES, LAYERS, level="theme", n_replicates=0)
    layers = _theme_layers("theme")
    table = report.table("character", "document")
    for doc in DOCS:
        coders = {
            f"C{i}": [(s, e, c) for d, c, s, e in layer if d == doc.id]
            for i, layer in enumerate(layers)
        }
        want = unitizing_family(doc.text_length, coders)
        row = table.row(doc.id)
        for name, stat in want.items():
            got = table.statistic(row, name)
            assert got.value == (None if stat.value is None else pytest.approx(stat.value))
    # Overall: every document a section of one continuum, as the oracle counts pairs.
    sections = [
        (
            doc.text_length,
            {
                f"C{i}": [(s, e, c) for d, c, s, e in layer if d == doc.id]
                for i, layer in enumerate(layers)
            },
        )
        for doc in DOCS
    ]
    overall = report.table("character", "overall")
    want = family_oracle.family(sections, "u")
    got = overall.statistic(0, "u_alpha_nominal")
    assert (got.value is None) == (want is None)
    if want is not None:
        assert got.value == pytest.approx(want)


def test_pairwise_table_and_departures():
    rogue = [[("d1", "T2", 0, 30), ("d2", "T2", 0, 20), ("d3", "T1", 0, 25)]]
    report = build_multi_report(
        DOCS, CODES, [LAYERS[0], LAYERS[0], *rogue], names=["Ann", "Bo", "Cy"], n_replicates=30
    )
    pairs = report.pairwise["character"]
    assert pairs.pairs == ((0, 1), (0, 2), (1, 2))
    assert pairs.statistic(0, "cohen_kappa").value == pytest.approx(1.0)
    departures = dict(pairs.departures())
    assert min(departures, key=lambda c: departures[c]) == "Cy"
    rows = pairs.rows()
    assert rows[0]["coder_1"] == "Ann" and rows[0]["coder_2"] == "Bo"
    assert report.to_dict()["pairwise"][0]["coders"] == ["Ann", "Bo", "Cy"]


def test_analytic_standard_errors_and_parameters():
    report = build_multi_report(DOCS, CODES, LAYERS, names=["A", "B", "C"], n_replicates=25)
    table = report.table("document", "overall")
    stat = table.statistic(0, "fleiss_kappa")
    assert stat.se_null is not None and stat.ci_low is not None
    analytic = table.analytic_statistic(0, "fleiss_kappa")
    assert analytic.se > 0 and analytic.ci_method.startswith("analytic")
    assert report.parameters["n_coders"] == 3
    assert report.parameters["n_codings"] == {"A": 4, "B": 4, "C": 4}
    assert table.count_names == ("coded_by_0", "coded_by_1", "coded_by_2", "coded_by_3")
    assert "fleiss_kappa_se_null" in table.rows()[0]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_bootstrap_intervals_contain_their_estimates_in_most_cases(data):
    # A weak but generic check: intervals exist, are ordered, and lie in [-1, 1].
    seed = data.draw(st.integers(0, 10))
    report = build_multi_report(DOCS, CODES, LAYERS, n_replicates=30, seed=seed)
    stat = report.table("sentence", "overall").statistic(0, "fleiss_kappa")
    if stat.ci_low is not None:
        assert -1 <= stat.ci_low <= stat.ci_high <= 1


def test_bad_input():
    with pytest.raises(ValueError, match="two coders"):
        build_multi_report(DOCS, CODES, LAYERS[:1])
    with pytest.raises(ValueError, match="coder C"):
        build_multi_report(DOCS, CODES, [*LAYERS[:2], [("nope", "T1", 0, 1)]])


def test_overlapping_codes_rule_in_the_report():
    # Coder C puts two themes on the same text of d3 only.
    clash = [*LAYERS[2], ("d3", "T1", 8, 12)]
    layers = [LAYERS[0], LAYERS[1], clash]
    report = build_multi_report(DOCS, CODES, layers, level="theme", n_replicates=20)
    doc = report.table("character", "document")
    assert doc.statistic(doc.row("d3"), "u_alpha_nominal").reason.startswith(
        "a coder applied two different codes"
    )
    assert doc.statistic(doc.row("d1"), "u_alpha_nominal").defined
    # Pooled: d3 left out whole, for every coder: the same as the report on d1 and d2.
    without = build_multi_report(
        DOCS[:2],
        CODES,
        [[c for c in layer if c[0] != "d3"] for layer in layers],
        level="theme",
        n_replicates=0,
    )
    for name in ("u_alpha_nominal", "c_u_alpha", "cu_alpha"):
        got = report.table("character", "overall").statistic(0, name)
        want = without.table("character", "overall").statistic(0, name)
        assert got.value == pytest.approx(want.value)
    # |u-alpha for any code keeps every document.
    binary = report.table("character", "overall").statistic(0, "u_alpha_binary").value
    assert binary != pytest.approx(
        without.table("character", "overall").statistic(0, "u_alpha_binary").value
    )
    kinds = {w.kind for w in report.warnings}
    assert {"overlapping_codes", "documents_left_out"} <= kinds
    left = next(w for w in report.warnings if w.kind == "documents_left_out")
    assert "2 of 3 documents" in left.message
    assert report.parameters["overlapping_codes"]["C"] == {"characters": 4, "documents": 1}
    # When every document has an overlap the pooled figure is undefined, with the reason.
    extra = [(d.id, code, 0, 3) for d in DOCS for code in ("T1", "T2")]
    everywhere = [layer + extra for layer in layers]
    full = build_multi_report(DOCS, CODES, everywhere, level="theme", n_replicates=0)
    stat = full.table("character", "overall").statistic(0, "c_u_alpha")
    assert not stat.defined and "mutually exclusive" in stat.reason


def test_overall_kappas_of_the_report_are_the_core_functions():
    from ketqual.core.agreement import Table2x2, cohen_kappa, pooled_kappa

    report = build_report(DOCS, CODES, *LAYERS[:2], level="subtheme", n_replicates=0)
    code = report.table("sentence", "code")
    tables = [code.table(i) for i in range(len(code))]
    overall = report.table("sentence", "overall")
    assert overall.statistic(0, "pooled_kappa").value == pytest.approx(pooled_kappa(tables).value)
    kappas = [cohen_kappa(t).value for t in tables if cohen_kappa(t).defined]
    assert overall.statistic(0, "mean_kappa").value == pytest.approx(np.mean(kappas))
    stacked = sum(tables, Table2x2(0, 0, 0, 0))
    assert overall.statistic(0, "cohen_kappa").value == pytest.approx(cohen_kappa(stacked).value)
    # A code's own row: its kappa, whichever way it is pooled.
    row = code.row("T1")
    for name in ("pooled_kappa", "mean_kappa"):
        assert code.statistic(row, name).value == pytest.approx(
            code.statistic(row, "cohen_kappa").value
        )
    # Three coders: the same pooling of Fleiss' terms.
    three = build_multi_report(DOCS, CODES, LAYERS, level="subtheme", n_replicates=0)
    fleiss = three.table("sentence", "code")
    defined = [
        fleiss.statistic(i, "fleiss_kappa").value
        for i in range(len(fleiss))
        if fleiss.statistic(i, "fleiss_kappa").defined
    ]
    got = three.table("sentence", "overall").statistic(0, "mean_kappa").value
    assert got == pytest.approx(np.mean(defined))
