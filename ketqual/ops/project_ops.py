"""Creating and opening projects, and the facts ``ketqual info`` shows."""

from __future__ import annotations

from pathlib import Path

from ketqual import startup
from ketqual.core import codebook as cb
from ketqual.core import names
from ketqual.io import package_file
from ketqual.ops.changes import default_actor
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.resources import default_codebook_path
from ketqual.ops.team import server_ops
from ketqual.store import lifecycle
from ketqual.store.database import ProjectStore

#: The type of an open project, for the GUI and the CLI (which never import the store).
Project = ProjectStore


def new_project(
    target: str | Path,
    *,
    name: str | None = None,
    codebook: str | Path | None = "default",
    actor: str | None = None,
) -> ProjectStore:
    """Create a project (file path or PostgreSQL URL) with the default or a given codebook.

    Args:
        target: ``something.ketqual`` or ``postgresql+psycopg://...``.
        name: Display name (default: the file name).
        codebook: ``"default"`` for the study's codebook, a JSON path, or ``None`` for none.
        actor: Who is creating it (for the audit log).
    """
    actor = actor or default_actor()
    if name is not None:
        try:
            name = names.check_name(name, what="a project name")
        except names.InvalidName as exc:
            raise OperationError(str(exc)) from None
    if not lifecycle.is_url(target) and Path(target).suffix != lifecycle.PROJECT_SUFFIX:
        target = Path(str(target) + lifecycle.PROJECT_SUFFIX)
    book = None
    if codebook is not None:
        path = default_codebook_path() if codebook == "default" else Path(codebook)
        book = codebook_ops.read_codebook_file(path)
    project = open_or_create(target, create=True, name=name)
    with project.transaction() as tx:
        tx.audit.record(
            actor, "project.create", f"Created project '{tx.project.describe()['name']}'"
        )
        if book is not None:
            stats = codebook_ops.apply_codebook(tx, book)
            reason = f"Codebook '{book.name}' loaded ({stats['added']} codes)"
            tx.audit.record(actor, "codebook.import", reason, stats)
            snapshot = cb.dumps(
                cb.from_records(tx.codes.list(), tx.project.describe()["name"], book.description)
            )
            tx.codebook_versions.add(actor, reason, snapshot)
            tx.project.set_setting("codebook_description", book.description)
    return project


def open_or_create(
    target: str | Path, *, create: bool = False, name: str | None = None, backup: bool = True
) -> ProjectStore:
    """Open (or with ``create``, make) a project, turning store errors into OperationError."""
    if server_ops.is_server_url(target):  # a password kept in the keyring, if any
        target = server_ops.with_kept_password(str(target))
    elif not create and not lifecycle.is_url(target) and package_file.is_encrypted_package(target):
        raise OperationError(
            f"{Path(target).name} is a passphrase-protected coder package: open it in the app, "
            "or make its working project with 'ketqual unpack'"
        )
    try:
        if create:
            project = lifecycle.create_project(target, name)
        else:
            project = lifecycle.open_project(target, backup=backup)
    except lifecycle.ProjectOpenError as exc:
        # A driver's message may quote the URL; never show its password.
        raise OperationError(server_ops.scrub(str(exc), str(target))) from None
    # The database layer is loaded and the models mapped: the process has started (the
    # cycle collector resumes, see ketqual.startup; nothing unless run as the program).
    startup.settled()
    return project


def open_project(target: str | Path, *, backup: bool = True) -> ProjectStore:
    """Open an existing project (backing it up first unless ``backup`` is False)."""
    return open_or_create(target, backup=backup)


def project_info(project: ProjectStore) -> dict:
    """Everything ``ketqual info`` prints, as plain data."""
    with project.read() as tx:
        about = tx.project.describe()
        documents = tx.documents.list()
        unit_counts = tx.documents.unit_counts()
        codes = tx.codes.list()
        counts = tx.codes.coding_counts()
        coders = tx.coders.list()
        layers = tx.codings.count_by_layer()
        cases = tx.cases.list()
        revision = tx.project.schema_revision()
        audit_events = tx.audit.count()
        vote_questions = tx.votes.count()
    return {
        "name": about["name"],
        "uid": about["uid"],
        "created_at": about["created_at"],
        "location": project.location
        if project.backend == "sqlite"
        else _hide_password(project.location),
        "backend": project.backend,
        "schema": revision,
        "documents": [
            {
                "id": d.id,
                "uid": d.uid,
                "title": d.meta.title,
                "kind": d.meta.kind,
                "session": d.meta.session,
                "group": d.meta.group,
                "notetaker": d.meta.notetaker,
                "date": d.meta.date,
                "source_name": d.source_name,
                "source_format": d.source_format,
                "encoding": d.encoding,
                "characters": d.char_count,
                "units": unit_counts.get(d.id, {}).get("sentence", 0)
                + unit_counts.get(d.id, {}).get("paragraph", 0),
                "sentences": unit_counts.get(d.id, {}).get("sentence", 0),
                "paragraphs": unit_counts.get(d.id, {}).get("paragraph", 0),
                "sha256": d.text_sha256,
                "source_sha256": d.source_sha256,
            }
            for d in documents
        ],
        "codes": [
            {
                "id": c.id,
                "path": codebook_ops.code_path(codes, c),
                "colour": c.colour,
                "shortcut": c.shortcut,
                "active": c.active,
                "codings": counts.get(c.id, 0),
            }
            for c in tree_order(codes)
        ],
        "coders": [
            {"id": c.id, "name": c.name, "role": c.role, "codings": layers.get(c.id, 0)}
            for c in coders
        ],
        "consensus_codings": layers.get(None, 0),
        "cases": [
            {"id": c.id, "name": c.name, "session": c.session, "group": c.group} for c in cases
        ],
        "audit_events": audit_events,
        "vote_questions": vote_questions,
    }


def _hide_password(url: str) -> str:
    """The URL with its password (if any) replaced by ``***``, fit to show or log."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    if ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def tree_order(codes: list) -> list:
    """Codes as the tree shows them: each theme followed by its subthemes."""
    out = []
    for theme in (c for c in codes if c.parent_id is None):
        out.append(theme)
        out.extend(c for c in codes if c.parent_id == theme.id)
    return out
