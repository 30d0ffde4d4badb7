"""The unitizing alphas of a whole code system, for any number of coders, from spans only.

Krippendorff, Mathet, Bouvry & Widlöcher (2016), "On the reliability of unitizing textual
continua: Further developments", Quality & Quantity 50, 2347-2364, define a family of
alphas for coders who each cut a continuum into units and give every unit a value. KetQual
computes them as written here (module :mod:`unitizing` has the one-code forms).

**Values.** ``m >= 2`` coders, a continuum of ``L`` characters. A coder's codings of one
code are merged (overlapping or adjacent spans are one unit); text a coder left uncoded is
a gap with the value ``∅``. The codes and ``∅`` are the values of one nominal variable, so
every character has exactly one value per coder: the codes must be mutually exclusive
(see *Overlapping codes*).

**Observed coincidences.** Every character gives each ordered pair of different coders
``i != j`` one pair of values::

    o_ck = 1/(m - 1) sum_{i != j} sum_x [v_i(x) = c] [v_j(x) = k]
         = 1/(m - 1) sum_{i != j} sum_{g of i, h of j, values c, k} |s_ig ∩ s_jh|

**Which pairs count.** The coefficients differ only in the pairs of values they keep:

* ``u_alpha_nominal`` (the paper's *uα*): every pair. Agreement on where the units are
  and on their codes at once.
* ``c_u_alpha`` (*c|uα*, coding given unitizing): only pairs in which both values are
  codes, i.e. the text both coders of a pair put into units. Agreement on the codes of the
  matter both coded; where the units lie does not matter. (Krippendorff's 2019 textbook,
  section 12.6, writes this one *cuα*.)
* ``cu_alpha`` (*cuα*): every pair except ``∅``-``∅``: the codes over all the text that
  at least one coder of a pair coded. Text one coder coded and the other left as a gap is
  disagreement; text both left uncoded counts neither way. The literature uses this name
  inconsistently; this is KetQual's definition, and it is the one shown under this name.
* ``u_alpha_binary`` (*|uα*): two values, *coded with any code* and ``∅``, with each
  coder's codings of all codes merged into stretches. Always defined, overlaps or not.

Each value of a kept pair carries weight ``1/(m - 1)``, so a value's weight ``w`` (one
coder, one character) is the number of other coders it forms a kept pair with over
``m - 1``; in *uα* every weight is 1. ``n_c`` is the total weight of value ``c`` (the
row sums of the kept coincidences) and ``n = sum_c n_c``.

**Expected coincidences** pair any two weighted values of the pool except two values
inside the same unit (a unit is one decision, its characters do not vary independently)
and a gap character with itself::

    e_ck = n (n_c n_k - [c = k] S_c) / (n^2 - S)
    S_c  = sum_{units g of value c} (sum_{x in g} w)^2     for a code
    S_∅  = sum_{gap characters x} w^2                       for the gap,  S = sum_c S_c

With every weight 1 this is the paper's expression (a unit contributes ``l^2``, a gap
``l``), and with units one character long it is ordinary nominal alpha (tested).

**Coefficient.** ``alpha = 1 - sum_{c != k} o_ck / sum_{c != k} e_ck``, which is
``1 - (n - sum_c o_cc)(n^2 - S) / (n (n^2 - sum_c n_c^2))``.

**Documents as one continuum.** Several documents are sections of one continuum: ``L`` is
their total length and no unit or gap crosses from one document into the next. ``o``,
``n_c`` and ``S`` are then sums over documents, so pooling any set of documents (all of
them, a bootstrap replicate) is adding each document's parts.

**Overlapping codes.** KetQual lets a coder put two codes on the same text. *uα*, *c|uα*
and *cuα* need one value per character and coder, so wherever a coder applied two
different codes to one character they are **undefined**, with that reason (the functions
below name the coder, the codes and the place). Choosing one of the overlapping codes, or
cutting the characters out of the coders' units, would put a decision into the data that
no coder made. The report computes them per document, per theme (the theme and its
subthemes as the values, where overlaps are rarer) and over all codes, and leaves a
document in which a coder's compared codes overlap out of the pooled figures as a whole
(:mod:`~ketqual.core.agreement.report_across`). *|uα* per code and *|uα* for any code look
at one layer at a time and are always defined.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ketqual.core.agreement.binary import (
    DEFINED,
    R_EMPTY_TEXT,
    R_EVERYTHING,
    R_NO_OVERLAP,
    R_NOT_EXCLUSIVE,
    R_NOTHING,
    R_ONE_VALUE,
    R_ZERO_EXPECTED,
    REASONS,
    safe_divide,
)
from ketqual.core.agreement.intervals import merge_intervals, overlap_pairs
from ketqual.core.agreement.result import NOT_EXCLUSIVE, Statistic, undefined

FAMILY = ("u_alpha_nominal", "c_u_alpha", "cu_alpha", "u_alpha_binary")
MUTUALLY_EXCLUSIVE = ("u_alpha_nominal", "c_u_alpha", "cu_alpha")


@dataclass(frozen=True)
class Layer:
    """One coder's codings as arrays: document index, start, end (document offsets), value.

    Attributes:
        doc: Document index of each coding.
        start: Start offset within its document.
        end: End offset.
        value: Value (code) index, ``0 <= value < n_values``.
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class FamilyParts:
    """Per-document additive parts of the family (``D`` documents, ``V`` codes).

    Only linear summaries of the coincidence matrix are kept, which is all the
    coefficients need: pooling documents (or drawing bootstrap replicates) is a sum.

    Attributes:
        margins: ``(D, V + 1)`` row sums ``n_c`` of the coincidences; column ``V`` is ``∅``.
        given_margins: ``(D, V)`` row sums of the code x code block (text both coders of a
            pair coded).
        agree: ``(D,)`` ``sum_c o_cc`` over the codes.
        gap_gap: ``(D,)`` ``o_∅∅``.
        sq_units: ``(D, V + 1)`` ``S_c`` of *uα* (squared unit lengths; gap length).
        sq_given: ``(D, V)`` ``S_c`` of *c|uα* (squared unit weights).
        sq_gap_cu: ``(D,)`` ``S_∅`` of *cuα* (squared gap-character weights).
        clash: ``(D,)`` characters a coder coded with two or more codes (summed over coders).
        bin_u01: ``(D,)`` observed ``o_(coded, ∅)`` of *|uα* for any code.
        bin_coded: ``(D,)`` coded characters of all coders (any code).
        bin_sq: ``(D,)`` squared lengths of the coders' coded stretches (any code).
        length: ``(D,)`` characters per document.
        n_coders: ``m``.
    """

    margins: np.ndarray
    given_margins: np.ndarray
    agree: np.ndarray
    gap_gap: np.ndarray
    sq_units: np.ndarray
    sq_given: np.ndarray
    sq_gap_cu: np.ndarray
    clash: np.ndarray
    bin_u01: np.ndarray
    bin_coded: np.ndarray
    bin_sq: np.ndarray
    length: np.ndarray
    n_coders: int

    def flat(self) -> np.ndarray:
        """Every field side by side as one ``(D, K)`` matrix (see :meth:`from_flat`)."""
        return np.concatenate(
            [
                getattr(self, name).reshape(self.length.size, -1).astype(np.float64)
                for name in self.__dataclass_fields__
                if name != "n_coders"
            ],
            axis=1,
        )

    def from_flat(self, flat: np.ndarray) -> FamilyParts:
        """Parts with the shape of ``flat[..., K]`` rows, laid out as :meth:`flat` does;
        ``weights @ parts.flat()`` pools many groups of documents in one product."""
        fields, at = {}, 0
        for name in self.__dataclass_fields__:
            if name == "n_coders":
                continue
            tail = getattr(self, name).shape[1:]
            size = int(np.prod(tail)) if tail else 1
            fields[name] = flat[..., at : at + size].reshape(*flat.shape[:-1], *tail)
            at += size
        return FamilyParts(**fields, n_coders=self.n_coders)

    def pooled(self, weights: np.ndarray) -> FamilyParts:
        """Parts of groups of documents: ``weights`` is ``(..., D)`` (0/1 selections,
        bootstrap counts); the result has the leading shape instead of ``D``."""
        w = np.asarray(weights, dtype=np.float64)
        fields = {
            name: np.tensordot(w, getattr(self, name).astype(np.float64), axes=([-1], [0]))
            for name in self.__dataclass_fields__
            if name != "n_coders"
        }
        return FamilyParts(**fields, n_coders=self.n_coders)


