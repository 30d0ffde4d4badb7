"""Coded passages: choosing codes, AND/NOT/NEAR, filters, quoting, references."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core import network
from ketqual.core import retrieval as rv
from ketqual.core.model import DocumentMeta
from ketqual.core.participants import ParticipantFinder
from ketqual.core.records import CaseRecord, CodeRecord, DocumentRecord
from ketqual.core.theme_counts import CodedSpan, Passage, index_passages


def code(id_, name, parent=None, active=True):
    return CodeRecord(
        id_, f"u{id_}", parent, name, "#888888", f"{name} defined", "", "", "", None, id_, active
    )


CODES = [
    code(1, "Side-effects"),
    code(2, "Physical", 1),
    code(3, "Mental", 1),
    code(4, "Cost"),
    code(5, "Effect on daily life"),
]


def span(doc, start, end, code_id, n=[0]):  # noqa: B006 - a counter for unique uids
    n[0] += 1
    return CodedSpan(doc, start, end, code_id, f"c{n[0]}", n[0])


def passage(doc, start, end, code_id=1):
    return Passage(doc, start, end, (span(doc, start, end, code_id),))


def test_a_theme_brings_its_subthemes_unless_told_not_to():
    assert rv.expand_codes(CODES, [1]) == {1, 2, 3}
    assert rv.expand_codes(CODES, [1], include_subthemes=False) == {1}
    assert rv.expand_codes(CODES, [2, 4]) == {2, 4}


def test_passages_of_a_theme_are_the_theme_counts_passages():
    spans = sorted(
        [
            span(1, 0, 10, 2),
            span(1, 8, 20, 3),
            span(1, 20, 25, 1),
            span(1, 40, 50, 4),
            span(2, 0, 5, 2),
        ]
    )
    index = index_passages(CODES, spans)
    for code_id in (1, 2, 3, 4):
        chosen = rv.expand_codes(CODES, [code_id])
        assert rv.passages_of(spans, chosen) == list(index.of(code_id))
    # touching codings of the theme merge: 0-25 is one passage
    assert [(p.start, p.end) for p in rv.passages_of(spans, {1, 2, 3})] == [(0, 25), (0, 5)]


def test_and_links_chains_over_shared_characters_only():
    a = [passage(1, 0, 100), passage(1, 200, 210)]
    b = [passage(1, 10, 20, 4), passage(1, 50, 60, 4), passage(1, 210, 220, 4)]
    found = rv.both(a, b)
    # one chain 0-100 holding two B passages; 200-210 only touches 210-220
    assert [(p.document_id, p.start, p.end) for p in found] == [(1, 0, 100)]
    assert {c.code_id for c in found[0].codings} == {1, 4}


def test_and_is_symmetric_in_what_it_covers():
    a = [passage(1, 0, 30), passage(2, 5, 9)]
    b = [passage(1, 25, 40, 4), passage(2, 0, 6, 4)]
    assert [rv.key(p) for p in rv.both(a, b)] == [rv.key(p) for p in rv.both(b, a)]
    assert [rv.key(p) for p in rv.both(a, b)] == [(1, 0, 40), (2, 0, 9)]


def test_not_keeps_passages_sharing_no_character():
    a = [passage(1, 0, 10), passage(1, 20, 30), passage(1, 40, 50), passage(2, 0, 10)]
    b = [passage(1, 10, 20, 4), passage(1, 45, 46, 4)]
    assert [rv.key(p) for p in rv.without(a, b)] == [(1, 0, 10), (1, 20, 30), (2, 0, 10)]


def test_near_counts_sentences_apart():
    sentences = {1: [(0, 10), (11, 20), (21, 30), (31, 40)]}
    a = [passage(1, 0, 5)]
    b_next = [passage(1, 12, 15, 4)]
    b_far = [passage(1, 32, 35, 4)]
    assert rv.near(a, b_next, sentences, 1) == a
    assert rv.near(a, b_next, sentences, 0) == []
    assert rv.near(a, b_far, sentences, 2) == []
    assert rv.near(a, b_far, sentences, 3) == a
    # B before A counts the same way
    assert rv.near([passage(1, 32, 35)], [passage(1, 0, 4, 4)], sentences, 3)
    # a passage between units counts as in the next one
    assert rv.unit_span([0, 11], [10, 20], 10, 11) == (1, 1)
    # without sentence units only overlapping passages are near
    assert rv.near(a, [passage(1, 3, 8, 4)], {}, 2) == a
    assert rv.near(a, b_next, {}, 2) == []
    with pytest.raises(ValueError):
        rv.near(a, b_next, sentences, -1)
    with pytest.raises(ValueError):
        rv.combine(a, b_next, "or")


spans_strategy = st.lists(
    st.tuples(
        st.integers(1, 3), st.integers(0, 60), st.integers(1, 15), st.sampled_from([1, 2, 3, 4, 5])
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(spans_strategy)
def test_and_finds_as_many_as_the_network_counts_co_occurrences(raw):
    """A AND B lists exactly the network's n12 at passage unit, for every pair of themes."""
    spans = sorted(span(d, s, s + w, c) for d, s, w, c in raw)
    net = network.cooccurrence(
        [network.NetworkCode(c.id, c.name, c.parent_id) for c in CODES],
        [network.NetworkDocument(d) for d in (1, 2, 3)],
        [(s.document_id, s.code_id, s.start, s.end) for s in spans],
        "passage",
    )
    themes = [c.id for c in CODES if c.parent_id is None]
    for i, first in enumerate(themes):
        a = rv.passages_of(spans, rv.expand_codes(CODES, [first]))
        assert len(a) == net.theme(first).n
        for second in themes[i + 1 :]:
            b = rv.passages_of(spans, rv.expand_codes(CODES, [second]))
            assert len(rv.both(a, b)) == net.pair(first, second).n12
            # NOT and the overlapping ones split A
            overlapping = [p for p in a if p not in rv.without(a, b)]
            assert len(rv.without(a, b)) + len(overlapping) == len(a)


