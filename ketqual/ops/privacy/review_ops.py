"""Finding identifiers in stored documents, reviewing the suggestions, and replacing them.

The review is kept in the project (table ``identifier_hit``): every suggestion with its
decision, who made it and when. Decisions are *accepted* (replace it), *rejected* (not an
identifier) or back to *pending*. Applying replaces the accepted ones with their tokens
(the key file gives each person, place or value one token for the whole project) and
re-segments the document.

A document's text is only rewritten while it has no codings: codings, units, the
decision log and framework-matrix references all point at character positions, and a
token is rarely as long as the name it replaces, so rewriting a coded text would move
every later passage. Metadata (title, notetaker, source file name) holds no positions and
is rewritten for every document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ketqual.core import units
from ketqual.core.ids import utcnow
from ketqual.core.metadata import short_title
from ketqual.core.privacy import kinds
from ketqual.core.privacy.detector import Detector, DetectorOptions
from ketqual.core.privacy.hits import FIELDS, Hit, StoredHit
from ketqual.core.privacy.replace import Edit, OffsetMap, apply_edits
from ketqual.core.privacy.roster import norm
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy.key_ops import KeySession
from ketqual.ops.team import package_guard
from ketqual.store import privacy_files
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

DECISIONS = {"accept": "accepted", "reject": "rejected", "undecide": "pending"}
_AREAS = frozenset({Area.PRIVACY})


@dataclass(frozen=True)
class ReviewRow:
    """A suggestion with what a reviewer needs to judge it.

    Attributes:
        hit: The stored suggestion.
        document: The document's title.
        before: Text just before the words (same line where possible).
        words: The words at the suggestion, as the document holds them now.
        after: Text just after.
        coded: Whether the document has codings (its text cannot be rewritten).
        short: The document's short title ("S1 G1 notes"), for lists.
    """

    hit: StoredHit
    document: str
    before: str
    words: str
    after: str
    coded: bool
    short: str = ""


def _values(tx: Tx, document_id: int) -> dict[str, str]:
    return {k: v or "" for k, v in tx.identifiers.document_values(document_id).items()}


def _refuse_in_package(tx: Tx) -> None:
    package_guard.refuse_in_package(
        tx, "this is a coder package: its documents are read-only; ask your supervisor"
    )


# ----- finding ------------------------------------------------------------------------
def detect_identifiers(
    project: ProjectStore,
    *,
    key: KeySession | None = None,
    document_ids: Sequence[int] | None = None,
    options: DetectorOptions | None = None,
    actor: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Change:
    """Look for identifiers in documents that have no codings yet (all, or those given).

    Earlier undecided suggestions of those documents are replaced by the new ones;
    decided ones are kept, and a new suggestion at a decided place is not added again.
    With ``key``, the roster's names are looked for too; without it, only shapes (e-mail
    addresses, phone numbers ...), titles with names and facility names.

    Returns:
        A change whose details say how many documents were searched and skipped (coded)
        and how many suggestions were found.
    """
    actor = actor or default_actor()
    detector = key.detector(options) if key is not None else Detector((), options)
    with project.read() as tx:
        _refuse_in_package(tx)
        docs = tx.documents.list()
        if document_ids is not None:
            wanted = set(document_ids)
            docs = [d for d in docs if d.id in wanted]
        coded = [d for d in docs if tx.documents.coding_count(d.id)]
        todo = [d for d in docs if d not in coded]
        decided = [h for h in tx.identifiers.list(document_ids=[d.id for d in todo])
                   if h.status != "pending"]  # fmt: skip
    taken = {(h.document_id, h.field, h.start, h.end) for h in decided}
    covered: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for h in decided:
        covered.setdefault((h.document_id, h.field), []).append((h.start, h.end))
    found = 0
    for number, doc in enumerate(todo):
        if progress:
            progress(number, len(todo), doc.meta.title)
        with project.read() as tx:
            values = _values(tx, doc.id)
        new: list[Hit] = []
        for field in FIELDS:
            for hit in detector.detect(values[field], field=field):
                spans = covered.get((doc.id, field), [])
                if (doc.id, field, hit.start, hit.end) in taken or any(
                    a < hit.end and hit.start < b for a, b in spans
                ):
                    continue
                new.append(hit)
        with project.transaction() as tx:
            tx.identifiers.remove_undecided([doc.id])
            tx.identifiers.add(doc.id, new)
        found += len(new)
    summary = f"Looked for identifiers in {len(todo)} documents: {found} suggestions to review" + (
        f"; {len(coded)} documents with codings were left out" if coded else ""
    )
    with project.transaction() as tx:
        tx.audit.record(
            actor,
            "privacy.detect",
            summary,
            {
                "documents": len(todo),
                "skipped_coded": [d.uid for d in coded],
                "pending": found,
                "roster": key is not None,
                "key_file": key.path.name if key is not None else None,
            },
        )
    if progress:
        progress(len(todo), len(todo), "")
    return Change(
        "privacy.detect",
        summary,
        areas=_AREAS,
        details={"documents": len(todo), "coded": len(coded), "found": found},
    )


# ----- reviewing --------------------------------------------------------------------------
def review_rows(
    project: ProjectStore,
    *,
    statuses: Sequence[str] | None = None,
    document_ids: Sequence[int] | None = None,
    context: int = 60,
) -> list[ReviewRow]:
    """Suggestions with their context, in document and text order."""
    with project.read() as tx:
        hits = tx.identifiers.list(document_ids=document_ids, statuses=statuses)
        docs = {d.id: d for d in tx.documents.list()}
        values = {d: _values(tx, d) for d in {h.document_id for h in hits}}
        coded = {d for d in values if tx.documents.coding_count(d)}
    rows = []
    for hit in hits:
        value = values[hit.document_id][hit.field]
        start, end = hit.start, hit.end
        line_start = max(value.rfind("\n", 0, start) + 1, start - context)
        line_end = value.find("\n", end)
        line_end = min(line_end if line_end >= 0 else len(value), end + context)
        rows.append(
            ReviewRow(
                hit,
                docs[hit.document_id].meta.title if hit.document_id in docs else "?",
                value[line_start:start],
                value[start:end],
                value[end:line_end],
                hit.document_id in coded,
                _short(docs[hit.document_id]) if hit.document_id in docs else "?",
            )
        )
    return rows


def _short(document) -> str:
    meta = document.meta
    return short_title(meta.title, meta.kind, meta.session, meta.group)


def counts(project: ProjectStore) -> dict[str, int]:
    """How many suggestions have each status."""
    with project.read() as tx:
        return tx.identifiers.counts()


def decide(
    project: ProjectStore, hit_ids: Sequence[int], decision: str, *, actor: str | None = None
) -> Change:
    """Accept, reject or un-decide suggestions (not those already applied).

    Args:
        decision: ``accept``, ``reject`` or ``undecide``.
    """
    if decision not in DECISIONS:
        raise OperationError(f"decide with one of: {', '.join(DECISIONS)}")
    actor = actor or default_actor()
    status = DECISIONS[decision]
    with project.transaction() as tx:
        _refuse_in_package(tx)
        got = [tx.identifiers.get(i) for i in hit_ids]
        missing = [i for i, h in zip(hit_ids, got, strict=True) if h is None]
        if missing:
            raise OperationError(f"there is no suggestion with id {missing[0]}")
        hits = [h for h in got if h is not None]  # all of them, none is missing
        if any(h.status == "applied" for h in hits):
            raise OperationError("a replacement already made cannot be decided again")
        changed = tx.identifiers.decide([h.id for h in hits], status, actor)
        summary = f"Marked {changed} suggestion{'s' if changed != 1 else ''} {status}"
        tx.audit.record(
            actor,
            "privacy.review",
            summary,
            {
                "decision": status,
                "hits": [h.uid for h in hits],
                "kinds": sorted({h.kind for h in hits}),
            },
        )
    return Change("privacy.review", summary, areas=_AREAS, details={"changed": changed})


def accept_all_like(project: ProjectStore, hit_id: int, *, actor: str | None = None) -> Change:
    """Accept every pending suggestion of the same person (roster entry) or, for one not
    on the roster, of the same words."""
    with project.read() as tx:
        hit = tx.identifiers.get(hit_id)
        if hit is None:
            raise OperationError(f"there is no suggestion with id {hit_id}")
        pending = tx.identifiers.list(statuses=["pending"])
    if hit.entry_uid:
        same = [h.id for h in pending if h.entry_uid == hit.entry_uid]
    else:
        same = [h.id for h in pending if not h.entry_uid and norm(h.text) == norm(hit.text)]
    if hit.status == "pending" and hit.id not in same:
        same.append(hit.id)
    if not same:
        raise OperationError("nothing like it is waiting for a decision")
    return decide(project, same, "accept", actor=actor)


def edit_hit(
    project: ProjectStore,
    hit_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    kind: str | None = None,
    actor: str | None = None,
) -> Change:
    """Change a suggestion's span or kind; it becomes accepted (a person has looked)."""
    actor = actor or default_actor()
    if kind is not None and kind not in kinds.KINDS:
        raise OperationError(f"kind must be one of: {', '.join(kinds.KINDS)}")
    with project.transaction() as tx:
        _refuse_in_package(tx)
        hit = tx.identifiers.get(hit_id)
        if hit is None:
            raise OperationError(f"there is no suggestion with id {hit_id}")
        if hit.status == "applied":
            raise OperationError("a replacement already made cannot be edited")
        value = _values(tx, hit.document_id)[hit.field]
        a = hit.start if start is None else start
        b = hit.end if end is None else end
        if not 0 <= a < b <= len(value):
            raise OperationError(f"{a}-{b} is not a span of that text (0-{len(value)})")
        fields: dict = {
            "start": a,
            "end": b,
            "text": value[a:b],
            "status": "accepted",
            "decided_by": actor,
            "decided_at": utcnow(),
        }
        if (a, b) != (hit.start, hit.end) or kind not in (None, hit.kind):
            fields.update(entry_uid=None, token=None, reason=f"{hit.reason}; edited")
        if kind is not None:
            fields["kind"] = kind
        _check_no_overlap(tx, hit.document_id, hit.field, a, b, ignore=hit.id)
        tx.identifiers.change(hit.id, **fields)
        summary = f"Edited a suggestion in document {hit.document_id} and accepted it"
        tx.audit.record(
            actor,
            "privacy.review",
            summary,
            {"decision": "edited", "hits": [hit.uid], "kinds": [fields.get("kind", hit.kind)]},
        )
    return Change("privacy.review", summary, areas=_AREAS)


