"""Coded passages: every passage of the chosen codes across the project, combined and
filtered, quoted with context, and exported (docx quotes, xlsx, CSV, JSON).

A passage is what the theme-overlap network counts: choosing a theme (with its
subthemes) lists exactly its n passages. See :mod:`ketqual.core.retrieval`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ketqual.core import retrieval as rv
from ketqual.core.attributes import KIND_VALUES, order_values
from ketqual.core.retrieval import Condition, PassageList, PassageQuery
from ketqual.core.theme_counts import Passage, codebook_order
from ketqual.io import passages_export
from ketqual.ops.changes import NOTHING, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.retrieval import retrieval_data
from ketqual.ops.retrieval.retrieval_data import Workspace
from ketqual.store.database import ProjectStore

FORMATS = passages_export.FORMATS
CONSENSUS = retrieval_data.CONSENSUS
MAX_WITHIN = 50


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


def select(ws: Workspace, query: PassageQuery) -> tuple[list[Passage], list[int], str]:
    """The passages of a query before filters, the codes of A, and the query in words.

    Raises:
        OperationError: Unknown codes, a bad operator or distance.
    """
    if not query.codes:
        raise OperationError("choose at least one code")
    chosen = _codes(ws, query.codes)
    a_codes = rv.expand_codes(ws.codes, chosen, include_subthemes=query.include_subthemes)
    found = rv.passages_of(ws.rows, a_codes)
    text = rv.describe_codes(ws.codes, a_codes)
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
        b_found = rv.passages_of(ws.rows, b_codes)
        sentences = None
        if query.operator == "near":
            sentences = ws.need_sentences({p.document_id for p in (*found, *b_found)})
        found = rv.combine(found, b_found, query.operator, within=query.within, sentences=sentences)
        word = rv.OPERATOR_WORDS[query.operator]
        if query.operator == "near":
            word += f" (within {query.within} sentence{'s' if query.within != 1 else ''})"
        text += f" {word} " + rv.describe_codes(ws.codes, b_codes)
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
        ws.rows,
        ws.labels,
        memos=ws.memos,
        context=context,
        stars=ws.stars,
        width=max(0, query.context),
    )
    rows = rv.PassageRows(found, quoter, a_codes)
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
        passages=rows,
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


def export_contents(result: PassageList) -> dict:
    """What a coded-passages file holds, as plain data for the identifier check: what the
    list is, and every passage with its context, codes, memos and participants."""
    return {
        "about": dict(passages_export.about_rows(result)),
        "passages": passage_objects(result),
    }


def export_passages(
    project: ProjectStore,
    result: PassageList,
    path: str | Path,
    *,
    fmt: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Change:
    """Write passages as docx (quotes with references), xlsx, CSV or JSON, after checking
    what they hold for identifiers.

    Args:
        check: Override and key for the identifier check (see
            :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: An unknown format, passages that hold identifiers (nothing is
            written), or the file cannot be written (nothing half-written is left).
    """
    path = Path(path)
    try:
        chosen = passages_export.format_for(path, fmt)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    outgoing.check_outgoing(
        project,
        what="list of coded passages",
        destination=path,
        payload=export_contents(result),
        options=check,
        actor=actor,
    )
    try:
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
        areas=NOTHING,
    )


def json_text(result: PassageList) -> str:
    """The JSON list of passages as text."""
    return json.dumps(passage_objects(result), ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True)
class SearchOptions:
    """What the coded-passages and crosstab windows offer to choose from.

    Attributes:
        codes: The codebook in codebook order (retired codes included).
        labels: ``Theme/Subtheme`` label of every code.
        layers: ``(name, label)`` of the layers the viewer may see.
        attributes: ``(key, label, values)`` of every attribute filters can use; ``key``
            is what :class:`PassageQuery` ``where`` takes (``session``, ``participant.role``).
        supervisor: Whether the viewer may star quotes.
        unblinded: Whether the project is unblinded.
    """

    codes: tuple
    labels: dict[int, str]
    layers: tuple[tuple[str, str], ...]
    attributes: tuple[tuple[str, str, tuple[str, ...]], ...]
    supervisor: bool
    unblinded: bool


def search_options(project: ProjectStore, *, viewer: str | None = None) -> SearchOptions:
    """The codes, layers and attribute values a window can offer ``viewer``."""
    with project.read() as tx:
        unblinded = retrieval_data.is_unblinded(tx)
        coders = tx.coders.list()
        who = tx.coders.by_name(viewer) if viewer else None
        layers = [(retrieval_data.CONSENSUS, retrieval_data.CONSENSUS_LABEL)] if unblinded else []
        layers += [
            (c.name, c.name)
            for c in coders
            if c.role == "coder" and (unblinded or (who is not None and who.id == c.id))
        ]
        ws = retrieval_data.load_surroundings(tx)
    documents = ws.documents
    builtin_values = {
        "session": order_values(
            None, [str(d.meta.session) for d in documents if d.meta.session is not None]
        ),
        "group": order_values(
            None, [str(d.meta.group) for d in documents if d.meta.group is not None]
        ),
        "kind": order_values(None, [KIND_VALUES.get(d.meta.kind, d.meta.kind) for d in documents]),
        "document": [d.meta.title for d in documents],
        "case": [c.name for c in ws.cases],
    }
    attributes = []
    for ref in ws.refs():
        if ref.definition is None:  # a built-in attribute
            values = builtin_values.get(ref.name, [])
            key = ref.name
        else:
            by_target: dict[str, Mapping[Any, dict[str, str]]] = {
                "document": ws.document_values,
                "case": ws.case_values,
                "participant": ws.participant_values,
            }
            found = [v.get(ref.name.casefold()) for v in by_target[ref.target].values()]
            values = order_values(
                ref.definition, [*ref.definition.choices, *(v for v in found if v)]
            )
            key = f"{ref.target}.{ref.name}"
        attributes.append((key, ref.label, tuple(values)))
    return SearchOptions(
        codes=tuple(codebook_order(ws.codes)),
        labels=ws.labels,
        layers=tuple(layers),
        attributes=tuple(attributes),
        supervisor=who is not None and who.role == "supervisor",
        unblinded=unblinded,
    )
