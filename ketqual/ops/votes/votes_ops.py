"""Votes beside the themes: import voting sheets, link questions to themes, and give their
figures (tables, bar charts, stacked bars, breakdowns by participant attribute).

The figures come from :mod:`ketqual.core.votes`, the sheet rules from
:mod:`ketqual.core.votes_sheet`; pictures are drawn by a ``picture_writer`` the caller
hands in (``ketqual.render.votes.export.write_picture``), since operations never load Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ketqual import __version__
from ketqual.core import votes, votes_figure
from ketqual.core import votes_sheet as vs
from ketqual.core.model import ImportRefused, Table
from ketqual.core.records import CodeRecord
from ketqual.core.votes import GroupSummary, Question, QuestionSummary, ThemeVotes
from ketqual.core.votes_figure import VoteFigure
from ketqual.core.votes_sheet import QuestionSpec, VoteColumns, VoteSheet
from ketqual.io import readers, votes_files
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

DENOMINATORS = votes.DENOMINATORS
TABLE_FORMATS = votes_files.FORMATS
PICTURE_FORMATS = ("svg", "pdf", "png")
STYLES = votes_figure.STYLES
SHEET_EXTENSIONS = readers.SUPPORTED_TABLE_EXTENSIONS
PictureWriter = Callable[[VoteFigure, Path, str], Path]


# -- reading sheets -------------------------------------------------------------------


@dataclass(frozen=True)
class SheetPreview:
    """What the import dialog shows before anything is imported.

    Attributes:
        sheets: Names of the worksheets holding votes (xlsx), ``[None]`` for CSV.
        sheet: The one shown.
        headers: Its header row.
        sample: Its first rows.
        columns: The guessed mapping (``None`` when nothing could be guessed).
        question_list: Whether the file carries a question list (a Questions sheet).
    """

    sheets: tuple[str | None, ...]
    sheet: str | None
    headers: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]
    columns: VoteColumns | None
    question_list: bool


def _tables(path: Path) -> list[Table]:
    try:
        read = readers.read_table_detailed(path)
    except ImportRefused as exc:
        raise OperationError(f"cannot read {path.name}: {exc}") from None
    except FileNotFoundError:
        raise OperationError(f"{path} was not found") from None
    except OSError as exc:
        raise OperationError(f"cannot read {path}: {exc.strerror or exc}") from None
    return list(read.tables)


def _split(tables: list[Table], sheet: str | None, name: str) -> tuple[Table, list[Table]]:
    """The votes table and any question lists among ``tables``."""
    lists = [t for t in tables if vs.is_question_list(t)]
    data = [t for t in tables if t not in lists and t.rows]
    if sheet is not None:
        chosen = [t for t in tables if (t.sheet or "").casefold() == sheet.casefold()]
        if not chosen:
            shown = ", ".join(t.sheet or "" for t in tables)
            raise OperationError(f"{name} has no sheet '{sheet}' (its sheets: {shown})")
        return chosen[0], [t for t in lists if t is not chosen[0]]
    if not data:
        raise OperationError(f"{name} has no votes in it (no rows under the header)")
    if len(data) > 1:
        shown = ", ".join(t.sheet or "" for t in data)
        raise OperationError(
            f"{name} has votes on several sheets ({shown}); choose one (--sheet NAME), and "
            "keep any question list on a sheet named Questions"
        )
    return data[0], lists


def preview_sheet(path: str | Path, *, sheet: str | None = None, rows: int = 8) -> SheetPreview:
    """Read a voting sheet's headers and first rows and guess its columns (no project).

    Raises:
        OperationError: When the file cannot be read.
    """
    path = Path(path)
    tables = _tables(path)
    data = [t for t in tables if not vs.is_question_list(t) and t.rows]
    chosen = None
    if sheet is not None:
        chosen = next((t for t in tables if (t.sheet or "").casefold() == sheet.casefold()), None)
    chosen = chosen or (data[0] if data else tables[0])
    return SheetPreview(
        sheets=tuple(t.sheet for t in data) or (chosen.sheet,),
        sheet=chosen.sheet,
        headers=chosen.headers,
        sample=chosen.rows[:rows],
        columns=vs.guess_columns(chosen.headers),
        question_list=any(vs.is_question_list(t) for t in tables),
    )


def _spec_of(question: Question) -> QuestionSpec:
    return QuestionSpec(question.text, question.kind, question.options)


def read_vote_file(
    path: str | Path,
    *,
    columns: VoteColumns | None = None,
    multi: Sequence[str] = (),
    separator: str = ";",
    questions_file: str | Path | None = None,
    sheet: str | None = None,
    known: Iterable[Question] = (),
) -> VoteSheet:
    """Read and check a voting sheet without storing anything.

    Question definitions come, in rising priority, from ``known`` (the project's
    questions), a Questions sheet in the same workbook, and ``questions_file``.

    Raises:
        OperationError: Naming the row and column of each problem.
    """
    path = Path(path)
    table, lists = _split(_tables(path), sheet, path.name)
    specs: dict[str, QuestionSpec] = {vs.simplify(q.text): _spec_of(q) for q in known}
    sources = [(path.name, t) for t in lists]
    if questions_file is not None:
        extra = Path(questions_file)
        sources += [(extra.name, t) for t in _tables(extra)]
    for name, listed in sources:
        try:
            specs.update(vs.read_question_list(listed))
        except vs.SheetError as exc:
            where = f"{name}, sheet {listed.sheet}" if listed.sheet else name
            raise OperationError(f"{where}: {exc}") from None
    try:
        return vs.read_sheet(table, columns, specs, multi=multi, separator=separator)
    except vs.SheetError as exc:
        where = f"{path.name}, sheet {table.sheet}" if table.sheet else path.name
        raise OperationError(f"{where}: {exc}") from None


# -- importing --------------------------------------------------------------------------


def _code_by_name(codes: Sequence[CodeRecord], name: str) -> CodeRecord | None:
    """A code by name (themes first) or by ``Theme/Subtheme`` path, ignoring case."""
    key = " ".join(name.split()).casefold()
    names = {c.id: c.name for c in codes}
    for code in sorted(codes, key=lambda c: c.parent_id is not None):
        path = code.name if code.parent_id is None else f"{names.get(code.parent_id)}/{code.name}"
        if key in (code.name.casefold(), path.casefold()):
            return code
    if key.isdigit():
        return next((c for c in codes if c.id == int(key)), None)
    return None


def _theme_names(codes: Sequence[CodeRecord]) -> str:
    return ", ".join(c.name for c in codes if c.parent_id is None)


def _pseudonymised(sheet: VoteSheet, key: Mapping[str, str]) -> tuple[VoteSheet, int]:
    """Participants named by a real name in the project's key get their pseudonym."""
    lookup = {name.casefold(): pseudonym for name, pseudonym in key.items()}
    if not lookup or sheet.shape != "participants":
        return sheet, 0
    renamed = {p: lookup[p.casefold()] for p in sheet.participants if p.casefold() in lookup}
    if not renamed:
        return sheet, 0
    labels = [renamed.get(p, p) for p in sheet.participants]
    seen: dict[str, str] = {}
    for original, label in zip(sheet.participants, labels, strict=True):
        if label.casefold() in seen:
            raise OperationError(
                f"participant {label} appears twice once names are replaced by pseudonyms "
                f"({seen[label.casefold()]} and {original}); nothing was imported"
            )
        seen[label.casefold()] = original
    questions = tuple(
        replace(q, answers={renamed.get(p, p): a for p, a in q.answers.items()})
        for q in sheet.questions
    )
    return replace(sheet, questions=questions, participants=tuple(labels)), len(renamed)


