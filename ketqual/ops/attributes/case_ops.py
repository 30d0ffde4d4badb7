"""What a case is in this project: a focus group (the default), a document, or a
participant. Framework-matrix rows, the cases a crosstab counts and the case counts per
theme follow the choice.

Focus groups are made from the session and group of each document on import. When the
project counts documents or participants as its cases, each document (by its uid) or each
participant (by label) gets a case of its own, so framework-matrix summaries have a row to
belong to. Those cases are made when the choice is made and whenever documents or
participants arrive later; documents keep their focus group, so reference ids such as
``S1G2-N-412-530`` never change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from ketqual.core import participants as pt
from ketqual.core.participants import ParticipantFinder
from ketqual.core.records import CASE_UNITS, CaseRecord, DocumentRecord
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

SETTING = "case_unit"
UNITS = CASE_UNITS
FOCUS_GROUP, DOCUMENT, PARTICIPANT = UNITS
UNIT_LABELS = {FOCUS_GROUP: "focus group", DOCUMENT: "document", PARTICIPANT: "participant"}
UNIT_PLURALS = {FOCUS_GROUP: "focus groups", DOCUMENT: "documents", PARTICIPANT: "participants"}


def unit_of(settings: dict) -> str:
    """The case unit a project's settings name (focus group when none or unknown)."""
    unit = settings.get(SETTING)
    return unit if unit in UNITS else FOCUS_GROUP


def case_unit(project: ProjectStore) -> str:
    """What a case is in this project."""
    with project.read() as tx:
        return unit_of(tx.project.describe()["settings"])


def ensure_unit_cases(tx: Tx, document_ids: Iterable[int] | None = None) -> int:
    """Make the cases the project's case unit needs (none for focus groups).

    Called when the unit is chosen and after documents or participants arrive. With
    ``document_ids``, only those documents are looked at (for participants: the labels
    they mention); otherwise every document and participant.

    Returns:
        How many cases exist for the unit afterwards.
    """
    unit = unit_of(tx.project.describe()["settings"])
    if unit == FOCUS_GROUP:
        return len(tx.cases.list())
    documents = tx.documents.list()
    if document_ids is not None:
        wanted = set(document_ids)
        documents = [d for d in documents if d.id in wanted]
    if unit == DOCUMENT:
        tx.cases.ensure_subjects(DOCUMENT, {d.uid: d.meta.title for d in documents})
        return len(tx.cases.list(DOCUMENT))
    ids = [d.id for d in documents]
    known = [label for _i, label in tx.participants.list()]
    owners: dict[int, tuple[str, ...]] = {}
    owning = tx.attributes.by_name("document", pt.DOCUMENT_ATTRIBUTE)
    if owning is not None:
        owners = {
            doc: pt.document_participants(value)
            for doc, value in tx.attributes.values(owning.id).items()
        }
    finder = ParticipantFinder(tx.summaries.document_texts(ids), {}, owners, known=known)
    labels = set(finder.all_labels(ids)) | set(known)
    tx.participants.ensure_many(labels)
    tx.cases.ensure_subjects(PARTICIPANT, {label: label for label in labels})
    return len(tx.cases.list(PARTICIPANT))


def set_case_unit(project: ProjectStore, unit: str, *, actor: str | None = None) -> Change:
    """Say what a case is: ``focus_group``, ``document`` or ``participant``.

    Raises:
        OperationError: For an unknown unit, or in a coder's package.
    """
    if unit not in UNITS:
        raise OperationError(f"a case is one of: {', '.join(UNITS)} (not '{unit}')")
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        before = unit_of(tx.project.describe()["settings"])
        tx.project.set_setting(SETTING, unit)
        count = ensure_unit_cases(tx)
        summary = f"A case is now a {UNIT_LABELS[unit]} ({count} {UNIT_PLURALS[unit]})"
        if before != unit:
            tx.audit.record(actor, "attribute.case_unit", summary, {"from": before, "to": unit})
    return Change(
        "attribute.case_unit",
        summary,
        details={"unit": unit, "cases": count},
        areas=frozenset({Area.ATTRIBUTES, Area.OUTPUTS, Area.PROJECT}),
    )