def test_describe_codes_names_the_choice():
    assert rv.describe_codes(CODES, {1, 2, 3}) == "Side-effects (with subthemes)"
    assert rv.describe_codes(CODES, {1}) == "Side-effects (theme-level)"
    assert rv.describe_codes(CODES, {2, 4}) == "Side-effects/Physical or Cost"
    assert rv.describe_codes(CODES, set()) == "no code"


def test_resolve_code_by_path_name_or_id():
    assert rv.resolve_code(CODES, "side-effects").id == 1
    assert rv.resolve_code(CODES, "Side-effects / Mental").id == 3
    assert rv.resolve_code(CODES, "Mental").id == 3
    assert rv.resolve_code(CODES, "4").id == 4
    with pytest.raises(ValueError, match="no code called 'Costs'"):
        rv.resolve_code(CODES, "Costs")


def test_reference_ids_read_back():
    tags = {7: "S1G2-N", 8: "S1G2-F", 9: "D9-O"}
    assert rv.parse_ref("S1G2-N-412-530", tags) == (7, 412, 530)
    assert rv.parse_ref(" S1G2-F-0-5 ", tags) == (8, 0, 5)
    assert rv.parse_ref("D9-O-3-4", tags) == (9, 3, 4)
    for bad in ("S1G2-N-530-412", "S9G9-N-1-2", "nonsense"):
        with pytest.raises(ValueError):
            rv.parse_ref(bad, tags)


def test_context_is_cut_at_spaces_and_marked():
    text = "one two three four five six seven"
    assert rv.context_around(text, 14, 18, 6) == ("…three", "five…")  # around "four"
    assert rv.context_around(text, 14, 18, 7) == ("…three", "five…")  # never half a word
    assert rv.context_around("abc", 0, 3, 10) == ("", "")


def _documents():
    meta = DocumentMeta("S1 G2 notes", "scribe_notes", 1, 2)
    doc = DocumentRecord(1, "d1", meta, "a.txt", "txt", "x", None, "now", "y", 100, 10)
    other = DocumentRecord(
        2,
        "d2",
        DocumentMeta("Feedback", "feedback_sheet", 2, 1),
        "b",
        "csv",
        "x",
        None,
        "now",
        "y",
        50,
        None,
    )
    return [doc, other], [CaseRecord(10, "k", "S1 G2", 1, 2)]


def test_conditions_on_builtins_documents_cases_and_participants():
    documents, cases = _documents()
    texts = {1: "- P3 said a thing.\n- P14 said another.\n", 2: "P9: fine\n"}
    paragraphs = {1: [(0, 18), (19, 38)], 2: [(0, 8)]}
    context = rv.PassageContext(
        documents,
        cases,
        document_values={1: {"setting": "clinic"}},
        case_values={10: {"venue": "hall"}},
        participant_values={"P3": {"role": "carer"}, "P14": {"role": "patient"}},
        finder=ParticipantFinder(texts, paragraphs),
    )
    first = (1, 5, 10)
    second = (1, 30, 37)
    assert context.participants(first) == ("P3",)
    assert context.participants(second) == ("P14",)
    session = rv.AttributeRef("document", "session", "Session")
    kind = rv.AttributeRef("document", "kind", "Document kind")
    assert context.values(session, first) == ("1",)
    assert context.values(kind, (2, 0, 3)) == ("feedback sheet",)
    assert context.values(rv.AttributeRef("document", "case", "Focus group"), (2, 0, 3)) == ()
    role = rv.AttributeRef("participant", "role", "role")
    keep = rv.Condition(role, frozenset({"Carer"}))
    assert keep.holds(context, first) and not keep.holds(context, second)
    venue = rv.AttributeRef("case", "venue", "venue")
    assert context.values(venue, first) == ("hall",)
    found = rv.filter_passages(
        [Passage(*first, ()), Passage(*second, ())], context, [keep], contains="", texts=texts
    )
    assert [rv.key(p) for p in found] == [first]
    found = rv.filter_passages(
        [Passage(*first, ()), Passage(*second, ())], context, contains="ANOTHER", texts=texts
    )
    assert [rv.key(p) for p in found] == [second]


def test_contains_ignores_case_and_runs_of_spaces():
    assert rv.contains_words("Bladder  problems\nafter", "bladder problems after")
    assert not rv.contains_words("bladder", "kidney")
    assert rv.contains_words("anything", "  ")
