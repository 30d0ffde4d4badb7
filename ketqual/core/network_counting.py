"""The counting behind ``ketqual.core.network``: passages, unit sets and chains with numpy.

Every document's offsets are placed on one global line (document k at ``k * 2**32``), so
merging passages, finding the units they touch and linking passages into chains is one
sorted sweep over all documents at once.
"""

from __future__ import annotations

import numpy as np

from ketqual.core.agreement.intervals import merge_intervals

# Document k's offsets live at k * _STRIDE on one global line, so one sorted sweep handles
# every document and nothing merges across documents (texts are far shorter than 2**32).
_STRIDE = 1 << 32


class Layer:
    """One layer's codings as global intervals: document k lives at ``k * stride``."""

    def __init__(self, documents, codings, code_ids) -> None:
        self.doc_index = {d.id: k for k, d in enumerate(documents)}
        rows = np.asarray(list(codings), dtype=np.int64).reshape(-1, 4)
        unknown_docs = set(rows[:, 0].tolist()) - set(self.doc_index)
        if unknown_docs:
            raise ValueError(f"a coding refers to document {min(unknown_docs)}, not given")
        unknown_codes = set(rows[:, 1].tolist()) - set(code_ids)
        if unknown_codes:
            raise ValueError(f"a coding refers to code {min(unknown_codes)}, not in the codebook")
        if np.any(rows[:, 3] < rows[:, 2]) or np.any(rows[:, 2] < 0):
            raise ValueError("a coding ends before it starts or starts before its text")
        rows = rows[rows[:, 3] > rows[:, 2]]  # an empty coding mentions nothing
        if len(rows) and int(rows[:, 3].max()) >= _STRIDE:
            raise ValueError("a coding lies beyond the longest text KetQual can hold")
        self.stride = _STRIDE
        self.doc = np.array([self.doc_index[d] for d in rows[:, 0].tolist()], dtype=np.int64)
        self.code = rows[:, 1]
        self.start = self.doc * self.stride + rows[:, 2]
        self.end = self.doc * self.stride + rows[:, 3]

    def passages(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Merged passages of the codings selected by ``mask``."""
        return merge_intervals(self.start[mask], self.end[mask])


def chains(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[int, int]:
    """``(chains holding both, all chains)`` of A and B passages linked by shared
    characters (see ``ketqual.core.network``)."""
    starts = np.concatenate((a[0], b[0]))
    ends = np.concatenate((a[1], b[1]))
    if starts.size == 0:
        return 0, 0
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    # A passage continues the chain only if it starts strictly before everything so far
    # has ended; passages of one theme never overlap each other (they are merged), so
    # every link is between A and B.
    new_chain = np.empty(starts.size, dtype=bool)
    new_chain[0] = True
    new_chain[1:] = starts[1:] >= reach[:-1]
    sizes = np.diff(np.append(np.flatnonzero(new_chain), starts.size))
    return int(np.count_nonzero(sizes > 1)), int(sizes.size)


def unit_arrays(documents, layer: Layer, kind: str) -> tuple[np.ndarray, np.ndarray]:
    starts, ends = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for document in documents:
        spans = document.units.get(kind)
        if not spans:
            continue
        pairs = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
        if np.any(pairs[1:, 0] < pairs[:-1, 1]):
            raise ValueError(f"{kind} units of document {document.id} overlap")
        if pairs[-1, 1] >= layer.stride or pairs[0, 0] < 0:
            raise ValueError(f"a {kind} unit of document {document.id} lies outside its text")
        base = layer.doc_index[document.id] * layer.stride
        starts.append(pairs[:, 0] + base)
        ends.append(pairs[:, 1] + base)
    return np.concatenate(starts), np.concatenate(ends)


def unit_members(
    passages: tuple[np.ndarray, np.ndarray], unit_starts: np.ndarray, unit_ends: np.ndarray
) -> np.ndarray:
    """Boolean vector over units: which units share a character with a passage."""
    first = np.searchsorted(unit_ends, passages[0], side="right")
    last = np.searchsorted(unit_starts, passages[1], side="left") - 1
    keep = first <= last
    marks = np.zeros(unit_starts.size + 1, dtype=np.int64)
    np.add.at(marks, first[keep], 1)
    np.add.at(marks, last[keep] + 1, -1)
    return np.cumsum(marks[:-1]) > 0


def case_members(documents, layer: Layer, row_theme, themes, notes):
    """Per theme, and per code on request, which cases (focus groups) mention it."""
    cases = sorted({d.case_id for d in documents if d.case_id is not None})
    case_index = {c: k for k, c in enumerate(cases)}
    case_of_doc = np.array(
        [case_index.get(d.case_id, -1) if d.case_id is not None else -1 for d in documents],
        dtype=np.int64,
    )
    without = sum(1 for d in documents if d.case_id is None)
    if without:
        notes.append(f"{without} document(s) belong to no focus group and are not counted")
    row_case = case_of_doc[layer.doc] if layer.doc.size else layer.doc

    def members_of(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(len(cases), dtype=bool)
        hit = row_case[mask]
        out[hit[hit >= 0]] = True
        return out

    members = {t.id: members_of(row_theme == t.id) for t in themes}
    return members, lambda code_id: members_of(layer.code == code_id)
