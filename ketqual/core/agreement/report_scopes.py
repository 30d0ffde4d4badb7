"""Pooling per code x document results into the report's scopes.

2x2 tables pool by addition: a code pooled over documents is the sum of its documents'
tables, a document pooled over codes the sum of its codes' tables, and so on. The
unitizing alphas pool as their papers define (see :mod:`~ketqual.core.agreement.unitizing`):
over documents the documents form one sectioned continuum (recomputed from additive parts
and the pooled gap list); over codes ``1 - sum D_o / sum D_e``.
"""

from __future__ import annotations

import numpy as np

from ketqual.core.agreement.binary import (
    DEFINED,
    R_EMPTY_TEXT,
    R_NOTHING,
    R_ZERO_EXPECTED,
    binary_statistics,
    safe_divide,
)
from ketqual.core.agreement.report_engine import GroupData
from ketqual.core.agreement.report_input import Prepared
from ketqual.core.agreement.unitizing import alpha_u_values, expected_sums, u_alpha_values

SCOPES = ("code_document", "code", "document", "theme", "overall")
HEADLINE_SCOPES = ("code", "theme", "overall")


def theme_matrix(prep: Prepared) -> np.ndarray:
    """``(C, T)`` 0/1 matrix: which theme each analysed code belongs to."""
    m = np.zeros((prep.n_codes, len(prep.theme_ids)))
    m[np.arange(prep.n_codes), prep.code_theme] = 1.0
    return m


def pool(per_group: np.ndarray, prep: Prepared) -> dict[str, np.ndarray]:
    """Sum a ``(C, D, ...)`` array into every scope (rows first)."""
    c, d = per_group.shape[:2]
    tail = per_group.shape[2:]
    by_code = per_group.sum(axis=1)
    by_theme = np.tensordot(theme_matrix(prep).T, by_code, axes=1).astype(per_group.dtype)
    return {
        "code_document": per_group.reshape((c * d, *tail)),
        "code": by_code,
        "document": per_group.sum(axis=0),
        "theme": by_theme,
        "overall": per_group.sum(axis=(0, 1))[None],
    }


def scope_keys(
    prep: Prepared, scope: str
) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
    """Key field names and key tuples of a scope's rows."""
    if scope == "code_document":
        return ("code_id", "document_id"), tuple(
            (c, d) for c in prep.code_ids for d in prep.doc_ids
        )
    if scope == "code":
        return ("code_id",), tuple((c,) for c in prep.code_ids)
    if scope == "document":
        return ("document_id",), tuple((d,) for d in prep.doc_ids)
    if scope == "theme":
        return ("theme_id",), tuple((t,) for t in prep.theme_ids)
    return (), ((),)


def binary_scopes(counts: dict[str, np.ndarray], empty_reason: int) -> dict[str, dict]:
    """:func:`binary_statistics` for every scope's counts."""
    return {
        scope: binary_statistics(*(arr[:, j] for j in range(4)), empty_reason=empty_reason)
        for scope, arr in counts.items()
    }


def pooled_ratio(
    d_o: np.ndarray, d_e: np.ndarray, length: np.ndarray, coded: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``1 - sum D_o / sum D_e`` (sums already taken) with reasons."""
    reasons = np.where(length > 0, DEFINED, R_EMPTY_TEXT)
    reasons = np.where((length > 0) & (coded == 0), R_NOTHING, reasons)
    reasons = np.where((reasons == DEFINED) & ~(d_e > 0), R_ZERO_EXPECTED, reasons).astype(np.int8)
    return 1 - safe_divide(d_o, d_e, reasons == DEFINED), reasons


def unitizing_scopes(prep: Prepared, gd: GroupData) -> dict[str, dict[str, tuple]]:
    """alpha_u and u_alpha for every scope, as ``(values, reasons)`` pairs."""
    n_c, n_d = prep.n_codes, prep.n_docs
    lengths = prep.group_lengths().reshape(n_c, n_d)
    theme = theme_matrix(prep)
    out: dict[str, dict[str, tuple]] = {s: {} for s in SCOPES}

    # alpha_u per code x document, then per code over its documents as one continuum.
    exp_g = expected_sums(gd.seg_len, gd.seg_grp, gd.gap_len, gd.gap_grp, n_c * n_d)
    au = alpha_u_values(
        gd.observed.ravel(), exp_g, gd.sq_excess.ravel(), gd.n_seg.ravel(), lengths.ravel()
    )
    out["code_document"]["alpha_u"] = au[:2]
    exp_c = expected_sums(gd.seg_len, gd.seg_grp // n_d, gd.gap_len, gd.gap_grp // n_d, n_c)
    total_len = np.full(n_c, prep.doc_len.sum())
    theme_len = np.full(theme.shape[1], prep.doc_len.sum())
    au_c = alpha_u_values(
        gd.observed.sum(1), exp_c, gd.sq_excess.sum(1), gd.n_seg.sum(1), total_len
    )
    out["code"]["alpha_u"] = au_c[:2]
    d_o_g, d_e_g = au[2].reshape(n_c, n_d), au[3].reshape(n_c, n_d)
    coded_g = gd.n_seg
    out["document"]["alpha_u"] = pooled_ratio(
        d_o_g.sum(0), d_e_g.sum(0), prep.doc_len, coded_g.sum(0)
    )
    out["theme"]["alpha_u"] = pooled_ratio(
        au_c[2] @ theme, au_c[3] @ theme, theme_len, gd.n_seg.sum(1) @ theme
    )
    out["overall"]["alpha_u"] = pooled_ratio(
        au_c[2].sum(keepdims=True),
        au_c[3].sum(keepdims=True),
        total_len[:1],
        gd.n_seg.sum().reshape(1),
    )

    # |u-alpha: additive parts, recomputed per code; 1 - sum u01 / sum e01 over codes.
    cc = gd.char_counts
    both, a_only, b_only, neither = (cc[..., j].ravel() for j in range(4))
    ua = u_alpha_values(both, a_only, b_only, neither, gd.sum_sq.ravel())
    out["code_document"]["u_alpha"] = ua[:2]
    pooled = cc.sum(axis=1)
    both, a_only, b_only, neither = (pooled[:, j] for j in range(4))
    ua_c = u_alpha_values(both, a_only, b_only, neither, gd.sum_sq.sum(1))
    out["code"]["u_alpha"] = ua_c[:2]
    u01_g, e01_g = ua[2].reshape(n_c, n_d), ua[3].reshape(n_c, n_d)
    coded_chars = cc[..., :3].sum(-1)
    out["document"]["u_alpha"] = pooled_ratio(
        u01_g.sum(0), e01_g.sum(0), prep.doc_len, coded_chars.sum(0)
    )
    out["theme"]["u_alpha"] = pooled_ratio(
        ua_c[2] @ theme, ua_c[3] @ theme, theme_len, coded_chars.sum(1) @ theme
    )
    out["overall"]["u_alpha"] = pooled_ratio(
        ua_c[2].sum(keepdims=True),
        ua_c[3].sum(keepdims=True),
        total_len[:1],
        coded_chars.sum().reshape(1),
    )
    return out
