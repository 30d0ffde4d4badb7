"""Server projects: connection details, passwords in the system keyring, and running an
action so that a dropped connection costs nothing or is reported plainly.

What is remembered about a server project (recent projects, settings, the audit log) is
its URL *without* the password. The password goes to the system keyring (Windows
Credential Locker, macOS Keychain, Secret Service on Linux) when one is usable, and
nowhere otherwise: then KetQual asks each time. libpq's own sources keep working because
psycopg reads them when the URL has no password: the ``PGPASSWORD`` environment variable
and the ``~/.pgpass`` file (``%APPDATA%\\postgresql\\pgpass.conf`` on Windows).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, unquote, urlsplit

from ketqual.ops.changes import default_actor
from ketqual.ops.errors import OperationError
from ketqual.store import copying, lifecycle, server_probe
from ketqual.store.connection import ConnectionLost, WriteConflict
from ketqual.store.database import ProjectStore

T = TypeVar("T")
KEYRING_SERVICE = "KetQual"
DEFAULT_PORT = 5432
DRIVER = "postgresql+psycopg"
NO_KEYRING = "No system keyring: the password will be asked each time."


@dataclass(frozen=True)
class ServerAddress:
    """Where a server project lives: everything but the password."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    driver: str = DRIVER

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL, with ``password`` when given (percent-encoded)."""
        credentials = quote(self.user, safe="")
        if password:
            credentials += ":" + quote(password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.driver}://{credentials}@{host}:{self.port}/{quote(self.database, safe='')}"

    @property
    def key(self) -> str:
        """The keyring entry's name: ``user@host:port/database``."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def is_server_url(target: object) -> bool:
    """True for a PostgreSQL URL (``postgresql://`` or ``postgresql+driver://``)."""
    return str(target).startswith("postgres")


def parse_url(url: str) -> tuple[ServerAddress, str | None]:
    """Split a PostgreSQL URL into its address and its password (``None`` when absent).

    Raises:
        OperationError: not a PostgreSQL URL, or no database in it.
    """
    if not is_server_url(url) or "://" not in url:
        raise OperationError(
            "a server project is given as postgresql+psycopg://user@host:port/database"
        )
    parts = urlsplit(url)
    scheme = parts.scheme if "+" in parts.scheme else DRIVER
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise OperationError("the server URL names no database (…@host:port/DATABASE)")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise OperationError("the port in the server URL is not a number") from None
    address = ServerAddress(
        host=parts.hostname or "localhost",
        database=database,
        user=unquote(parts.username or ""),
        port=port,
        driver=scheme,
    )
    password = unquote(parts.password) if parts.password is not None else None
    return address, password


def url_without_password(url: str) -> str:
    """The URL to remember or show: a file path or URL with any password removed."""
    if not is_server_url(url):
        return url
    address, _ = parse_url(url)
    return address.url()


def scrub(text: str, url: str) -> str:
    """``text`` with the URL's password (raw and percent-encoded) replaced by ``***``."""
    if not is_server_url(url):
        return text
    try:
        _, password = parse_url(url)
    except OperationError:
        return text
    if not password:
        return text
    for form in {password, quote(password, safe="")}:
        text = text.replace(form, "***")
    return text


# ----- the system keyring --------------------------------------------------------------------
@dataclass(frozen=True)
class KeyringState:
    """Whether passwords can be kept, and a sentence saying so."""

    usable: bool
    message: str


def keyring_state() -> KeyringState:
    """Whether a real system keyring is there (not the fail or null backend)."""
    backend = _backend()
    if backend is None:
        return KeyringState(False, NO_KEYRING)
    return KeyringState(True, f"Passwords are kept in the system keyring ({_name(backend)}).")


def _backend():
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # keyring is a dependency, but a trimmed install may lack it
        return None
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return None
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return None
        if float(backend.priority) <= 0:
            return None
    except Exception:  # noqa: BLE001 - a broken keyring setup is the same as none
        return None
    return backend


def _name(backend) -> str:
    return getattr(backend, "name", type(backend).__name__)


def save_password(address: ServerAddress, password: str) -> bool:
    """Keep ``password`` for ``address`` in the system keyring; False when there is none."""
    backend = _backend()
    if backend is None or not password:
        return False
    try:
        backend.set_password(KEYRING_SERVICE, address.key, password)
    except Exception:  # noqa: BLE001 - locked or refusing keyring: ask next time instead
        return False
    return True