def coverage_counts(
    starts: np.ndarray, ends: np.ndarray, origin: np.ndarray, n_docs: int, m: int
) -> np.ndarray:
    """``(D, m + 1)`` characters covered by exactly ``k`` of the given disjoint-per-coder
    stretches (global coordinates); column 0 is left at 0."""
    hist = np.zeros((n_docs, m + 1))
    if starts.size:
        pos = np.concatenate((starts, ends))
        delta = np.concatenate((np.ones(starts.size, np.int64), -np.ones(ends.size, np.int64)))
        order = np.argsort(pos, kind="stable")
        pos, level = pos[order], np.cumsum(delta[order])
        width = np.diff(pos)
        k = level[:-1]
        doc = np.searchsorted(origin, pos[:-1], side="right") - 1
        keep = (width > 0) & (k > 0)
        np.add.at(hist, (doc[keep], k[keep]), width[keep])
    return hist


def _merge_layer(
    layer: Layer, origin: np.ndarray, total: int, n_docs: int
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, np.ndarray], np.ndarray]:
    """A coder's merged units ``(start, end, value, doc)`` sorted along the document line,
    the union of all their codes ``(start, end)``, and characters coded twice per document."""
    # Merge per (value, document) in a line where values never touch each other.
    key = layer.value.astype(np.int64) * total + origin[layer.doc]
    s, e = merge_intervals(key + layer.start, key + layer.end)
    value = s // total
    s, e = s - value * total, e - value * total
    order = np.argsort(s, kind="stable")
    s, e, value = s[order], e[order], value[order]
    us, ue = merge_intervals(s, e)
    doc = np.searchsorted(origin, s, side="right") - 1
    udoc = np.searchsorted(origin, us, side="right") - 1
    twice = np.bincount(doc, weights=e - s, minlength=n_docs) - np.bincount(
        udoc, weights=ue - us, minlength=n_docs
    )
    return (s, e, value, doc), (us, ue), twice


