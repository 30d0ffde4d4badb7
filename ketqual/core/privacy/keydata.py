"""What a key file holds: the roster with each person's (or value's) replacement token.

This is the re-identification key, so it never goes into the project file; the key file
(:mod:`ketqual.io.key_file`) keeps it encrypted with a passphrase. Here it is plain data:
entries, how to add to them, how to look a token up, and the JSON it travels as.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ketqual.core.privacy import kinds
from ketqual.core.privacy.roster import ParsedLine, RosterEntry, new_uid, norm, tidy

FORMAT = "ketqual-key"
VERSION = 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class KeyDataError(ValueError):
    """A key's content is not what KetQual wrote; the message is for the user."""


@dataclass
class KeyData:
    """The roster and tokens of one project.

    Attributes:
        project_uid: The project the key belongs to (a key never serves another).
        project_name: For people choosing among key files.
        entries: People, places and values, each with its token.
        created_at: When the key was made.
        updated_at: When it last changed.
    """

    project_uid: str
    project_name: str = ""
    entries: list[RosterEntry] = field(default_factory=list)
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)

    # ----- looking up -------------------------------------------------------------------
    def find(self, name: str, kind: str | None = None) -> RosterEntry | None:
        """The entry with this name or nickname (any spacing, case or apostrophe)."""
        wanted = norm(name)
        for entry in self.entries:
            if kind is not None and entry.kind != kind:
                continue
            if any(norm(n) == wanted for n in entry.all_names()):
                return entry
        return None

    def by_uid(self, uid: str) -> RosterEntry | None:
        """The entry with this id."""
        return next((e for e in self.entries if e.uid == uid), None)

    def by_token(self, token: str) -> RosterEntry | None:
        """The entry a token stands for (``[P07]``, or ``P07`` without brackets)."""
        token = kinds.explicit_token(token)
        return next((e for e in self.entries if e.token == token), None)

    def tokens(self) -> set[str]:
        """Every token in use."""
        return {e.token for e in self.entries}

    # ----- adding -----------------------------------------------------------------------
    def next_token(self, kind: str) -> str:
        """The next free token of a kind (``[P08]`` after ``[P07]``)."""
        numbers = [kinds.number_of(e.token, kind) for e in self.entries]
        taken = self.tokens()
        number = max([n for n in numbers if n is not None], default=0) + 1
        while kinds.token_for(kind, number) in taken:
            number += 1
        return kinds.token_for(kind, number)

    def add(
        self,
        kind: str,
        names: tuple[str, ...] | list[str],
        nicknames: tuple[str, ...] | list[str] = (),
        token: str | None = None,
    ) -> tuple[RosterEntry, bool]:
        """Add a person, place or value, or extend the entry that already has one of the
        names (keeping its token).

        Returns:
            The entry, and whether anything changed.

        Raises:
            KeyDataError: an unknown kind, or an explicit token another entry uses.
        """
        if kind not in kinds.KINDS:
            raise KeyDataError(f"unknown kind of identifier: {kind}")
        names = tuple(n for n in (tidy(x) for x in names) if n)
        nicknames = tuple(n for n in (tidy(x) for x in nicknames) if n)
        if not names and not nicknames:
            raise KeyDataError("a roster entry needs a name")
        existing = next((e for e in (self.find(n, kind) for n in names + nicknames) if e), None)
        if existing is not None:
            known = {norm(n) for n in existing.all_names()}
            more_names = tuple(n for n in names if norm(n) not in known)
            known |= {norm(n) for n in more_names}
            more_nicks = tuple(n for n in nicknames if norm(n) not in known)
            if not more_names and not more_nicks:
                return existing, False
            updated = replace(
                existing,
                names=existing.names + more_names,
                nicknames=existing.nicknames + more_nicks,
            )
            self.entries[self.entries.index(existing)] = updated
            self.updated_at = _now()
            return updated, True
        if token is not None:
            token = kinds.explicit_token(token)
            if token in self.tokens():
                raise KeyDataError(f"the token {token} is already someone else's")
        entry = RosterEntry(
            new_uid(),
            kind,
            names or nicknames[:1],
            nicknames if names else nicknames[1:],
            token or self.next_token(kind),
        )
        self.entries.append(entry)
        self.updated_at = _now()
        return entry, True

    def add_roster(self, lines: list[ParsedLine]) -> tuple[int, int]:
        """Add a roster file's lines; returns (entries added, entries extended)."""
        added = extended = 0
        for line in lines:
            before = len(self.entries)
            _entry, changed = self.add(line.kind, line.names, line.nicknames, line.token)
            if len(self.entries) > before:
                added += 1
            elif changed:
                extended += 1
        return added, extended

    # ----- travelling as JSON -----------------------------------------------------------
    def to_json(self) -> bytes:
        """The key as UTF-8 JSON."""
        body = {
            "format": FORMAT,
            "version": VERSION,
            "project_uid": self.project_uid,
            "project_name": self.project_name,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "entries": [
                {
                    "uid": e.uid,
                    "kind": e.kind,
                    "token": e.token,
                    "names": list(e.names),
                    "nicknames": list(e.nicknames),
                }
                for e in self.entries
            ],
        }
        return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> KeyData:
        """Read what :meth:`to_json` wrote.

        Raises:
            KeyDataError: not a KetQual key, a newer version, or damaged content.
        """
        try:
            body = json.loads(data.decode("utf-8"))
            if body.get("format") != FORMAT:
                raise KeyDataError("this is not a KetQual key")
            if int(body.get("version", 0)) > VERSION:
                raise KeyDataError("this key was written by a newer KetQual; update KetQual")
            entries = [
                RosterEntry(
                    str(e["uid"]),
                    str(e["kind"]),
                    tuple(str(n) for n in e.get("names", [])),
                    tuple(str(n) for n in e.get("nicknames", [])),
                    str(e["token"]),
                )
                for e in body["entries"]
            ]
            return cls(
                project_uid=str(body["project_uid"]),
                project_name=str(body.get("project_name", "")),
                entries=entries,
                created_at=str(body.get("created_at", "")),
                updated_at=str(body.get("updated_at", "")),
            )
        except KeyDataError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            raise KeyDataError("the key's content is damaged") from None