def import_votes(
    project: ProjectStore,
    path: str | Path,
    *,
    columns: VoteColumns | None = None,
    multi: Sequence[str] = (),
    separator: str = ";",
    questions_file: str | Path | None = None,
    sheet: str | None = None,
    actor: str | None = None,
) -> Change:
    """Import a voting sheet (one row per participant, or a tally) in one transaction.

    A question already in the project (same text, ignoring case) keeps its place, uid and
    theme links and its answers are replaced; its type and options check the new answers
    unless the file brings a new definition. Participant names found in the project's
    pseudonymisation key are replaced by their pseudonyms.

    Returns:
        A change (area VOTES) whose details hold ``questions`` (text, kind, options,
        answered, missing, replaced, how), ``participants``, ``skipped`` columns,
        ``pseudonymised``, ``notes``, and ``lines``: the result in words for a person.

    Raises:
        OperationError: For an unreadable file, columns that cannot be told, any bad vote
            (naming its row and column), or an unknown theme; nothing is stored then.
    """
    actor = actor or default_actor()
    path = Path(path)
    with project.read() as tx:
        package_guard.refuse_in_package(
            tx, "this is a coder package: votes are imported in the supervisor's project"
        )
        known = tx.votes.list()
    read = read_vote_file(
        path,
        columns=columns,
        multi=multi,
        separator=separator,
        questions_file=questions_file,
        sheet=sheet,
        known=known,
    )
    stored = []
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        read, renamed = _pseudonymised(read, tx.pseudonyms.key())
        codes = tx.codes.list()
        links: dict[str, list[int]] = {}
        for draft in read.questions:
            for name in draft.themes:
                code = _code_by_name(codes, name)
                if code is None:
                    raise OperationError(
                        f"the question list links '{draft.text}' to '{name}', which is not in "
                        f"the codebook (themes: {_theme_names(codes)}); nothing was imported"
                    )
                links.setdefault(draft.text, []).append(code.id)
        for draft in read.questions:
            question, replaced = tx.votes.store(
                text=draft.text,
                kind=draft.kind,
                options=draft.options,
                shape=draft.shape,
                answers=draft.answers,
                counts=draft.counts,
                missing=draft.missing,
                respondents=draft.respondents,
                source=path.name,
            )
            for code_id in links.get(draft.text, []):
                tx.votes.link(question.id, code_id)  # type: ignore[arg-type]
            if draft.shape == "tally":
                responses = votes.tally_responses(
                    question, draft.counts, missing=draft.missing, respondents=draft.respondents
                )
            else:
                responses = votes.count_answers(question, draft.answers)
            stored.append(
                {
                    "id": question.id,
                    "text": question.text,
                    "kind": question.kind,
                    "options": list(question.options),
                    "answered": responses.answered,
                    "missing": responses.missing,
                    "selections": responses.selections,
                    "replaced": replaced,
                    "how": draft.how,
                }
            )
        notes = list(read.notes)
        unlike = [p for p in read.participants if not re.search(r"\d", p)]
        if unlike:
            notes.append(
                f"{len(unlike)} participant ids have no number in them ({', '.join(unlike[:3])}"
                f"{', …' if len(unlike) > 3 else ''}); if they are names, give them pseudonyms "
                "(a names key on import) before sharing the project."
            )
        summary = (
            f"Imported {len(stored)} voting question{'s' if len(stored) != 1 else ''} from "
            f"{path.name}"
            + (
                f" ({len(read.participants)} participants)"
                if read.shape == "participants"
                else " (a tally)"
            )
        )
        details = {
            "file": path.name,
            "shape": read.shape,
            "questions": stored,
            "participants": len(read.participants),
            "skipped": list(read.skipped),
            "pseudonymised": renamed,
            "notes": notes,
        }
        tx.audit.record(
            actor, "votes.import", summary, {k: v for k, v in details.items() if k != "notes"}
        )
    details["lines"] = _report_lines(summary, details)
    return Change("votes.import", summary, details=details, areas=frozenset({Area.VOTES}))


