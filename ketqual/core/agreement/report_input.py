"""Plain inputs of the agreement report and their validation into index arrays.

Documents, codes and codings arrive as plain Python data; everything downstream works on
integer indices and numpy arrays. Offsets are half-open ``[start, end)`` character
offsets into a document's text.

Coordinates: document ``d`` occupies ``[origin_d, origin_d + length_d)`` of a "document
line" with one unused position after each document; code ``c`` of document ``d`` occupies
the same stretch shifted by ``c * span_total``. Spans of different documents or codes
therefore never touch, and one sort handles all of them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

import numpy as np

from ketqual.core.agreement.names import LEVELS, UNIT_KINDS  # noqa: F401 - callers import them here

SPAN_UNITS = ("sentence", "paragraph")


@dataclass(frozen=True)
class DocumentInput:
    """A document as the report needs it.

    Attributes:
        id: Any hashable id.
        text_length: Characters in the text.
        units: Unit kind (``"sentence"``, ``"paragraph"``) -> ``(start, end)`` spans.
    """

    id: Hashable
    text_length: int
    units: Mapping[str, Sequence[tuple[int, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeInput:
    """A code of the codebook; themes have ``parent_id=None``.

    Attributes:
        id: Any hashable id.
        name: Display name.
        parent_id: The parent code's id, or ``None`` for a theme.
    """

    id: Hashable
    name: str
    parent_id: Hashable | None = None


@dataclass
class Prepared:
    """Validated inputs as arrays (see the module docstring for coordinates)."""

    level: str
    doc_ids: list[Hashable]
    doc_len: np.ndarray
    doc_origin: np.ndarray
    span_total: int
    code_ids: list[Hashable]
    code_names: list[str]
    theme_ids: list[Hashable]
    code_theme: np.ndarray
    units: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
    codings: tuple[tuple[np.ndarray, ...], ...]  # per coder: documents, codes, starts, ends
    coder_names: tuple[str, ...] = ()

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    @property
    def n_codes(self) -> int:
        return len(self.code_ids)

    def group_origins(self) -> np.ndarray:
        """Global start of each code x document continuum, indexed ``c * D + d``."""
        c = np.arange(self.n_codes, dtype=np.int64)[:, None] * self.span_total
        return (c + self.doc_origin[None, :]).reshape(-1)

    def group_lengths(self) -> np.ndarray:
        """Length of each code x document continuum."""
        return np.tile(self.doc_len, self.n_codes)


T = TypeVar("T")


def _coerce(item: object, cls: type[T], fields: tuple[str, ...]) -> T:
    if isinstance(item, cls):
        return item
    if isinstance(item, Mapping):
        return cls(**{k: item[k] for k in fields if k in item})
    return cls(*cast(Iterable, item))


def _roots(codes: list[CodeInput]) -> dict[Hashable, Hashable]:
    """Map every code id to its top-level theme's id."""
    parent = {c.id: c.parent_id for c in codes}
    if len(parent) != len(codes):
        raise ValueError("code ids must be unique")
    root: dict[Hashable, Hashable] = {}
    for c in codes:
        seen, node = [c.id], c.id
        while parent[node] is not None:
            node = parent[node]
            if node not in parent:
                raise ValueError(f"code {seen[-1]!r} has an unknown parent {node!r}")
            if node in seen:
                raise ValueError(f"codes {seen} form a parent cycle")
            seen.append(node)
        root[c.id] = node
    return root


