"""The participant roster: who may be named in the notes, and every way they may be named.

A roster file is plain text, one person (or place) per line::

    # a comment
    Anna Smith | Annie | Nan          <- a participant, with nicknames after "|"
    carer: Bob Jones | Bobby          <- a kind before a colon: participant (the default),
    staff: Priya Patel                   carer, staff, person, place, org
    place: St Mary's Hospital | St Mary's
    Chidi Okafor = P07                <- an explicit token (also "Name, Pseudonym")

The older names file (``Name``, ``Name = Pseudonym``, ``Name,Pseudonym``) is a roster too.
Each person's full name, first name alone, nicknames, and the first or last name after a
title ("Mrs Smith") are found in the notes; a surname alone and any name that is also an
ordinary word ("Will", "May", "Hope") are only suggested for review.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from ketqual.core.privacy import kinds, ordinary

TITLES = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "nurse", "sister",
    "matron", "rev", "revd", "reverend", "father", "sir", "dame", "lady", "lord", "cllr",
    "councillor", "auntie", "aunty", "uncle", "nan", "nanna", "grandma", "grandad",
)  # fmt: skip
_KIND_PREFIX = re.compile(r"^(?P<kind>[A-Za-z]+)\s*:\s*(?P<rest>.+)$")
_EXPLICIT = re.compile(r"^(?P<names>[^=]+?)\s*=\s*(?P<token>.+?)\s*$")
_COMMA = re.compile(r"^(?P<names>[^,|]+?)\s*,\s*(?P<token>[^,|]+?)\s*$")


@dataclass(frozen=True)
class RosterEntry:
    """One person or place: the names they go by and their replacement token.

    Attributes:
        uid: A stable id (never derived from the name).
        kind: ``participant``, ``carer``, ``staff``, ``person``, ``place``, ``org`` or a
            pattern kind (``email``, ``phone`` ...) for values found in the notes.
        names: Full names (or the exact value, for an e-mail address and the like).
        nicknames: Other names the person goes by.
        token: The replacement token, e.g. ``[P07]``.
    """

    uid: str
    kind: str
    names: tuple[str, ...]
    nicknames: tuple[str, ...] = ()
    token: str = ""

    @property
    def display(self) -> str:
        """The first full name."""
        return self.names[0] if self.names else (self.nicknames[0] if self.nicknames else "")

    def all_names(self) -> tuple[str, ...]:
        """Full names and nicknames."""
        return self.names + self.nicknames


@dataclass(frozen=True)
class Variant:
    """One way an entry may be written in the notes, and how sure a match of it is."""

    text: str
    entry_uid: str
    kind: str
    token: str
    certain: bool
    reason: str
    case_sensitive: bool = False  # ordinary-word names match only when capitalised


@dataclass
class ParsedLine:
    """A roster line read: kind, full names, nicknames and an explicit token."""

    kind: str
    names: list[str]
    nicknames: list[str] = field(default_factory=list)
    token: str | None = None


def tidy(name: str) -> str:
    """A name with its spacing tidied and curly apostrophes made straight."""
    return " ".join(name.replace("’", "'").replace("‘", "'").split())


def norm(name: str) -> str:
    """A name for comparing: tidied and case-folded."""
    return tidy(name).casefold()


def parse_roster(text: str) -> list[ParsedLine]:
    """Read a roster (or an older names file).

    Args:
        text: The file's text.

    Returns:
        One :class:`ParsedLine` per person or place, in file order.

    Raises:
        ValueError: a line names an unknown kind; the message says which line.
    """
    out: list[ParsedLine] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        kind = "participant"
        m = _KIND_PREFIX.match(line)
        if m and m["kind"].lower() in kinds.KINDS:
            kind, line = m["kind"].lower(), m["rest"].strip()
        elif m and " " not in m["kind"] and m["kind"].lower() in ("carers", "places", "staffs"):
            kind, line = m["kind"].lower().rstrip("s"), m["rest"].strip()
        elif m and re.fullmatch(r"[a-z]+", m["kind"]):
            raise ValueError(
                f"line {number}: unknown kind '{m['kind']}' (use participant, carer, staff, "
                "person, place or org)"
            )
        token = None
        if (m := _EXPLICIT.match(line)) or ("|" not in line and (m := _COMMA.match(line))):
            line, token = m["names"], kinds.explicit_token(m["token"]) if m["token"] else None
        parts = [tidy(p) for p in line.split("|")]
        parts = [p for p in parts if p]
        if not parts:
            continue
        out.append(ParsedLine(kind, [parts[0]], parts[1:], token))
    return out


def new_uid() -> str:
    """A fresh entry id."""
    return uuid.uuid4().hex


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"\s+", tidy(name)) if w]


def variants(entries: list[RosterEntry]) -> list[Variant]:
    """Every way each person or place may appear, with how sure a match is.

    Rules, for people:

    * the full name and any nickname: sure, unless it is one ordinary word ("Will");
    * the first name alone: sure, unless it is an ordinary word or two people share it;
    * the last name alone: for review (often someone else, e.g. a doctor or an author);
      with a title before it ("Mrs Smith") the detector makes it sure.

    Places and organisations: every name given, sure. Pattern kinds (an e-mail address
    seen before): the exact value, sure. When two entries share a variant, the variant
    goes to review without an entry, so the reviewer picks the person.
    """
    found: dict[str, list[Variant]] = {}

    def add(text: str, entry: RosterEntry, certain: bool, reason: str) -> None:
        text = tidy(text)
        if not text:
            return
        words = _words(text)
        case_sensitive = len(words) == 1 and ordinary.is_ordinary(words[0])
        if case_sensitive:
            certain, reason = False, f"{reason}, also an ordinary word"
        found.setdefault(norm(text), []).append(
            Variant(text, entry.uid, entry.kind, entry.token, certain, reason, case_sensitive)
        )

    for entry in entries:
        if entry.kind not in kinds.PERSON_KINDS:
            for name in entry.all_names():
                add(name, entry, True, kinds.label(entry.kind))
            continue
        who = kinds.label(entry.kind)
        for name in entry.names:
            words = _words(name)
            add(name, entry, True, f"{who}'s name")
            if len(words) >= 2:
                add(words[0], entry, True, f"{who}'s first name")
                add(words[-1], entry, False, f"{who}'s surname alone")
        for nickname in entry.nicknames:
            add(nickname, entry, True, f"{who}'s nickname")

    out: list[Variant] = []
    for forms in found.values():
        owners = {v.entry_uid for v in forms}
        best = sorted(forms, key=lambda v: (not v.certain, v.reason))[0]
        if len(owners) > 1:
            # shared by two people: the reviewer chooses; never a guess
            best = Variant(
                best.text,
                "",
                best.kind,
                "",
                False,
                "a name two people on the roster share",
                best.case_sensitive,
            )
        out.append(best)
    return out
