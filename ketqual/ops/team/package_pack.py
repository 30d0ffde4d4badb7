"""Coder packages: the supervisor packs one coder's share of a project, the coder opens it
to work, and returns it.

A package is an ordinary KetQual project file (same schema, made by the store's
lifecycle) holding the documents with their units and cases, the codebook with its newest
version, one coder, and that coder's own codings, memos and done-status. It is marked by
``project.settings["package"]``. With a passphrase the file is encrypted
(:mod:`ketqual.io.package_file`); without one it is the plain project file. Both kinds use
the suffix ``.kqpkg``; the coder works in a copy named ``NAME-work.ketqual`` beside it.

Packages travel whole or not at all: each carries a checksum of its contents
(:mod:`ketqual.store.package_digest`), checked before a package is unpacked or merged,
and what goes into one is checked for identifiers first
(:mod:`ketqual.ops.privacy.outgoing`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.core.ids import new_uid, utcnow
from ketqual.io import package_file
from ketqual.ops import project_ops
from ketqual.ops.changes import NOTHING, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops, package_guard
from ketqual.store import lifecycle, package_digest
from ketqual.store.database import ProjectStore

if TYPE_CHECKING:
    from ketqual.ops.privacy import outgoing

PACKAGE_FORMAT = 2  # 2: every package carries a checksum of its contents
SUFFIX = package_file.SUFFIX
SUGGESTION = "codebook_suggestion"


@dataclass(frozen=True)
class PackResult:
    """What :func:`pack` wrote."""

    path: Path
    coder: str
    encrypted: bool
    counts: dict
    size: int


def check_supervisor(project: ProjectStore, supervisor: str | int) -> str:
    """The supervisor's name; refused for a coder, an unknown name or inside a package."""
    with project.read() as tx:
        package_guard.refuse_in_package(
            tx, "this is a coder package; only the supervisor's project can pack or merge"
        )
        who = coder_ops.coder_in(tx, supervisor)
    if who.role != "supervisor":
        raise OperationError(
            f"only a supervisor can pack and merge packages ('{who.name}' is a coder)"
        )
    return who.name