def _report_lines(summary: str, d: Mapping) -> list[str]:
    """The import's result as lines for a person (the CLI prints them, the app shows them)."""
    lines = [summary + "."]
    for q in d["questions"]:
        kind = votes.KIND_LABELS[q["kind"]]
        if d["shape"] == "tally":
            counted = f"{q['selections']} {'selections' if q['kind'] == 'multiple' else 'votes'}"
        else:
            counted = f"{q['answered']} answered"
        missing = f", {q['missing']} without an answer" if q["missing"] else ""
        again = " (replaced the earlier answers)" if q["replaced"] else ""
        lines.append(
            f"  {q['text']}: {kind}, {len(q['options'])} options ({q['how']}); "
            f"{counted}{missing}{again}"
        )
    if d["skipped"]:
        lines.append(f"Left out (not questions): {', '.join(d['skipped'])}.")
    if d["pseudonymised"]:
        lines.append(f"{d['pseudonymised']} participant names were replaced by their pseudonyms.")
    lines += d["notes"]
    return lines


# -- questions ---------------------------------------------------------------------------


def list_questions(project: ProjectStore) -> list[Question]:
    """Every voting question in order."""
    with project.read() as tx:
        return tx.votes.list()


@dataclass(frozen=True)
class QuestionRow:
    """A question as the lists show it: number, figures at a glance and theme names."""

    number: int
    question: Question
    answered: int | None
    missing: int
    themes: tuple[str, ...]


