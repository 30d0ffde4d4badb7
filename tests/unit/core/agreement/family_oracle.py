"""A literal, slow oracle for the unitizing alphas across codes, for any number of coders.

Written straight from the definitions in the docstring of
``ketqual.core.agreement.unitizing_codes`` (after Krippendorff, Mathet, Bouvry & Widlöcher
2016), by counting pairs of (coder, character) values one by one. It shares no code with
the engine. ``sections`` is a list of ``(length, {coder: [(start, end, code), ...]})``, one
per document; the documents form one continuum in which no unit crosses a document border.
"""

from __future__ import annotations

import itertools

GAP = "∅"


def values_and_units(length, spans):
    """Per character: (value, unit id or None) of one coder in one section.

    Spans of one code are merged (overlapping or adjacent); returns None when two
    different codes cover one character (not mutually exclusive).
    """
    by_code = {}
    for s, e, code in spans:
        for x in range(s, e):
            by_code.setdefault(code, set()).add(x)
    value = [GAP] * length
    unit = [None] * length
    for code, chars in by_code.items():
        for x in sorted(chars):
            if value[x] != GAP:
                return None
            value[x] = code
            # A unit is a maximal run of one code; runs end where the code stops.
            unit[x] = (code, x) if x - 1 not in chars else unit[x - 1]
    return value, unit


def family(sections, variant):
    """``alpha`` of ``variant`` in ``("u", "c|u", "cu")``, or None when undefined.

    Pairs kept: "u" every pair; "c|u" both values codes; "cu" not both gaps.
    """
    coders = sorted({c for _, layer in sections for c in layer})
    m = len(coders)
    keep = {
        "u": lambda a, b: True,
        "c|u": lambda a, b: a != GAP and b != GAP,
        "cu": lambda a, b: not (a == GAP and b == GAP),
    }[variant]
    cells = []  # (coder, section, char, value, unit, weight)
    observed = {}
    for sec, (length, layer) in enumerate(sections):
        per = {}
        for c in coders:
            got = values_and_units(length, layer.get(c, []))
            if got is None:
                return None
            per[c] = got
        for x in range(length):
            for i in coders:
                vi = per[i][0][x]
                kept = 0
                for j in coders:
                    if j == i:
                        continue
                    vj = per[j][0][x]
                    if keep(vi, vj):
                        kept += 1
                        observed[(vi, vj)] = observed.get((vi, vj), 0) + 1 / (m - 1)
                if kept:
                    unit = per[i][1][x]
                    cells.append(
                        (i, sec, x, vi, None if unit is None else (sec, unit), kept / (m - 1))
                    )
    total = sum(observed.values())
    if total == 0:
        return None
    expected = {}
    for p, q in itertools.product(cells, repeat=2):
        same_unit = p[0] == q[0] and p[4] is not None and p[4] == q[4]
        itself = p[:3] == q[:3]
        if same_unit or itself:
            continue
        key = (p[3], q[3])
        expected[key] = expected.get(key, 0) + p[5] * q[5]
    exp_total = sum(expected.values())
    d_o = sum(v for (a, b), v in observed.items() if a != b)
    d_e = sum(v for (a, b), v in expected.items() if a != b) * total / exp_total if exp_total else 0
    if d_e <= 1e-12:
        return None
    return 1 - d_o / d_e
