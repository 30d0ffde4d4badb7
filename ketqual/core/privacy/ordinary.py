"""Names that are also ordinary English words ("Will", "May", "Hope").

Such a name is suggested for review only where it is capitalised and not plainly used as
the word ("May I ask", "in May 2017"); it is never replaced without a person deciding.
The list is KetQual's own and deliberately generous: a name wrongly on it costs a click
in the review, a word wrongly off it could replace "will" in every sentence.
"""

from __future__ import annotations

import functools

_WORDS = """
    will may hope grace joy faith rose mark bill pat sue art frank amber holly iris ivy
    jack june april august dawn eve summer sky hunter chase penny ray rob sandy victor guy
    dean earl king rich jean gene don ted rusty jay robin lily daisy heather hazel olive
    ruby pearl crystal jade ginger cherry honey melody harmony patience prudence charity
    constance mercy trinity destiny serenity autumn winter storm rain river brook glen dale
    cliff heath lane wood field miles max sterling mason taylor carter cook baker fisher
    porter page parker wade drew gray grey green brown black white young long short little
    small strong bird fox wolf bear lamb nick rod sage reed rowan flora dot kitty pip kit
    bud chip sunny happy merry hardy noble major baron duke prince earnest lance angel misty
    star dolly cash sonny early best hall hill church bishop
    marsh moss stone rock mills banks rivers waters wells brooks price cross sharp smart
    sweet gold silver bell hay barley wren lark finch swallow drake
    van win ash
    """


@functools.cache
def _ordinary() -> frozenset[str]:
    words = set(_WORDS.split())
    try:  # spaCy's English stop words ("will", "may", "might", "can" ...), when available
        from spacy.lang.en.stop_words import STOP_WORDS

        words |= {w.lower() for w in STOP_WORDS}
    except ImportError:  # pragma: no cover - spaCy is a dependency
        pass
    return frozenset(words)


def is_ordinary(word: str) -> bool:
    """True when a one-word name is also an ordinary word (case and apostrophes ignored)."""
    return word.replace("’", "'").casefold() in _ordinary()