def question_rows(project: ProjectStore) -> list[QuestionRow]:
    """Every question with its number, answered and missing counts and linked theme names."""
    with project.read() as tx:
        codes = tx.codes.list()
        names = {c.id: c.name for c in codes}
        paths = {
            c.id: c.name if c.parent_id is None else f"{names.get(c.parent_id)}/{c.name}"
            for c in codes
        }
        out = []
        for number, q in enumerate(tx.votes.list(), start=1):
            responses = tx.votes.responses(q)
            out.append(
                QuestionRow(
                    number,
                    q,
                    responses.answered,
                    responses.missing,
                    tuple(paths.get(t, str(t)) for t in q.themes),
                )
            )
        return out


def _find(tx: Tx, ref: str | int) -> Question:
    questions = tx.votes.list()
    if not questions:
        raise OperationError(
            "the project has no voting questions yet (import a voting sheet first)"
        )
    text = str(ref).strip()
    if isinstance(ref, int) or re.fullmatch(r"#?\d+", text):
        number = int(text.lstrip("#"))
        for i, q in enumerate(questions, start=1):
            if i == number:
                return q
        raise OperationError(f"there is no question {number} (there are {len(questions)})")
    key = " ".join(text.split()).casefold()
    exact = [q for q in questions if q.text.casefold() == key]
    if exact:
        return exact[0]
    partial = [q for q in questions if key in q.text.casefold()]
    if len(partial) == 1:
        return partial[0]
    shown = "; ".join(f"{i}. {q.text}" for i, q in enumerate(questions, start=1))
    if partial:
        raise OperationError(
            f"'{text}' matches several questions; give more of it or its number ({shown})"
        )
    raise OperationError(f"no question '{text}' (the questions: {shown})")


def find_question(project: ProjectStore, ref: str | int) -> Question:
    """A question by its number in the list (1 = first), its text, or a unique part of it."""
    with project.read() as tx:
        return _find(tx, ref)


def _check_denominator(denominator: str) -> None:
    if denominator not in DENOMINATORS:
        raise OperationError(
            f"unknown denominator '{denominator}'; choose {', '.join(DENOMINATORS)}"
        )


def summarise_questions(
    project: ProjectStore,
    questions: Sequence[str | int] | None = None,
    *,
    denominator: str = "answered",
) -> list[QuestionSummary]:
    """Counts, percentages and Wilson intervals of the chosen questions (default: all)."""
    _check_denominator(denominator)
    with project.read() as tx:
        chosen = [_find(tx, ref) for ref in questions] if questions else tx.votes.list()
        return [votes.summarise(q, tx.votes.responses(q), denominator) for q in chosen]


