"""The report of merging a coder package: what was added, changed, removed or left out.

Plain records, so the CLI prints them, the GUI shows them and the audit log keeps them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RefusedDocument:
    """A packaged document that does not match the project."""

    uid: str
    title: str
    reason: str


@dataclass(frozen=True)
class UnmatchedCoding:
    """A packaged coding whose code the project no longer has (left out of the merge)."""

    document_uid: str
    document: str
    start: int
    end: int
    code_uid: str
    code_path: str
    reason: str


@dataclass(frozen=True)
class MergeReport:
    """What a merge did (or, for a dry run, would do)."""

    package: str
    coder: str
    coder_uid: str
    dry_run: bool = False
    documents: int = 0
    codings_added: int = 0
    codings_changed: int = 0
    codings_removed: int = 0
    codings_unchanged: int = 0
    codings_followed: int = 0
    unmatched: tuple[UnmatchedCoding, ...] = ()
    conflicts: tuple[str, ...] = ()
    memos_added: int = 0
    memos_changed: int = 0
    memos_removed: int = 0
    status_changed: int = 0
    suggestions: tuple[str, ...] = ()
    refused: tuple[RefusedDocument, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """True when the merge changes (or would change) the project."""
        return any(self.counts().values())

    def counts(self) -> dict[str, int]:
        """The numbers of changes, by kind."""
        return {
            "codings_added": self.codings_added,
            "codings_changed": self.codings_changed,
            "codings_removed": self.codings_removed,
            "memos_added": self.memos_added,
            "memos_changed": self.memos_changed,
            "memos_removed": self.memos_removed,
            "status_changed": self.status_changed,
        }

    def to_dict(self) -> dict:
        """Plain data for JSON output and the audit log."""
        return {**asdict(self), "changed": self.changed}

    def lines(self) -> list[str]:
        """The report as lines of plain text (the CLI prints them, the GUI shows them)."""
        if self.refused:
            out = [f"Merge of {self.package} refused: nothing was changed."]
            out += [f"  {d.title} ({d.uid}): {d.reason}" for d in self.refused]
            return out
        verb = "Would merge" if self.dry_run else "Merged"
        out = [f"{verb} {self.package}: {self.coder}'s layer on {self.documents} documents"]
        if not self.changed:
            out.append("Nothing changed: the project already holds this package's work.")
        out.append(
            f"  codings: {self.codings_added} added, {self.codings_changed} changed, "
            f"{self.codings_removed} removed, {self.codings_unchanged} unchanged"
        )
        if self.codings_followed:
            out.append(f"  {self.codings_followed} codings follow codes merged in the project")
        out.append(
            f"  memos: {self.memos_added} added, {self.memos_changed} changed, "
            f"{self.memos_removed} removed; documents marked done or not: {self.status_changed}"
        )
        if self.unmatched:
            out.append(f"  {len(self.unmatched)} codings left out (their code is gone):")
            out += [
                f"    {u.document} {u.start}-{u.end} '{u.code_path}': {u.reason}"
                for u in self.unmatched
            ]
        if self.conflicts:
            out.append(f"  {len(self.conflicts)} codings left out (id used by another layer)")
        if self.suggestions:
            out.append("  codebook suggestions from the coder:")
            out += [f"    - {s}" for s in self.suggestions]
        return out
