"""Warnings about thin or lopsided data, and NVivo-style kappa averages, for the report."""

from __future__ import annotations

import numpy as np

from ketqual.core.agreement.binary import R_EVERYTHING, R_NOTHING
from ketqual.core.agreement.report_model import NvivoSummary, ReportWarning, ScopeTable
from ketqual.core.agreement.report_scopes import HEADLINE_SCOPES

MIN_DOCUMENTS = 10
MIN_CODED_UNITS = 10
LOW_PREVALENCE = 0.05


def _mean(x: np.ndarray, w: np.ndarray) -> float | None:
    ok = np.isfinite(x)
    if not ok.any() or w[ok].sum() <= 0:
        return None
    return float((x[ok] * w[ok]).sum() / w[ok].sum())


def nvivo_summaries(
    table: ScopeTable, code_ids: list[object], n_docs: int, kappa_name: str = "cohen_kappa"
) -> list[NvivoSummary]:
    """Averages of one unit's per code x document kappas, per code and over all codes.

    Args:
        table: The unit's ``code_document`` :class:`ScopeTable`.
        code_ids: Analysed codes, in table order.
        n_docs: Documents per code.
        kappa_name: The kappa to average (Fleiss' kappa for three or more coders).

    Returns:
        One :class:`NvivoSummary` per code, then one with ``code_id=None``.
    """
    kappa = table.values[kappa_name].reshape(len(code_ids), n_docs)
    reason = table.reasons[kappa_name].reshape(len(code_ids), n_docs)
    pa = table.values["percent_agreement"].reshape(len(code_ids), n_docs)
    size = table.counts.sum(axis=1).reshape(len(code_ids), n_docs).astype(np.float64)
    # NVivo: complete agreement, including nobody coding the source, is kappa = 1.
    complete = (reason == R_NOTHING) | (reason == R_EVERYTHING)
    nvivo = np.where(complete, 1.0, kappa)
    rows = [(code_ids[c], slice(c, c + 1)) for c in range(len(code_ids))] + [(None, slice(None))]
    out = []
    for code_id, sl in rows:
        k, kn, p, s, r = (x[sl].ravel() for x in (kappa, nvivo, pa, size, reason))
        ones = np.ones(k.size)
        out.append(
            NvivoSummary(
                unit=table.unit,
                code_id=code_id,
                n_pairs=int(k.size),
                n_undefined=int((r != 0).sum()),
                mean_kappa=_mean(k, ones),
                weighted_mean_kappa=_mean(k, s),
                mean_kappa_nvivo=_mean(kn, ones),
                weighted_mean_kappa_nvivo=_mean(kn, s),
                mean_percent_agreement=_mean(p, ones),
                weighted_mean_percent_agreement=_mean(p, s),
            )
        )
    return out


def data_warnings(
    tables: dict[tuple[str, str], ScopeTable], n_docs: int, n_replicates: int
) -> list[ReportWarning]:
    """Cautions for headline figures: few documents or coded units, extreme prevalence,
    coefficients undefined in some bootstrap replicates, unit kinds without units."""
    out: list[ReportWarning] = []
    if n_docs < MIN_DOCUMENTS:
        out.append(
            ReportWarning(
                "few_documents",
                None,
                None,
                None,
                f"Only {n_docs} document(s): intervals from resampling documents are unreliable "
                f"below about {MIN_DOCUMENTS}.",
            )
        )
    for (unit, scope), table in tables.items():
        if scope == "overall" and unit in ("sentence", "paragraph") and table.counts.sum() == 0:
            out.append(
                ReportWarning("no_units", unit, None, None, f"No {unit} units were supplied.")
            )
        if scope not in HEADLINE_SCOPES:
            continue
        coded, prevalence = table.coded_and_prevalence()
        who = "either coder" if table.n_coders == 2 else "any coder"
        for i, key in enumerate(table.keys):
            where = f"{unit}s" + (f", {table.key_names[0]} {key[0]!r}" if key else ", all codes")
            if 0 < coded[i] < MIN_CODED_UNITS:
                out.append(
                    ReportWarning(
                        "few_coded_units",
                        unit,
                        scope,
                        key,
                        f"{where}: only {int(coded[i])} unit(s) coded by {who}; "
                        "coefficients rest on very few units.",
                    )
                )
            p = prevalence[i]
            if coded[i] > 0 and (p < LOW_PREVALENCE or p > 1 - LOW_PREVALENCE):
                out.append(
                    ReportWarning(
                        "extreme_prevalence",
                        unit,
                        scope,
                        key,
                        f"{where}: {p:.1%} of units coded on average. Kappa, pi and alpha are "
                        "depressed at extreme prevalence (Feinstein & Cicchetti 1990); compare "
                        "with AC1, PABAK and positive agreement.",
                    )
                )
            short = [
                name
                for name, boot in table.bootstrap.items()
                if table.reasons[name][i] == 0 and boot.n_defined[i] < n_replicates
            ]
            if short:
                out.append(
                    ReportWarning(
                        "bootstrap_undefined",
                        unit,
                        scope,
                        key,
                        f"{where}: {', '.join(short)} undefined in some of {n_replicates} "
                        "bootstrap replicates; intervals use the defined ones.",
                    )
                )
    return out
