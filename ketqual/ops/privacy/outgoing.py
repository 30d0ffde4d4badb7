"""Every export checks itself: what is about to leave is scanned before a file is written.

Each export operation (codings CSV, agreement reports, the decision log, disagreements,
network files and the co-occurrence table, framework matrices, counts, the codebook,
coder packages, REFI-QDA, the theme report, coded passages, crosstabs, attribute tables,
the votes table and figure) hands its payload to :func:`check_outgoing` before writing.
The check looks for the roster's names (when the key file is open), identifier shapes
(e-mail addresses, phone numbers, postcodes, NHS numbers, dates of birth, street
addresses), titles with names, and words found in the notes that nobody has reviewed yet.

Anything found blocks the export, with a list of what and where. A supervisor can let it
through with a reason. Every check is recorded in the audit log (what was exported, how
many findings of which kinds, and any override with its reason; never the words found).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ketqual.core.privacy import outgoing_scan
from ketqual.core.privacy.detector import Detector
from ketqual.core.privacy.outgoing_scan import Finding
from ketqual.ops.changes import default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import key_ops
from ketqual.ops.privacy.key_ops import KeySession
from ketqual.store.database import ProjectStore

MAX_LISTED = 12


@dataclass(frozen=True)
class CheckOptions:
    """How an export's check runs.

    Attributes:
        allow_reason: A supervisor's reason to let identifiers through (``--allow-identifiers``).
        supervisor: The supervisor allowing it (default: the project's only supervisor).
        key: The opened key file, so that roster names are looked for too.
    """

    allow_reason: str | None = None
    supervisor: str | None = None
    key: KeySession | None = None


@dataclass(frozen=True)
class CheckResult:
    """What a check found and decided."""

    findings: tuple[Finding, ...]
    roster_checked: bool
    overridden: bool

    @property
    def passed(self) -> bool:
        """True when nothing was found."""
        return not self.findings


class IdentifiersFound(OperationError):
    """An export was stopped because what it would write holds identifiers."""

    def __init__(self, what: str, findings: list[Finding]) -> None:
        lines = [f.line() for f in findings[:MAX_LISTED]]
        if len(findings) > MAX_LISTED:
            lines.append(f"… and {len(findings) - MAX_LISTED} more")
        n = len(findings)
        super().__init__(
            f"the {what} was not written: it holds {n} possible identifier"
            f"{'s' if n != 1 else ''}; review them (Privacy › Review identifiers), or a "
            "supervisor can let them through with a reason:\n  " + "\n  ".join(lines)
        )
        self.findings = findings


def check_outgoing(
    project: ProjectStore | None,
    *,
    what: str,
    destination: str | Path | None,
    payload: object = None,
    strings: Iterable[tuple[str, str]] = (),
    options: CheckOptions | None = None,
    actor: str | None = None,
) -> CheckResult:
    """Scan what an export is about to write; raise when identifiers are in it.

    Args:
        project: The project exported from (its review decisions and audit log); ``None``
            when the data no longer has one at hand (the check runs, without the review's
            decisions, unrecorded, and cannot be overridden).
        what: What is being exported, for messages ("framework matrices").
        destination: The file to be written (only its name is recorded).
        payload: The export's data (dataclasses, dicts, lists of strings ...).
        strings: More ``(where, text)`` pairs to scan (e.g. a package's rows).
        options: Override and key; default: block on anything found, no roster.
        actor: Who is exporting (for the audit log).

    Raises:
        IdentifiersFound: something was found and no supervisor let it through.
        OperationError: an override without a reason or by someone not a supervisor.
    """
    options = options or CheckOptions()
    actor = actor or default_actor()
    allowed: set[str] = set()
    pending: set[str] = set()
    if project is not None:
        with project.read() as tx:
            allowed = tx.identifiers.texts(["rejected"])
            pending = tx.identifiers.texts(["pending", "accepted"])
    key = options.key
    detector = key.detector() if key is not None else Detector()
    items = list(outgoing_scan.strings_of(payload)) + list(strings)
    findings = outgoing_scan.scan(items, detector, allowed=allowed, pending=pending)
    reason = " ".join((options.allow_reason or "").split())
    overridden = bool(findings and reason)
    name = Path(destination).name if destination else ""
    details = {
        "export": what,
        "file": name,
        "findings": len(findings),
        "kinds": sorted({f.kind for f in findings}),
        "where": sorted({f.where for f in findings})[:MAX_LISTED],
        "roster_checked": key is not None,
    }
    if findings and options.allow_reason is not None and not reason:
        raise OperationError("give a reason for letting identifiers through")
    if project is None:
        if findings:
            raise IdentifiersFound(what, findings)
        return CheckResult((), key is not None, False)
    with project.transaction() as tx:
        if overridden:
            boss = key_ops.supervisor_name(tx, options.supervisor)
            tx.audit.record(
                actor,
                "privacy.export_override",
                f"{boss} let {len(findings)} possible identifiers through in the {what} "
                f"({name}): {reason}",
                {**details, "reason": reason, "supervisor": boss},
            )
        else:
            outcome = "blocked" if findings else "passed"
            tx.audit.record(
                actor,
                "privacy.export_check",
                f"Checked the {what} ({name}) for identifiers: {outcome}"
                + (f", {len(findings)} found" if findings else ""),
                {**details, "outcome": outcome},
            )
    if findings and not overridden:
        raise IdentifiersFound(what, findings)
    return CheckResult(tuple(findings), key is not None, overridden)
