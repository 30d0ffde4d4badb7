"""Bootstrap over documents: reproducible, and equal to resampling documents by hand."""

from __future__ import annotations

import numpy as np
import pytest

from ketqual.core.agreement import cohen_kappa, gwet_ac1_counts
from ketqual.core.agreement.bootstrap import resample_weights, summarize
from ketqual.core.agreement.report import build_report
from ketqual.core.agreement.report_input import CodeInput, DocumentInput
from tests.unit.core.agreement import oracles


def project(seed, n_docs=6, max_len=30):
    rng = np.random.default_rng(seed)
    docs = [DocumentInput(f"d{i}", int(rng.integers(1, max_len))) for i in range(n_docs)]
    codes = [CodeInput("c0", "c0"), CodeInput("c1", "c1", "c0")]

    def codings():
        out = []
        for doc in docs:
            for _ in range(int(rng.integers(0, 4))):
                s, e = sorted(rng.integers(0, doc.text_length + 1, size=2).tolist())
                out.append((doc.id, f"c{rng.integers(2)}", s, e))
        return out

    return docs, codes, codings(), codings()


def test_same_seed_same_intervals_other_seed_other_intervals():
    docs, codes, a, b = project(1, n_docs=12)
    r1 = build_report(docs, codes, a, b, n_replicates=200, seed=42)
    r2 = build_report(docs, codes, a, b, n_replicates=200, seed=42)
    r3 = build_report(docs, codes, a, b, n_replicates=200, seed=43)
    for key, table in r1.tables.items():
        for name, boot in table.bootstrap.items():
            other = r2.tables[key].bootstrap[name]
            np.testing.assert_array_equal(boot.ci_low, other.ci_low)
            np.testing.assert_array_equal(boot.n_defined, other.n_defined)
    k1 = r1.table("character", "overall").bootstrap["cohen_kappa"]
    k3 = r3.table("character", "overall").bootstrap["cohen_kappa"]
    assert (k1.ci_low[0], k1.ci_high[0]) != (k3.ci_low[0], k3.ci_high[0])
    assert r1.table("character", "code_document").bootstrap == {}  # headline scopes only
    assert "alpha_u" not in r1.table("character", "code").bootstrap


def test_weights_draw_every_document_count_times():
    w = resample_weights(7, 50, seed=3)
    assert w.shape == (50, 7)
    assert np.all(w.sum(axis=1) == 7)
    np.testing.assert_array_equal(w, resample_weights(7, 50, seed=3))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_replicates_equal_reports_on_resampled_document_sets(seed):
    docs, codes, a, b = project(seed)
    n_rep = 40
    rep = build_report(docs, codes, a, b, n_replicates=n_rep, seed=seed, units=("character",))
    weights = resample_weights(len(docs), n_rep, seed)
    base = build_report(docs, codes, a, b, n_replicates=0, units=("character",))
    per_doc = base.table("character", "code_document").counts.reshape(2, len(docs), 4)

    kappas, ac1s, u_alphas = [], [], []
    for w in weights:
        pooled = (w[None, :, None] * per_doc).sum(axis=1)  # (codes, 4)
        table = pooled.sum(axis=0)
        res = cohen_kappa([[table[0], table[1]], [table[2], table[3]]])
        kappas.append(res.value if res.defined else np.nan)
        # AC1 on the same pooled table, through the multi-rater engine
        cell_counts = np.array([[2, 0], [1, 1], [1, 1], [0, 2]])
        ac1 = gwet_ac1_counts(cell_counts, weights=table, n_categories=2)
        ac1s.append(ac1.value if ac1.defined else np.nan)
        # |u-alpha of code c0 over the resampled documents, by literal pair counting
        sections = []
        for doc, times in zip(docs, w.astype(int).tolist(), strict=True):
            sa = [(s, e) for d, c, s, e in a if d == doc.id and c == "c0"]
            sb = [(s, e) for d, c, s, e in b if d == doc.id and c == "c0"]
            sections += [(doc.text_length, sa, sb)] * times
        u01, e01 = oracles.u_alpha_parts(sections)
        u_alphas.append(1 - u01 / e01 if e01 > 0 else np.nan)

    boot = rep.table("character", "overall").bootstrap
    for name, values in (("cohen_kappa", kappas), ("gwet_ac1", ac1s)):
        vals = np.array(values)
        ok = vals[np.isfinite(vals)]
        assert boot[name].n_defined[0] == ok.size
        if ok.size:
            assert boot[name].ci_low[0] == pytest.approx(np.percentile(ok, 2.5))
            assert boot[name].ci_high[0] == pytest.approx(np.percentile(ok, 97.5))
        if ok.size > 1:
            assert boot[name].se[0] == pytest.approx(np.std(ok, ddof=1))
    ua = np.array(u_alphas)
    ok = ua[np.isfinite(ua)]
    code_boot = rep.table("character", "code").bootstrap["u_alpha"]
    assert code_boot.n_defined[0] == ok.size
    if ok.size:
        assert code_boot.ci_low[0] == pytest.approx(np.percentile(ok, 2.5))
        assert code_boot.ci_high[0] == pytest.approx(np.percentile(ok, 97.5))


def test_summarize_ignores_undefined_replicates():
    samples = np.array(
        [[0.1, np.nan, np.nan], [0.5, np.nan, 0.2], [0.3, np.nan, np.nan], [0.9, np.nan, np.nan]]
    )
    boot = summarize(samples, 0.9)
    assert boot.n_defined.tolist() == [4, 0, 1]
    assert boot.ci_low[0] == pytest.approx(np.percentile([0.1, 0.5, 0.3, 0.9], 5))
    assert boot.ci_high[0] == pytest.approx(np.percentile([0.1, 0.5, 0.3, 0.9], 95))
    assert np.isnan(boot.ci_low[1]) and np.isnan(boot.se[1])
    assert boot.ci_low[2] == boot.ci_high[2] == 0.2 and np.isnan(boot.se[2])


def test_bootstrap_statistic_carries_interval():
    docs, codes, a, b = project(5, n_docs=15)
    rep = build_report(docs, codes, a, b, n_replicates=100, seed=1)
    stat = rep.table("character", "overall").statistic(0, "percent_agreement")
    assert stat.ci_method == "percentile bootstrap over documents"
    assert stat.ci_low <= stat.value <= stat.ci_high or stat.ci_low <= stat.ci_high
    assert stat.se is not None and stat.se > 0