def _check_no_overlap(tx: Tx, document_id: int, field: str, a: int, b: int, ignore=None) -> None:
    for other in tx.identifiers.list(document_ids=[document_id]):
        if other.id == ignore or other.field != field or other.status == "rejected":
            continue
        if other.start < b and a < other.end and other.status in ("accepted", "applied"):
            raise OperationError("that overlaps a replacement already accepted or made there")


def add_hit(
    project: ProjectStore,
    document_id: int,
    start: int,
    end: int,
    kind: str,
    *,
    field: str = "text",
    actor: str | None = None,
) -> Change:
    """Add an identifier the detector missed (selected by hand); it is accepted at once.

    A pending suggestion under it is dropped in its favour.
    """
    actor = actor or default_actor()
    if kind not in kinds.KINDS:
        raise OperationError(f"kind must be one of: {', '.join(kinds.KINDS)}")
    if field not in FIELDS:
        raise OperationError(f"field must be one of: {', '.join(FIELDS)}")
    with project.transaction() as tx:
        _refuse_in_package(tx)
        if tx.documents.get(document_id) is None:
            raise OperationError(f"there is no document with id {document_id}")
        value = _values(tx, document_id)[field]
        # a selection rarely ends exactly on the word: trim the spaces round it
        while start < end and value[start : start + 1].isspace():
            start += 1
        while end > start and value[end - 1 : end].isspace():
            end -= 1
        if not 0 <= start < end <= len(value):
            raise OperationError("select the words to replace first")
        if kinds.is_token(value[start:end]):
            raise OperationError("that is a replacement token already")
        _check_no_overlap(tx, document_id, field, start, end)
        under = [
            h.id
            for h in tx.identifiers.list(document_ids=[document_id], statuses=["pending"])
            if h.field == field and h.start < end and start < h.end
        ]
        tx.identifiers.remove(under)
        hit = Hit(start, end, value[start:end], kind, "manual", True, "added by a reviewer",
                  field=field)  # fmt: skip
        [stored] = tx.identifiers.add(document_id, [hit], status="accepted", actor=actor)
        summary = f"Added an identifier ({kinds.label(kind)}) by hand"
        tx.audit.record(
            actor,
            "privacy.review",
            summary,
            {"decision": "added", "hits": [stored.uid], "kinds": [kind]},  # fmt: skip
        )
    return Change("privacy.review", summary, areas=_AREAS, details={"hit_id": stored.id})


