"""Exporting a project to REFI-QDA: a ``.qdpx`` for NVivo, ATLAS.ti, MAXQDA and QualCoder, or
the codebook alone as a ``.qdc``.

What goes where:

* each coder whose layer is exported is a ``User``; their codings are ``PlainTextSelection``s
  (one per span, holding a ``Coding`` per code) with the coder as ``creatingUser``; the
  consensus layer goes out under a user named "Consensus";
* the codebook is nested ``Code``s with their colours, and a ``Description`` holding the
  definition, when to use, when not to use and the example as labelled paragraphs;
* each document is a ``TextSource`` whose text is ``sources/<GUID>.txt`` (UTF-8, exactly
  the stored text), with its session, group, kind, notetaker and date as ``VariableValue``s;
  focus groups are ``Case``s with their attributes and documents;
* memos are ``Note``s: a coding's memo referenced from its ``Coding``, memos on documents
  and codes from those, memos on the project or a case from the project;
* one more note, "KetQual project details", carries what the standard has no place for
  (roles, colours of coders, number keys, retired codes, where documents came from), so
  KetQual → ``.qdpx`` → KetQual is exact; other tools show it as an ordinary memo.

A blinded project exports only what the person exporting may see: their own layer and
memos. Everything is written to a temporary file and renamed, so a failed export leaves
nothing behind.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ketqual import __version__
from ketqual.core import exchange
from ketqual.core.records import CodeRecord, CoderRecord
from ketqual.io.formats import refi_qda as qda
from ketqual.io.formats import refi_qda_writer
from ketqual.ops.changes import default_actor
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.team import coder_ops
from ketqual.store.database import ProjectStore

CONSENSUS_USER = "Consensus"
DETAILS_NOTE = "KetQual project details"
DETAILS_FORMAT = "ketqual-refi-details"
ORIGIN = f"KetQual {__version__}"
DOCUMENT_VARIABLES = (
    ("Session", "Integer"),
    ("Group", "Integer"),
    ("Kind", "Text"),
    ("Notetaker", "Text"),
    ("Date", "Date"),
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EXCERPT = 80
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    documents: int
    codes: int
    layers: tuple[str, ...]
    codings: int
    memos: int
    cases: int

    def summary(self) -> str:
        """One line for the user."""
        layers = ", ".join(self.layers) if self.layers else "no coders' layers"
        return (
            f"Wrote {self.path.name}: {exchange.plural(self.documents, 'document')}, "
            f"{exchange.plural(self.codes, 'code')}, {exchange.plural(self.codings, 'coding')} "
            f"({layers}), {exchange.plural(self.memos, 'memo')}, {exchange.plural(self.cases, 'case')}"
        )


def check_outgoing(
    project: ProjectStore,
    bundle: qda.Project,
    texts: dict[str, str],
    *,
    destination: Path,
    check: outgoing.CheckOptions | None = None,
    actor: str | None = None,
) -> None:
    """The one place every REFI-QDA export passes just before anything is written: the
    outgoing texts and names are scanned for identifiers (see
    :mod:`ketqual.ops.privacy.outgoing`); found ones stop the export unless a supervisor
    overrides with a reason."""
    outgoing.check_outgoing(
        project,
        what="REFI-QDA export",
        destination=destination,
        payload=bundle,
        strings=[(f"source {name}", text) for name, text in texts.items()],
        options=check,
        actor=actor,
    )


def exportable_layers(project: ProjectStore, viewer: str | None) -> list[str]:
    """The layers ``viewer`` may export: every coder and "Consensus" once the project is
    unblinded, else only their own."""
    if coder_ops.blinding(project).unblinded:
        names = [c.name for c in coder_ops.list_coders(project)]
        return [*names, CONSENSUS_USER]
    if viewer is None:
        return []
    return [coder_ops.find_coder(project, viewer).name]


def _layers(
    project: ProjectStore, layers: Sequence[str] | None, viewer: str | None
) -> tuple[list[CoderRecord], bool]:
    """The coders whose layers go out and whether the consensus layer does."""
    coders = coder_ops.list_coders(project)
    unblinded = coder_ops.blinding(project).unblinded
    if unblinded and layers is None:
        return coders, True
    # Blinded: who is asking decides what may go out.
    who = coder_ops.find_coder(project, viewer) if viewer and not unblinded else None
    if layers is None:
        if who is None:
            raise OperationError(
                "the project is blinded, so an export holds only the exporting coder's own "
                "codings: say which coder you are"
            )
        return [who], False
    chosen: list[CoderRecord] = []
    consensus = False
    for name in layers:
        if name.strip().casefold() == CONSENSUS_USER.casefold():
            consensus = True
        else:
            chosen.append(coder_ops.find_coder(project, name))
    if not unblinded:
        asked = [c.id for c in chosen] + ([None] if consensus else [])
        with project.read() as tx:
            coder_ops.check_may_view(tx, who, asked)
    return list({c.id: c for c in chosen}.values()), consensus


def _namespace(project_uid: str) -> str:
    return f"ketqual:project:{project_uid}"


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1].rstrip() + "…"


def _variable_type(values: list[object]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "Boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "Integer"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "Float"
    return "Text"


def _plain(value: object, kind: str) -> str | bool | int | float | None:
    if kind == "Text" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if value is not None else ""
    # A str, or for another kind what _variable_type saw: bools, ints or floats (or None).
    return cast("str | bool | int | float | None", value)


def _code_tree(codes: list[CodeRecord], note_refs: dict[int, list[str]]) -> list[qda.Code]:
    by_parent: dict[int | None, list[CodeRecord]] = defaultdict(list)
    for code in sorted(codes, key=lambda c: (c.sort_order, c.id)):
        by_parent[code.parent_id].append(code)

    def build(code: CodeRecord) -> qda.Code:
        return qda.Code(
            guid=qda.guid_from_uid(code.uid),
            name=code.name,
            codable=True,
            colour=code.colour.upper() if code.colour else None,
            description=exchange.compose_description(
                code.definition, code.include, code.exclude, code.example
            ),
            note_refs=note_refs.get(code.id, []),
            children=[build(child) for child in by_parent.get(code.id, [])],
        )

    return [build(code) for code in by_parent.get(None, [])]


def build_bundle(
    project: ProjectStore,
    *,
    layers: Sequence[str] | None = None,
    viewer: str | None = None,
    progress: Progress | None = None,
) -> tuple[qda.Project, dict[str, str], dict]:
    """The REFI-QDA project, its source texts (by file name) and counts, without writing.

    Raises:
        OperationError: A layer is unknown, or the viewer may not see it while blinded.
    """
    coders, consensus = _layers(project, layers, viewer)
    coder_ids = {c.id for c in coders}
    with project.read() as tx:
        about = tx.project.describe()
        documents = tx.documents.list()
        codes = tx.codes.list()
        cases = tx.cases.list()
        wanted = [
            c
            for c in tx.codings.list()
            if c.coder_id in coder_ids or (consensus and c.coder_id is None)
        ]
        unblinded = coder_ops.blinding(project).unblinded
        memo_authors: list[int | None] = [*coder_ids, *([None] if unblinded else [])]
        memos = tx.memos.list(coder_ids=memo_authors)
        if progress:
            progress(0, 0, "Reading the project")
        texts_by_id = tx.documents.texts()
    ns = _namespace(about["uid"])
    consensus_guid = qda.stable_guid(ns, "user:consensus")
    user_guid: dict[int | None, str] = {c.id: qda.guid_from_uid(c.uid) for c in coders}
    if consensus:
        user_guid[None] = consensus_guid
    taken = {c.name.casefold() for c in coders}
    users = [qda.User(user_guid[c.id], c.name) for c in coders]
    if consensus:
        consensus_name = exchange.unique_name(CONSENSUS_USER, taken)
        users.append(qda.User(consensus_guid, consensus_name))
    code_guid = {c.id: qda.guid_from_uid(c.uid) for c in codes}
    doc_guid = {d.id: qda.guid_from_uid(d.uid) for d in documents}
    case_guid = {c.id: qda.guid_from_uid(c.uid) for c in cases}

    notes: list[qda.Note] = []
    project_refs: list[str] = []
    memo_targets: dict[str, dict] = {}
    code_refs: dict[int, list[str]] = defaultdict(list)
    doc_refs: dict[int, list[str]] = defaultdict(list)
    coding_guid = {c.id: qda.guid_from_uid(c.uid) for c in wanted}
    for memo in memos:
        guid = qda.guid_from_uid(memo.uid)
        author = user_guid.get(memo.coder_id, "") if memo.coder_id is not None else ""
        title, about_what = "Memo on the project", None
        if memo.target_type == "document" and memo.target_id in doc_guid:
            doc_refs[memo.target_id].append(guid)
            title = "Memo"
        elif memo.target_type in ("code", "suggestion") and memo.target_id in code_guid:
            code_refs[memo.target_id].append(guid)
            title = "Codebook suggestion" if memo.target_type == "suggestion" else "Memo"
        else:
            project_refs.append(guid)
            if memo.target_type == "case" and memo.target_id in case_guid:
                about_what = case_guid[memo.target_id]
                title = "Memo on a case"
            elif memo.target_type == "coding" and memo.target_id in coding_guid:
                about_what = coding_guid[memo.target_id]
                title = "Memo on a coding"
            elif memo.target_type == "suggestion":
                title = "Codebook suggestion"
        memo_targets[guid] = {"target": memo.target_type, "about": about_what}
        notes.append(qda.Note(guid, title, memo.text, user_guid=author, created=memo.created_at))

    paths = {c.id: codebook_ops.code_path(codes, c) for c in codes}
    grouped: dict[tuple[int, int | None, int, int], list] = defaultdict(list)
    for coding in wanted:
        grouped[(coding.document_id, coding.coder_id, coding.start, coding.end)].append(coding)
    selections: dict[int, list[qda.Selection]] = defaultdict(list)
    for (doc_id, coder_id, start, end), group in sorted(
        grouped.items(), key=lambda item: (item[0][0], item[0][2], item[0][3], str(item[0][1]))
    ):
        text = texts_by_id[doc_id]
        layer = user_guid[coder_id]
        selection = qda.Selection(
            guid=qda.stable_guid(ns, f"selection:{doc_guid[doc_id]}:{layer}:{start}:{end}"),
            start=start,
            end=end,
            name=_excerpt(text[start:end]),
            user_guid=layer,
        )
        for coding in group:
            refs = []
            if coding.memo:
                note_guid = qda.stable_guid(ns, f"coding-memo:{coding.uid}")
                refs.append(note_guid)
                notes.append(
                    qda.Note(
                        note_guid,
                        f"Memo on {paths[coding.code_id]}",
                        coding.memo,
                        user_guid=layer,
                    )
                )
                memo_targets[note_guid] = {"target": "coding"}
            selection.codings.append(
                qda.Coding(
                    qda.guid_from_uid(coding.uid), code_guid[coding.code_id], layer, "", refs
                )
            )
        selections[doc_id].append(selection)

    variables = [
        qda.Variable(qda.stable_guid(ns, f"variable:{name}"), name, kind)
        for name, kind in DOCUMENT_VARIABLES
    ]
    var_guid = {v.name: v.guid for v in variables}
    attribute_values: dict[str, list[object]] = defaultdict(list)
    for case in cases:
        for key, value in case.attributes.items():
            attribute_values[key].append(value)
    reserved = {name.casefold() for name, _ in DOCUMENT_VARIABLES}
    attribute_names: dict[str, str] = {}
    for key, given in attribute_values.items():
        name = key if key.casefold() not in reserved else f"{key} (case attribute)"
        attribute_names[key] = name
        kind = _variable_type(given)
        variables.append(qda.Variable(qda.stable_guid(ns, f"variable:{name}"), name, kind))
        var_guid[name] = variables[-1].guid
    var_type = {v.guid: v.type for v in variables}

    sources: list[qda.TextSource] = []
    texts: dict[str, str] = {}
    members: dict[int, list[str]] = defaultdict(list)
    for document in documents:
        guid = doc_guid[document.id]
        meta = document.meta
        values = []
        for name, value in (
            ("Session", meta.session),
            ("Group", meta.group),
            ("Kind", exchange.KIND_LABELS.get(meta.kind, meta.kind)),
            ("Notetaker", meta.notetaker),
            ("Date", meta.date if meta.date and _ISO_DATE.match(meta.date) else None),
        ):
            if value is not None and value != "":
                values.append(qda.VariableValue(var_guid[name], value))
        file_name = f"{guid}.txt"
        texts[file_name] = texts_by_id[document.id]
        sources.append(
            qda.TextSource(
                guid=guid,
                name=meta.title,
                plain_path=f"internal://{file_name}",
                selections=selections.get(document.id, []),
                note_refs=doc_refs.get(document.id, []),
                values=values,
            )
        )
        if document.case_id is not None:
            members[document.case_id].append(guid)
    case_list = []
    for case in cases:
        values = [
            qda.VariableValue(var_guid[name], value)
            for name, value in (("Session", case.session), ("Group", case.group))
            if value is not None
        ]
        for key, value in case.attributes.items():
            guid = var_guid[attribute_names[key]]
            values.append(qda.VariableValue(guid, _plain(value, var_type[guid])))
        case_list.append(
            qda.Case(
                case_guid[case.id], case.name, values=values, source_guids=members.get(case.id, [])
            )
        )
    used_variables = {v.variable_guid for s in sources for v in s.values} | {
        v.variable_guid for c in case_list for v in c.values
    }
    variables = [v for v in variables if v.guid in used_variables]

    details = {
        "format": DETAILS_FORMAT,
        "version": 1,
        "project": {"name": about["name"], "uid": about["uid"]},
        "coders": {user_guid[c.id]: {"role": c.role, "colour": c.colour} for c in coders},
        "consensus_user": consensus_guid if consensus else None,
        "codes": {
            code_guid[c.id]: {
                "shortcut": c.shortcut,
                "active": c.active,
                "sort_order": c.sort_order,
            }
            for c in codes
        },
        "documents": {
            doc_guid[d.id]: {
                "source_name": d.source_name,
                "source_format": d.source_format,
                "source_sha256": d.source_sha256,
                "encoding": d.encoding,
                "imported_at": d.imported_at,
            }
            for d in documents
        },
        "cases": {case_guid[c.id]: {"session": c.session, "group": c.group} for c in cases},
        "memos": memo_targets,
    }
    details_guid = qda.stable_guid(ns, "details")
    notes.append(
        qda.Note(
            details_guid,
            DETAILS_NOTE,
            json.dumps(details, ensure_ascii=False, indent=1, sort_keys=True),
            description="Written by KetQual for KetQual: what the exchange standard has no "
            "place for. Other tools may ignore it.",
        )
    )
    project_refs.append(details_guid)
    bundle = qda.Project(
        name=about["name"],
        origin=ORIGIN,
        users=users,
        codes=_code_tree(codes, code_refs),
        variables=variables,
        cases=case_list,
        sources=sources,
        notes=notes,
        note_refs=project_refs,
    )
    counts = {
        "documents": len(sources),
        "codes": len(codes),
        "codings": len(wanted),
        "memos": len(memos) + sum(1 for c in wanted if c.memo),
        "cases": len(case_list),
        "layers": tuple(u.name for u in users),
    }
    return bundle, texts, counts


def export_qdpx(
    project: ProjectStore,
    path: str | Path,
    *,
    layers: Sequence[str] | None = None,
    viewer: str | None = None,
    actor: str | None = None,
    progress: Progress | None = None,
    check: outgoing.CheckOptions | None = None,
) -> ExportReport:
    """Write the project as a REFI-QDA ``.qdpx`` file.

    Args:
        project: The open project.
        path: The ``.qdpx`` file to write (replaced whole when done).
        layers: Coders' names (and "Consensus") whose codings go out; ``None`` for all the
            viewer may see.
        viewer: Who is exporting: while the project is blinded, only this coder's layer
            and memos may go out.
        actor: For the audit log (default: the viewer, else the login name).
        progress: Called as ``progress(done, total, text)``.

    Raises:
        OperationError: A refused layer, or the file cannot be written.
    """
    path = Path(path)
    bundle, texts, counts = build_bundle(project, layers=layers, viewer=viewer, progress=progress)
    check_outgoing(project, bundle, texts, destination=path, check=check, actor=actor or viewer)
    if progress:
        progress(0, 0, f"Writing {path.name}")
    try:
        refi_qda_writer.write_qdpx(path, bundle, texts)
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    report = ExportReport(
        path,
        counts["documents"],
        counts["codes"],
        counts["layers"],
        counts["codings"],
        counts["memos"],
        counts["cases"],
    )
    with project.transaction() as tx:
        tx.audit.record(
            actor or viewer or default_actor(),
            "exchange.export",
            report.summary(),
            {"file": path.name, "format": "qdpx", "layers": list(report.layers)},
        )
    return report


def export_qdc(
    project: ProjectStore,
    path: str | Path,
    *,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Path:
    """Write the codebook as a REFI-QDA ``.qdc`` file (codes, colours, descriptions).

    Raises:
        OperationError: The file cannot be written.
    """
    path = Path(path)
    with project.read() as tx:
        codes = tx.codes.list()
    tree = _code_tree(codes, {})
    bundle = qda.Project(origin=ORIGIN, codes=tree, is_codebook=True)
    check_outgoing(project, bundle, {}, destination=Path(path), check=check, actor=actor)
    try:
        refi_qda_writer.write_qdc(path, tree, ORIGIN)
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    summary = f"Wrote the codebook ({exchange.plural(len(codes), 'code')}) to {path.name}"
    with project.transaction() as tx:
        tx.audit.record(
            actor or default_actor(),
            "exchange.export",
            summary,
            {"file": path.name, "format": "qdc"},
        )
    return path
