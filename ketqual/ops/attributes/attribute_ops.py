"""Typed attributes of focus groups (cases), documents and participants: defining them,
setting values, tables for the app, CSV/xlsx in and out, and the values other features
need (``participant_values`` for the votes).

Participants are the pseudonymised labels (``P14``) the notes and feedback sheets use.
Their attributes apply to every passage that belongs to them: see
:mod:`ketqual.core.participants` for the rule, and :func:`participant_mentions` for the
places in the documents that name a participant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ketqual.core import attributes as at
from ketqual.core import participants as pt
from ketqual.core.attributes import AttributeDef
from ketqual.core.framework_quotes import document_tags
from ketqual.core.model import ImportRefused
from ketqual.core.participants import ParticipantFinder
from ketqual.io import attribute_files
from ketqual.ops.attributes import case_ops
from ketqual.ops.changes import NOTHING, Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

AREAS = frozenset({Area.ATTRIBUTES})
FORMATS = attribute_files.FORMATS
MAX_ERRORS_SHOWN = 10
# Key columns of each target's table, as written; other spellings are read too.
KEY_COLUMNS = {"participant": "participant", "document": "document_uid", "case": "focus_group"}
BUILTIN_COLUMNS = {
    "participant": ("participant",),
    "document": ("document_uid", "document", "session", "group", "kind"),
    "case": ("focus_group", "session", "group"),
}
_KEY_SPELLINGS = {
    "participant": ("participant", "participant id", "participant label", "label", "pid", "id"),
    "document": ("document_uid", "document uid", "uid"),
    "case": ("focus_group", "focus group", "case", "group name"),
}


def _check_target(target: str) -> str:
    if target not in at.TARGETS:
        raise OperationError(
            f"attributes belong to one of: {', '.join(at.TARGETS)} (not '{target}')"
        )
    return target


@dataclass(frozen=True)
class Subject:
    """A row of an attribute table: a focus group, a document or a participant.

    Attributes:
        key: Case id, document id, or participant label.
        label: How it is shown ("S1 G2", a document title, "P14").
        details: Built-in facts ("session 1, group 2, scribe notes").
        stored: For a participant: whether the project keeps a row for them yet (one
            found only in the text gets one when a value is set).
    """

    key: int | str
    label: str
    details: str = ""
    stored: bool = True


@dataclass(frozen=True)
class AttributeTable:
    """One target's attributes and values, for the app and for export.

    Attributes:
        target: ``case``, ``document`` or ``participant``.
        attributes: The definitions, in order.
        subjects: The rows.
        values: ``(subject key, attribute id) -> stored value``.
        case_unit: What a case is in this project.
    """

    target: str
    attributes: tuple[AttributeDef, ...]
    subjects: tuple[Subject, ...]
    values: dict[tuple[int | str, int], str]
    case_unit: str = case_ops.FOCUS_GROUP

    def value(self, subject: int | str, attribute_id: int) -> str | None:
        """A stored value, or ``None``."""
        return self.values.get((subject, attribute_id))


# -- definitions -------------------------------------------------------------------------


def list_attributes(project: ProjectStore, target: str | None = None) -> list[AttributeDef]:
    """Attribute definitions (of one target, or all)."""
    with project.read() as tx:
        return tx.attributes.list(_check_target(target) if target else None)


def find_attribute(tx: Tx, target: str, name: str) -> AttributeDef:
    """An attribute by target and name.

    Raises:
        OperationError: Naming the attributes the target has.
    """
    found = tx.attributes.by_name(target, " ".join(name.split()))
    if found is None:
        names = ", ".join(a.name for a in tx.attributes.list(target)) or "none yet"
        raise OperationError(
            f"no {at.TARGET_LABELS[target]} attribute called '{name}' (there are: {names})"
        )
    return found


def define_attribute(
    project: ProjectStore,
    target: str,
    name: str,
    kind: str = "text",
    choices: Sequence[str] = (),
    *,
    actor: str | None = None,
) -> Change:
    """Add an attribute to focus groups, documents or participants.

    Args:
        project: The open project.
        target: ``case``, ``document`` or ``participant``.
        name: Its name (unique for the target).
        kind: ``text``, ``number``, ``date``, ``boolean`` (yes/no) or ``choice``.
        choices: The values of a fixed list.
        actor: Who (for the audit log).

    Raises:
        OperationError: A bad name, type or target, a duplicate, or in a coder's package.
    """
    _check_target(target)
    try:
        name = at.check_name(name)
        kind, choices = at.check_type(kind, choices)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        if tx.attributes.by_name(target, name) is not None:
            raise OperationError(f"{at.TARGET_LABELS[target]}s already have an attribute '{name}'")
        made = tx.attributes.add(target, name, kind, choices)
        summary = (
            f"Added the {at.TYPE_LABELS[kind]} attribute '{name}' to {at.TARGET_LABELS[target]}s"
        )
        tx.audit.record(
            actor or default_actor(),
            "attribute.define",
            summary,
            {"target": target, "name": name, "type": kind, "choices": list(choices)},
        )
    return Change("attribute.define", summary, details={"attribute": made}, areas=AREAS)


def change_attribute(
    project: ProjectStore,
    attribute_id: int,
    *,
    name: str | None = None,
    kind: str | None = None,
    choices: Sequence[str] | None = None,
    actor: str | None = None,
) -> Change:
    """Rename an attribute, or change its type or list of values.

    Every stored value must fit the new type (converted where needed: ``17/3/2018`` to
    ``2018-03-17``); otherwise nothing changes and the message names the first misfit.

    Raises:
        OperationError: An unknown attribute, a clash, a bad type, or values that do not fit.
    """
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        old = tx.attributes.get(attribute_id)
        if old is None:
            raise OperationError(f"there is no attribute with id {attribute_id}")
        fields: dict[str, object] = {}
        try:
            if name is not None and " ".join(name.split()) != old.name:
                fields["name"] = at.check_name(name)
                clash = tx.attributes.by_name(old.target, fields["name"])  # type: ignore[arg-type]
                if clash is not None and clash.id != old.id:
                    raise OperationError(f"there is already an attribute '{fields['name']}'")
            target_kind = kind or old.type
            if choices is not None:
                wanted = list(choices)
            elif target_kind == old.type:
                wanted = list(old.choices)
            else:  # a new fixed list starts from the values already given
                wanted = at.order_values(None, tx.attributes.values(old.id).values())
            new_kind, new_choices = at.check_type(target_kind, wanted)
        except ValueError as exc:
            raise OperationError(str(exc)) from None
        if (new_kind, new_choices) != (old.type, old.choices):
            fields["type"], fields["choices"] = new_kind, new_choices
            probe = AttributeDef(old.id, old.uid, old.target, old.name, new_kind, new_choices)
            converted: dict[int, str | None] = {}
            for subject, value in tx.attributes.values(old.id).items():
                try:
                    converted[subject] = at.normalise_value(probe, value)
                except ValueError as exc:
                    raise OperationError(f"{exc}; change or clear that value first") from None
            for subject, new_value in converted.items():
                tx.attributes.set_value(old.id, old.target, subject, new_value)
        if not fields:
            return Change("attribute.change", "Nothing to change", areas=AREAS)
        made = tx.attributes.update(old.id, **fields)
        summary = (
            f"Changed the attribute '{old.name}'"
            + (f" to '{made.name}'" if made.name != old.name else "")
            + (f" ({made.type_label})" if made.type != old.type else "")
        )
        tx.audit.record(
            actor or default_actor(),
            "attribute.change",
            summary,
            {
                "target": old.target,
                "name": made.name,
                "type": made.type,
                "choices": list(made.choices),
            },
        )
    return Change("attribute.change", summary, details={"attribute": made}, areas=AREAS)


def remove_attribute(
    project: ProjectStore, attribute_id: int, *, actor: str | None = None
) -> Change:
    """Delete an attribute and all its values (audited)."""
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        old = tx.attributes.get(attribute_id)
        if old is None:
            raise OperationError(f"there is no attribute with id {attribute_id}")
        count = len(tx.attributes.values(attribute_id))
        tx.attributes.remove(attribute_id)
        summary = f"Removed the attribute '{old.name}' with its {count} value(s)"
        tx.audit.record(
            actor or default_actor(),
            "attribute.remove",
            summary,
            {"target": old.target, "name": old.name, "values": count},
        )
    return Change("attribute.remove", summary, areas=AREAS)


# -- values ------------------------------------------------------------------------------


def _subject_id(tx: Tx, target: str, subject: int | str) -> tuple[int, str]:
    """The row id behind a subject (a participant is created when new), and its label."""
    if target == "participant":
        try:
            label = pt.normalise_label(subject)
        except ValueError as exc:
            raise OperationError(str(exc)) from None
        return tx.participants.ensure(label).id, label
    if target == "document":
        doc = tx.documents.get(int(subject))
        if doc is None:
            raise OperationError(f"there is no document with id {subject}")
        return doc.id, doc.meta.title
    case = tx.cases.get(int(subject))
    if case is None or case.kind != case_ops.FOCUS_GROUP:
        raise OperationError(f"there is no focus group with id {subject}")
    return case.id, case.name


def set_value(
    project: ProjectStore,
    attribute_id: int,
    subject: int | str,
    value: object,
    *,
    actor: str | None = None,
) -> Change:
    """Set (or, with an empty value, clear) one attribute's value for one subject.

    Args:
        project: The open project.
        attribute_id: The attribute.
        subject: A focus group's or document's id, or a participant's label.
        value: The value as typed (checked and stored in its canonical form).
        actor: Who (for the audit log).

    Returns:
        A change whose ``details`` hold the ``before`` and ``after`` values.

    Raises:
        OperationError: A value the attribute does not take (in words), an unknown
            attribute or subject, or in a coder's package.
    """
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        definition = tx.attributes.get(attribute_id)
        if definition is None:
            raise OperationError(f"there is no attribute with id {attribute_id}")
        try:
            stored = at.normalise_value(definition, value)
        except ValueError as exc:
            raise OperationError(str(exc)) from None
        subject_id, label = _subject_id(tx, definition.target, subject)
        before = tx.attributes.set_value(definition.id, definition.target, subject_id, stored)
        if before == stored:
            return Change(
                "attribute.value",
                "Nothing changed",
                details={"before": before, "after": stored, "changed": False},
                areas=AREAS,
            )
        if definition.target == "participant":
            case_ops.ensure_unit_cases(tx, ())
        shown = stored if stored is not None else "no value"
        summary = f"{label}: {definition.name} = {shown}"
        tx.audit.record(
            actor or default_actor(),
            "attribute.value",
            summary,
            {
                "target": definition.target,
                "attribute": definition.name,
                "subject": label,
                "before": before,
                "after": stored,
            },
        )
    return Change(
        "attribute.value",
        summary,
        details={"before": before, "after": stored, "changed": True, "subject": subject},
        areas=AREAS,
    )


def participant_values(project: ProjectStore, attribute: str) -> dict[str, object]:
    """Every participant's value of one participant attribute, by label.

    For other features keyed by participant label (the votes' breakdowns): ``{"P14":
    "carer", ...}``. Values come typed: a number as int or float, a date as
    ``datetime.date``, yes/no as bool, text and fixed-list values as str. Participants
    without a value are left out.

    Raises:
        OperationError: When participants have no attribute of that name.
    """
    with project.read() as tx:
        definition = find_attribute(tx, "participant", attribute)
        labels = dict(tx.participants.list())
        values = tx.attributes.values(definition.id)
    return {
        labels[subject]: at.typed_value(definition.type, value)
        for subject, value in sorted(values.items())
        if subject in labels
    }


def add_participants(
    project: ProjectStore, labels: Iterable[str], *, actor: str | None = None
) -> Change:
    """Make sure participants with these labels exist (``3`` is read as ``P3``).

    Raises:
        OperationError: An empty or over-long label.
    """
    try:
        clean = sorted({pt.normalise_label(label) for label in labels}, key=at.natural_key)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        before = len(tx.participants.list())
        tx.participants.ensure_many(clean)
        added = len(tx.participants.list()) - before
        case_ops.ensure_unit_cases(tx, ())
        summary = f"Added {added} participant(s)"
        if added:
            tx.audit.record(
                actor or default_actor(), "attribute.participants", summary, {"labels": clean}
            )
    return Change("attribute.participants", summary, details={"added": added}, areas=AREAS)


# -- tables ------------------------------------------------------------------------------


def _participant_subjects(tx: Tx) -> list[Subject]:
    stored = dict((label, i) for i, label in tx.participants.list())
    documents = tx.documents.list()
    finder = ParticipantFinder(
        tx.summaries.document_texts([d.id for d in documents]), {}, known=stored
    )
    found = finder.all_labels([d.id for d in documents])
    labels = at.order_values(None, [*stored, *found])
    mentions: dict[str, int] = {}
    for doc in documents:
        for label in finder.mentions(doc.id)[1]:
            mentions[label] = mentions.get(label, 0) + 1
    return [
        Subject(
            label,
            label,
            f"named {_times(mentions[label])} in the documents"
            if mentions.get(label)
            else "not named in the text",
            label in stored,
        )
        for label in labels
    ]


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _document_details(doc) -> str:
    parts = [at.KIND_VALUES.get(doc.meta.kind, doc.meta.kind)]
    if doc.meta.session is not None:
        parts.append(f"session {doc.meta.session}")
    if doc.meta.group is not None:
        parts.append(f"group {doc.meta.group}")
    return ", ".join(parts)


def attribute_table(project: ProjectStore, target: str) -> AttributeTable:
    """The attributes of one target with every subject's values (participants include
    every label the documents name, stored or not)."""
    _check_target(target)
    with project.read() as tx:
        definitions = tuple(tx.attributes.list(target))
        raw = tx.attributes.all_values(target)
        values: dict[tuple[int | str, int], str]
        if target == "participant":
            subjects = _participant_subjects(tx)
            ids = dict(tx.participants.list())
            values = {(ids[s], a): v for a, by in raw.items() for s, v in by.items() if s in ids}
        elif target == "document":
            subjects = [
                Subject(d.id, d.meta.title, _document_details(d)) for d in tx.documents.list()
            ]
            values = {(s, a): v for a, by in raw.items() for s, v in by.items()}
        else:
            subjects = [
                Subject(c.id, c.name, f"session {c.session}, group {c.group}")
                for c in tx.cases.list()
            ]
            values = {(s, a): v for a, by in raw.items() for s, v in by.items()}
        unit = case_ops.unit_of(tx.project.describe()["settings"])
    return AttributeTable(target, definitions, tuple(subjects), values, unit)


@dataclass(frozen=True)
class Mention:
    """A place in a document that belongs to a participant.

    Attributes:
        ref: Reference id of the paragraph (as the framework matrices write them).
        document_id: The document.
        document: Its title.
        start: The paragraph's first character.
        end: One past its last.
        text: The paragraph (or "the whole document" for a document the participant owns).
    """

    ref: str
    document_id: int
    document: str
    start: int
    end: int
    text: str


def participant_mentions(project: ProjectStore, label: str) -> list[Mention]:
    """The paragraphs naming a participant, and documents belonging to them: every coded
    passage touching one of these belongs to the participant (see
    :mod:`ketqual.core.participants`)."""
    try:
        label = pt.normalise_label(label)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    with project.read() as tx:
        documents = tx.documents.list()
        texts = tx.summaries.document_texts([d.id for d in documents])
        paragraphs = tx.retrieval.units("paragraph")
        owning = tx.attributes.by_name("document", pt.DOCUMENT_ATTRIBUTE)
        owners = (
            {d: pt.document_participants(v) for d, v in tx.attributes.values(owning.id).items()}
            if owning
            else {}
        )
        known = [lab for _i, lab in tx.participants.list()]
        tags = document_tags(tx.cases.list(), documents)
    finder = ParticipantFinder(texts, paragraphs, owners, known)
    out: list[Mention] = []
    for doc in documents:
        text = texts.get(doc.id, "")
        if label in owners.get(doc.id, ()):
            out.append(
                Mention(
                    f"{tags.get(doc.id)}-0-{len(text)}",
                    doc.id,
                    doc.meta.title,
                    0,
                    len(text),
                    "(the whole document belongs to them)",
                )
            )
            continue
        starts, labels = finder.mentions(doc.id)
        seen: set[tuple[int, int]] = set()
        for position, found in zip(starts, labels, strict=True):
            if found != label:
                continue
            lo, hi = finder.context(doc.id, position, position + len(found))
            if (lo, hi) in seen:
                continue
            seen.add((lo, hi))
            out.append(
                Mention(
                    f"{tags.get(doc.id)}-{lo}-{hi}",
                    doc.id,
                    doc.meta.title,
                    lo,
                    hi,
                    " ".join(text[lo:hi].split()),
                )
            )
    return out


# -- files -------------------------------------------------------------------------------


def export_attributes(
    project: ProjectStore,
    target: str,
    path: str | Path,
    *,
    fmt: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Change:
    """Write one target's table: a key column, built-in facts, then one column per
    attribute (CSV in UTF-8 with BOM, or xlsx), after checking every cell for identifiers.

    Args:
        actor: Who exports (for the audit log).
        check: Override and key for the identifier check (see
            :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: An unknown format or target, a table that holds identifiers
            (nothing is written), or a file that cannot be written.
    """
    path = Path(path)
    try:
        chosen = attribute_files.format_for(path, fmt)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    table = attribute_table(project, target)
    with project.read() as tx:
        documents = {d.id: d for d in tx.documents.list()}
        cases = {c.id: c for c in tx.cases.list()}
    headers = [*BUILTIN_COLUMNS[target], *(a.name for a in table.attributes)]
    rows = []
    for subject in table.subjects:
        if target == "participant":
            first = [str(subject.key)]
        elif target == "document":
            doc = documents[int(subject.key)]
            first = [
                doc.uid,
                doc.meta.title,
                "" if doc.meta.session is None else str(doc.meta.session),
                "" if doc.meta.group is None else str(doc.meta.group),
                doc.meta.kind,
            ]
        else:
            case = cases[int(subject.key)]
            first = [
                case.name,
                "" if case.session is None else str(case.session),
                "" if case.group is None else str(case.group),
            ]
        rows.append(first + [table.value(subject.key, a.id) or "" for a in table.attributes])
    sheet = {"participant": "Participants", "document": "Documents", "case": "Focus groups"}
    outgoing.check_outgoing(
        project,
        what="attribute table",
        destination=path,
        payload={"columns": headers},
        strings=[
            (f"rows[{i}].{header}", value)
            for i, row in enumerate(rows)
            for header, value in zip(headers, row, strict=True)
            if value
        ],
        options=check,
        actor=actor,
    )
    try:
        written = attribute_files.write_table(path, headers, rows, chosen, sheet[target])
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    return Change(
        "attribute.export",
        f"Wrote {len(rows)} {at.TARGET_LABELS[target]}s' attributes to {path.name}",
        details={"path": written, "rows": len(rows)},
        areas=NOTHING,
    )


def _key_column(target: str, headers: Sequence[str]) -> int:
    simple = [" ".join(h.replace("_", " ").split()).casefold() for h in headers]
    for spelling in _KEY_SPELLINGS[target]:
        wanted = spelling.replace("_", " ")
        if wanted in simple:
            return simple.index(wanted)
    if target == "document" and "document" in simple:
        return simple.index("document")
    if target == "participant":
        return 0
    wanted = KEY_COLUMNS[target]
    raise OperationError(
        f"the table needs a '{wanted}' column saying which {at.TARGET_LABELS[target]} each "
        f"row is (its columns are: {', '.join(h for h in headers if h)})"
    )


def import_attributes(
    project: ProjectStore,
    target: str,
    path: str | Path,
    *,
    actor: str | None = None,
) -> Change:
    """Read one target's attributes from CSV or xlsx: one row per focus group, document or
    participant; one column per attribute.

    Unknown columns become new attributes, typed from their values (numbers, dates, yes/no,
    a fixed list when few values repeat, else text). An empty cell clears the value.
    Participants not yet known are added. Built-in columns (session, group, kind) are
    read past. Everything is stored in one transaction, or nothing: a value an attribute
    does not take, or a row naming no known document or focus group, refuses the file
    with the rows at fault.

    Raises:
        OperationError: With the reasons (at most ten listed).
    """
    _check_target(target)
    path = Path(path)
    try:
        attribute_files.format_for(path, None)
        table = attribute_files.read_table(path)
    except (ValueError, ImportRefused) as exc:
        raise OperationError(str(exc)) from None
    headers = [" ".join(h.split()) for h in table.headers]
    key = _key_column(target, headers)
    skip = {key} | {
        j
        for j, h in enumerate(headers)
        if h.replace(" ", "_").casefold() in BUILTIN_COLUMNS[target] or not h
    }
    columns = [j for j in range(len(headers)) if j not in skip]
    errors: list[str] = []
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        subjects: list[tuple[int, int]] = []  # (row number, subject id)
        if target == "participant":
            labels = []
            for row_no, row in enumerate(table.rows, start=2):
                try:
                    labels.append((row_no, pt.normalise_label(row[key])))
                except ValueError as exc:
                    errors.append(f"row {row_no}: {exc}")
            ids = tx.participants.ensure_many([label for _r, label in labels])
            subjects = [(row_no, ids[label]) for row_no, label in labels]
        elif target == "document":
            documents = tx.documents.list()
            by_uid = {d.uid: d.id for d in documents}
            titles: dict[str, list[int]] = {}
            for d in documents:
                titles.setdefault(d.meta.title.casefold(), []).append(d.id)
            by_title = headers[key].replace("_", " ").casefold() == "document"
            for row_no, row in enumerate(table.rows, start=2):
                cell = row[key].strip()
                found = (
                    titles.get(cell.casefold(), [])
                    if by_title
                    else [by_uid[cell]]
                    if cell in by_uid
                    else []
                )
                if len(found) != 1:
                    errors.append(
                        f"row {row_no}: no single document "
                        + ("titled" if by_title else "with the uid")
                        + f" '{cell}'"
                    )
                    continue
                subjects.append((row_no, found[0]))
        else:
            by_name = {c.name.casefold(): c.id for c in tx.cases.list()}
            for row_no, row in enumerate(table.rows, start=2):
                cell = " ".join(row[key].split())
                if cell.casefold() not in by_name:
                    errors.append(f"row {row_no}: no focus group called '{cell}'")
                    continue
                subjects.append((row_no, by_name[cell.casefold()]))
        definitions: dict[int, AttributeDef] = {}
        created: list[str] = []
        for j in columns:
            name = headers[j]
            attribute = tx.attributes.by_name(target, name)
            if attribute is None:
                try:
                    clean = at.check_name(name)
                except ValueError as exc:
                    errors.append(f"column '{name}': {exc}")
                    continue
                kind, choices = at.guess_type([row[j] for row in table.rows])
                attribute = tx.attributes.add(target, clean, kind, choices)
                created.append(f"{clean} ({at.TYPE_LABELS[kind]})")
            definitions[j] = attribute
        row_cells = {row_no: table.rows[row_no - 2] for row_no, _s in subjects}
        writes = []
        for row_no, subject_id in subjects:
            for j, definition in definitions.items():
                try:
                    value = at.normalise_value(definition, row_cells[row_no][j])
                except ValueError as exc:
                    errors.append(f"row {row_no}: {exc}")
                    continue
                writes.append((definition, subject_id, value))
        if errors:
            shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
            more = len(errors) - MAX_ERRORS_SHOWN
            raise OperationError(
                f"nothing was imported from {path.name}: {shown}"
                + (f" (and {more} more)" if more > 0 else "")
            )
        changed = 0
        for definition, subject_id, value in writes:
            if tx.attributes.set_value(definition.id, target, subject_id, value) != value:
                changed += 1
        case_ops.ensure_unit_cases(tx, ())
        summary = (
            f"Imported {at.TARGET_LABELS[target]} attributes from {path.name}: "
            f"{len(subjects)} row(s), {changed} value(s) changed"
            + (f", new attributes: {', '.join(created)}" if created else "")
        )
        tx.audit.record(
            actor or default_actor(),
            "attribute.import",
            summary,
            {"file": path.name, "target": target, "rows": len(subjects), "changed": changed},
        )
    return Change(
        "attribute.import",
        summary,
        details={"rows": len(subjects), "changed": changed, "created": created},
        areas=AREAS,
    )


def keep_feedback_attributes(
    tx: Tx, values: dict[str, dict[str, str]], owners: dict[int, str | None]
) -> list[str]:
    """Store what a feedback sheet brings besides its answers (called by the import, in
    the import's transaction): each participant's other columns as participant attributes
    (new columns typed from their values), and for documents laid out one per participant,
    whose each one is (the document attribute ``participant``).

    A value an existing attribute does not take is left out with a remark; it never stops
    the import of the answers.

    Returns:
        Remarks for the import report.
    """
    notes: list[str] = []
    if values:
        ids = tx.participants.ensure_many(values)
        columns: dict[str, list[str]] = {}
        for found in values.values():
            for column, value in found.items():
                columns.setdefault(column, []).append(value)
        kept = []
        for column, column_values in columns.items():
            try:
                name = at.check_name(column)
            except ValueError as exc:
                notes.append(f"column '{column}' not kept: {exc}")
                continue
            definition = tx.attributes.by_name("participant", name)
            if definition is None:
                kind, choices = at.guess_type(column_values)
                definition = tx.attributes.add("participant", name, kind, choices)
            kept.append(name)
            for label, found in values.items():
                if column not in found:
                    continue
                try:
                    stored = at.normalise_value(definition, found[column])
                except ValueError as exc:
                    notes.append(f"{label}: {exc}; left out")
                    continue
                tx.attributes.set_value(definition.id, "participant", ids[label], stored)
        if kept:
            notes.append(
                f"kept as participant attributes of {len(values)} participant(s): "
                + ", ".join(kept)
            )
    owned = {doc: label for doc, label in owners.items() if label}
    if owned:
        definition = tx.attributes.by_name("document", pt.DOCUMENT_ATTRIBUTE)
        if definition is None:
            definition = tx.attributes.add("document", pt.DOCUMENT_ATTRIBUTE, "text")
        tx.participants.ensure_many(owned.values())
        for doc, label in owned.items():
            tx.attributes.set_value(definition.id, "document", doc, label)
    case_ops.ensure_unit_cases(tx, list(owners))
    return notes