def breakdown_question(
    project: ProjectStore,
    question: str | int,
    values: Mapping[str, str],
    *,
    denominator: str = "answered",
) -> list[GroupSummary]:
    """A question's figures per value of a participant attribute.

    Args:
        project: The project.
        question: The question (number, text or part of it).
        values: Participant id -> attribute value (patients, carers ...).
        denominator: As for :func:`summarise_questions`.

    Raises:
        OperationError: For a tally (it has no participants) or values that match nobody.
    """
    _check_denominator(denominator)
    with project.read() as tx:
        q = _find(tx, question)
        if q.shape == "tally":
            raise OperationError(
                f"'{q.text}' was imported as a tally, so its votes cannot be split by participant"
            )
        answers = tx.votes.answers(q.id)  # type: ignore[arg-type]
    # Values keep the order of the attribute's source (its first values name the groups).
    stored = {p.casefold(): p for p in answers}
    matched = {
        stored[key]: value
        for label, value in values.items()
        if (key := " ".join(label.split()).casefold()) in stored
    }
    if not matched:
        raise OperationError(
            f"none of the participants who voted on '{q.text}' ({', '.join(list(answers)[:4])}…) "
            "has a value for the attribute"
        )
    return votes.breakdown(q, answers, matched, denominator)


def read_participant_values(
    path: str | Path, column: str, *, id_column: str | None = None
) -> dict[str, str]:
    """Participant -> value of ``column`` from a participants CSV/xlsx (one row each).

    Raises:
        OperationError: For an unreadable file or a missing column.
    """
    path = Path(path)
    tables = [t for t in _tables(path) if t.rows]
    if not tables:
        raise OperationError(f"{path.name} has no rows")
    table = tables[0]
    guessed = vs.guess_columns(table.headers)
    id_header = id_column or (guessed.participant if guessed and guessed.participant else None)
    if id_header is None:
        raise OperationError(
            f"cannot tell which column of {path.name} holds the participant ids (its columns: "
            f"{', '.join(table.headers)})"
        )
    keys = {vs.simplify(h): i for i, h in enumerate(table.headers)}
    for wanted in (id_header, column):
        if vs.simplify(wanted) not in keys:
            raise OperationError(
                f"{path.name} has no column '{wanted}' (its columns: {', '.join(table.headers)})"
            )
    id_col, value_col = keys[vs.simplify(id_header)], keys[vs.simplify(column)]
    return {
        vs.participant_label(row[id_col]): " ".join(row[value_col].split())
        for row in table.rows
        if row[id_col].strip()
    }


# -- editing -------------------------------------------------------------------------


