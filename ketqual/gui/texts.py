"""Rich-text snippets the window shows (kept apart so the window code stays about widgets)."""

from __future__ import annotations

from html import escape

from ketqual.core.records import CodeRecord, DocumentRecord

CODE_HINT = (
    "<p style='color:gray'>Select a code to read its definition, when to use it and an example.</p>"
)

KIND_LABELS = {"scribe_notes": "Scribe notes", "feedback_sheet": "Feedback sheet", "other": "Other"}


def welcome_html() -> str:
    """What the window shows before a project is open."""
    return (
        "<h2>Welcome to KetQual</h2>"
        "<p>KetQual helps a team code focus-group notes independently, measure how far the "
        "coders agree, and reach a consensus framework.</p>"
        "<p><a href='new'>Create a new project…</a> (Ctrl+N)<br>"
        "<a href='open'>Open a project…</a> (Ctrl+O)<br>"
        "<a href='guide'>Getting started: the workflow step by step</a> (F1)</p>"
        "<p>To try it out, build the demo project from a terminal with "
        "<code>ketqual demo demo.ketqual</code> and open it.</p>"
        "<p>Everything stays on this computer: KetQual makes no network connections.</p>"
    )


def empty_project_html() -> str:
    """What the window shows for a project without documents yet."""
    return (
        "<h2>This project has no documents yet</h2>"
        "<p><a href='import'>Import notes and feedback sheets…</a> (Ctrl+I): text, Word, "
        "OpenDocument, RTF, PDF, CSV and Excel files. Participants' names can be replaced by "
        "pseudonyms on the way in.</p>"
        "<p><a href='guide'>Getting started: the workflow step by step</a> (F1)</p>"
    )


def document_header_html(doc: DocumentRecord) -> str:
    """The line above the document text: title and metadata."""
    meta = doc.meta
    facts = [KIND_LABELS.get(meta.kind, meta.kind)]
    if meta.session is not None:
        facts.append(f"session {meta.session}")
    if meta.group is not None:
        facts.append(f"group {meta.group}")
    if meta.notetaker:
        facts.append(f"notes by {escape(meta.notetaker)}")
    if meta.date:
        facts.append(meta.date)
    facts.append(f"from {escape(doc.source_name)}")
    return (
        f"<b style='font-size:large'>{escape(meta.title)}</b><br><span>{' · '.join(facts)}</span>"
    )


def code_details_html(code: CodeRecord) -> str:
    """A code's definition panel."""
    parts = [f"<h3><span style='color:{code.colour}'>■</span> {escape(code.name)}</h3>"]
    if code.shortcut:
        parts.append(f"<p><i>Shortcut: key {code.shortcut}</i></p>")
    if not code.active:
        parts.append("<p><i>Retired: kept for existing codings, not offered for new ones.</i></p>")
    for label, value in (
        ("Definition", code.definition),
        ("Use when", code.include),
        ("Do not use when", code.exclude),
        ("Example", code.example),
    ):
        if value:
            parts.append(f"<p><b>{label}:</b> {escape(value)}</p>")
    return "".join(parts)
