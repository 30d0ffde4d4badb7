"""Stars: the supervisor marks quotes for the theme report in the coded-passages window
(or with ``ketqual star``). A star is kept with its document, span and the code the
passage was listed under, audited, and undone by starring again."""

from __future__ import annotations

from collections.abc import Iterable

from ketqual.core.framework_quotes import document_tags
from ketqual.core.records import CoderRecord
from ketqual.core.retrieval import parse_ref, resolve_code
from ketqual.ops.changes import NOTHING, Area, Change
from ketqual.ops.errors import OperationError
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx


def supervisor(tx: Tx, name: str | None) -> CoderRecord:
    """The supervisor who stars: the one named, or the project's only supervisor.

    Raises:
        OperationError: A coder who is not a supervisor, or no (or no single) supervisor.
    """
    if name:
        who = tx.coders.by_name(name.strip())
        if who is None:
            names = ", ".join(c.name for c in tx.coders.list()) or "none yet"
            raise OperationError(f"no coder called '{name}' (coders: {names})")
        if who.role != "supervisor":
            raise OperationError(f"only a supervisor stars quotes ('{who.name}' is a coder)")
        return who
    bosses = [c for c in tx.coders.list() if c.role == "supervisor"]
    if len(bosses) != 1:
        raise OperationError(
            "name the supervisor who stars the quotes (--supervisor NAME)"
            if bosses
            else "only a supervisor stars quotes, and the project has none yet"
        )
    return bosses[0]


def set_star(
    project: ProjectStore,
    *,
    document_id: int,
    start: int,
    end: int,
    code_id: int,
    starred: bool = True,
    by: str | None = None,
) -> Change:
    """Star (or unstar) a quote for the theme report.

    Args:
        project: The open project.
        document_id: The passage's document.
        start: Its first character.
        end: One past its last.
        code_id: The code it is listed under.
        starred: True to star, False to take the star away.
        by: The supervisor (default: the project's only supervisor).

    Raises:
        OperationError: Not a supervisor; an unknown document or code; a bad span.
    """
    with project.transaction() as tx:
        who = supervisor(tx, by)
        doc = tx.documents.get(document_id)
        if doc is None:
            raise OperationError(f"there is no document with id {document_id}")
        if tx.codes.get(code_id) is None:
            raise OperationError(f"there is no code with id {code_id}")
        if not 0 <= start < end <= doc.char_count:
            raise OperationError(f"{start}-{end} is not a span of '{doc.meta.title}'")
        if starred:
            tx.stars.add(document_id, code_id, start, end, who.name)
            summary = f"Starred a quote of '{doc.meta.title}' ({start}-{end}) for the theme report"
        else:
            gone = tx.stars.remove(document_id, code_id, start, end)
            if gone is None:
                return Change(
                    "retrieval.star",
                    "That quote was not starred",
                    details={"changed": False},
                    areas=NOTHING,
                )
            summary = f"Took the star from a quote of '{doc.meta.title}' ({start}-{end})"
        tx.audit.record(
            who.name,
            "retrieval.star" if starred else "retrieval.unstar",
            summary,
            {"document_uid": doc.uid, "start": start, "end": end, "code_id": code_id},
        )
    return Change(
        "retrieval.star",
        summary,
        documents=(document_id,),
        codes=(code_id,),
        details={"changed": True, "starred": starred, "key": (document_id, start, end)},
        areas=frozenset({Area.OUTPUTS}),
    )


def star_refs(
    project: ProjectStore,
    refs: Iterable[str],
    code: str,
    *,
    starred: bool = True,
    by: str | None = None,
) -> list[Change]:
    """Star (or unstar) quotes by reference id (``S1G2-N-412-530``) under a code.

    Raises:
        OperationError: An unknown reference or code (nothing is starred then).
    """
    with project.read() as tx:
        tags = document_tags(tx.cases.list(), tx.documents.list())
        codes = tx.codes.list()
    try:
        code_id = resolve_code(codes, code).id
        keys = [parse_ref(ref, tags) for ref in refs]
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    return [
        set_star(project, document_id=d, start=s, end=e, code_id=code_id, starred=starred, by=by)
        for d, s, e in keys
    ]
