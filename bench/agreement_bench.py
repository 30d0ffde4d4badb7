"""Agreement report throughput on a realistic synthetic project, against per-character tools.

Builds 1,000 documents (10 million characters in all) with sentence and paragraph units,
a codebook of 10 themes and 13 subthemes, and three coders with about 20,000 codings each
(coders B and C each follow coder A with shifted boundaries, swapped codes, omissions and
extras, independently of each other). Then it times (median of 3):

1. the full two-coder report (A and B) without bootstrap (all coefficients, all units,
   every code x document, the overall kappas and the unitizing alphas across codes),
2. the same with a 2,000-replicate bootstrap over documents,
3. ``to_dict()`` of the bootstrap report (serialisation, not part of 1-2),
4. the full three-coder report (A, B and C) without and with the bootstrap, and its ratio
   to the two-coder report (target: within 2x),

reports peak traced memory of one report run, and compares with computing one code's
pooled character-level Cohen's kappa with scikit-learn's ``cohen_kappa_score`` and
Krippendorff's alpha with the ``krippendorff`` package on per-character label arrays
(one code only: every code that way would take 23 times as long).

Run: .venv/bin/python bench/agreement_bench.py [--docs 1000] [--chars 10000000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketqual.core.agreement import span_agreement  # noqa: E402
from ketqual.core.agreement.report import build_report  # noqa: E402
from ketqual.core.agreement.report_input import CodeInput, DocumentInput  # noqa: E402
from ketqual.core.agreement.report_multi import build_multi_report  # noqa: E402


def synthetic(n_docs: int, total_chars: int, seed: int = 1):
    """Documents, codes and three coders' codings (see module docstring)."""
    rng = np.random.default_rng(seed)
    rng_c = np.random.default_rng(seed + 100)  # coder C's own stream: A and B stay as before
    lengths = rng.integers(4000, 16000, size=n_docs).astype(np.float64)
    lengths = np.maximum(np.round(lengths * total_chars / lengths.sum()), 500).astype(int)
    lengths[-1] += total_chars - lengths.sum()
    codes = [CodeInput(f"T{i}", f"Theme {i}") for i in range(10)]
    codes += [CodeInput(f"S{i}", f"Subtheme {i}", f"T{rng.integers(10)}") for i in range(13)]
    code_ids = [c.id for c in codes]
    popularity = 1.0 / np.arange(1, len(codes) + 1) ** 0.7
    popularity /= popularity.sum()
    siblings = {
        c.id: [d.id for d in codes if d.parent_id == c.parent_id and d.id != c.id] or code_ids
        for c in codes
    }
    docs, coder_a, coder_b, coder_c = [], [], [], []
    for d, length in enumerate(lengths.tolist()):
        cuts = np.cumsum(rng.integers(60, 220, size=length // 60 + 2))
        cuts = cuts[cuts < length - 1]
        starts = np.concatenate(([0], cuts + 1))
        ends = np.concatenate((cuts, [length]))
        sentences = list(zip(starts.tolist(), ends.tolist(), strict=True))
        groups = np.cumsum(rng.integers(3, 9, size=len(sentences)))
        bounds = [0, *groups[groups < len(sentences)].tolist(), len(sentences)]
        paragraphs = [
            (sentences[i][0], sentences[j - 1][1])
            for i, j in zip(bounds, bounds[1:], strict=False)
            if j > i
        ]
        doc_id = f"doc{d:04d}"
        docs.append(DocumentInput(doc_id, length, {"sentence": sentences, "paragraph": paragraphs}))
        n_codings = int(rng.poisson(20))
        for _ in range(n_codings):
            first = int(rng.integers(len(sentences)))
            last = min(len(sentences) - 1, first + int(rng.integers(0, 4)))
            code = code_ids[rng.choice(len(code_ids), p=popularity)]
            s, e = sentences[first][0], sentences[last][1]
            coder_a.append((doc_id, code, s, e))
            follow(rng_c, coder_c, doc_id, code, s, e, length)
            roll = rng.random()
            if roll < 0.15:
                continue  # B misses it
            if roll < 0.25:
                code = siblings[code][int(rng.integers(len(siblings[code])))]
            s2 = int(np.clip(s + rng.integers(-25, 26), 0, length))
            e2 = int(np.clip(e + rng.integers(-25, 26), s2, length))
            coder_b.append((doc_id, code, s2, e2))
        for _ in range(int(rng.poisson(3))):  # B's extras
            first = int(rng.integers(len(sentences)))
            code = code_ids[rng.choice(len(code_ids), p=popularity)]
            coder_b.append((doc_id, code, sentences[first][0], sentences[first][1]))
        for _ in range(int(rng_c.poisson(3))):  # C's extras
            first = int(rng_c.integers(len(sentences)))
            code = code_ids[rng_c.choice(len(code_ids), p=popularity)]
            coder_c.append((doc_id, code, sentences[first][0], sentences[first][1]))
    return docs, codes, coder_a, coder_b, coder_c


def follow(rng, coder, doc_id, code, s, e, length):
    """Coder C's reading of one of A's codings: missed, recoded or shifted, independently."""
    roll = rng.random()
    if roll < 0.12:
        return
    if roll < 0.2:
        code = f"T{int(rng.integers(10))}"
    s2 = int(np.clip(s + rng.integers(-30, 31), 0, length))
    e2 = int(np.clip(e + rng.integers(-30, 31), s2, length))
    coder.append((doc_id, code, s2, e2))


def median_time(fn, repeats: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000_000)
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the per-character comparison"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    docs, codes, coder_a, coder_b, coder_c = synthetic(args.docs, args.chars)
    n_units = (
        sum(len(d.units["sentence"]) for d in docs),
        sum(len(d.units["paragraph"]) for d in docs),
    )
    print(
        f"synthetic data: {len(docs)} documents, {sum(d.text_length for d in docs):,} characters, "
        f"{len(codes)} codes, {len(coder_a):,} + {len(coder_b):,} + {len(coder_c):,} codings, "
        f"{n_units[0]:,} sentences, {n_units[1]:,} paragraphs ({time.perf_counter() - t0:.1f} s to build)"
    )

    plain, report = median_time(lambda: build_report(docs, codes, coder_a, coder_b, n_replicates=0))
    print(f"full report, no bootstrap:           {plain:6.3f} s (median of 3)")
    boot, report_b = median_time(
        lambda: build_report(docs, codes, coder_a, coder_b, n_replicates=2000, seed=7)
    )
    print(f"full report, 2,000-replicate bootstrap: {boot:6.3f} s (median of 3)")
    ser, _ = median_time(report_b.to_dict)
    print(f"to_dict() of that report:            {ser:6.3f} s (median of 3)")
    rows = sum(len(t) for t in report_b.tables.values())
    print(
        f"report size: {len(report_b.tables)} tables, {rows:,} rows, {len(report_b.warnings)} warnings"
    )

    layers = [coder_a, coder_b, coder_c]
    plain3, report3 = median_time(lambda: build_multi_report(docs, codes, layers, n_replicates=0))
    print(f"three coders, no bootstrap:          {plain3:6.3f} s (median of 3)")
    boot3, report3b = median_time(
        lambda: build_multi_report(docs, codes, layers, n_replicates=2000, seed=7)
    )
    print(f"three coders, 2,000-replicate bootstrap: {boot3:6.3f} s (median of 3)")
    print(
        f"three coders / two coders: {plain3 / plain:.2f}x without bootstrap, "
        f"{boot3 / boot:.2f}x with it (target: within 2x)"
    )
    for unit in ("character", "sentence"):
        overall = report3b.table(unit, "overall")
        figures = ", ".join(
            f"{name} {overall.statistic(0, name).value:.3f}"
            for name in ("fleiss_kappa", "light_kappa", "krippendorff_alpha", "gwet_ac1")
        )
        print(f"  {unit}s, all codes: {figures}")
    across = report3b.table("character", "overall")
    print(
        "  across codes (characters): "
        + ", ".join(
            f"{n} {s.value:.3f}" if (s := across.statistic(0, n)).defined else f"{n} undefined"
            for n in ("u_alpha_nominal", "c_u_alpha", "cu_alpha", "u_alpha_binary")
        )
    )
    pairs = report3b.pairwise["character"]
    print(
        "  coder pairs (Cohen's kappa, characters): "
        + ", ".join(
            f"{pairs.coders[i]}-{pairs.coders[j]} {pairs.values['cohen_kappa'][p]:.3f}"
            for p, (i, j) in enumerate(pairs.pairs)
        )
    )

    tracemalloc.start()
    build_report(docs, codes, coder_a, coder_b, n_replicates=2000, seed=7)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    build_multi_report(docs, codes, layers, n_replicates=2000, seed=7)
    _, peak3 = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"peak traced memory of one bootstrap report: {peak / 2**20:.0f} MiB (two coders), "
        f"{peak3 / 2**20:.0f} MiB (three); "
        f"process max RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )

    if args.no_reference:
        return
    # Reference: one code, pooled over all documents, on per-character label arrays.
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    counts = {}
    for _, code, _, _ in coder_a:
        counts[code] = counts.get(code, 0) + 1
    code = max(counts, key=counts.get)
    offsets = np.concatenate(([0], np.cumsum([d.text_length for d in docs])[:-1]))
    where = {d.id: int(o) for d, o in zip(docs, offsets.tolist(), strict=True)}
    total = int(sum(d.text_length for d in docs))

    def spans(coding):
        return [(where[doc] + s, where[doc] + e) for doc, c, s, e in coding if c == code]

    def labels(sp):
        out = np.zeros(total, dtype=np.int8)
        for s, e in sp:
            out[s:e] = 1
        return out

    t_arrays, (la, lb) = median_time(lambda: (labels(spans(coder_a)), labels(spans(coder_b))), 1)
    t_sk, kappa_sk = median_time(lambda: cohen_kappa_score(la, lb), 1)
    t_kr, alpha_kr = median_time(
        lambda: krippendorff.alpha(
            reliability_data=np.vstack([la, lb]), level_of_measurement="nominal"
        ),
        1,
    )
    t_ours, ours = median_time(lambda: span_agreement(total, spans(coder_a), spans(coder_b)))
    row = report.table("character", "code").row(code)
    kappa_report = report.table("character", "code").values["cohen_kappa"][row]
    alpha_report = report.table("character", "code").values["krippendorff_alpha"][row]
    print(f"\nreference for ONE code ({code}, pooled over all documents, {total:,} characters):")
    print(f"  building per-character label arrays:  {t_arrays:6.3f} s")
    print(f"  sklearn cohen_kappa_score:            {t_sk:6.3f} s  kappa = {kappa_sk:.10f}")
    print(f"  krippendorff.alpha (nominal):         {t_kr:6.3f} s  alpha = {alpha_kr:.10f}")
    print(
        f"  report, same figures:                          kappa = {kappa_report:.10f}, alpha = {alpha_report:.10f}"
    )
    print(
        f"  span_agreement for this code alone:   {t_ours:6.4f} s  kappa = {ours.cohen_kappa.value:.10f}"
    )
    ref = t_arrays + t_sk + t_kr
    print(
        f"  per-character route for one code / our full report (no bootstrap): {ref / plain:.1f}x"
    )
    print(
        f"  per-character route for one code / span_agreement for that code:   {ref / t_ours:.0f}x"
    )
    print(
        f"  (per-character route for all {len(report.parameters['code_names'])} codes "
        f"would be about {ref * len(codes):.0f} s; not run)"
    )


if __name__ == "__main__":
    main()
