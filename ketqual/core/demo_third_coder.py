"""A third demo coder, derived deterministically from the demo's reference coding.

``ketqual demo --third-coder`` adds "Coder C", so the agreement screens have three coders
to compare. Coder C reads the same passages as the plan (``resources/demo/codings.json``)
and, by default, applies the plan's reference codes to the reference quote, like the two
hand-written coders. Departures are drawn passage by passage from a random generator
seeded with the passage's position, so every build gives the same codings and Coder C's
choices do not depend on Coder A's or Coder B's:

* about 7 % of passages are not coded at all (missed);
* about 15 % end one or two words earlier or later, about 8 % start one word earlier or
  later (boundary habits);
* about 8 % of subtheme codings go to a sibling subtheme or stay at theme level (the
  codebook's fault lines);
* about 4 % of passages also get a neighbouring theme (side-effects and daily life,
  monitoring and information, cost and support ...), a second code on the same text.

Shifts that would run off the document or trim a quote to nothing are not applied.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping

from ketqual.core.demo_coding import PlannedCoding, extend_by_words, find_quote

THIRD_CODER = "Coder C"
_NEIGHBOURS = {
    "Side-effects": "Effect on daily life",
    "Effect on daily life": "Side-effects",
    "Monitoring": "Information",
    "Information": "Monitoring",
    "Cost": "Appropriate support",
    "Appropriate support": "Therapy",
    "Therapy": "Appropriate support",
    "Effectiveness": "Side-effects",
    "Recreational use": "Stigma",
    "Stigma": "Information",
}
_UNSURE = "Not sure where this point ends."


def _other_code(path: str, paths: set[str], rng: random.Random) -> str:
    """A sibling subtheme of ``path``, or its theme; ``path`` itself for a theme."""
    theme, _, sub = path.partition("/")
    if not sub:
        return path
    siblings = sorted(p for p in paths if p.startswith(theme + "/") and p != path)
    return rng.choice([*siblings, theme]) if siblings else theme


def third_coder_codings(
    plan_json: str,
    texts: Mapping[tuple[int, int, str], str],
    code_paths: Iterable[str],
    name: str = THIRD_CODER,
) -> list[PlannedCoding]:
    """Coder C's codings of the demo corpus (see the module docstring).

    Args:
        plan_json: The contents of ``codings.json``.
        texts: Stored document text per ``(session, group, kind)``.
        code_paths: Every code path of the codebook (``Theme`` or ``Theme/Subtheme``).
        name: The coder's name.

    Returns:
        The codings, in plan order, without duplicates.

    Raises:
        ValueError: When the plan is not valid JSON, or a quote is missing.
    """
    try:
        plan = json.loads(plan_json)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the codings plan is not valid JSON: {exc}") from exc
    paths = set(code_paths)
    out: list[PlannedCoding] = []
    seen: set[tuple] = set()
    for index, passage in enumerate(plan.get("passages", [])):
        rng = random.Random(f"ketqual-demo-coder-c/{index}")
        key = (passage["session"], passage["group"], passage["kind"])
        text = texts.get(key)
        if text is None:
            raise ValueError(f"passage {index + 1}: no document for {key}")
        where = f"passage {index + 1}"
        start, end = find_quote(text, passage["quote"], passage.get("occurrence"), where)
        if rng.random() < 0.07:
            continue
        memo = ""
        after = rng.choice((-2, -1, 1, 2)) if rng.random() < 0.15 else 0
        before = rng.choice((-1, 1)) if rng.random() < 0.08 else 0
        if after or before:
            try:
                start, end = extend_by_words(text, start, end, before, after, where)
                memo = _UNSURE if rng.random() < 0.3 else ""
            except ValueError:
                pass  # the shift would leave the document or the quote: keep the quote
        codes = [_other_code(c, paths, rng) if rng.random() < 0.08 else c for c in passage["codes"]]
        if rng.random() < 0.04:
            extra = _NEIGHBOURS.get(codes[0].partition("/")[0])
            if extra in paths:
                codes.append(extra)
        for code in dict.fromkeys(codes):
            if code not in paths:
                continue
            item = (key, code, start, end)
            if item in seen:
                continue
            seen.add(item)
            out.append(PlannedCoding(name, *key, code, start, end, memo))
    return out
