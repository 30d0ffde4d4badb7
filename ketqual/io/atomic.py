"""Write a file in one step: to a temporary file beside it, then rename over the target.

A failed or interrupted export leaves the old file (or none) in place, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

# New files get the usual permissions (0o666 less the umask), not mkstemp's owner-only
# ones. The umask can only be read by setting it, so that happens once, at import.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success it replaces ``path``.

    Raises:
        OSError: When the folder cannot be written (before anything is created), or
            the rename fails.
    """
    target = Path(path)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=f"{target.suffix}.part", dir=target.parent or "."
    )
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp makes the file private; an export should read like any other file.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_UMASK
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)``, then move the result to ``path`` in one step.

    Raises:
        OSError: When the folder cannot be written, and whatever ``write`` raises.
    """
    with replacing(path) as temporary:
        write(temporary)
    return Path(path)
