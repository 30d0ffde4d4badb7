"""The key file: making it, opening it, adding to it, moving an old key out of a project,
and re-identifying a token (audited).

The key links tokens such as ``[P07]`` to real names. It is never stored in the project:
it lives in a passphrase-protected key file (:mod:`ketqual.io.key_file`) that the
supervisor keeps elsewhere. A :class:`KeySession` is an opened key file held in memory
while someone works with it (the app keeps one per window; the CLI opens one per verb).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ketqual.core.ids import utcnow
from ketqual.core.privacy import roster
from ketqual.core.privacy.detector import Detector, DetectorOptions
from ketqual.core.privacy.keydata import KeyData, KeyDataError
from ketqual.core.privacy.roster import RosterEntry
from ketqual.io import key_file
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_guard
from ketqual.store import privacy_files
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

SETTING = "privacy"
SUFFIX = key_file.SUFFIX


@dataclass
class KeySession:
    """An opened key file: its path, its content and the passphrase to save it again."""

    path: Path
    data: KeyData
    passphrase: str

    def save(self) -> None:
        """Write the key file again (after entries were added)."""
        try:
            key_file.write_key(self.path, self.data, self.passphrase)
        except key_file.KeyFileError as exc:
            raise OperationError(str(exc)) from None

    @property
    def entries(self) -> list[RosterEntry]:
        """The roster entries."""
        return list(self.data.entries)

    def detector(self, options: DetectorOptions | None = None) -> Detector:
        """A detector built from this key's roster."""
        return Detector(self.data.entries, options)


def supervisor_name(tx: Tx, name: str | None) -> str:
    """The supervisor acting: named, or the project's only supervisor."""
    supervisors = [c for c in tx.coders.list() if c.role == "supervisor"]
    if name:
        who = tx.coders.by_name(name)
        if who is None or who.role != "supervisor":
            raise OperationError(f"'{name}' is not a supervisor of this project")
        return who.name
    if len(supervisors) == 1:
        return supervisors[0].name
    if not supervisors:
        raise OperationError(
            "this project has no supervisor yet; add one first "
            "(ketqual coder add PROJECT NAME --role supervisor)"
        )
    raise OperationError(f"name the supervisor (one of {', '.join(s.name for s in supervisors)})")


def check_supervisor(project: ProjectStore, name: str | None) -> str:
    """The supervisor's name (named, or the only one); refused otherwise."""
    with project.read() as tx:
        return supervisor_name(tx, name)


def key_status(project: ProjectStore) -> dict:
    """What the project knows about its key: the key file's name and when it was made
    (never where it is kept or what is in it), and how many names an old key table
    still holds inside the project."""
    with project.read() as tx:
        settings = tx.project.describe()["settings"].get(SETTING) or {}
        legacy = tx.pseudonyms.count()
    return {
        "key_file": settings.get("key_file"),
        "key_created_at": settings.get("key_created_at"),
        "legacy_names": legacy,
    }


def _register(tx: Tx, path: Path) -> None:
    settings = dict(tx.project.describe()["settings"].get(SETTING) or {})
    settings.setdefault("key_created_at", utcnow())
    settings["key_file"] = path.name
    tx.project.set_setting(SETTING, settings)


def create_key(
    project: ProjectStore,
    path: str | Path,
    passphrase: str,
    *,
    roster_text: str | None = None,
    actor: str | None = None,
) -> KeySession:
    """Make a new key file for the project, optionally filled from a roster.

    Raises:
        OperationError: the file exists already, the passphrase is empty, the roster has
            a bad line, or the file cannot be written.
    """
    actor = actor or default_actor()
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise OperationError(f"{path.name} exists already; open it, or choose a new name")
    if not passphrase:
        raise OperationError("the passphrase is empty")
    with project.read() as tx:
        package_guard.refuse_in_package(tx, "a coder package has no key; ask your supervisor")
        about = tx.project.describe()
    data = KeyData(project_uid=about["uid"], project_name=about["name"])
    added = 0
    if roster_text:
        added = _add_roster(data, roster_text)
    session = KeySession(path, data, passphrase)
    session.save()
    with project.transaction() as tx:
        _register(tx, path)
        tx.audit.record(
            actor,
            "privacy.key.create",
            f"Made the key file {path.name} ({added} roster entries)",
            {"file": path.name, "entries": added},
        )
    return session


def _add_roster(data: KeyData, roster_text: str) -> int:
    try:
        lines = roster.parse_roster(roster_text)
        added, _extended = data.add_roster(lines)
    except (ValueError, KeyDataError) as exc:
        raise OperationError(f"the roster: {exc}") from None
    return added


def open_key(
    project: ProjectStore, path: str | Path, passphrase: str, *, actor: str | None = None
) -> KeySession:
    """Open the project's key file (audited: who opened which file, when).

    Raises:
        OperationError: a wrong passphrase, a damaged file, or another project's key.
    """
    path = Path(path)
    try:
        data = key_file.read_key(path, passphrase)
    except key_file.KeyFileError as exc:
        raise OperationError(str(exc)) from None
    with project.transaction() as tx:
        about = tx.project.describe()
        if data.project_uid != about["uid"]:
            raise OperationError(
                f"{path.name} is the key of another project ('{data.project_name}'), "
                f"not of '{about['name']}'"
            )
        tx.audit.record(
            actor or default_actor(),
            "privacy.key.open",
            f"Opened the key file {path.name}",
            {"file": path.name},
        )
    return KeySession(path, data, passphrase)


