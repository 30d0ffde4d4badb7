"""Turn the demo's hand-written two-coder plan (``resources/demo/codings.json``) into codings.

The plan lists passages of the demo corpus, each a quote from one document with the codes a
careful coder would give it. By default both coders apply those codes to the quote's span. A
passage's ``coder_a`` / ``coder_b`` object records where that coder did otherwise: ``skip: true``
(did not code it), ``quote`` with an optional ``occurrence`` (the coder's own span),
``extend_before`` / ``extend_after`` (move the start / end by whole words; negative trims),
``codes`` (other codes instead), ``add_codes`` (codes on top), ``memo`` (a string for every code,
or an object of code path -> memo).

A coder's ``rules`` (``coders.coder_b.rules``), each ``{"if_code": path, "add_code": path}``,
say that wherever that coder applied ``if_code`` or one of its subcodes, they also applied
``add_code``: a consistent reading of a theme, written once instead of passage by passage.

Offsets are half-open code-point offsets into the stored text, as everywhere in KetQual.
Whether code paths exist in the codebook is the caller's check; here only their shape is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from ketqual.core.model import DOCUMENT_KINDS

FORMAT = "ketqual-demo-codings"
FORMAT_VERSION = 1
CODER_KEYS = ("coder_a", "coder_b")
DEFAULT_CODER_NAMES = {"coder_a": "Coder A", "coder_b": "Coder B"}

# Stored text per (session, group, kind), and a coder's rules as (if_code, add_code) pairs.
Texts = Mapping[tuple[int, int, str], str]
Rules = list[tuple[str, str]]

_PASSAGE_KEYS = {"session", "group", "kind", "quote", "occurrence", "codes", "why", *CODER_KEYS}
_SPAN_KEYS = {"skip", "quote", "occurrence", "extend_before", "extend_after"}
_DEVIATION_KEYS = _SPAN_KEYS | {"codes", "add_codes", "memo"}


@dataclass(frozen=True)
class PlannedCoding:
    """One code applied by one coder to ``text[start:end]`` of one demo document."""

    coder: str
    session: int
    group: int
    kind: str
    code_path: str
    start: int
    end: int
    memo: str


@dataclass(frozen=True)
class ResolvedPassage:
    """One passage of the plan after resolution: what each coder ended up coding.

    Attributes:
        index: 0-based position of the passage in the plan's ``passages`` list.
        label: Short description used in messages (session, group, kind, start of quote).
        codings: Per coder name, that coder's codings of the passage (empty if skipped).
    """

    index: int
    label: str
    codings: Mapping[str, tuple[PlannedCoding, ...]]

    def identical(self) -> bool:
        """True when every coder applied the same codes to the same spans (memos aside)."""
        spans = [{(c.code_path, c.start, c.end) for c in cs} for cs in self.codings.values()]
        return all(s == spans[0] for s in spans)


def plan_demo_codings(
    plan_json: str, texts: Mapping[tuple[int, int, str], str]
) -> list[PlannedCoding]:
    """Resolve the plan into codings for both coders.

    Args:
        plan_json: The contents of ``codings.json``.
        texts: Stored document text per ``(session, group, kind)``.

    Returns:
        Every coder's codings, in plan order (coder A's before coder B's within a passage).

    Raises:
        ValueError: The plan is malformed, a quote is missing or ambiguous, or one coder
            would apply the same code to the same span twice.
    """
    seen: dict[tuple, str] = {}
    result: list[PlannedCoding] = []
    for passage in resolve_passages(plan_json, texts):
        for codings in passage.codings.values():
            for c in codings:
                key = (c.coder, c.session, c.group, c.kind, c.code_path, c.start, c.end)
                if key in seen:
                    raise ValueError(
                        f"{passage.label}: {c.coder} already applies {c.code_path!r} to "
                        f"this span in {seen[key]}"
                    )
                seen[key] = passage.label
                result.append(c)
    return result


def resolve_passages(
    plan_json: str, texts: Mapping[tuple[int, int, str], str]
) -> list[ResolvedPassage]:
    """Resolve the plan passage by passage, so agreement can be counted per passage.

    Args:
        plan_json: The contents of ``codings.json``.
        texts: Stored document text per ``(session, group, kind)``.

    Returns:
        One entry per passage, in plan order.

    Raises:
        ValueError: As for :func:`plan_demo_codings`, except that duplicates are not checked.
    """
    try:
        plan = json.loads(plan_json)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the codings plan is not valid JSON: {exc}") from exc
    if not isinstance(plan, dict) or plan.get("format") != FORMAT:
        raise ValueError(f"the codings plan must be a JSON object with format {FORMAT!r}")
    if plan.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"unsupported codings plan version {plan.get('format_version')!r} "
            f"(this KetQual reads version {FORMAT_VERSION})"
        )
    names, rules = _read_coders(plan.get("coders", {}))
    passages = plan.get("passages")
    if not isinstance(passages, list):
        raise ValueError("the codings plan needs a 'passages' list")
    return [_resolve(i, p, texts, names, rules) for i, p in enumerate(passages)]


def _read_coders(coders: Any) -> tuple[dict[str, str], dict[str, Rules]]:
    if not isinstance(coders, dict) or set(coders) - set(CODER_KEYS):
        raise ValueError(f"'coders' must be an object with keys among {CODER_KEYS}")
    names: dict[str, str] = {}
    rules: dict[str, Rules] = {}
    for key in CODER_KEYS:
        entry = coders.get(key, {})
        if not isinstance(entry, dict) or set(entry) - {"name", "rules"}:
            raise ValueError(f"coders.{key} may only have 'name' and 'rules'")
        name = entry.get("name", DEFAULT_CODER_NAMES[key])
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"coders.{key}.name must be a non-empty string")
        names[key] = name.strip()
        rules[key] = []
        if not isinstance(entry.get("rules", []), list):
            raise ValueError(f"coders.{key}.rules must be a list")
        for rule in entry.get("rules", []):
            if not isinstance(rule, dict) or set(rule) - {"why"} != {"if_code", "add_code"}:
                raise ValueError(
                    f"each rule of coders.{key} needs 'if_code', 'add_code' (and an optional 'why')"
                )
            where = f"a rule of coders.{key}"
            rules[key].append((_path(rule["if_code"], where), _path(rule["add_code"], where)))
    if names["coder_a"] == names["coder_b"]:
        raise ValueError(f"the two coders must have different names, not both {names['coder_a']!r}")
    return names, rules


def _resolve(
    index: int,
    p: Any,
    texts: Texts,
    names: dict[str, str],
    rules: dict[str, Rules],
) -> ResolvedPassage:
    if not isinstance(p, dict):
        raise ValueError(f"passage {index + 1} is not a JSON object")
    session, group, kind, quote = (p.get(k) for k in ("session", "group", "kind", "quote"))
    label = f"passage {index + 1} (S{session} G{group} {kind}, {str(quote)[:40]!r})"
    if unknown := set(p) - _PASSAGE_KEYS:
        raise ValueError(f"{label}: unknown field(s) {sorted(unknown)}")
    if not all(_positive_int(v) for v in (session, group)) or kind not in DOCUMENT_KINDS:
        raise ValueError(
            f"{label}: session and group must be positive integers, kind one of {DOCUMENT_KINDS}"
        )
    session_no, group_no = int(cast(int, session)), int(cast(int, group))  # checked above
    if not isinstance(p.get("why", ""), str):
        raise ValueError(f"{label}: 'why' must be a string")
    text = texts.get((session_no, group_no, kind))
    if text is None:
        raise ValueError(f"{label}: no document for session {session}, group {group}, {kind}")
    span = find_quote(text, quote, p.get("occurrence"), label)
    codes = _codes(p.get("codes"), f"{label}, codes")
    codings: dict[str, tuple[PlannedCoding, ...]] = {}
    for key in CODER_KEYS:
        where = f"{label}, {key}"
        start, end, mine, memos = _apply_deviation(
            text, span, codes, p.get(key, {}), rules[key], where
        )
        codings[names[key]] = tuple(
            PlannedCoding(names[key], session_no, group_no, kind, c, start, end, memos.get(c, ""))
            for c in mine
        )
    return ResolvedPassage(index, label, codings)


def _apply_deviation(
    text: str,
    span: tuple[int, int],
    codes: list[str],
    dev: Any,
    rules: Rules,
    where: str,
) -> tuple[int, int, list[str], dict[str, str]]:
    """One coder's span, codes and memos for a passage; no codes when the coder skipped it."""
    if not isinstance(dev, dict) or set(dev) - _DEVIATION_KEYS:
        raise ValueError(f"{where}: must be an object with fields among {sorted(_DEVIATION_KEYS)}")
    if "skip" in dev:
        if dev["skip"] is not True or len(dev) > 1:
            raise ValueError(f"{where}: 'skip' must be true and stand alone")
        return span[0], span[1], [], {}
    if "occurrence" in dev and "quote" not in dev:
        raise ValueError(f"{where}: 'occurrence' needs the coder's own 'quote'")
    start, end = (
        find_quote(text, dev["quote"], dev.get("occurrence"), where) if "quote" in dev else span
    )
    before, after = dev.get("extend_before", 0), dev.get("extend_after", 0)
    start, end = extend_by_words(text, start, end, before, after, where)
    mine = _codes(dev["codes"], f"{where}, codes") if "codes" in dev else list(codes)
    for extra in _codes(dev.get("add_codes", []), f"{where}, add_codes", allow_empty=True):
        if extra in mine:
            raise ValueError(f"{where}: add_codes repeats {extra!r}")
        mine.append(extra)
    # Rules look at the coder's own codes, so they also follow codes the coder swapped or added.
    for if_code, add_code in rules:
        if add_code not in mine and any(c == if_code or c.startswith(if_code + "/") for c in mine):
            mine.append(add_code)
    return start, end, mine, _memos(dev.get("memo", ""), mine, where)


