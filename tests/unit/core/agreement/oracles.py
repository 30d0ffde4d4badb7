"""Literal, slow re-implementations of the unitizing alphas, used as test oracles.

They follow the papers term by term and share no code with the engine. ``sections`` is a
list of ``(length, spans_a, spans_b)``, one per document; documents are sections of one
continuum: no segment, gap or unit crosses from one to the next.
"""

from __future__ import annotations

import itertools

import numpy as np

from ketqual.core.agreement import merge_spans


def segments(length, spans, offset=0):
    """A coder's section as (begin, length, coded) segments: merged spans and gaps."""
    out, pos = [], 0
    for s, e in merge_spans(spans, length):
        if s > pos:
            out.append((offset + pos, s - pos, False))
        out.append((offset + s, e - s, True))
        pos = e
    if pos < length:
        out.append((offset + pos, length - pos, False))
    return out


def delta2(g, h):
    """Krippendorff (2004) difference of segment g of one coder and h of another."""
    (b1, l1, v1), (b2, l2, v2) = g, h
    if v1 and v2 and -l1 < b1 - b2 < l2:
        return (b1 - b2) ** 2 + (b1 + l1 - b2 - l2) ** 2
    if v1 and not v2 and l2 - l1 >= b1 - b2 >= 0:
        return l1**2
    if v2 and not v1 and l1 - l2 >= b2 - b1 >= 0:
        return l2**2
    return 0


def alpha_u_parts(sections):
    """(D_o, D_e) of Krippendorff's (2004) alpha_U for two coders."""
    coders, offset = [[], []], 0
    for length, spans_a, spans_b in sections:
        coders[0] += segments(length, spans_a, offset)
        coders[1] += segments(length, spans_b, offset)
        offset += length
    big_l, m = offset, 2
    d_o = sum(
        delta2(g, h)
        for i, j in itertools.permutations(range(m), 2)
        for g in coders[i]
        for h in coders[j]
    ) / (m * (m - 1) * big_l**2)
    coded = [seg for c in coders for seg in c if seg[2]]
    gaps = [seg for c in coders for seg in c if not seg[2]]
    n_c = len(coded)
    num = 0.0
    for _, lg, _ in coded:
        num += (n_c - 1) / 3 * (2 * lg**3 - 3 * lg**2 + lg)
        num += lg**2 * sum(lh - lg + 1 for _, lh, _ in gaps if lh >= lg)
    d_e = (
        (2 / big_l) * num / (m * big_l * (m * big_l - 1) - sum(lg * (lg - 1) for _, lg, _ in coded))
    )
    return d_o, d_e


def alpha_u(sections):
    d_o, d_e = alpha_u_parts(sections)
    return 1 - d_o / d_e


def u_alpha_parts(sections):
    """(u01, e01) of the binary |u-alpha (Krippendorff et al. 2016) by counting pairs."""
    positions = []  # (coder, doc, position, value, unit id or None)
    for doc, (length, *spans) in enumerate(sections):
        for coder in (0, 1):
            unit_of = {}
            for k, (s, e) in enumerate(merge_spans(spans[coder], length)):
                unit_of.update({x: k for x in range(s, e)})
            positions += [(coder, doc, x, int(x in unit_of), unit_of.get(x)) for x in range(length)]
    obs = np.zeros((2, 2))
    exp = np.zeros((2, 2))
    for p, q in itertools.product(positions, repeat=2):
        if p[0] != q[0] and p[1:3] == q[1:3]:
            obs[p[3], q[3]] += 1  # / (m - 1) = 1
        same_unit = p[:2] == q[:2] and p[4] is not None and p[4] == q[4]
        if not same_unit and p[:3] != q[:3]:
            exp[p[3], q[3]] += 1
    exp *= obs.sum() / exp.sum()
    return obs[0, 1], exp[0, 1]


def u_alpha(sections):
    u01, e01 = u_alpha_parts(sections)
    return 1 - u01 / e01
