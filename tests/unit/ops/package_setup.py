"""A demo project with something in every table, copied fresh for each package test."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from ketqual.ops import demo_ops, project_ops
from ketqual.store.models import new_uid, utcnow


def build_source(folder: Path) -> Path:
    """The demo (two coders, a supervisor, a consensus meeting) plus rows in the tables the
    demo leaves empty: memos and done-status for both coders, a pseudonymisation key, a
    framework summary and a network edge."""
    path = folder / "source.ketqual"
    project, _report = demo_ops.build_demo(path, actor="tester")
    project.close()
    db = sqlite3.connect(path)
    with db:
        coders = dict(db.execute("select name, id from coder"))
        doc = db.execute("select id from document order by id limit 1").fetchone()[0]
        doc2 = db.execute("select id from document order by id limit 1 offset 1").fetchone()[0]
        codes = [r[0] for r in db.execute("select id from code order by id")]
        case = db.execute('select id from "case" order by id limit 1').fetchone()[0]
        now = utcnow()
        for name in ("Coder A", "Coder B"):
            db.execute(
                "insert into memo (uid, coder_id, target_type, target_id, text, created_at,"
                " updated_at) values (?, ?, 'document', ?, ?, ?, ?)",
                (new_uid(), coders[name], doc, f"memo by {name}", now, now),
            )
            db.execute(
                "insert into document_status (document_id, coder_id, done, updated_at)"
                " values (?, ?, 1, ?)",
                (doc, coders[name], now),
            )
        db.execute(
            "insert into document_status (document_id, coder_id, done, updated_at)"
            " values (?, ?, 1, ?)",
            (doc2, coders["Coder B"], now),
        )
        db.execute(
            "insert into pseudonym_key (real_name, pseudonym, created_at) values (?, ?, ?)",
            ("Alice Real", "P1", now),
        )
        db.execute(
            "insert into matrix_summary (uid, case_id, code_id, state, text, refs, author,"
            " updated_at) values (?, ?, ?, 'summary', 'a summary', '[]', 'Supervisor', ?)",
            (new_uid(), case, codes[1], now),
        )
        db.execute(
            "insert into network_edge (uid, source_code_id, target_code_id, origin, status,"
            " directed, actor, at) values (?, ?, ?, 'drawn', 'accepted', 0, 'Supervisor', ?)",
            (new_uid(), codes[0], codes[2], now),
        )
    db.close()
    return path


def fresh_copy(source: Path, folder: Path, name: str = "study.ketqual"):
    """A copy of the source project, opened."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy(source, target)
    return project_ops.open_project(target, backup=False)