def overlapping_characters(doc_len: Sequence[int] | np.ndarray, layer: Layer) -> np.ndarray:
    """Per document, how many characters one coder coded with two or more codes
    (counted once per extra code)."""
    length = np.asarray(doc_len, dtype=np.int64)
    origin = np.concatenate(([0], np.cumsum(length + 1)[:-1])).astype(np.int64)
    return _merge_layer(layer, origin, int((length + 1).sum()), length.size)[2]


def family_parts(
    doc_len: Sequence[int] | np.ndarray, layers: Sequence[Layer], n_values: int
) -> FamilyParts:
    """Compute every document's parts of the family from the coders' codings.

    Args:
        doc_len: Characters per document.
        layers: One :class:`Layer` per coder (at least two); codings may overlap and
            repeat, each coder's codings of one value are merged first.
        n_values: Number of codes ``V``; every ``value`` lies in ``[0, V)``.

    Returns:
        The :class:`FamilyParts`.

    Raises:
        ValueError: For fewer than two coders.
    """
    m = len(layers)
    if m < 2:
        raise ValueError("the unitizing alphas need at least two coders")
    length = np.asarray(doc_len, dtype=np.int64)
    n_docs, n_v = length.size, n_values
    origin = np.concatenate(([0], np.cumsum(length + 1)[:-1])).astype(np.int64)
    total = int((length + 1).sum())

    merged, unions, clash = [], [], np.zeros(n_docs)
    for layer in layers:
        units, union, twice = _merge_layer(layer, origin, total, n_docs)
        merged.append(units)
        unions.append(union)
        clash += twice

    # The mutually exclusive coefficients use documents where no coder's codes overlap.
    clean = clash == 0
    merged = [(s[k], e[k], v[k], d[k]) for s, e, v, d in merged for k in [clean[d]]]
    coded = [
        np.bincount(d * n_v + v, weights=e - s, minlength=n_docs * n_v).reshape(n_docs, n_v)
        for s, e, v, d in merged
    ]
    tot = [c.sum(axis=1) for c in coded]
    weight = [np.zeros(s.size) for s, *_ in merged]
    given = np.zeros((n_docs, n_v))
    agree = np.zeros(n_docs)
    gap_gap = np.zeros(n_docs)
    for i in range(m):
        for j in range(i + 1, m):
            si, ei, vi, di = merged[i]
            sj, ej, vj, dj = merged[j]
            ia, ib = overlap_pairs(si, ei, sj, ej)
            inter = (np.minimum(ei[ia], ej[ib]) - np.maximum(si[ia], sj[ib])).astype(np.float64)
            weight[i] += np.bincount(ia, weights=inter, minlength=si.size)
            weight[j] += np.bincount(ib, weights=inter, minlength=sj.size)
            doc = di[ia]
            # Both orders of the pair: (i, j) and (j, i).
            given += np.bincount(doc * n_v + vi[ia], weights=inter, minlength=n_docs * n_v).reshape(
                n_docs, n_v
            )
            given += np.bincount(doc * n_v + vj[ib], weights=inter, minlength=n_docs * n_v).reshape(
                n_docs, n_v
            )
            same = vi[ia] == vj[ib]
            agree += 2 * np.bincount(doc[same], weights=inter[same], minlength=n_docs)
            shared = np.bincount(doc, weights=inter, minlength=n_docs)
            gap_gap += 2 * np.where(clean, length - tot[i] - tot[j] + shared, 0)

    margins = np.zeros((n_docs, n_v + 1))
    sq_units = np.zeros((n_docs, n_v + 1))
    sq_given = np.zeros((n_docs, n_v))
    for (s, e, v, d), c, w in zip(merged, coded, weight, strict=True):
        margins[:, :n_v] += c
        lf = (e - s).astype(np.float64)
        sq_units[:, :n_v] += np.bincount(
            d * n_v + v, weights=lf**2, minlength=n_docs * n_v
        ).reshape(n_docs, n_v)
        sq_given += np.bincount(
            d * n_v + v, weights=(w / (m - 1)) ** 2, minlength=n_docs * n_v
        ).reshape(n_docs, n_v)
    gaps = np.where(clean, m * length - sum(tot), 0)
    margins[:, n_v] = gaps
    sq_units[:, n_v] = gaps

    k = np.arange(m + 1, dtype=np.float64)
    cover = coverage_counts(
        np.concatenate([s for s, *_ in merged]),
        np.concatenate([e for _, e, *_ in merged]),
        origin,
        n_docs,
        m,
    )
    bin_cover = coverage_counts(
        np.concatenate([s for s, _ in unions]),
        np.concatenate([e for _, e in unions]),
        origin,
        n_docs,
        m,
    )
    bin_sq = np.zeros(n_docs)
    for us, ue in unions:
        udoc = np.searchsorted(origin, us, side="right") - 1
        bin_sq += np.bincount(udoc, weights=(ue - us).astype(np.float64) ** 2, minlength=n_docs)
    return FamilyParts(
        margins=margins,
        given_margins=given / (m - 1),
        agree=agree / (m - 1),
        gap_gap=gap_gap / (m - 1),
        sq_units=sq_units,
        sq_given=sq_given,
        sq_gap_cu=cover @ ((m - k) * (k / (m - 1)) ** 2),
        clash=clash,
        bin_u01=bin_cover @ (k * (m - k) / (m - 1)),
        bin_coded=bin_cover @ k,
        bin_sq=bin_sq,
        length=length.astype(np.float64),
        n_coders=m,
    )


