"""The kinds of identifier KetQual knows, and the tokens that replace them.

A token is visibly a replacement: square brackets around a label and a number, e.g.
``[P07]`` for a participant, ``[CARER-2]``, ``[PLACE-3]``. Readers of an export can tell a
replaced name from a real word, and the same person gets the same token everywhere in a
project (the key file remembers who is who).
"""

from __future__ import annotations

import re

# kind -> (label in tokens, words for people)
KINDS: dict[str, tuple[str, str]] = {
    "participant": ("P", "participant"),
    "carer": ("CARER", "carer"),
    "staff": ("STAFF", "member of staff"),
    "person": ("PERSON", "other person"),
    "place": ("PLACE", "place"),
    "org": ("ORG", "organisation"),
    "email": ("EMAIL", "e-mail address"),
    "phone": ("PHONE", "phone number"),
    "postcode": ("POSTCODE", "postcode"),
    "nhs": ("NHS", "NHS number"),
    "dob": ("DOB", "date of birth"),
    "address": ("ADDRESS", "street address"),
    "handle": ("HANDLE", "online handle"),
}
PERSON_KINDS = ("participant", "carer", "staff", "person")

# [P07], [CARER-2], [PLACE-13], and explicit pseudonyms from a names file such as
# [Person 7] or [Carer 1]: brackets around at most a few words and a number.
TOKEN_RE = re.compile(r"\[(?:P\d{2,}|[A-Z]+-\d+|[A-Za-z][A-Za-z ]{0,30} \d{1,4})\]")


def label(kind: str) -> str:
    """What users call a kind ("participant", "phone number")."""
    return KINDS[kind][1] if kind in KINDS else kind


def token_for(kind: str, number: int) -> str:
    """The replacement token for the ``number``-th identifier of a kind.

    Participants get two digits at least (``[P07]``), as scribes write ``P7`` and the
    padding keeps tokens sortable; every other kind is ``[LABEL-n]``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of identifier: {kind}")
    prefix = KINDS[kind][0]
    return f"[P{number:02d}]" if kind == "participant" else f"[{prefix}-{number}]"


def number_of(token: str, kind: str) -> int | None:
    """The number in a token of ``kind`` (``[P07]`` -> 7), or ``None`` for another form."""
    prefix = KINDS[kind][0]
    pattern = r"\[P(\d+)\]" if kind == "participant" else rf"\[{prefix}-(\d+)\]"
    m = re.fullmatch(pattern, token)
    return int(m.group(1)) if m else None


def explicit_token(pseudonym: str) -> str:
    """A pseudonym written in a names file (``Carer 1``, ``P07``), as a bracketed token."""
    text = " ".join(pseudonym.split()).strip("[]").strip()
    return f"[{text}]"


def is_token(text: str) -> bool:
    """True when ``text`` is exactly one replacement token."""
    return TOKEN_RE.fullmatch(text) is not None
