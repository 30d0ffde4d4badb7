"""Find identifiers in a text with spaCy rule components on the blank English pipeline.

* a **PhraseMatcher** built from the roster finds people's names, nicknames and first
  names alone (case-insensitive), and the places and organisations the user listed; names
  that are also ordinary words ("Will", "May", "Hope") go to a case-sensitive matcher and
  are only suggested, and not at all where the word is plainly the word ("May I", "in May
  2017", "will");
* a title rule finds a title with a capitalised name ("Mrs Okafor", "Dr. Patel"); with a
  roster name inside, the hit is that person's and sure;
* the shape finders of :mod:`ketqual.core.privacy.patterns` add e-mail addresses, phone
  numbers, postcodes, NHS numbers, dates of birth and street addresses;
* a generic rule suggests facility names ("Greenfield Medical Centre") for review;
* optionally, a trained pipeline the user installed themselves adds its PERSON, GPE/LOC/FAC
  and ORG entities as suggestions for review. KetQual never downloads one and works fully
  without.

The detector works on a copy of the text in which line breaks are spaces and curly
apostrophes straight (same length, so every offset is an offset into the original): a
name wrapped across lines or typed with either apostrophe is still found.

Only the roster needs spaCy (its tokenizer, for the PhraseMatcher); the shapes, titles and
facilities are regular expressions, so detecting without a roster costs next to nothing
at import.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ketqual.core.privacy import hits as hits_module
from ketqual.core.privacy import patterns, roster
from ketqual.core.privacy.hits import Hit
from ketqual.core.privacy.roster import RosterEntry, Variant

log = logging.getLogger(__name__)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# words after an ordinary-word name that show it is the word: "May I", "Will it", "Hope so"
_VERB_NEXT = _words(
    "i you he she it we they this that there these those be been have has not to the a an "
    "one your my our his her their so all any some no never also be "
)
_STAFF_TITLES = _words("dr doctor prof professor nurse sister matron")
_ABBREVIATED = ("mr", "mrs", "ms", "mx", "dr", "prof", "rev", "revd", "cllr")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _cases(words) -> str:
    """An alternation of words as written in lower, title or upper case (much faster for
    Python's matcher than a case-insensitive group)."""
    forms = {f for w in words for f in (w, w.capitalize(), w.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_TITLE_RE = re.compile(
    r"(?<![\w'’])(?P<title>(?:"
    + _cases(_ABBREVIATED)
    + r")\.?|(?:"
    + _cases(t for t in roster.TITLES if t not in _ABBREVIATED)
    + r"))[ \t]+"
    r"(?P<n1>[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)(?:[ \t]+(?P<n2>[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?))?"
    r"(?![\w'’])"
)
_MONTHS = _words("january february march april may june july august september october")
_MONTH_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|of|last|next|early|late|mid|during)[ \t]+\Z", re.I
)
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z0-9']+)")
_DAY_BEFORE = re.compile(r"(?<!\d)\d{1,2}(?:st|nd|rd|th)?[ \t]+\Z")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+\Z")
# Capitalised words that follow a title without being a name ("Nurse Led", "Dr Who")
_NOT_NAMES = _words(
    "led practitioner prescriber specialist specialists team who the and said clinic ward "
    "unit service services appointment appointments said says told asked "
)
_FACILITY_RE = re.compile(
    r"(?<![\w'’])(?:(?:St\.?|Saint)\s+)?(?:[A-Z][A-Za-z'’-]+\s+){1,3}"
    r"(?:Hospital|Clinic|Surgery|Infirmary|Hospice|Practice|Medical\s+Centre|Health\s+Centre|"
    r"Medical\s+Practice|Ward|Trust|Pharmacy|Chemist)\b"
)
_GENERIC_PLACE_WORDS = _words(
    "the a an nhs gp gps private local ketamine mental health day general community crisis "
    "pain sleep memory drug drugs alcohol addiction psychiatric national specialist "
    "depression outpatient outpatients inpatient emergency treatment research university "
    "teaching new main this that our their his her my your a&e esketamine infusion "
    "infusions trial "
)
_BULLET_PREFIX = re.compile(
    r"[\s\-*•–—·>+]*(?:\(?[0-9a-zA-Z]{1,3}[.)]\s*)?(?:[A-Za-z]{1,3}\s?\d{1,4}\s*[:\-–]\s*)?"
)
_CHUNK = 200_000


@dataclass(frozen=True)
class DetectorOptions:
    """Choices for one detection run.

    Attributes:
        adult_before: A full date before this year, without a cue, is suggested as a date
            of birth (default: sixteen years before today).
        model: Name or folder of a trained spaCy pipeline the user installed, whose
            entities become extra suggestions; ``None`` for none.
    """

    adult_before: int | None = None
    model: str | None = None


def detection_copy(text: str) -> str:
    """The text as the matchers see it: same length, line breaks as spaces, straight
    apostrophes, lone surrogates as U+FFFD (spaCy cannot hash them)."""
    out = text.replace("\n", " ").replace("\r", " ")
    if text.isascii():
        return out
    out = out.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    return _SURROGATES.sub("\ufffd", out)


def filename_copy(name: str) -> str:
    """A file name as the matchers see it: ``Anna_Smith-notes.docx`` -> ``Anna Smith notes docx``."""
    return detection_copy(re.sub(r"[_.\-+]", " ", name))


class Detector:
    """Suggests identifiers in texts; build one per roster and reuse it for many texts.

    Args:
        entries: The roster (people, places, organisations, values seen before).
        options: See :class:`DetectorOptions`.
    """

    def __init__(
        self, entries: Sequence[RosterEntry] = (), options: DetectorOptions | None = None
    ) -> None:
        self.options = options or DetectorOptions()
        self.entries = {e.uid: e for e in entries}
        self._variants: dict[str, Variant] = {}
        self.nlp = None
        found = roster.variants(list(entries))
        if found:
            from spacy.matcher import PhraseMatcher  # lazily: spaCy is slow to import

            from ketqual.core import units

            self.nlp = units.get_sentencizer()
            self._caseless = PhraseMatcher(self.nlp.vocab, attr="LOWER")
            self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
            for number, variant in enumerate(found):
                key = f"v{number}"
                self._variants[key] = variant
                if variant.case_sensitive:
                    forms = {variant.text, variant.text[:1].upper() + variant.text[1:]}
                    self._exact.add(key, [self.nlp.make_doc(f) for f in sorted(forms)])
                else:
                    self._caseless.add(key, [self.nlp.make_doc(variant.text.lower())])
        self._model = None
        self._model_tried = False

    # ----- the whole run ----------------------------------------------------------------
    def detect(self, text: str, *, field: str = "text") -> list[Hit]:
        """Every suggestion in ``text``, in order, overlaps settled.

        Args:
            text: A document's text, or a metadata value.
            field: ``text``, ``title``, ``notetaker`` or ``source_name`` (a file name is
                read with ``_``, ``-`` and ``.`` as spaces).
        """
        if not text:
            return []
        copy = filename_copy(text) if field == "source_name" else detection_copy(text)
        found: list[Hit] = []
        if self.nlp is not None or self.options.model:
            # in a file name "-" separates words; in text it joins them ("Anna-Maria")
            context = copy if field == "source_name" else text
            for offset, piece in _pieces(copy):
                found += self._spacy_hits(context, piece, offset)
        found += patterns.find_all(copy, adult_before=self.options.adult_before)
        found += _title_hits(copy)
        found += _facility_hits(copy)
        found = [_with_text(h, text, field) for h in found]
        return hits_module.resolve_overlaps(found)

    def detect_many(self, texts: Iterable[str]) -> list[list[Hit]]:
        """:meth:`detect` for several texts."""
        return [self.detect(t) for t in texts]

    # ----- spaCy ------------------------------------------------------------------------
    def _spacy_hits(self, original: str, piece: str, offset: int) -> list[Hit]:
        out: list[Hit] = []
        if self.nlp is not None:
            doc = self.nlp.make_doc(piece)  # the tokenizer is all the matchers need
            for match_id, start, end in self._caseless(doc) + self._exact(doc):
                variant = self._variants[self.nlp.vocab.strings[match_id]]
                span = doc[start:end]
                a, b = offset + span.start_char, offset + span.end_char
                if _inside_hyphenated(original, a, b):
                    continue  # "Anna" in "Anna-Maria" is probably someone else
                if variant.case_sensitive:
                    reason = _ordinary_use(original, a, b)
                    if reason is None:
                        continue
                    out.append(_variant_hit(variant, a, b, f"{variant.reason}{reason}"))
                else:
                    out.append(_variant_hit(variant, a, b, variant.reason))
        out += self._model_hits(piece, offset)
        return out

    def _model_hits(self, piece: str, offset: int) -> list[Hit]:
        model = self._load_model()
        if model is None:
            return []
        kinds = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org"}
        out = []
        for ent in model(piece).ents:
            if ent.label_ in kinds:
                a, b = offset + ent.start_char, offset + ent.end_char
                reason = f"the trained pipeline says {ent.label_}"
                out.append(Hit(a, b, ent.text, kinds[ent.label_], "model", False, reason))
        return out

    def _load_model(self):
        if self._model_tried:
            return self._model
        self._model_tried = True
        self._model = load_trained_pipeline(self.options.model)
        return self._model


def load_trained_pipeline(name: str | None):
    """A trained spaCy pipeline the user installed (a package name or a folder), or
    ``None`` when none is named, installed or loadable. Never downloads anything."""
    if not name:
        return None
    import spacy
    from spacy import util

    try:
        if util.is_package(name) or util.ensure_path(name).exists():
            return spacy.load(name, exclude=["lemmatizer", "textcat", "parser"])
    except (OSError, ValueError, ImportError) as exc:
        log.warning("could not load the trained pipeline %s: %s", name, exc)
    return None


def _pieces(text: str) -> list[tuple[int, str]]:
    """Cut a long text at spaces into pieces spaCy takes in one call."""
    out, pos = [], 0
    while len(text) - pos > _CHUNK:
        cut = text.rfind("  ", pos + _CHUNK // 2, pos + _CHUNK)
        if cut <= pos:
            cut = text.rfind(" ", pos + 1, pos + _CHUNK)
        cut = cut + 1 if cut > pos else pos + _CHUNK
        out.append((pos, text[pos:cut]))
        pos = cut
    out.append((pos, text[pos:]))
    return out


def _inside_hyphenated(text: str, a: int, b: int) -> bool:
    before = a >= 2 and text[a - 1] == "-" and text[a - 2].isalpha()
    after = b + 1 < len(text) and text[b] == "-" and text[b + 1].isalpha()
    return before or after


def _ordinary_use(text: str, a: int, b: int) -> str | None:
    """Why a capitalised ordinary-word name is worth a look (a suffix for the reason), or
    ``None`` when the word is plainly the word: "May I", "Will it", "in May 2017"."""
    after = _NEXT_WORD.match(text, b)
    if after and (after.group(1).lower() in _VERB_NEXT or after.group(1)[0].isdigit()):
        return None  # "May I", "Will it", "May 2017"
    if _DAY_BEFORE.search(text[max(0, a - 12) : a]):
        return None  # "3 May"
    if text[a:b].lower() in _MONTHS and _MONTH_BEFORE.search(text[max(0, a - 12) : a]):
        return None  # "in May", "since June"
    line_start = text.rfind("\n", 0, a) + 1
    if _BULLET_PREFIX.fullmatch(text[line_start:a]) or _SENTENCE_END.search(
        text[max(0, a - 12) : a]
    ):
        return " (at the start of a sentence)"
    return ""


_TITLE_WORDS = frozenset(roster.TITLES)


def _title_spot(space: str) -> re.Pattern[str]:
    """``space`` before a capital where the word before may be a title: every place
    :func:`_title_windows` takes, and few others.

    A title then nothing, one full stop, two or more, or more spaces: each a look-behind
    of one width (one per length of title). Case-insensitive, which takes every letter
    whose lower case is the title's (and a few more), so every word that
    ``text[k:j].lower().rstrip(".")`` finds among the titles. The pattern starts with a
    literal space, which Python's matcher skips to very fast, and gives up at once where
    the next letter is no capital, or the letter before could end no title.
    """
    lengths: dict[int, list[str]] = {}
    for title in _TITLE_WORDS:
        lengths.setdefault(len(title), []).append(re.escape(title))
    behind = [r"(?<=[ \t][ \t])", r"(?<=\.\.[ \t])"]
    for _, titles in sorted(lengths.items()):
        words = "(?i:" + "|".join(sorted(titles)) + ")"
        behind += [rf"(?<={words}[ \t])", rf"(?<={words}\.[ \t])"]
    ends = re.escape("".join(sorted({t[-1] for t in _TITLE_WORDS})))
    first = rf"(?<=(?i:[{ends}. \t])[ \t])"
    return re.compile(re.escape(space) + "(?=[A-Z])" + first + "(?:" + "|".join(behind) + ")")


_TITLE_SPOTS = (_title_spot(" "), _title_spot("\t"))


def _title_windows(text: str) -> list[tuple[int, int]]:
    """Where a title may stand before a capitalised word: found by looking at the word
    before each capital after a space (much faster than matching every title anywhere),
    where a quick search says that word may be a title."""
    spans: list[tuple[int, int]] = []
    spaces, tabs = ([m.start() for m in spot.finditer(text)] for spot in _TITLE_SPOTS)
    for i in sorted(spaces + tabs) if tabs else spaces:
        j = i
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        k = j
        while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
            k -= 1
        if text[k:j].lower().rstrip(".") in _TITLE_WORDS:
            a, b = max(0, k - 1), min(len(text), i + 70)
            if spans and a <= spans[-1][1]:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
    return spans


def _title_hits(text: str) -> list[Hit]:
    out = []
    for m in patterns.finditer_in(_TITLE_RE, text, _title_windows(text)):
        names = [n for n in (m.group("n1"), m.group("n2")) if n]
        if names[0].lower() in _NOT_NAMES:
            continue
        end = m.end("n1") if len(names) == 1 or names[1].lower() in _NOT_NAMES else m.end("n2")
        kind = "staff" if m.group("title").lower().rstrip(".") in _STAFF_TITLES else "person"
        out.append(
            Hit(m.start(), end, text[m.start() : end], kind, "title", False, "a title with a name")
        )
    return out


def _variant_hit(variant: Variant, a: int, b: int, reason: str) -> Hit:
    source = "place" if variant.kind in ("place", "org") else "roster"
    if variant.kind not in ("place", "org", "participant", "carer", "staff", "person"):
        source = "pattern"  # a value seen before: an e-mail address, a phone number ...
    return Hit(
        a,
        b,
        "",
        variant.kind,
        source,
        variant.certain,
        reason,
        variant.entry_uid or None,
        variant.token or None,
    )


_FACILITY_WORD = re.compile(
    r"Hospital|Clinic|Surgery|Infirmary|Hospice|Practice|Centre|Ward|Trust|Pharmacy|Chemist"
)


def _facility_hits(text: str) -> list[Hit]:
    out = []
    places = patterns.windows(text, _FACILITY_WORD, 90, 12)
    for m in patterns.finditer_in(_FACILITY_RE, text, places):
        words = m.group().split()
        start = m.start()
        while len(words) > 1 and words[0].lower().strip("'") in _GENERIC_PLACE_WORDS:
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        names = [w for w in words[:-1] if w.lower() not in ("medical", "health", "st", "st.")]
        if not names or all(w.lower().strip("'’s") in _GENERIC_PLACE_WORDS for w in names):
            continue
        out.append(
            Hit(start, m.end(), "", "place", "pattern", False, "looks like the name of a clinic")
        )
    return out


def _with_text(hit: Hit, text: str, field: str) -> Hit:
    return replace(hit, text=text[hit.start : hit.end], field=field)
