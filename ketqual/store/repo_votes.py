"""Voting questions, their options, participants' answers (or tallies) and theme links."""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ketqual.core import votes
from ketqual.core.votes import Question, Responses
from ketqual.store.models import (
    VoteAnswerRow,
    VoteOptionRow,
    VoteQuestionRow,
    VoteThemeRow,
    new_uid,
    utcnow,
)


class VoteRepo:
    """The votes of a project; hands out :class:`~ketqual.core.votes.Question` records."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading ----------------------------------------------------------------------

    def _options(self, question_ids: Sequence[int]) -> dict[int, list[VoteOptionRow]]:
        out: dict[int, list[VoteOptionRow]] = {q: [] for q in question_ids}
        if not question_ids:
            return out
        rows = self.session.execute(
            select(VoteOptionRow)
            .where(VoteOptionRow.question_id.in_(question_ids))
            .order_by(VoteOptionRow.question_id, VoteOptionRow.position, VoteOptionRow.id)
        ).scalars()
        for row in rows:
            out[row.question_id].append(row)
        return out

    def _themes(self, question_ids: Sequence[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {q: [] for q in question_ids}
        if not question_ids:
            return out
        rows = self.session.execute(
            select(VoteThemeRow.question_id, VoteThemeRow.code_id)
            .where(VoteThemeRow.question_id.in_(question_ids))
            .order_by(VoteThemeRow.code_id)
        )
        for question_id, code_id in rows:
            out[question_id].append(code_id)
        return out

    def _records(self, rows: Sequence[VoteQuestionRow]) -> list[Question]:
        ids = [r.id for r in rows]
        options, themes = self._options(ids), self._themes(ids)
        return [
            Question(
                id=r.id,
                text=r.text,
                kind=r.kind,
                options=tuple(o.text for o in options[r.id]),
                shape=r.shape,
                themes=tuple(themes[r.id]),
                position=r.position,
                uid=r.uid,
                source=r.source_name,
            )
            for r in rows
        ]

    def list(self) -> list[Question]:
        """Every question in its order."""
        rows = self.session.execute(
            select(VoteQuestionRow).order_by(VoteQuestionRow.position, VoteQuestionRow.id)
        ).scalars()
        return self._records(list(rows))

    def get(self, question_id: int) -> Question | None:
        """One question, or ``None``."""
        row = self.session.get(VoteQuestionRow, question_id)
        return self._records([row])[0] if row is not None else None

    def find(self, text: str) -> Question | None:
        """The question with this text, ignoring case and spacing (or ``None``)."""
        wanted = " ".join(text.split()).casefold()
        for question in self.list():
            if " ".join(question.text.split()).casefold() == wanted:
                return question
        return None

    def answers(self, question_id: int) -> dict[str, tuple[int, ...]]:
        """Participant -> indices of the options chosen (empty: present, no answer)."""
        positions = {o.id: i for i, o in enumerate(self._options([question_id])[question_id])}
        connection = self.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        rows = connection.exec_driver_sql(
            "SELECT participant, option_id FROM vote_answer WHERE question_id = "
            f"{mark} ORDER BY id",
            (question_id,),
        ).fetchall()
        out: dict[str, list[int]] = {}
        for participant, option_id in rows:
            chosen = out.setdefault(participant, [])
            if option_id is not None:
                chosen.append(positions[option_id])
        return {p: tuple(sorted(c)) for p, c in out.items()}

    def responses(self, question: Question) -> Responses:
        """What was given for ``question``, counted."""
        question_id = question.id
        assert question_id is not None, "responses are read for a stored question"
        if question.shape == "tally":
            row = self.session.get(VoteQuestionRow, question_id)
            options = self._options([question_id])[question_id]
            return votes.tally_responses(
                question,
                [o.tally or 0 for o in options],
                missing=row.missing if row else 0,
                respondents=row.respondents if row else None,
            )
        return votes.count_answers(question, self.answers(question_id))

    def participants(self) -> builtins.list[str]:
        """Every participant who appears in any answer, sorted as P1, P2, ... P10."""
        rows = self.session.execute(select(VoteAnswerRow.participant).distinct()).scalars()
        return sorted(rows, key=_natural)

    def count(self) -> int:
        """How many questions there are."""
        return self.session.execute(select(func.count(VoteQuestionRow.id))).scalar_one()

    # -- writing ----------------------------------------------------------------------

    def store(
        self,
        *,
        text: str,
        kind: str,
        options: Sequence[str],
        shape: str,
        answers: Mapping[str, Sequence[int]] | None = None,
        counts: Sequence[int] = (),
        missing: int = 0,
        respondents: int | None = None,
        source: str = "",
    ) -> tuple[Question, bool]:
        """Store a question with its answers, replacing the answers (and options) of a
        question with the same text; its place in the list, uid and theme links stay.

        Returns:
            The stored question and whether an existing one was replaced.
        """
        existing = self.find(text)
        if existing is not None:
            row = self.session.get(VoteQuestionRow, existing.id)
            assert row is not None
            self.session.execute(delete(VoteAnswerRow).where(VoteAnswerRow.question_id == row.id))
            self.session.execute(delete(VoteOptionRow).where(VoteOptionRow.question_id == row.id))
        else:
            last = self.session.execute(select(func.max(VoteQuestionRow.position))).scalar()
            row = VoteQuestionRow(position=(last or 0) + 1)
            self.session.add(row)
        row.text, row.kind, row.shape = text, kind, shape
        row.missing = missing if shape == "tally" else 0
        row.respondents = respondents if shape == "tally" else None
        row.source_name, row.imported_at = source, utcnow()
        self.session.flush()
        option_rows = []
        for i, option in enumerate(options):
            tally = counts[i] if shape == "tally" and i < len(counts) else None
            option_rows.append(
                VoteOptionRow(question_id=row.id, position=i, text=option, tally=tally)
            )
        self.session.add_all(option_rows)
        self.session.flush()
        if shape == "participants" and answers:
            values: list[tuple[int, str, int | None]] = []
            for participant, chosen in answers.items():
                if not chosen:
                    values.append((row.id, participant, None))
                for index in sorted(set(chosen)):
                    values.append((row.id, participant, option_rows[index].id))
            # A driver-level executemany of plain tuples: a sheet of thousands of answers
            # goes in as one batch (SQLAlchemy's per-row parameter work would cost more).
            connection = self.session.connection()
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            connection.exec_driver_sql(
                "INSERT INTO vote_answer (question_id, participant, option_id) "
                f"VALUES ({mark}, {mark}, {mark})",
                values,
            )
        record = self.get(row.id)
        assert record is not None
        return record, existing is not None

    def link(self, question_id: int, code_id: int) -> bool:
        """Link a question to a theme; False when it was linked already."""
        if self.session.get(VoteThemeRow, (question_id, code_id)) is not None:
            return False
        self.session.add(VoteThemeRow(question_id=question_id, code_id=code_id))
        self.session.flush()
        return True

    def unlink(self, question_id: int, code_id: int) -> bool:
        """Remove a link; False when there was none."""
        row = self.session.get(VoteThemeRow, (question_id, code_id))
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def move_links(self, from_code: int, to_code: int) -> int:
        """Questions linked to ``from_code`` become linked to ``to_code`` (a code merge);
        returns how many moved."""
        rows = self.session.execute(
            select(VoteThemeRow).where(VoteThemeRow.code_id == from_code)
        ).scalars()
        moved = 0
        for row in list(rows):
            question_id = row.question_id
            self.session.delete(row)
            self.session.flush()
            if self.session.get(VoteThemeRow, (question_id, to_code)) is None:
                self.session.add(VoteThemeRow(question_id=question_id, code_id=to_code))
                moved += 1
        self.session.flush()
        return moved

    def update(self, question_id: int, *, text: str | None = None, kind: str | None = None) -> None:
        """Change a question's text or type (the operation checks the answers fit)."""
        row = self.session.get(VoteQuestionRow, question_id)
        if row is None:
            raise KeyError(question_id)
        if text is not None:
            row.text = text
        if kind is not None:
            row.kind = kind
        self.session.flush()

    def set_options(self, question_id: int, options: Sequence[tuple[str, str]]) -> None:
        """Reorder and rename options: ``(current text, new text)`` in the new order, each
        current option exactly once (answers follow their option)."""
        rows = {o.text: o for o in self._options([question_id])[question_id]}
        if sorted(rows) != sorted(old for old, _new in options):
            raise ValueError("every option must be listed once")
        # Two steps, so swapping two names never meets the unique constraint half-way.
        for i, (old, _new) in enumerate(options):
            rows[old].text = f"(renaming {i} of {len(options)}: {new_uid()})"
        self.session.flush()
        for i, (old, new) in enumerate(options):
            rows[old].text, rows[old].position = new, i
        self.session.flush()

    def move(self, question_id: int, position: int) -> None:
        """Put a question at ``position`` (1 = first) and renumber the others."""
        ordered = [q.id for q in self.list() if q.id != question_id]
        ordered.insert(max(0, min(position - 1, len(ordered))), question_id)
        for number, qid in enumerate(ordered, start=1):
            row = self.session.get(VoteQuestionRow, qid)
            if row is not None:
                row.position = number
        self.session.flush()

    def delete(self, question_id: int) -> None:
        """Remove a question with its options, answers and links."""
        for table in (VoteAnswerRow, VoteOptionRow, VoteThemeRow):
            self.session.execute(delete(table).where(table.question_id == question_id))
        self.session.execute(delete(VoteQuestionRow).where(VoteQuestionRow.id == question_id))


def _natural(text: str) -> tuple:
    """P2 before P10: digits compared as numbers."""
    return tuple(
        int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)
    )