def load_password(address: ServerAddress) -> str | None:
    """The password kept for ``address``, or ``None`` (no keyring, nothing kept)."""
    backend = _backend()
    if backend is None:
        return None
    try:
        return backend.get_password(KEYRING_SERVICE, address.key)
    except Exception:  # noqa: BLE001 - a locked keyring is the same as nothing kept
        return None


def forget_password(address: ServerAddress) -> None:
    """Remove a kept password (nothing happens when none is kept)."""
    backend = _backend()
    if backend is None:
        return
    # Nothing kept, or the keyring refused: either way there is nothing to undo.
    with suppress(Exception):
        backend.delete_password(KEYRING_SERVICE, address.key)


def with_kept_password(url: str) -> str:
    """``url`` with the keyring's password filled in when it has none of its own.

    Without a kept password the URL is returned unchanged, so psycopg still tries
    ``PGPASSWORD`` and ``~/.pgpass``.
    """
    if not is_server_url(url):
        return url
    address, password = parse_url(url)
    if password:
        return url
    kept = load_password(address)
    return address.url(kept) if kept else url


# ----- running actions over a connection that may drop ---------------------------------------
def run(project: ProjectStore, what: str, action: Callable[..., T], *args, **kwargs) -> T:
    """Run an operation, repeating it transparently after a dropped connection or a
    deadlock when none of it was saved; otherwise raise an OperationError naming ``what``.

    Args:
        project: The open project.
        what: The action in words for the message, e.g. ``"Code with Cost"``.
        action: The operation to call with ``args`` and ``kwargs``.
    """
    try:
        return project.run(action, *args, **kwargs)
    except (ConnectionLost, WriteConflict) as exc:
        raise exc.about(f"'{what}'" if what else "the last change") from None


# ----- moving a project between SQLite and PostgreSQL ----------------------------------------
def copy_project(
    source: str | Path,
    destination: str | Path,
    *,
    actor: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> copying.CopyReport:
    """Copy a project file or server project to a new file or an empty server database.

    A destination file name without ``.ketqual`` gets it. Passwords kept in the keyring
    are used for either URL; no password ever appears in the result or an error.

    Raises:
        OperationError: refused or failed; nothing is left at the destination.
    """
    if not is_server_url(destination) and Path(destination).suffix != lifecycle.PROJECT_SUFFIX:
        destination = Path(str(destination) + lifecycle.PROJECT_SUFFIX)
    src, dst = with_kept_password(str(source)), with_kept_password(str(destination))
    try:
        return copying.copy_project(src, dst, actor=actor or default_actor(), progress=progress)
    except copying.CopyError as exc:
        raise OperationError(scrub(scrub(str(exc), src), dst)) from None


# ----- what the connection dialog says -------------------------------------------------------
_EXPLAINED = (
    ("password authentication failed", "the server refused the user name or password"),
    ("no password supplied", "the server wants a password for this user"),
    ("does not exist", "there is no such database (or user) on that server; check the name"),
    (
        "connection refused",
        "nothing answered at that address and port: is PostgreSQL running "
        "there, and does it accept network connections (listen_addresses, pg_hba.conf)?",
    ),
    ("could not translate host name", "that host name is unknown; check it"),
    ("timeout expired", "the server did not answer in time; check the address and network"),
    (
        "no pg_hba.conf entry",
        "the server does not let this user connect from this computer "
        "(its pg_hba.conf needs a line for it)",
    ),
)


def explain(message: str) -> str:
    """A driver's message made plain, keeping the original after it for the expert."""
    lowered = message.lower()
    for phrase, plain in _EXPLAINED:
        if phrase in lowered:
            return f"{plain[0].upper()}{plain[1:]}. ({message.strip()})"
    return message


def check_connection(url: str) -> str:
    """Connect to ``url`` and say in one sentence what is there (never raises for the
    expected failures; they come back as OperationError with a plain message).

    Raises:
        OperationError: the server could not be reached or refused the login.
    """
    try:
        found = server_probe.probe(url)
    except server_probe.ProbeError as exc:
        raise OperationError(scrub(explain(str(exc)), url)) from None
    if found.state == "empty":
        return "Connected. The database is empty: a new project can be created in it."
    if found.state == "foreign":
        return "Connected, but this database is not a KetQual project."
    if found.state == "newer":
        return (
            f"Connected. '{found.name}' was saved by a newer version of KetQual "
            f"(schema {found.revision}); update KetQual to open it."
        )
    return f"Connected. KetQual project '{found.name}' (schema {found.revision})."