# ----- replacing ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplyResult:
    """What applying replacements did."""

    documents: int
    replaced: int
    skipped_coded: tuple[str, ...]
    new_entries: int


def apply_replacements(
    project: ProjectStore,
    key: KeySession,
    *,
    document_ids: Sequence[int] | None = None,
    actor: str | None = None,
) -> Change:
    """Replace every accepted suggestion with its token.

    Tokens come from the key file: a roster entry's own token, the entry that already
    has these words, or a new entry (added to the key file, which is saved before the
    project changes). Documents with codings get their metadata replaced but keep their
    text (see the module's notes); they are listed in the result.

    Returns:
        A change whose payload is an :class:`ApplyResult`.
    """
    actor = actor or default_actor()
    with project.read() as tx:
        _refuse_in_package(tx)
        accepted = tx.identifiers.list(document_ids=document_ids, statuses=["accepted"])
        docs = {d.id: d for d in tx.documents.list()}
        coded = {d for d in {h.document_id for h in accepted} if tx.documents.coding_count(d)}
    if not accepted:
        raise OperationError("no accepted suggestions to replace")
    before = len(key.data.entries)
    tokens: dict[int, str] = {}
    for hit in accepted:
        if hit.document_id in coded and hit.field == "text":
            continue
        tokens[hit.id] = _token(key, hit)
    new_entries = len(key.data.entries) - before
    if new_entries:
        key.save()  # the key holds the new tokens before any text carries them
    replaced = 0
    by_doc: dict[int, list[StoredHit]] = {}
    for hit in accepted:
        if hit.id in tokens:
            by_doc.setdefault(hit.document_id, []).append(hit)
    with project.transaction() as tx:
        for doc_id, hits in by_doc.items():
            replaced += _rewrite(tx, doc_id, hits, tokens, actor)
        skipped = tuple(docs[d].meta.title for d in sorted(coded) if d in docs)
        summary = f"Replaced {replaced} identifiers in {len(by_doc)} documents" + (
            f"; {len(skipped)} documents with codings kept their text" if skipped else ""
        )
        tx.audit.record(
            actor,
            "privacy.apply",
            summary,
            {
                "documents": [docs[d].uid for d in by_doc if d in docs],
                "replaced": replaced,
                "kinds": sorted({h.kind for h in accepted if h.id in tokens}),
                "skipped_coded": [docs[d].uid for d in sorted(coded) if d in docs],
                "key_file": key.path.name,
                "new_key_entries": new_entries,
            },
        )
    privacy_files.checkpoint(project)
    result = ApplyResult(len(by_doc), replaced, skipped, new_entries)
    return Change(
        "privacy.apply",
        summary,
        documents=tuple(by_doc),
        areas=frozenset({Area.PRIVACY, Area.DOCUMENTS}),
        payload=result,
    )