def _units(
    kind: str, docs: list[DocumentInput], origin: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Units of one kind: (document index, start, end) in document-line coordinates."""
    parts, owners = [], []
    for d, doc in enumerate(docs):
        spans = doc.units.get(kind, ())
        arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        if arr.size and (
            arr[:, 0].min() < 0
            or np.any(arr[:, 1] < arr[:, 0])
            or arr[:, 1].max() > doc.text_length
        ):
            raise ValueError(f"a {kind} unit of document {doc.id!r} lies outside its text")
        arr = arr[arr[:, 1] > arr[:, 0]]  # empty units hold no characters to code
        parts.append(arr + origin[d])
        owners.append(np.full(len(arr), d, dtype=np.int64))
    both = np.concatenate(parts) if parts else np.zeros((0, 2), np.int64)
    owner = np.concatenate(owners) if owners else np.zeros(0, np.int64)
    order = np.argsort(both[:, 0], kind="stable")
    both, owner = both[order], owner[order]
    if np.any(both[1:, 0] < both[:-1, 1]):
        bad = owner[1:][both[1:, 0] < both[:-1, 1]][0]
        raise ValueError(f"{kind} units of document {docs[bad].id!r} overlap")
    return owner, both[:, 0], both[:, 1]


def _codings(
    codings: Iterable[Sequence[object]],
    doc_index: dict[Hashable, int],
    code_index: dict[Hashable, int],
    doc_len: np.ndarray,
    who: str,
) -> tuple[np.ndarray, ...]:
    rows = list(codings)
    try:
        docs = np.fromiter((doc_index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    except KeyError as exc:
        raise ValueError(f"coder {who}: unknown document id {exc.args[0]!r}") from None
    try:
        codes = np.fromiter((code_index[r[1]] for r in rows), dtype=np.int64, count=len(rows))
    except KeyError as exc:
        raise ValueError(f"coder {who}: unknown code id {exc.args[0]!r}") from None
    starts = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
    ends = np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows))
    bad = (starts < 0) | (ends < starts) | (ends > doc_len[docs])
    if np.any(bad):
        raise ValueError(f"coder {who}: coding {rows[int(np.argmax(bad))]!r} lies outside its text")
    keep = ends > starts  # an empty span codes no character
    return docs[keep], codes[keep], starts[keep], ends[keep]


def prepare(
    documents: Iterable[object],
    codes: Iterable[object],
    codings_a: Iterable[Sequence[object]],
    codings_b: Iterable[Sequence[object]],
    level: str,
) -> Prepared:
    """Validate the two-coder report's inputs and index them (see :func:`prepare_layers`)."""
    return prepare_layers(documents, codes, (codings_a, codings_b), level)


def prepare_layers(
    documents: Iterable[object],
    codes: Iterable[object],
    layers: Sequence[Iterable[Sequence[object]]],
    level: str,
    names: Sequence[str] | None = None,
) -> Prepared:
    """Validate the report's inputs for any number of coders and index them.

    Args:
        documents: :class:`DocumentInput`, mappings with the same keys, or tuples.
        codes: :class:`CodeInput`, mappings or ``(id, name, parent_id)`` tuples.
        layers: Each coder's ``(document_id, code_id, start, end)`` codings.
        level: ``"theme"`` (subtheme codings count for their theme) or ``"subtheme"``.
        names: How to name each coder in messages (default A, B, C ...).

    Returns:
        The :class:`Prepared` arrays.

    Raises:
        ValueError: For unknown ids, duplicate ids, spans outside a text, overlapping
            units of one kind, or an unknown level.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {LEVELS}")
    docs = [_coerce(d, DocumentInput, ("id", "text_length", "units")) for d in documents]
    code_list = [_coerce(c, CodeInput, ("id", "name", "parent_id")) for c in codes]
    doc_index = {d.id: i for i, d in enumerate(docs)}
    if len(doc_index) != len(docs):
        raise ValueError("document ids must be unique")
    doc_len = np.array([int(d.text_length) for d in docs], dtype=np.int64)
    if np.any(doc_len < 0):
        raise ValueError("text lengths must be non-negative")
    doc_origin = np.concatenate(([0], np.cumsum(doc_len + 1)[:-1])).astype(np.int64)
    root = _roots(code_list)
    themes = [c for c in code_list if c.parent_id is None]
    theme_index = {c.id: i for i, c in enumerate(themes)}
    analysed = themes if level == "theme" else code_list
    position = {c.id: i for i, c in enumerate(analysed)}
    # At theme level a subtheme's codings count for its theme.
    code_index = {
        c.id: position[root[c.id]] if level == "theme" else position[c.id] for c in code_list
    }
    who = _names(len(layers), names)
    return Prepared(
        level=level,
        doc_ids=[d.id for d in docs],
        doc_len=doc_len,
        doc_origin=doc_origin,
        span_total=int((doc_len + 1).sum()),
        code_ids=[c.id for c in analysed],
        code_names=[c.name for c in analysed],
        theme_ids=[c.id for c in themes],
        code_theme=np.array([theme_index[root[c.id]] for c in analysed], dtype=np.int64),
        units={kind: _units(kind, docs, doc_origin) for kind in SPAN_UNITS},
        codings=tuple(
            _codings(layer, doc_index, code_index, doc_len, name)
            for layer, name in zip(layers, who, strict=True)
        ),
        coder_names=tuple(who),
    )


def _names(count: int, names: Sequence[str] | None) -> list[str]:
    if names is not None:
        if len(names) != count:
            raise ValueError("give one name per layer of codings")
        return [str(n) for n in names]
    return [chr(ord("A") + i) if i < 26 else str(i + 1) for i in range(count)]
