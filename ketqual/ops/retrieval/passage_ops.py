"""Coded passages: every passage of the chosen codes across the project, combined and
filtered, quoted with context, and exported (docx quotes, xlsx, CSV, JSON).

A passage is what the theme-overlap network counts: choosing a theme (with its
subthemes) lists exactly its n passages. See :mod:`ketqual.core.retrieval`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ketqual.core import retrieval as rv
from ketqual.core.retrieval import Condition, PassageList
from ketqual.core.theme_counts import Passage
from ketqual.io import passages_export
from ketqual.ops.changes import Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.retrieval import retrieval_data
from ketqual.ops.retrieval.retrieval_data import Workspace
from ketqual.store.database import ProjectStore

FORMATS = passages_export.FORMATS
MAX_WITHIN = 50


@dataclass(frozen=True)
class PassageQuery:
    """What to retrieve.

    Attributes:
        codes: Codes by name (``Theme``, ``Theme/Subtheme``) or id; their passages are
            merged (A).
        include_subthemes: A theme brings its subthemes' codings (else only codings at the
            theme itself).
        layer: ``consensus`` or a coder's name.
        operator: ``None``, ``and``, ``not`` or ``near``, combining A with ``other`` (B).
        other: The codes of B.
        within: For ``near``: how many sentence units apart.
        where: ``(attribute, value)`` conditions; values of one attribute are
            alternatives, different attributes must all hold.
        contains: Words the passage must contain.
        only: When given, keep only passages at these ``(document, start, end)`` (a
            crosstab cell's passages).
        context: Characters of context either side.
    """

    codes: tuple[str | int, ...]
    include_subthemes: bool = True
    layer: str = retrieval_data.CONSENSUS
    operator: str | None = None
    other: tuple[str | int, ...] = ()
    within: int = 1
    where: tuple[tuple[str, str], ...] = ()
    contains: str = ""
    only: frozenset[tuple[int, int, int]] | None = None
    context: int = rv.DEFAULT_CONTEXT


def _codes(ws: Workspace, names: Iterable[str | int]) -> list[int]:
    out = []
    for name in names:
        try:
            out.append(rv.resolve_code(ws.codes, name).id)
        except ValueError as exc:
            raise OperationError(str(exc)) from None
    return list(dict.fromkeys(out))


def conditions(ws: Workspace, where: Sequence[tuple[str, str]]) -> list[Condition]:
    """Filters from ``(attribute, value)`` pairs: one condition per attribute.

    Raises:
        OperationError: For an unknown attribute (naming those there are).
    """
    grouped: dict[rv.AttributeRef, set[str]] = {}
    for name, value in where:
        ref = ws.find_ref(name)
        grouped.setdefault(ref, set()).add(" ".join(str(value).split()))
    return [Condition(ref, frozenset(values)) for ref, values in grouped.items()]


def parse_where(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``ATTR=VALUE`` texts as pairs.

    Raises:
        OperationError: For an item without ``=``.
    """
    out = []
    for item in items:
        name, sep, value = str(item).partition("=")
        if not sep or not name.strip():
            raise OperationError(
                f"--where takes ATTRIBUTE=VALUE (for example role=carer), not '{item}'"
            )
        out.append((name.strip(), value.strip()))
    return tuple(out)


def _labels_of(ws: Workspace, ids: Sequence[int]) -> list[str]:
    return [ws.labels.get(i, "?") for i in ids]


def select(ws: Workspace, query: PassageQuery) -> tuple[list[Passage], list[int], str]:
    """The passages of a query before filters, the codes of A, and the query in words.

    Raises:
        OperationError: Unknown codes, a bad operator or distance.
    """
    if not query.codes:
        raise OperationError("choose at least one code")
    chosen = _codes(ws, query.codes)
    a_codes = rv.expand_codes(ws.codes, chosen, include_subthemes=query.include_subthemes)
    found = rv.passages_of(ws.spans, a_codes)
    text = rv.describe_choice(
        _labels_of(ws, chosen),
        query.include_subthemes and any(c.parent_id in set(chosen) for c in ws.codes),
    )
    if query.operator:
        if query.operator not in rv.OPERATORS:
            raise OperationError(
                f"combine with one of {', '.join(rv.OPERATORS)}, not '{query.operator}'"
            )
        if not query.other:
            raise OperationError(f"{rv.OPERATOR_WORDS[query.operator]} needs a second code")
        if not 0 <= query.within <= MAX_WITHIN:
            raise OperationError(f"NEAR takes a distance of 0 to {MAX_WITHIN} sentences")
        others = _codes(ws, query.other)
        b_codes = rv.expand_codes(ws.codes, others, include_subthemes=query.include_subthemes)
        b_found = rv.passages_of(ws.spans, b_codes)
        sentences = None
        if query.operator == "near":
            sentences = ws.need_sentences({p.document_id for p in (*found, *b_found)})
        found = rv.combine(found, b_found, query.operator, within=query.within, sentences=sentences)
        word = rv.OPERATOR_WORDS[query.operator]
        if query.operator == "near":
            word += f" (within {query.within} sentence{'s' if query.within != 1 else ''})"
        text += f" {word} " + " or ".join(_labels_of(ws, others))
        a_codes = a_codes | b_codes if query.operator == "and" else a_codes
    return found, sorted(a_codes), text


def run_query(ws: Workspace, query: PassageQuery, project_name: str = "") -> PassageList:
    """Retrieve in a loaded workspace (the crosstab and the report use it too)."""
    found, a_codes, description = select(ws, query)
    before = len(found)
    wanted = conditions(ws, query.where)
    if query.only is not None:
        found = [p for p in found if rv.key(p) in query.only]
    ws.need_texts({p.document_id for p in found})
    context = ws.context()
    found = rv.filter_passages(found, context, wanted, contains=query.contains, texts=ws.texts)
    quoter = rv.PassageQuoter(
        ws.codes,
        ws.cases,
        ws.documents,
        ws.texts,
        ws.spans,
        ws.labels,
        memos=ws.memos,
        context=context,
        stars=ws.stars,
        width=max(0, query.context),
    )
    rows = quoter.quote(found, a_codes)
    words = [f"{c.ref.label} = {' or '.join(sorted(c.values))}" for c in wanted]
    if query.contains.strip():
        words.append(f"containing “{' '.join(query.contains.split())}”")
    message = ""
    if not rows:
        if before == 0:
            message = f"No coded passages of {description} in the {ws.layer.label} layer."
        else:
            message = (
                f"None of the {before} coded passages of {description} matches "
                + ("the filters" if words else "the cell")
                + (f" ({'; '.join(words)})" if words else "")
                + "."
            )
    return PassageList(
        passages=tuple(rows),
        layer=ws.layer.name,
        layer_label=ws.layer.label,
        description=description,
        conditions=tuple(words),
        before_filters=before,
        message=message,
        code_ids=tuple(a_codes),
        project_name=project_name,
    )


def find_passages(
    project: ProjectStore, query: PassageQuery, *, viewer: str | None = None
) -> PassageList:
    """Every coded passage of the chosen codes, combined and filtered.

    Args:
        project: The open project.
        query: What to retrieve.
        viewer: Who asks (a coder's name); while blinded only their own layer is allowed.

    Raises:
        OperationError: Unknown codes, layers or attributes, a blinded layer, bad options.
    """
    with project.read() as tx:
        layer = retrieval_data.resolve_layer(tx, query.layer, viewer)
        ws = retrieval_data.load(tx, layer)
        name = tx.project.describe()["name"]
        return run_query(ws, query, name)


def passage_objects(result: PassageList) -> list[dict]:
    """The passages as JSON objects (``document``, ``start``, ``end``, ``text``, ``codes``
    and more), as ``ketqual passages --format json`` prints them."""
    return passages_export.objects(result.passages, result.layer)


def export_passages(
    project: ProjectStore,
    result: PassageList,
    path: str | Path,
    *,
    fmt: str | None = None,
    actor: str | None = None,
) -> Change:
    """Write passages as docx (quotes with references), xlsx, CSV or JSON.

    Raises:
        OperationError: An unknown format, or the file cannot be written (nothing
            half-written is left).
    """
    path = Path(path)
    try:
        chosen = passages_export.format_for(path, fmt)
        written = passages_export.write(result, path, chosen)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    summary = (
        f"Exported {len(result.passages)} coded passages ({result.description}) to {path.name}"
    )
    with project.transaction() as tx:
        tx.audit.record(
            actor or default_actor(),
            "retrieval.export",
            summary,
            {"file": str(path), "format": chosen, "passages": len(result.passages)},
        )
    return Change(
        "retrieval.export",
        summary,
        details={"path": written, "format": chosen, "passages": len(result.passages)},
    )


def json_text(result: PassageList) -> str:
    """The JSON list of passages as text."""
    return json.dumps(passage_objects(result), ensure_ascii=False, indent=1) + "\n"