def _token(key: KeySession, hit: StoredHit) -> str:
    if hit.entry_uid and (entry := key.data.by_uid(hit.entry_uid)) is not None:
        return entry.token
    entry = key.data.find(hit.text, hit.kind)
    if entry is None:
        entry, _changed = key.data.add(hit.kind, [hit.text])
    return entry.token


def _rewrite(tx: Tx, doc_id: int, hits: list[StoredHit], tokens: dict[int, str], actor) -> int:
    values = _values(tx, doc_id)
    others = [h for h in tx.identifiers.list(document_ids=[doc_id]) if h.id not in tokens]
    new_values: dict[str, str] = {}
    replaced = 0
    for field in FIELDS:
        mine = sorted((h for h in hits if h.field == field), key=lambda h: h.start)
        if not mine:
            continue
        value = values[field]
        for hit in mine:
            if value[hit.start : hit.end] != hit.text:
                raise OperationError(
                    f"document {doc_id} changed since its identifiers were found; "
                    "look for identifiers in it again"
                )
        edits = [Edit(h.start, h.end, tokens[h.id]) for h in mine]
        try:
            new_value, spans = apply_edits(value, edits)
        except ValueError as exc:
            raise OperationError(f"document {doc_id}: {exc}") from None
        moved = OffsetMap(value, edits)
        for other in (h for h in others if h.field == field):
            span = moved.span(other.start, other.end)
            if span is None:
                tx.identifiers.remove([other.id])  # its words went with a replacement
            elif span != (other.start, other.end):
                tx.identifiers.change(other.id, start=span[0], end=span[1])
        for hit, (a, b) in zip(mine, spans, strict=True):
            tx.identifiers.change(
                hit.id,
                start=a,
                end=b,
                text=tokens[hit.id],  # the real words are not kept once replaced
                token=tokens[hit.id],
                status="applied",
                decided_by=actor,
                decided_at=utcnow(),
            )
        new_values[field] = new_value
        replaced += len(mine)
    text = new_values.pop("text", None)
    meta = {f: (v or None) if f == "notetaker" else v for f, v in new_values.items()}
    tx.identifiers.rewrite_document(
        doc_id, text, units.segment(text) if text is not None else None, meta
    )
    return replaced


def document_has_codings(project: ProjectStore, document_id: int) -> bool:
    """Whether a document's text is fixed by codings."""
    with project.read() as tx:
        return bool(tx.documents.coding_count(document_id))


def field_value(project: ProjectStore, document_id: int, field: str = "text") -> str:
    """A document's text or one of its metadata values, as identifiers are found in it."""
    if field not in FIELDS:
        raise OperationError(f"field must be one of: {', '.join(FIELDS)}")
    with project.read() as tx:
        if tx.documents.get(document_id) is None:
            raise OperationError(f"there is no document with id {document_id}")
        return _values(tx, document_id)[field]


@dataclass(frozen=True)
class DocumentChoice:
    """A document the reviewer can look through (and add identifiers to)."""

    id: int
    title: str
    coded: bool
    pending: int


def documents(project: ProjectStore) -> list[DocumentChoice]:
    """Every document with whether it has codings and how many suggestions wait in it."""
    with project.read() as tx:
        counts = tx.identifiers.counts_by_document()
        return [
            DocumentChoice(
                d.id,
                d.meta.title,
                bool(tx.documents.coding_count(d.id)),
                counts.get(d.id, {}).get("pending", 0),
            )
            for d in tx.documents.list()
        ]