def _alpha(
    n_c: np.ndarray, agree: np.ndarray, sq: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(alpha, n, n^2 - sum n_c^2, n^2 - S)`` from margins ``(..., V)``, the kept
    diagonal ``sum_c o_cc`` and ``S``, each of shape ``(...)``."""
    n = n_c.sum(axis=-1)
    spread = n**2 - (n_c**2).sum(axis=-1)
    room = n**2 - sq
    tol = 1e-9 * np.maximum(n**2, 1.0)
    ok = (spread > tol) & (room > tol) & (n > 0)
    alpha = 1 - safe_divide((n - agree) * room, n * spread, ok)
    return alpha, n, np.where(spread > tol, spread, 0.0), np.where(room > tol, room, 0.0)


def family_values(parts: FamilyParts) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every coefficient of the family from (pooled) parts, vectorised over leading axes.

    Returns:
        name -> ``(values, reasons)`` with NaN values where undefined and reason codes of
        :data:`~ketqual.core.agreement.binary.REASONS`.
    """
    m, n_v = parts.n_coders, parts.given_margins.shape[-1]
    length = parts.length
    has_text = length > 0
    coded = parts.margins[..., :n_v].sum(axis=-1)
    base = np.where(has_text, DEFINED, R_EMPTY_TEXT)
    base = np.where(has_text & (parts.clash > 0), R_NOT_EXCLUSIVE, base)
    base = np.where((base == DEFINED) & (coded <= 0), R_NOTHING, base)

    def finish(alpha, n, spread, room, empty_reason, flat_reason):
        reasons = np.where((base == DEFINED) & ~(n > 0), empty_reason, base)
        reasons = np.where((reasons == DEFINED) & ~(spread > 0), flat_reason, reasons)
        reasons = np.where((reasons == DEFINED) & ~(room > 0), R_ZERO_EXPECTED, reasons)
        reasons = reasons.astype(np.int8)
        return np.where(reasons == DEFINED, alpha, np.nan), reasons

    out = {}
    out["u_alpha_nominal"] = finish(
        *_alpha(parts.margins, parts.agree + parts.gap_gap, parts.sq_units.sum(axis=-1)),
        R_NOTHING,
        R_EVERYTHING,
    )
    out["c_u_alpha"] = finish(
        *_alpha(parts.given_margins, parts.agree, parts.sq_given.sum(axis=-1)),
        R_NO_OVERLAP,
        R_ONE_VALUE,
    )
    kept = parts.margins.copy()
    kept[..., n_v] -= parts.gap_gap
    out["cu_alpha"] = finish(
        *_alpha(kept, parts.agree, parts.sq_units[..., :n_v].sum(axis=-1) + parts.sq_gap_cu),
        R_NOTHING,
        R_ONE_VALUE,
    )
    # |u-alpha for "coded with any code": two values, the union of each coder's codings.
    total = m * length
    l1 = parts.bin_coded
    l0 = total - l1
    room = total**2 - parts.bin_sq - l0
    reasons = np.where(has_text, DEFINED, R_EMPTY_TEXT)
    reasons = np.where(has_text & (l1 <= 0), R_NOTHING, reasons)
    reasons = np.where(has_text & (l0 <= 0), R_EVERYTHING, reasons)
    reasons = np.where((reasons == DEFINED) & ~(room > 0), R_ZERO_EXPECTED, reasons)
    reasons = reasons.astype(np.int8)
    ok = reasons == DEFINED
    e01 = safe_divide(total * l1 * l0, room, ok)
    out["u_alpha_binary"] = (np.where(ok, 1 - safe_divide(parts.bin_u01, e01, ok), np.nan), reasons)
    return out


def u_alpha_binary_values(
    hist: np.ndarray, sum_sq: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """|u-alpha of one code for ``m`` coders from coverage counts (vectorised).

    Args:
        hist: ``(..., m + 1)`` characters coded by exactly ``k`` coders.
        sum_sq: ``(...)`` sum of squared merged-segment lengths of all coders.

    Returns:
        ``(values, reasons, u01, e01)``; pooling over codes is ``1 - sum u01 / sum e01``.
        For two coders this is :func:`~ketqual.core.agreement.unitizing.u_alpha_values`.
    """
    hist = np.asarray(hist, dtype=np.float64)
    m = hist.shape[-1] - 1
    k = np.arange(m + 1, dtype=np.float64)
    length = hist.sum(axis=-1)
    total = m * length
    l1 = hist @ k
    l0 = total - l1
    room = total**2 - np.asarray(sum_sq, dtype=np.float64) - l0
    reasons = np.where(length > 0, DEFINED, R_EMPTY_TEXT)
    reasons = np.where((length > 0) & (l1 == 0), R_NOTHING, reasons)
    reasons = np.where((length > 0) & (l0 == 0), R_EVERYTHING, reasons)
    reasons = np.where((reasons == DEFINED) & ~(room > 0), R_ZERO_EXPECTED, reasons).astype(np.int8)
    ok = reasons == DEFINED
    u01 = hist @ (k * (m - k) / (m - 1))
    e01 = safe_divide(total * l1 * l0, room, ok)
    values = 1 - safe_divide(u01, e01, ok)
    return values, reasons, np.where(ok, u01, 0.0), np.where(ok, e01, 0.0)


# -- one continuum: the public entry points ------------------------------------------------

Spans = Iterable[tuple[int, int, Hashable]]


def _layers(
    text_length: int, coders: Mapping[Hashable, Spans]
) -> tuple[list[Layer], list[Hashable], list[Hashable]]:
    if text_length < 0:
        raise ValueError("text_length must be non-negative")
    if len(coders) < 2:
        raise ValueError("the unitizing alphas need at least two coders")
    values: dict[Hashable, int] = {}
    layers = []
    for coder, spans in coders.items():
        rows = [(int(s), int(e), c) for s, e, c in spans]
        for s, e, _ in rows:
            if s < 0 or e < s or e > text_length:
                raise ValueError(f"coder {coder!r}: span ({s}, {e}) lies outside the text")
        index = [values.setdefault(c, len(values)) for _, _, c in rows]
        layers.append(
            Layer(
                doc=np.zeros(len(rows), np.int64),
                start=np.array([r[0] for r in rows], np.int64),
                end=np.array([r[1] for r in rows], np.int64),
                value=np.array(index, np.int64),
            )
        )
    return layers, list(coders), list(values)


def _clash_detail(layer: Layer, codes: list[Hashable]) -> str | None:
    """Where one coder's codings of two different codes first overlap, in words."""
    best = None
    for v in np.unique(layer.value):
        s, e = merge_intervals(layer.start[layer.value == v], layer.end[layer.value == v])
        for w in np.unique(layer.value):
            if w <= v:
                continue
            t, f = merge_intervals(layer.start[layer.value == w], layer.end[layer.value == w])
            ia, ib = overlap_pairs(s, e, t, f)
            if ia.size:
                lo = int(max(s[ia[0]], t[ib[0]]))
                hi = int(min(e[ia[0]], f[ib[0]]))
                if best is None or lo < best[0]:
                    best = (lo, hi, codes[int(v)], codes[int(w)])
    if best is None:
        return None
    lo, hi, c1, c2 = best
    return f"{c1!r} and {c2!r} both cover characters {lo}-{hi}"


def unitizing_family(text_length: int, coders: Mapping[Hashable, Spans]) -> dict[str, Statistic]:
    """Every coefficient of the family on one text (see the module docstring).

    Args:
        text_length: Characters in the text.
        coders: Coder -> that coder's ``(start, end, code)`` spans; gaps are implicit.
            Spans of one code are merged per coder first.

    Returns:
        ``u_alpha_nominal``, ``c_u_alpha``, ``cu_alpha`` and ``u_alpha_binary`` as
        :class:`Statistic` objects (no SE: use the report's bootstrap over documents).
        Where a coder applied two codes to one character, the first three are undefined
        and the reason says who, which codes and where.

    Raises:
        ValueError: For fewer than two coders or spans outside the text.
    """
    layers, names, codes = _layers(text_length, coders)
    parts = family_parts([text_length], layers, max(len(codes), 1))
    values = family_values(parts)
    detail = None
    if parts.clash[0] > 0:
        for name, layer in zip(names, layers, strict=True):
            where = _clash_detail(layer, codes)
            if where:
                detail = f"{NOT_EXCLUSIVE} (coder {name!r}: {where})"
                break
    out = {}
    for name, (vals, reasons) in values.items():
        code = int(reasons[0])
        if code == R_NOT_EXCLUSIVE and detail:
            out[name] = undefined(name, detail, n=text_length)
        elif code != DEFINED:
            out[name] = undefined(name, REASONS[code], n=text_length)
        else:
            out[name] = Statistic(name=name, value=float(vals[0]), n=text_length)
    return out


def u_alpha_nominal(text_length: int, coders: Mapping[Hashable, Spans]) -> Statistic:
    """*uα*: agreement on the units and their codes, gaps included (module docstring).

    Args:
        text_length: Characters in the text.
        coders: Coder -> ``(start, end, code)`` spans (gaps implicit); two or more coders.

    Returns:
        A :class:`Statistic`; undefined where a coder's codes overlap.
    """
    return unitizing_family(text_length, coders)["u_alpha_nominal"]


def c_u_alpha(text_length: int, coders: Mapping[Hashable, Spans]) -> Statistic:
    """*c|uα*: agreement on the codes of text that coders both put into units.

    Args:
        text_length: Characters in the text.
        coders: Coder -> ``(start, end, code)`` spans (gaps implicit); two or more coders.

    Returns:
        A :class:`Statistic`; undefined where a coder's codes overlap, where no two
        coders coded the same text, or where only one code is used there.
    """
    return unitizing_family(text_length, coders)["c_u_alpha"]


def cu_alpha(text_length: int, coders: Mapping[Hashable, Spans]) -> Statistic:
    """*cuα*: agreement on the codes over all text that at least one coder of a pair coded.

    Args:
        text_length: Characters in the text.
        coders: Coder -> ``(start, end, code)`` spans (gaps implicit); two or more coders.

    Returns:
        A :class:`Statistic`; undefined where a coder's codes overlap.
    """
    return unitizing_family(text_length, coders)["cu_alpha"]


def u_alpha_binary(text_length: int, coders: Mapping[Hashable, Iterable[tuple]]) -> Statistic:
    """*|uα* for ``m`` coders: coded (with any code) or not; spans may omit the code.

    With one code this is the per-code |u-alpha of :func:`~ketqual.core.agreement.u_alpha`,
    generalised to any number of coders.

    Args:
        text_length: Characters in the text.
        coders: Coder -> ``(start, end)`` or ``(start, end, code)`` spans.

    Returns:
        A :class:`Statistic`.
    """
    plain = {c: [(s[0], s[1], 0) for s in spans] for c, spans in coders.items()}
    return unitizing_family(text_length, plain)["u_alpha_binary"]