def link_question(
    project: ProjectStore,
    question: str | int,
    theme: str | int,
    *,
    unlink: bool = False,
    actor: str | None = None,
) -> Change:
    """Link a question to a theme (or subtheme), or remove the link."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        q = _find(tx, question)
        codes = tx.codes.list()
        code = _code_by_name(codes, str(theme))
        if code is None:
            raise OperationError(f"no theme called '{theme}' (themes: {_theme_names(codes)})")
        if unlink:
            done = tx.votes.unlink(q.id, code.id)  # type: ignore[arg-type]
            summary = (
                f"Unlinked '{q.text}' from {code.name}"
                if done
                else f"'{q.text}' was not linked to {code.name}"
            )
        else:
            done = tx.votes.link(q.id, code.id)  # type: ignore[arg-type]
            summary = (
                f"Linked '{q.text}' to {code.name}"
                if done
                else f"'{q.text}' was already linked to {code.name}"
            )
        if done:
            tx.audit.record(
                actor,
                "votes.unlink" if unlink else "votes.link",
                summary,
                {"question_uid": q.uid, "code_uid": code.uid},
            )
    return Change(
        "votes.unlink" if unlink else "votes.link",
        summary,
        details={"question_id": q.id, "code_id": code.id, "changed": done},
        areas=frozenset({Area.VOTES}),
    )


def set_links(
    project: ProjectStore,
    question: str | int,
    code_ids: Iterable[int],
    *,
    actor: str | None = None,
) -> Change:
    """Make a question's theme links exactly ``code_ids`` (the app's tick list)."""
    actor = actor or default_actor()
    wanted = set(code_ids)
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        q = _find(tx, question)
        codes = {c.id: c for c in tx.codes.list()}
        unknown = wanted - set(codes)
        if unknown:
            raise OperationError("one of the chosen themes is no longer in the codebook")
        for code_id in set(q.themes) - wanted:
            tx.votes.unlink(q.id, code_id)  # type: ignore[arg-type]
        for code_id in sorted(wanted - set(q.themes)):
            tx.votes.link(q.id, code_id)  # type: ignore[arg-type]
        names = [codes[c].name for c in sorted(wanted)]
        summary = f"Linked '{q.text}' to " + (", ".join(names) if names else "no theme")
        tx.audit.record(
            actor,
            "votes.link",
            summary,
            {"question_uid": q.uid, "codes": [codes[c].uid for c in sorted(wanted)]},
        )
    return Change(
        "votes.link", summary, details={"question_id": q.id}, areas=frozenset({Area.VOTES})
    )


def edit_question(
    project: ProjectStore,
    question: str | int,
    *,
    text: str | None = None,
    kind: str | None = None,
    order: Sequence[str] | None = None,
    rename: Mapping[str, str] | None = None,
    position: int | None = None,
    actor: str | None = None,
) -> Change:
    """Rename a question, change its type, reorder or rename its options, or move it.

    Args:
        project: The project.
        question: Its number, text or a unique part of it.
        text: A new text (unique among the questions).
        kind: A new type; the answers must fit it (one answer each unless multiple
            choice; yes/no/unsure needs the options Yes, No, Unsure; rating five options).
        order: Every option's current text, in the new order.
        rename: Current option text -> new text.
        position: Its new place in the list (1 = first).

    Raises:
        OperationError: When the change does not fit the question or its answers.
    """
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        q = _find(tx, question)
        options = list(q.options)
        if order is not None:
            keys = {vs.simplify(o): o for o in options}
            picked = [keys.get(vs.simplify(o)) for o in order]
            if None in picked or sorted(picked) != sorted(options):  # type: ignore[type-var]
                raise OperationError(
                    f"give every option of '{q.text}' once, in the new order ({'; '.join(options)})"
                )
            options = picked  # type: ignore[assignment]
        new_names = {o: o for o in options}
        for old, new in (rename or {}).items():
            match = next((o for o in options if vs.simplify(o) == vs.simplify(old)), None)
            if match is None:
                raise OperationError(
                    f"'{q.text}' has no option '{old}' (its options: {'; '.join(options)})"
                )
            new = " ".join(new.split())
            if not new:
                raise OperationError("an option needs a text")
            new_names[match] = new
        final = [new_names[o] for o in options]
        if len({vs.simplify(o) for o in final}) != len(final):
            raise OperationError("two options would have the same text")
        new_kind = kind or q.kind
        if new_kind not in votes.KINDS:
            raise OperationError(f"unknown type '{kind}'; choose {', '.join(votes.KINDS)}")
        if new_kind != q.kind:
            _check_kind(tx, q, new_kind, final)
        if text is not None:
            text = " ".join(text.split())
            other = tx.votes.find(text)
            if not text or (other is not None and other.id != q.id):
                raise OperationError(
                    f"another question is called '{text}'" if text else "a question needs a text"
                )
        tx.votes.update(q.id, text=text, kind=new_kind if new_kind != q.kind else None)  # type: ignore[arg-type]
        if final != list(q.options):
            tx.votes.set_options(q.id, list(zip(options, final, strict=True)))  # type: ignore[arg-type]
        if position is not None:
            tx.votes.move(q.id, position)  # type: ignore[arg-type]
        after = tx.votes.get(q.id)  # type: ignore[arg-type]
        assert after is not None, "the question was just updated in this transaction"
        summary = f"Changed the voting question '{after.text}'"
        tx.audit.record(
            actor,
            "votes.edit",
            summary,
            {
                "question_uid": q.uid,
                "text": after.text,
                "kind": after.kind,
                "options": list(after.options),
            },
        )
    return Change(
        "votes.edit", summary, details={"question_id": q.id}, areas=frozenset({Area.VOTES})
    )


def _check_kind(tx: Tx, q: Question, kind: str, options: Sequence[str]) -> None:
    label = votes.KIND_LABELS[kind]
    if kind == "yesno" and [vs.simplify(o) for o in options] != ["yes", "no", "unsure"]:
        raise OperationError(f"a {label} question has the options Yes, No, Unsure (in that order)")
    if kind == "rating" and len(options) != 5:
        raise OperationError(f"a {label} question has five options")
    if kind != "multiple" and q.kind == "multiple":
        if q.shape == "tally":
            raise OperationError(f"'{q.text}' is a tally of selections; it cannot become {label}")
        several = [p for p, a in tx.votes.answers(q.id).items() if len(a) > 1]  # type: ignore[arg-type]
        if several:
            raise OperationError(
                f"{len(several)} participants chose more than one option of '{q.text}' "
                f"({', '.join(several[:3])}), so it stays multiple choice"
            )


def delete_question(
    project: ProjectStore, question: str | int, *, actor: str | None = None
) -> Change:
    """Remove a question with its answers and links."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        q = _find(tx, question)
        tx.votes.delete(q.id)  # type: ignore[arg-type]
        summary = f"Deleted the voting question '{q.text}' and its answers"
        tx.audit.record(actor, "votes.delete", summary, {"question_uid": q.uid})
    return Change(
        "votes.delete", summary, details={"question_id": q.id}, areas=frozenset({Area.VOTES})
    )


