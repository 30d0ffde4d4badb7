"""What retrieval reads from a project: one layer's codings, the codebook, documents and
focus groups, attributes, participants and stars, in one read transaction.

Blinding is respected as everywhere else: while a project is blinded a coder sees only
their own layer, and the consensus layer not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ketqual.core import participants as pt
from ketqual.core.attributes import AttributeDef
from ketqual.core.framework import code_labels
from ketqual.core.participants import ParticipantFinder
from ketqual.core.records import CaseRecord, CodeRecord, DocumentRecord
from ketqual.core.retrieval import AttributeRef, PassageContext, StarRecord, builtin_refs
from ketqual.core.theme_counts import CodedSpan
from ketqual.ops.errors import OperationError
from ketqual.store.repositories import Tx

CONSENSUS = "consensus"
CONSENSUS_LABEL = "Consensus"
BLINDED = (
    "the project is blinded; a supervisor must unblind it before the consensus layer can be "
    "retrieved"
)
BLINDED_NOBODY = (
    "the project is blinded; say whose codings you want to see as that coder (--as NAME), "
    "or ask a supervisor to unblind it"
)
UNBLINDED_SETTING = "unblinded"


@dataclass(frozen=True)
class Layer:
    """A layer chosen by a user: coder id (``None`` = consensus), name and label."""

    coder_id: int | None
    name: str  # "consensus" or the coder's name
    label: str  # "Consensus" or the coder's name


def is_unblinded(tx: Tx) -> bool:
    """Whether a supervisor has unblinded the project."""
    return bool(tx.project.describe()["settings"].get(UNBLINDED_SETTING))


def resolve_layer(tx: Tx, layer: str | None, viewer: str | None) -> Layer:
    """The layer a user names, once they may see it.

    Args:
        tx: The read transaction.
        layer: ``consensus`` (or ``None``) or a coder's name.
        viewer: Who asks (a coder's name); matters only while the project is blinded.

    Raises:
        OperationError: An unknown layer or viewer, or a layer the viewer may not see.
    """
    if layer is None or layer.strip().casefold() == CONSENSUS:
        chosen = Layer(None, CONSENSUS, CONSENSUS_LABEL)
    else:
        coder = tx.coders.by_name(layer.strip())
        if coder is None:
            names = ", ".join(c.name for c in tx.coders.list()) or "none yet"
            raise OperationError(f"no coder called '{layer}' (coders: {names}, or 'consensus')")
        chosen = Layer(coder.id, coder.name, coder.name)
    if is_unblinded(tx):
        return chosen
    if chosen.coder_id is None:
        raise OperationError(BLINDED)
    who = tx.coders.by_name(viewer.strip()) if viewer else None
    if viewer and who is None:
        names = ", ".join(c.name for c in tx.coders.list()) or "none yet"
        raise OperationError(f"no coder called '{viewer}' (coders: {names})")
    if who is None:
        raise OperationError(BLINDED_NOBODY)
    if who.id != chosen.coder_id:
        raise OperationError(
            f"the project is blinded, so {who.name} can see only their own codings; "
            "a supervisor can unblind it"
        )
    return chosen


@dataclass
class Workspace:
    """One layer of a project and everything around it, loaded for retrieval.

    Texts and units are read only for the documents that need them (:meth:`need_texts`),
    within the same read transaction.
    """

    tx: Tx
    layer: Layer
    codes: list[CodeRecord]
    labels: dict[int, str]
    documents: list[DocumentRecord]
    cases: list[CaseRecord]
    rows: list[tuple]
    memos: dict[str, str]
    attributes: list[AttributeDef]
    document_values: dict[int, dict[str, str]]
    case_values: dict[int, dict[str, str]]
    participant_values: dict[str, dict[str, str]]
    participant_ids: dict[str, int]
    stars: list[StarRecord]
    settings: dict
    texts: dict[int, str] = field(default_factory=dict)
    paragraphs: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    sentences: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _finder: ParticipantFinder | None = None
    _context: PassageContext | None = None
    _spans: list[CodedSpan] | None = None

    @property
    def spans(self) -> list[CodedSpan]:
        """Every coding of the layer as :class:`CodedSpan`, sorted (made when asked)."""
        if self._spans is None:
            self._spans = sorted(map(CodedSpan._make, self.rows))
        return self._spans

    def need_texts(self, document_ids: Iterable[int]) -> dict[int, str]:
        """Texts (and paragraph units, for participants) of these documents."""
        missing = set(document_ids) - set(self.texts)
        if missing:
            self.texts.update(self.tx.summaries.document_texts(missing))
            self.paragraphs.update(self.tx.retrieval.units("paragraph", missing))
        return self.texts

    def need_sentences(self, document_ids: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
        """Sentence units of these documents."""
        missing = set(document_ids) - set(self.sentences)
        if missing:
            found = self.tx.retrieval.units("sentence", missing)
            for doc in missing:
                self.sentences[doc] = found.get(doc, [])
        return self.sentences

    def owners(self) -> dict[int, tuple[str, ...]]:
        """Documents that belong to participants as a whole (their ``participant``
        attribute)."""
        return {
            doc: found
            for doc, values in self.document_values.items()
            if (found := pt.document_participants(values.get(pt.DOCUMENT_ATTRIBUTE)))
        }

    def context(self) -> PassageContext:
        """The passages' surroundings: attributes and participants."""
        if self._context is None:
            self._finder = ParticipantFinder(
                self.texts, self.paragraphs, self.owners(), self.participant_ids
            )
            self._context = PassageContext(
                self.documents,
                self.cases,
                self.document_values,
                self.case_values,
                self.participant_values,
                self._finder,
            )
        return self._context

    def refs(self) -> list[AttributeRef]:
        """Every attribute filters and crosstabs can use: built-in ones first."""
        out = builtin_refs()
        for definition in self.attributes:
            label = definition.name
            if sum(1 for d in self.attributes if d.name.casefold() == label.casefold()) > 1:
                label = f"{definition.name} ({definition.target})"
            out.append(AttributeRef(definition.target, definition.name, label, definition))
        return out

    def find_ref(self, name: str) -> AttributeRef:
        """An attribute by name, label, or ``target.name`` (``participant.role``).

        Raises:
            OperationError: Naming every attribute there is.
        """
        wanted = " ".join(str(name).split()).casefold()
        refs = self.refs()
        for ref in refs:
            qualified = f"{ref.target}.{ref.name}".casefold()
            if wanted in (ref.label.casefold(), qualified):
                return ref
        hits = [r for r in refs if r.name.casefold() == wanted]
        if len(hits) == 1:
            return hits[0]
        if wanted in ("document kind", "kind of document"):
            return next(r for r in refs if r.builtin and r.name == "kind")
        if wanted in ("focus group", "focus_group"):
            return next(r for r in refs if r.builtin and r.name == "case")
        names = ", ".join(r.name if r.builtin else f"{r.target}.{r.name}" for r in refs)
        if len(hits) > 1:
            raise OperationError(
                f"several attributes are called '{name}'; write target.name (one of: {names})"
            )
        raise OperationError(f"no attribute called '{name}' (attributes: {names})")


def load_surroundings(tx: Tx) -> Workspace:
    """Codes, documents, attributes and participants without any layer's codings."""
    return load(tx, Layer(None, CONSENSUS, CONSENSUS_LABEL), codings=False)


def load(tx: Tx, layer: Layer, *, codings: bool = True) -> Workspace:
    """Read one layer and its surroundings (texts follow on demand)."""
    # Two driver-level reads: the codings as plain rows (50,000 in tens of milliseconds;
    # spans are made only of those a query needs), and only the memos there are.
    rows = tx.retrieval.layer_rows(layer.coder_id) if codings else []
    memos = tx.retrieval.layer_memos(layer.coder_id) if codings else {}
    codes = tx.codes.list()
    attributes = tx.attributes.list()
    participants = tx.participants.list()
    label_of = dict(participants)
    by_target: dict[str, dict] = {"document": {}, "case": {}, "participant": {}}
    for target in by_target:
        names = {a.id: a.name.casefold() for a in attributes if a.target == target}
        for attribute_id, values in tx.attributes.all_values(target).items():
            name = names.get(attribute_id)
            if name is None:
                continue
            for subject, value in values.items():
                subject_key = label_of.get(subject) if target == "participant" else subject
                if subject_key is not None:
                    by_target[target].setdefault(subject_key, {})[name] = value
    return Workspace(
        tx=tx,
        layer=layer,
        codes=codes,
        labels=code_labels(codes),
        documents=tx.documents.list(),
        cases=tx.cases.list(),
        rows=rows,
        memos=memos,
        attributes=attributes,
        document_values=by_target["document"],
        case_values=by_target["case"],
        participant_values=by_target["participant"],
        participant_ids={label: i for i, label in participants},
        stars=tx.stars.list(),
        settings=tx.project.describe()["settings"],
    )
