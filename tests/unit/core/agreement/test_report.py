"""The report builder on small hand-computed projects and against the per-text functions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ketqual.core.agreement import span_agreement
from ketqual.core.agreement.report import build_report
from ketqual.core.agreement.report_input import CodeInput, DocumentInput
from ketqual.core.agreement.result import EMPTY_TEXT, EVERYTHING_CODED, NO_UNITS, NOTHING_CODED
from tests.unit.core.agreement import oracles

DOCS = [
    DocumentInput(
        "d1", 20, {"sentence": [(0, 5), (6, 10), (11, 20)], "paragraph": [(0, 10), (11, 20)]}
    ),
    DocumentInput("d2", 10, {"sentence": [(0, 10)]}),
]
CODES = [CodeInput("T1", "Theme 1"), CodeInput("S1", "Sub 1", "T1"), CodeInput("T2", "Theme 2")]
A = [("d1", "T1", 0, 4), ("d1", "S1", 12, 15), ("d2", "T2", 0, 10)]
B = [("d1", "T1", 2, 8), ("d1", "S1", 16, 18)]


def counts(report, unit, scope, *key):
    table = report.table(unit, scope)
    return table.counts[table.row(*key)].tolist()


@pytest.fixture(scope="module")
def report():
    return build_report(DOCS, CODES, A, B, n_replicates=0)


def test_character_counts_every_scope(report):
    assert counts(report, "character", "code_document", "T1", "d1") == [2, 2, 4, 12]
    assert counts(report, "character", "code_document", "S1", "d1") == [0, 3, 2, 15]
    assert counts(report, "character", "code_document", "T2", "d2") == [0, 10, 0, 0]
    assert counts(report, "character", "code", "T1") == [2, 2, 4, 22]
    assert counts(report, "character", "document", "d1") == [2, 5, 6, 47]
    assert counts(report, "character", "document", "d2") == [0, 10, 0, 20]
    # subtheme level: a theme pools its own and its subthemes' tables
    assert counts(report, "character", "theme", "T1") == [2, 5, 6, 47]
    assert counts(report, "character", "theme", "T2") == [0, 10, 0, 20]
    assert counts(report, "character", "overall") == [2, 15, 6, 67]


def test_character_coefficients_match_span_agreement(report):
    table = report.table("character", "code_document")
    row = table.row("T1", "d1")
    # by hand: po = .7, pA = .2, pB = .3, pe = .62, kappa = .08 / .38
    assert table.statistic(row, "cohen_kappa").value == pytest.approx(0.08 / 0.38)
    ref = span_agreement(20, [(0, 4)], [(2, 8)])
    for name, stat in ref.statistics().items():
        assert table.statistic(row, name) == stat, name


def test_undefined_reasons_propagate(report):
    table = report.table("character", "code_document")
    assert table.statistic(table.row("T2", "d1"), "cohen_kappa").reason == NOTHING_CODED
    assert table.statistic(table.row("T2", "d1"), "alpha_u").reason == NOTHING_CODED
    t2d2 = table.row("T2", "d2")
    assert table.statistic(t2d2, "cohen_kappa").value == 0.0  # one coder coded everything
    assert table.statistic(t2d2, "krippendorff_alpha").value == pytest.approx(1 - 19 * 10 / 100)
    assert table.statistic(t2d2, "u_alpha").defined  # B's gap is the whole text
    para = report.table("paragraph", "code_document")
    assert para.statistic(para.row("T2", "d2"), "cohen_kappa").reason == NO_UNITS
    assert para.statistic(para.row("T1", "d1"), "cohen_kappa").value == 1.0
    doc = report.table("document", "code_document")  # one unit, coded by both
    assert doc.statistic(doc.row("T1", "d1"), "cohen_kappa").reason == EVERYTHING_CODED
    rows = table.rows()
    nothing = next(r for r in rows if r["code_id"] == "T2" and r["document_id"] == "d1")
    assert nothing["cohen_kappa"] is None and nothing["cohen_kappa_reason"] == NOTHING_CODED


def test_empty_document():
    docs = [*DOCS, DocumentInput("d3", 0)]
    rep = build_report(docs, CODES, A, B, n_replicates=0, units=("character", "document"))
    table = rep.table("character", "code_document")
    assert table.statistic(table.row("T1", "d3"), "percent_agreement").reason == EMPTY_TEXT
    assert table.statistic(table.row("T1", "d3"), "alpha_u").reason == EMPTY_TEXT
    doc = rep.table("document", "code_document")
    assert doc.counts[doc.row("T1", "d3")].tolist() == [0, 0, 0, 1]


def test_sentence_paragraph_and_document_units(report):
    assert counts(report, "sentence", "code_document", "T1", "d1") == [1, 0, 1, 1]
    assert counts(report, "sentence", "code_document", "S1", "d1") == [1, 0, 0, 2]
    assert counts(report, "sentence", "code_document", "T2", "d2") == [0, 1, 0, 0]
    assert counts(report, "paragraph", "code_document", "T1", "d1") == [1, 0, 0, 1]
    assert counts(report, "paragraph", "code_document", "S1", "d1") == [1, 0, 0, 1]
    assert counts(report, "paragraph", "code", "T2") == [0, 0, 0, 2]
    assert counts(report, "document", "code", "T1") == [1, 0, 0, 1]
    assert counts(report, "document", "code", "T2") == [0, 1, 0, 1]
    assert counts(report, "document", "document", "d1") == [2, 0, 0, 1]


def test_unit_share_threshold():
    rep = build_report(DOCS, CODES, A, B, n_replicates=0, unit_min_share=0.7, units=("sentence",))
    # A covers 4/5 of sentence 0; B covers 3/5 of it and 2/4 of sentence 1
    assert counts(rep, "sentence", "code_document", "T1", "d1") == [0, 1, 0, 2]
    assert counts(rep, "sentence", "code_document", "S1", "d1") == [0, 0, 0, 3]
    rep = build_report(DOCS, CODES, A, B, n_replicates=0, unit_min_share=0.5, units=("sentence",))
    assert counts(rep, "sentence", "code_document", "T1", "d1") == [1, 0, 1, 1]
    assert (
        "at least 70%"
        in build_report(
            DOCS, CODES, A, B, n_replicates=0, unit_min_share=0.7, units=("sentence",)
        ).parameters["unit_definitions"]["sentence"]
    )


def test_theme_level_rolls_subthemes_into_their_theme():
    rep = build_report(DOCS, CODES, A, B, level="theme", n_replicates=0)
    assert rep.table("character", "code").keys == (("T1",), ("T2",))
    # T1 in d1 now: A [0,4) + [12,15); B [2,8) + [16,18)
    assert counts(rep, "character", "code_document", "T1", "d1") == [2, 5, 6, 7]
    ref = span_agreement(20, [(0, 4), (12, 15)], [(2, 8), (16, 18)])
    table = rep.table("character", "code_document")
    assert table.statistic(table.row("T1", "d1"), "alpha_u") == ref.alpha_u
    assert counts(rep, "sentence", "code_document", "T1", "d1") == [2, 0, 1, 0]
    assert (
        rep.table("character", "theme").counts.tolist()
        == rep.table("character", "code").counts.tolist()
    )


def test_overlapping_theme_and_subtheme_spans_merge_at_theme_level():
    rep = build_report(
        [DocumentInput("d", 10)],
        CODES,
        [("d", "T1", 0, 6), ("d", "S1", 4, 8)],
        [("d", "S1", 0, 8)],
        level="theme",
        n_replicates=0,
        units=("character",),
    )
    assert counts(rep, "character", "code_document", "T1", "d") == [8, 0, 0, 2]
    assert rep.segments["code"].rows()[0]["matched"] == 1


def test_krippendorff_2004_example_pooled_over_two_codes():
    codes = [CodeInput("c", "c"), CodeInput("k", "k")]
    a = [("x", "c", 75, 145), ("x", "c", 220, 250), ("x", "k", 30, 90), ("x", "k", 150, 200)]
    b = [
        ("x", "c", 70, 150),
        ("x", "c", 205, 225),
        ("x", "c", 250, 270),
        ("x", "k", 30, 90),
        ("x", "k", 150, 200),
    ]
    rep = build_report([DocumentInput("x", 300)], codes, a, b, n_replicates=0, units=("character",))
    code = rep.table("character", "code")
    assert code.statistic(code.row("c"), "alpha_u").value == pytest.approx(0.7286, abs=5e-5)
    assert code.statistic(code.row("k"), "alpha_u").value == 1.0
    assert rep.table("character", "overall").statistic(0, "alpha_u").value == pytest.approx(
        0.8591, abs=5e-4
    )


def random_project(seed, n_docs=3, n_codes=3):
    rng = np.random.default_rng(seed)
    docs = [DocumentInput(f"d{i}", int(rng.integers(0, 16))) for i in range(n_docs)]
    codes = [CodeInput(f"c{i}", f"c{i}") for i in range(n_codes)]

    def codings():
        out = []
        for doc in docs:
            for _ in range(int(rng.integers(0, 5))):
                s, e = sorted(rng.integers(0, doc.text_length + 1, size=2).tolist())
                out.append((doc.id, f"c{rng.integers(n_codes)}", s, e))
        return out

    return docs, codes, codings(), codings()


@pytest.mark.parametrize("seed", range(12))
def test_random_projects_against_per_text_functions_and_oracles(seed):
    docs, codes, a, b = random_project(seed)
    rep = build_report(docs, codes, a, b, n_replicates=0, units=("character",))
    per_pair = rep.table("character", "code_document")
    by_code = rep.table("character", "code")
    for code in codes:
        sections = []
        for doc in docs:
            sa = [(s, e) for d, c, s, e in a if d == doc.id and c == code.id]
            sb = [(s, e) for d, c, s, e in b if d == doc.id and c == code.id]
            sections.append((doc.text_length, sa, sb))
            ref = span_agreement(doc.text_length, sa, sb)
            row = per_pair.row(code.id, doc.id)
            for name, stat in ref.statistics().items():
                got = per_pair.statistic(row, name)
                assert got.reason == stat.reason, (name, got, stat)
                assert got.value == pytest.approx(stat.value, abs=1e-12), name
        row = by_code.row(code.id)
        alpha_u = by_code.statistic(row, "alpha_u")
        u_alpha = by_code.statistic(row, "u_alpha")
        coded = any(s < e for _, sa, sb in sections for s, e in sa + sb)
        if coded and sum(length for length, _, _ in sections) > 0:
            d_o, d_e = oracles.alpha_u_parts(sections)
            assert alpha_u.value == (pytest.approx(1 - d_o / d_e, abs=1e-9) if d_e else None)
            u01, e01 = oracles.u_alpha_parts(sections)
            if e01 > 0:
                assert u_alpha.value == pytest.approx(1 - u01 / e01, abs=1e-9)
        else:
            assert not alpha_u.defined and not u_alpha.defined


def test_nvivo_style_means(report):
    t1 = next(s for s in report.nvivo if s.unit == "character" and s.code_id == "T1")
    kappa_d1 = 0.08 / 0.38
    assert t1.n_pairs == 2 and t1.n_undefined == 1  # nobody coded T1 in d2
    assert t1.mean_kappa == pytest.approx(kappa_d1)
    assert t1.mean_kappa_nvivo == pytest.approx((kappa_d1 + 1) / 2)
    assert t1.weighted_mean_kappa_nvivo == pytest.approx((20 * kappa_d1 + 10) / 30)
    assert t1.weighted_mean_percent_agreement == pytest.approx(24 / 30)


def test_segment_tables(report):
    rows = {r["code_id"]: r for r in report.segments["code"].rows()}
    assert rows["T1"] == {
        "code_id": "T1",
        "n_a": 1,
        "n_b": 1,
        "matched": 0,
        "unmatched_a": 1,
        "unmatched_b": 1,
        "percent_agreement": 0.0,
        "dice": 0.0,
    }
    near = build_report(DOCS, CODES, [("d1", "T1", 0, 10)], [("d1", "T1", 1, 10)], n_replicates=0)
    assert near.segments["overall"].rows()[0]["matched"] == 1


def test_to_dict_is_json_and_records_parameters():
    rep = build_report(DOCS, CODES, A, B, n_replicates=20, seed=5)
    data = json.loads(json.dumps(rep.to_dict()))
    params = data["parameters"]
    assert params["seed"] == 5 and params["n_replicates"] == 20 and params["level"] == "subtheme"
    assert set(params["unit_definitions"]) >= {"character", "sentence", "paragraph", "document"}
    assert {(t["unit"], t["scope"]) for t in data["tables"]} == set(rep.tables)
    overall = next(
        t for t in data["tables"] if t["unit"] == "character" and t["scope"] == "overall"
    )
    assert "cohen_kappa_ci_low" in overall["rows"][0]
    assert any(w["kind"] == "few_documents" for w in data["warnings"])


def test_invalid_inputs_are_rejected():
    with pytest.raises(ValueError, match="unknown document"):
        build_report(DOCS, CODES, [("nope", "T1", 0, 1)], [])
    with pytest.raises(ValueError, match="unknown code"):
        build_report(DOCS, CODES, [("d1", "nope", 0, 1)], [])
    with pytest.raises(ValueError, match="outside"):
        build_report(DOCS, CODES, [("d2", "T1", 5, 11)], [])
    with pytest.raises(ValueError, match="overlap"):
        build_report([DocumentInput("d", 10, {"sentence": [(0, 5), (4, 8)]})], CODES, [], [])
    with pytest.raises(ValueError, match="level"):
        build_report(DOCS, CODES, [], [], level="code")
    with pytest.raises(ValueError, match="cycle"):
        build_report(DOCS, [CodeInput("x", "x", "y"), CodeInput("y", "y", "x")], [], [])
    with pytest.raises(ValueError):
        build_report(DOCS, CODES, [], [], segment_min_overlap=0.5)
    with pytest.raises(ValueError):
        build_report(DOCS, CODES, [], [], units=("word",))
    with pytest.raises(ValueError):
        build_report([], CODES, [], [])


def test_plain_tuples_and_mappings_are_accepted():
    docs = [("d1", 20, {"sentence": [(0, 20)]}), {"id": "d2", "text_length": 10}]
    codes = [("T1", "Theme 1", None), {"id": "S1", "name": "Sub", "parent_id": "T1"}]
    rep = build_report(docs, codes, [("d1", "S1", 0, 5)], [("d1", "S1", 0, 5)], n_replicates=0)
    assert counts(rep, "sentence", "code", "S1") == [1, 0, 0, 0]