# -- figures and tables ----------------------------------------------------------------


def _colour_for(tx: Tx, question: Question) -> str | None:
    """A question linked to one theme takes its colour (darkened for print when pale);
    linked to several or none, the bars stay the default indigo."""
    codes = {c.id: c for c in tx.codes.list()}
    themes = set()
    for code_id in question.themes:
        code = codes.get(code_id)
        if code is not None:
            themes.add(code.parent_id or code.id)
    if len(themes) == 1:
        theme = codes.get(themes.pop())
        return theme.colour if theme is not None else None
    return None


def vote_figure(
    project: ProjectStore,
    questions: Sequence[str | int],
    *,
    denominator: str = "answered",
    style: str = "auto",
    title: str | None = None,
) -> VoteFigure:
    """The figure of one question (bars), or stacked bars of one-answer questions.

    Raises:
        OperationError: For an unknown question, style or denominator, or a combination
            that cannot be drawn (several questions as bars, multiple choice stacked).
    """
    _check_denominator(denominator)
    if not questions:
        raise OperationError("name the question to draw (its number or text)")
    with project.read() as tx:
        chosen = [_find(tx, ref) for ref in questions]
        summaries = [votes.summarise(q, tx.votes.responses(q), denominator) for q in chosen]
        colour = _colour_for(tx, chosen[0])
    try:
        return votes_figure.build_figure(summaries, style=style, title=title, colour=colour)
    except ValueError as exc:
        raise OperationError(str(exc)) from None


def format_for(path: str | Path, fmt: str | None, allowed: Sequence[str]) -> str:
    """The format from ``fmt`` or the file's suffix.

    Raises:
        OperationError: When it is not one of ``allowed``.
    """
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen not in allowed:
        raise OperationError(
            f"cannot write '{Path(path).name}': choose a file ending in "
            + ", ".join(f".{f}" for f in allowed)
        )
    return chosen