@dataclass(frozen=True)
class CaseScheme:
    """The project's cases and which cases a passage belongs to.

    Attributes:
        unit: ``focus_group``, ``document`` or ``participant``.
        cases: The cases of that unit.
        cases_of: ``(document id, start, end)`` -> the ids of its cases (a participant
            named in no case yet is counted by label).
    """

    unit: str
    cases: tuple[CaseRecord, ...]
    cases_of: Callable[[tuple[int, int, int]], tuple[Hashable, ...]]

    @property
    def noun(self) -> str:
        """What a case is, in the plural ("focus groups")."""
        return UNIT_PLURALS[self.unit]


def scheme(
    tx: Tx,
    documents: Iterable[DocumentRecord],
    participants_of: Callable[[tuple[int, int, int]], tuple[str, ...]] | None = None,
) -> CaseScheme:
    """The case scheme of a project, for counting and charting.

    Args:
        tx: The read transaction.
        documents: Every document.
        participants_of: Labels of a passage's participants (needed for the participant
            unit).
    """
    unit = unit_of(tx.project.describe()["settings"])
    docs = {d.id: d for d in documents}
    if unit == FOCUS_GROUP:
        cases = tuple(tx.cases.list())

        def of_group(passage: tuple[int, int, int]) -> tuple[Hashable, ...]:
            doc = docs.get(passage[0])
            return () if doc is None or doc.case_id is None else (doc.case_id,)

        return CaseScheme(unit, cases, of_group)
    # A deleted document's (or forgotten participant's) case is left behind: not a row.
    present = (
        {d.uid for d in docs.values()}
        if unit == DOCUMENT
        else {label for _i, label in tx.participants.list()}
    )
    cases = tuple(c for c in tx.cases.list(unit) if c.subject in present)
    by_subject = {c.subject: c.id for c in cases}
    if unit == DOCUMENT:

        def of_document(passage: tuple[int, int, int]) -> tuple[Hashable, ...]:
            doc = docs.get(passage[0])
            if doc is None:
                return ()
            return (by_subject.get(doc.uid, ("document", doc.id)),)

        return CaseScheme(unit, cases, of_document)
    if participants_of is None:
        raise ValueError("the participant case unit needs each passage's participants")

    def of_participant(passage: tuple[int, int, int]) -> tuple[Hashable, ...]:
        return tuple(
            by_subject.get(label, ("participant", label)) for label in participants_of(passage)
        )

    return CaseScheme(unit, cases, of_participant)


def participant_finder(tx: Tx, document_ids: Iterable[int]) -> ParticipantFinder:
    """A finder of passages' participants over these documents (texts, paragraphs, the
    documents that belong to a participant, and the labels the project knows)."""
    wanted = list(document_ids)
    owners: dict[int, tuple[str, ...]] = {}
    owning = tx.attributes.by_name("document", pt.DOCUMENT_ATTRIBUTE)
    if owning is not None:
        owners = {
            doc: pt.document_participants(value)
            for doc, value in tx.attributes.values(owning.id).items()
        }
    return ParticipantFinder(
        tx.summaries.document_texts(wanted),
        tx.retrieval.units("paragraph", wanted),
        owners,
        [label for _i, label in tx.participants.list()],
    )


@dataclass(frozen=True)
class MatrixCases:
    """What the framework matrices and counts need when cases are not focus groups."""

    unit_cases: tuple[CaseRecord, ...]
    cases_of: Callable[[int, int, int], tuple[Hashable, ...]]
    no_case_label: str
    all_cases: tuple[Hashable, ...]


NO_CASE_LABELS = {DOCUMENT: "No document case", PARTICIPANT: "No participant named"}


def matrix_cases(
    tx: Tx, documents: Iterable[DocumentRecord], coded: Iterable[int]
) -> MatrixCases | None:
    """Rows and passage cases for the framework matrices and counts (``None`` when the
    cases are focus groups, the matrices' own default)."""
    if unit_of(tx.project.describe()["settings"]) == FOCUS_GROUP:
        return None
    documents = list(documents)
    finder = participant_finder(tx, coded)
    chosen = scheme(tx, documents, lambda key: finder.of(*key))
    return MatrixCases(
        unit_cases=chosen.cases,
        cases_of=lambda d, s, e: chosen.cases_of((d, s, e)),
        no_case_label=NO_CASE_LABELS[chosen.unit],
        all_cases=tuple(c.id for c in chosen.cases),
    )


def participant_rule() -> str:
    """How passages are matched to participants, in words."""
    return pt.RULE