def _positive_int(value: Any) -> bool:
    # bool is an int subclass; true/false in the JSON is a mistake, not a session number.
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _path(value: Any, where: str) -> str:
    parts = value.split("/") if isinstance(value, str) else []
    if not parts or any(not part or part != part.strip() for part in parts):
        raise ValueError(f"{where}: malformed code path {value!r} (write Theme or Theme/Subtheme)")
    return value


def _codes(value: Any, where: str, *, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise ValueError(
            f"{where}: must be a {'' if allow_empty else 'non-empty '}list of code paths"
        )
    paths = [_path(v, where) for v in value]
    if len(set(paths)) != len(paths):
        raise ValueError(f"{where}: a code is listed twice")
    return paths


def _memos(value: Any, codes: list[str], where: str) -> dict[str, str]:
    if isinstance(value, str):
        return dict.fromkeys(codes, value.strip())
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        if stray := set(value) - set(codes):
            raise ValueError(f"{where}: memo for code(s) the coder did not apply: {sorted(stray)}")
        return {k: v.strip() for k, v in value.items()}
    raise ValueError(f"{where}: memo must be a string or an object of code path -> string")


def find_quote(text: str, quote: Any, occurrence: Any, where: str) -> tuple[int, int]:
    """Span of the ``occurrence``-th (1-based) match of ``quote``; overlapping matches count."""
    if not isinstance(quote, str) or not quote.strip() or quote != quote.strip():
        raise ValueError(f"{where}: quote must be non-empty text without surrounding whitespace")
    hits = []
    at = text.find(quote)
    while at != -1:
        hits.append(at)
        at = text.find(quote, at + 1)
    if not hits:
        raise ValueError(f"{where}: quote not found in the document: {quote!r}")
    if occurrence is None:
        if len(hits) > 1:
            raise ValueError(f"{where}: quote occurs {len(hits)} times; add 'occurrence' (1-based)")
        occurrence = 1
    if not _positive_int(occurrence) or occurrence > len(hits):
        raise ValueError(f"{where}: occurrence must be 1..{len(hits)}, not {occurrence!r}")
    start = hits[occurrence - 1]
    return start, start + len(quote)


def extend_by_words(
    text: str, start: int, end: int, before: Any, after: Any, where: str
) -> tuple[int, int]:
    """Move ``start`` left by ``before`` words and ``end`` right by ``after`` (negative trims).

    A word is a run of non-whitespace, so punctuation stays with its word; trimming also
    drops the whitespace it uncovers, so a span never starts or ends with a space.
    """
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (before, after)):
        raise ValueError(f"{where}: extend_before and extend_after must be whole numbers of words")
    for _ in range(max(before, 0)):
        gap = _walk(text, start, -1, 0, space=True)
        start = _walk(text, gap, -1, 0, space=False)
        if start == gap:
            raise ValueError(f"{where}: extend_before runs off the start of the document")
    for _ in range(max(-before, 0)):
        start = _walk(text, _walk(text, start, 1, end, space=False), 1, end, space=True)
    for _ in range(max(after, 0)):
        gap = _walk(text, end, 1, len(text), space=True)
        end = _walk(text, gap, 1, len(text), space=False)
        if end == gap:
            raise ValueError(f"{where}: extend_after runs off the end of the document")
    for _ in range(max(-after, 0)):
        end = _walk(text, _walk(text, end, -1, start, space=False), -1, start, space=True)
    if start >= end:
        raise ValueError(f"{where}: trimming by words leaves no text")
    return start, end


def _walk(text: str, pos: int, step: int, limit: int, *, space: bool) -> int:
    """Move ``pos`` by ``step`` towards ``limit`` while the next character is (not) whitespace."""
    while pos != limit and text[pos if step > 0 else pos - 1].isspace() == space:
        pos += step
    return pos