def open_or_create_key(
    project: ProjectStore, path: str | Path, passphrase: str, *, actor: str | None = None
) -> tuple[KeySession, bool]:
    """Open a key file, or make it when there is none yet; (session, made now)."""
    if Path(path).exists():
        return open_key(project, path, passphrase, actor=actor), False
    return create_key(project, path, passphrase, actor=actor), True


def add_roster(
    project: ProjectStore, key: KeySession, roster_text: str, *, actor: str | None = None
) -> Change:
    """Add people and places to the key from roster text (names stay in the key file)."""
    before = len(key.data.entries)
    _add_roster(key.data, roster_text)
    key.save()
    added = len(key.data.entries) - before
    summary = f"Added {added} roster entries to the key file {key.path.name}"
    with project.transaction() as tx:
        _register(tx, key.path)
        tx.audit.record(
            actor or default_actor(),
            "privacy.key.add",
            summary,
            {"file": key.path.name, "entries": added},
        )
    return Change("privacy.key.add", summary, areas=frozenset({Area.PRIVACY}))


def reidentify(
    project: ProjectStore,
    key: KeySession,
    token: str,
    *,
    reason: str,
    supervisor: str | None = None,
    actor: str | None = None,
) -> RosterEntry:
    """Who a token stands for. Needs the key file, a supervisor and a reason, and is
    recorded in the audit log (the token and the reason, never the name).

    Raises:
        OperationError: no reason, not a supervisor, or a token the key does not know.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise OperationError("give a reason for re-identifying (it goes into the audit log)")
    entry = key.data.by_token(token)
    with project.transaction() as tx:
        boss = supervisor_name(tx, supervisor)
        if entry is None:
            raise OperationError(f"the key file does not know the token {token}")
        tx.audit.record(
            actor or boss,
            "privacy.reidentify",
            f"Re-identified {entry.token} with the key file {key.path.name}",
            {"token": entry.token, "reason": reason, "file": key.path.name, "supervisor": boss},
        )
    return entry


def move_key_out(
    project: ProjectStore,
    path: str | Path,
    passphrase: str,
    *,
    supervisor: str | None = None,
    actor: str | None = None,
) -> Change:
    """Move an old project's key table into a key file and empty the table.

    The names are written to the key file (a new one, or this project's existing one) and
    read back before anything is removed; then the table is emptied, the write-ahead log
    truncated, and KetQual's own backups of the file cleared of the key too.

    Raises:
        OperationError: not a supervisor, nothing to move, or the key file cannot be
            written or is another project's.
    """
    path = Path(path)
    with project.read() as tx:
        package_guard.refuse_in_package(tx, "a coder package has no key to move")
        boss = supervisor_name(tx, supervisor)
        old = tx.pseudonyms.key()
        about = tx.project.describe()
    if not old:
        raise OperationError("this project holds no key table to move out")
    if path.exists():
        session = open_key(project, path, passphrase, actor=actor or boss)
    else:
        if not passphrase:
            raise OperationError("the passphrase is empty")
        data = KeyData(project_uid=about["uid"], project_name=about["name"])
        session = KeySession(path, data, passphrase)
    for name, pseudonym in old.items():
        entry = session.data.find(name)
        if entry is None:
            try:
                session.data.add("participant", [name], token=pseudonym)
            except KeyDataError:  # the pseudonym is taken: the name gets a fresh token
                session.data.add("participant", [name])
    session.save()
    try:  # read back: the names must be safe in the file before the table is emptied
        check = key_file.read_key(path, passphrase)
    except key_file.KeyFileError as exc:
        raise OperationError(
            f"the key file could not be read back ({exc}); nothing was removed"
        ) from None
    missing = [n for n in old if check.find(n) is None]
    if missing:
        raise OperationError("the key file lacks some names after writing; nothing was removed")
    with project.transaction() as tx:
        removed = tx.pseudonyms.clear()
        _register(tx, path)
        tx.audit.record(
            actor or boss,
            "privacy.key.move_out",
            f"Moved the pseudonymisation key ({removed} names) out of the project into "
            f"the key file {path.name}",
            {"file": path.name, "names": removed, "supervisor": boss},
        )
    privacy_files.checkpoint(project)
    cleaned = 0
    if project.backend == "sqlite":
        for backup in privacy_files.backup_files(project.location):
            cleaned += privacy_files.clear_legacy_key(backup)
    summary = f"Moved {removed} names out of the project into {path.name}" + (
        f"; cleared the key from {cleaned} backups" if cleaned else ""
    )
    return Change(
        "privacy.key.move_out",
        summary,
        areas=frozenset({Area.PRIVACY, Area.PROJECT}),
        details={"names": removed, "backups_cleared": cleaned, "file": str(path)},
    )