def export_figure(
    project: ProjectStore,
    questions: Sequence[str | int],
    path: str | Path,
    *,
    fmt: str | None = None,
    denominator: str = "answered",
    style: str = "auto",
    title: str | None = None,
    picture_writer: PictureWriter | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Path:
    """Draw the figure of ``questions`` to an SVG, PDF or PNG file (recorded in the audit
    log), after checking its words (title, options, captions) for identifiers.

    Args:
        check: Override and key for the identifier check (see
            :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: For a bad choice, a figure whose words hold identifiers (nothing
            is written), or when the file cannot be written (nothing half-written is left).
    """
    path = Path(path)
    fmt = format_for(path, fmt, PICTURE_FORMATS)
    if picture_writer is None:
        raise OperationError(f"{fmt} pictures need the drawing module (Qt)")
    figure = vote_figure(project, questions, denominator=denominator, style=style, title=title)
    outgoing.check_outgoing(
        project,
        what="votes figure",
        destination=path,
        payload=figure,
        options=check,
        actor=actor,
    )
    try:
        picture_writer(figure, path, fmt)
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    _record(
        project, actor, "votes.figure", f"Exported the votes figure '{figure.title}' to {path.name}"
    )
    return path


def _record(project: ProjectStore, actor: str | None, action: str, summary: str) -> None:
    with project.transaction() as tx:
        tx.audit.record(actor or default_actor(), action, summary)


def about_rows(
    project: ProjectStore, denominator: str, extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """Facts for the head of a votes table file."""
    with project.read() as tx:
        name = tx.project.describe()["name"]
    return [
        ("Project", name),
        ("Percentages of", votes.DENOMINATOR_TEXT[denominator]),
        ("Intervals", "Wilson score intervals, 95 %"),
        ("Exported", datetime.now(UTC).isoformat(timespec="minutes").replace("T", " ") + " UTC"),
        ("Software", f"KetQual {__version__}"),
        *extra,
    ]


def export_table(
    project: ProjectStore,
    path: str | Path,
    *,
    fmt: str | None = None,
    denominator: str = "answered",
    questions: Sequence[str | int] | None = None,
    groups: Sequence[GroupSummary] | None = None,
    about: Sequence[tuple[str, str]] = (),
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Path:
    """Write the votes table (or a breakdown) as CSV, JSON or xlsx, after checking its
    words (questions, options, groups, notes) for identifiers.

    Args:
        check: Override and key for the identifier check (see
            :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: For an unknown format, a table that holds identifiers (nothing is
            written), or when the file cannot be written.
    """
    path = Path(path)
    fmt = format_for(path, fmt, TABLE_FORMATS)
    summaries = summarise_questions(project, questions, denominator=denominator)
    facts = about_rows(project, denominator, about)
    outgoing.check_outgoing(
        project,
        what="votes table",
        destination=path,
        payload=votes_files.contents(summaries, about=facts, groups=groups),
        options=check,
        actor=actor,
    )
    try:
        votes_files.write(summaries, path, fmt, about=facts, groups=groups)
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    _record(
        project, actor, "votes.table", f"Exported the votes table ({denominator}) to {path.name}"
    )
    return path


# -- beside the themes -------------------------------------------------------------------


def theme_votes(project: ProjectStore, *, denominator: str = "answered") -> list[ThemeVotes]:
    """Every theme with linked questions, in codebook order (a subtheme's links count for
    its theme)."""
    _check_denominator(denominator)
    with project.read() as tx:
        return theme_votes_in(tx, denominator)


def theme_votes_in(tx: Tx, denominator: str = "answered") -> list[ThemeVotes]:
    """:func:`theme_votes` inside an open transaction."""
    questions = tx.votes.list()
    if not questions:
        return []
    codes = tx.codes.list()
    by_id = {c.id: c for c in codes}
    themes = sorted((c for c in codes if c.parent_id is None), key=lambda c: (c.sort_order, c.id))
    linked: dict[int, list[Question]] = {}
    for q in questions:
        for code_id in q.themes:
            code = by_id.get(code_id)
            if code is None:
                continue
            theme_id = code.parent_id or code.id
            if q not in linked.setdefault(theme_id, []):
                linked[theme_id].append(q)
    out = []
    for theme in themes:
        if theme.id in linked:
            summaries = tuple(
                votes.summarise(q, tx.votes.responses(q), denominator) for q in linked[theme.id]
            )
            out.append(ThemeVotes(theme.id, theme.name, theme.colour, summaries))
    return out


@dataclass(frozen=True)
class ThemeFigures:
    """A theme's linked questions with a figure for each (the network window's side panel)."""

    votes: ThemeVotes
    figures: tuple[VoteFigure, ...]


def theme_figures(project: ProjectStore, *, denominator: str = "answered") -> list[ThemeFigures]:
    """Every theme with linked questions, each question drawn as its own figure."""
    _check_denominator(denominator)
    with project.read() as tx:
        themes = theme_votes_in(tx, denominator)
        colours = {q.id: _colour_for(tx, q) for q in tx.votes.list()}
    return [
        ThemeFigures(
            t,
            tuple(
                votes_figure.build_figure([s], colour=colours.get(s.question.id))
                for s in t.summaries
            ),
        )
        for t in themes
    ]
