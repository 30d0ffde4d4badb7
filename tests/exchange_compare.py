"""Row-by-row views of a project, for comparing a project with its REFI-QDA round trip."""

from __future__ import annotations


def snapshot(project) -> dict:
    """Everything an exchange must keep, keyed by stable uids (never by row ids)."""
    with project.read() as tx:
        documents = tx.documents.list()
        codes = tx.codes.list()
        coders = tx.coders.list()
        cases = tx.cases.list()
        codings = tx.codings.list()
        memos = tx.memos.list()
        doc_uid = {d.id: d.uid for d in documents}
        code_uid = {c.id: c.uid for c in codes}
        coder_uid = {c.id: c.uid for c in coders}
        case_uid = {c.id: c.uid for c in cases}
        coding_uid = {c.id: c.uid for c in codings}
        units = tx.documents.units_for_all()
        return {
            "documents": sorted(
                (
                    d.uid,
                    d.meta,
                    tx.documents.text(d.id),
                    d.text_sha256,
                    d.source_name,
                    d.source_format,
                    d.source_sha256,
                    d.encoding,
                    case_uid.get(d.case_id),
                    tuple(units.get(d.id, [])),
                )
                for d in documents
            ),
            "document_order": [d.uid for d in documents],
            "codes": sorted(
                (
                    c.uid,
                    code_uid.get(c.parent_id),
                    c.name,
                    c.colour,
                    c.definition,
                    c.include,
                    c.exclude,
                    c.example,
                    c.shortcut,
                    c.active,
                    c.sort_order,
                )
                for c in codes
            ),
            "coders": sorted((c.uid, c.name, c.role, c.colour) for c in coders),
            "cases": sorted(
                (c.uid, c.name, c.session, c.group, tuple(sorted(c.attributes.items())))
                for c in cases
            ),
            "codings": sorted(
                (
                    c.uid,
                    doc_uid[c.document_id],
                    code_uid[c.code_id],
                    coder_uid.get(c.coder_id),
                    c.start,
                    c.end,
                    c.memo,
                )
                for c in codings
            ),
            "memos": sorted(
                (
                    m.uid,
                    coder_uid.get(m.coder_id),
                    m.target_type,
                    {
                        "document": doc_uid,
                        "code": code_uid,
                        "suggestion": code_uid,
                        "case": case_uid,
                        "coding": coding_uid,
                    }.get(m.target_type, {}).get(m.target_id),
                    m.text,
                )
                for m in memos
            ),
        }