def pack(
    project: ProjectStore,
    *,
    coder: str | int,
    supervisor: str | int,
    output: str | Path,
    passphrase: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> PackResult:
    """Write a package for one coder.

    Args:
        project: The supervisor's project (SQLite or PostgreSQL).
        coder: Name or id of the coder the package is for.
        supervisor: Name or id of the supervisor packing it.
        output: The package file to write (replaced atomically if it exists).
        passphrase: Encrypt with this passphrase; ``None`` writes a plain project file.
        actor: Who is acting, for the audit log (default: the supervisor).
        check: Override and key for the identifier check of what goes into the package.
    """
    boss = check_supervisor(project, supervisor)
    actor = actor or boss
    output = Path(output)
    if passphrase is not None and not passphrase:
        raise OperationError("the passphrase is empty")
    if project.backend == "sqlite" and output.resolve() == Path(project.location).resolve():
        raise OperationError("the package cannot replace the project itself")
    if not output.parent.is_dir():
        raise OperationError(f"the folder {output.parent} does not exist")
    with project.read() as tx:
        who = coder_ops.coder_in(tx, coder)
        about = tx.project.describe()
    with tempfile.TemporaryDirectory(prefix=".ketqual-pack-", dir=output.parent) as folder:
        built = Path(folder) / "package.ketqual"
        counts = _build(project, built, who, about, boss)
        from ketqual.ops.privacy import outgoing  # loads with the first package

        outgoing.check_outgoing(
            project,
            what=f"package for {who.name}",
            destination=output,
            strings=package_digest.text_values(built),
            options=check,
            actor=actor,
        )
        package_digest.stamp(built)
        try:
            if passphrase is not None:
                size = package_file.encrypt_file(built, output, passphrase)
            else:  # one self-contained file to send, without -wal or -shm companions
                lifecycle.backup_copy(built, output, journal_mode="delete")
                size = output.stat().st_size
        except (package_file.PackageFileError, OSError) as exc:
            raise OperationError(str(exc)) from None
    summary = f"Packed {counts.get('coding', 0)} codings of '{who.name}' into {output.name}"
    with project.transaction() as tx:
        tx.audit.record(
            actor,
            "package.create",
            summary,
            {
                "coder_uid": who.uid,
                "coder": who.name,
                "file": output.name,
                "encrypted": passphrase is not None,
                "counts": counts,
            },
        )
    return PackResult(output, who.name, passphrase is not None, counts, size)


def _build(project: ProjectStore, path: Path, who, about: dict, boss: str) -> dict:
    package = project_ops.open_or_create(path, create=True, name=about["name"])
    try:
        with project.read() as source, package.transaction() as tx:
            counts = tx.packages.fill_from(source.packages, who.id)
            version = source.packages.newest_codebook_version()
            description = about["settings"].get("codebook_description")
            if description:
                tx.project.set_setting("codebook_description", description)
            tx.project.set_setting(
                package_guard.PACKAGE_SETTING,
                {
                    "format": PACKAGE_FORMAT,
                    "source_project_uid": about["uid"],
                    "source_project_name": about["name"],
                    "coder_uid": who.uid,
                    "coder_name": who.name,
                    "created_at": utcnow(),
                    "created_by": boss,
                    "codebook_version": version,
                },
            )
            tx.audit.record(
                boss,
                "package.created",
                f"Package for '{who.name}' made from project '{about['name']}'",
                {"source_project_uid": about["uid"], "coder_uid": who.uid},
            )
    finally:
        package.close()
    return counts


# ----- the coder's side --------------------------------------------------------------------
def default_work_path(package: str | Path) -> Path:
    """Where the coder's working project for a package goes: ``NAME-work.ketqual``."""
    package = Path(package)
    return package.with_name(f"{package.stem}-work{lifecycle.PROJECT_SUFFIX}")


def needs_passphrase(package: str | Path) -> bool:
    """True when the package file is encrypted."""
    return package_file.is_encrypted_package(package)


def unpack(
    package: str | Path,
    *,
    work_path: str | Path | None = None,
    passphrase: str | None = None,
) -> tuple[Path, bool]:
    """Make the coder's working project from a package, once.

    When the working project already exists it is kept as it is (it holds the coder's
    work) and returned.

    Returns:
        The working project's path, and whether it was made just now.

    Raises:
        OperationError: wrong passphrase, damaged or foreign file, not a package.
    """
    package = Path(package)
    work = Path(work_path) if work_path else default_work_path(package)
    if work.exists():
        return work, False
    _extract(package, work, passphrase)
    try:
        opened = project_ops.open_project(work, backup=False)
    except OperationError:
        _remove(work)
        raise
    try:
        if not package_guard.is_package(opened):
            raise OperationError(f"{package.name} is a KetQual project, not a coder package")
    except OperationError:
        opened.close()
        _remove(work)
        raise
    opened.close()
    return work, True


def _check_plain(package: Path) -> None:
    try:
        lifecycle.check_sqlite_file(package)
    except lifecycle.ProjectOpenError as exc:
        raise OperationError(f"not a KetQual coder package: {exc}") from None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(lifecycle.backup_dir(path), ignore_errors=True)


def return_package(
    work: str | Path,
    output: str | Path,
    *,
    passphrase: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Path:
    """Write the coder's working project as a package to send back to the supervisor.

    What the coder wrote (memos) is checked for identifiers first; the documents came
    from the supervisor and were checked when they were packed.
    """
    work, output = Path(work), Path(output)
    if passphrase is not None and not passphrase:
        raise OperationError("the passphrase is empty")
    if output.resolve() == work.resolve():
        raise OperationError("write the returned package to another file than the work file")
    project = project_ops.open_project(work, backup=False)
    try:
        with project.read() as tx:
            info = package_guard.package_info(tx)
        if info is None:
            raise OperationError(f"{work.name} is not a coder package; nothing to return")
        actor = actor or info.get("coder_name") or default_actor()
        written = [
            (where, text)
            for where, text in package_digest.text_values(work)
            if where.startswith(("memo.text", "coding.memo"))
        ]
        from ketqual.ops.privacy import outgoing  # loads with the first package

        outgoing.check_outgoing(
            project,
            what="returned package",
            destination=output,
            strings=written,
            options=check,
            actor=actor,
        )
        with project.transaction() as tx:
            tx.audit.record(
                actor, "package.return", f"Returned to the supervisor as {output.name}", {}
            )
        # Package a consistent snapshot, never the work file's bytes: the app may still
        # have the project open, and its latest codings may then sit in the -wal file.
        with tempfile.TemporaryDirectory(prefix=".ketqual-return-", dir=output.parent) as folder:
            snapshot = Path(folder) / "package.ketqual"
            lifecycle.backup_copy(work, snapshot, journal_mode="delete")
            package_digest.stamp(snapshot)
            if passphrase is not None:
                package_file.encrypt_file(snapshot, output, passphrase)
            else:
                os.replace(snapshot, output)
    except (package_file.PackageFileError, OSError) as exc:
        raise OperationError(str(exc)) from None
    finally:
        project.close()
    return output


def materialise(package: str | Path, folder: str | Path, passphrase: str | None) -> Path:
    """A private copy of a returned package in ``folder`` (decrypted if need be), so
    reading it never changes the file the coder sent."""
    target = Path(folder) / "returned.ketqual"
    _extract(Path(package), target, passphrase)
    return target


def _extract(package: Path, target: Path, passphrase: str | None) -> None:
    """Write ``package`` as a working project file at ``target``: decrypted when it is
    protected, copied when it is plain (refused when it is not a KetQual file), and
    checked against its checksum; nothing is left at ``target`` when it fails."""
    if not package.is_file():
        raise OperationError(f"{package} was not found")
    try:
        if package_file.is_encrypted_package(package):
            if not passphrase:
                raise OperationError(f"{package.name} is protected by a passphrase; give it")
            package_file.decrypt_file(package, target, passphrase)
            try:
                package_digest.verify(target, package.name)
            except package_digest.PackageDamaged:
                _remove(target)
                raise
        else:
            _check_plain(package)
            package_digest.copy_verified(package, target, package.name)
    except (package_file.PackageFileError, package_digest.PackageDamaged) as exc:
        raise OperationError(str(exc)) from None
    except OSError as exc:
        raise OperationError(f"cannot write {target}: {exc.strerror or exc}") from None


def suggest_codebook_change(
    project: ProjectStore, text: str, *, code_id: int | None = None, actor: str | None = None
) -> Change:
    """In a package: leave a suggestion about the codebook for the supervisor (a memo
    that comes in with the merge). ``code_id`` names the code it is about, if any."""
    text = text.strip()
    if not text:
        raise OperationError("write the suggestion first")
    with project.transaction() as tx:
        info = package_guard.package_info(tx)
        if info is None:
            raise OperationError("codebook suggestions are for coder packages; edit the codebook")
        coder = tx.coders.by_name(info["coder_name"])
        if coder is None:
            raise OperationError("this package has lost its coder; ask your supervisor")
        if code_id is not None and tx.codes.get(code_id) is None:
            raise OperationError(f"there is no code with id {code_id}")
        now = utcnow()
        tx.packages.insert_memos(
            [
                {
                    "uid": new_uid(),
                    "coder_id": coder.id,
                    "target_type": SUGGESTION,
                    "target_id": code_id,
                    "text": text,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        summary = "Suggested a codebook change for the supervisor"
        tx.audit.record(actor or coder.name, "package.suggest", summary, {"text": text[:200]})
    return Change("package.suggest", summary, areas=NOTHING)


def suggestions(project: ProjectStore) -> list[tuple[int | None, str]]:
    """The package coder's codebook suggestions as (code id, text)."""
    with project.read() as tx:
        info = package_guard.package_info(tx)
        coder = tx.coders.by_name(info["coder_name"]) if info else None
        if coder is None:
            return []
        rows = tx.packages.memos(coder.id)
    return [(r[3], r[4]) for r in rows if r[2] == SUGGESTION]
