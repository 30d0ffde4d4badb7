"""What cells say, drafts from quotes, cited references, and the export's plain data."""

from __future__ import annotations

from ketqual.core import framework_report, framework_text
from ketqual.core.framework import MatrixCell
from ketqual.core.framework_quotes import QuotedPassage
from tests.unit.core.framework_data import coding, report_for, summary


def passage(ref: str, text: str = "text", uids=("c1",)) -> QuotedPassage:
    return QuotedPassage(ref, 1, 0, 4, 1, text, tuple(uids), ("T",))


P1 = passage("S1G2-N-41-53", "- P3: “lifted the fog” within hours", ("a", "b"))
P2 = passage("S1G2-N-41-530", "Carer worried about driving home", ("c",))


def test_status_and_text_of_each_kind_of_cell():
    cases = [
        (MatrixCell(), framework_text.NO_PASSAGES, "–"),
        (MatrixCell((P1, P2)), "to_summarise", "Not summarised yet: S1G2-N-41-53; S1G2-N-41-530"),
        (MatrixCell((P1,), summary(1, 1, " Relief fast [S1G2-N-41-53] ")), "summary", None),
        (
            MatrixCell((P1,), summary(1, 1, "", "nothing_substantive")),
            "nothing_substantive",
            "Discussed, nothing substantive",
        ),
        (
            MatrixCell((), summary(1, 1, "checked twice", "not_discussed")),
            "not_discussed",
            "Not discussed\nchecked twice",
        ),
        # a summary row with no words left counts as no summary
        (
            MatrixCell((P1,), summary(1, 1, "  ")),
            "to_summarise",
            "Not summarised yet: S1G2-N-41-53",
        ),
    ]
    for cell, state, text in cases:
        assert framework_text.status(cell) == state
        expected = "Relief fast [S1G2-N-41-53]" if text is None else text
        assert framework_text.cell_text(cell) == expected


def test_cited_matches_whole_reference_ids_only():
    text = "Fast relief [S1G2-N-41-530]; see also S1G2-N-41-5300 and XS1G2-N-41-53."
    assert framework_text.cited(text, [P1, P2]) == [P2]
    assert framework_text.refs_for(text, [P1, P2]) == ("c",)
    assert framework_text.refs_for("S1G2-N-41-53 and S1G2-N-41-530", [P1, P2]) == ("a", "b", "c")
    assert framework_text.unknown_references(text + " [D3-O2-1-2]", [P1, P2]) == [
        "S1G2-N-41-5300",
        "D3-O2-1-2",
    ]


def test_short_quotes_drop_bullets_join_lines_and_cut_at_a_word():
    assert framework_text.short_quote("- P3: lifted\n  • the fog") == "P3: lifted the fog"
    long = "word " * 60
    quote = framework_text.short_quote(long, limit=40)
    assert quote.endswith("…") and len(quote) <= 40 and "wor…" not in quote
    assert framework_text.short_quote("x" * 50, limit=20) == "x" * 19 + "…"


def test_a_draft_quotes_every_passage_with_its_reference_and_cites_them_all():
    text, refs = framework_text.draft_from_quotes([P1, P2, passage("S1G2-N-1-2", "  ")])
    assert text == (
        "“P3: “lifted the fog” within hours” [S1G2-N-41-53]\n"
        "“Carer worried about driving home” [S1G2-N-41-530]"
    )
    assert refs == ("a", "b", "c")
    assert framework_text.draft_from_quotes([]) == ("", ())


def test_quote_rows_list_each_reference_once_with_every_code_and_citation():
    shared = [coding(10, 11, 0, 57), coding(10, 2, 0, 57)]  # same span in two matrices
    cited = summary(4, 11, "Fog lifts fast [S1G3-N-0-57]")
    report = report_for([*shared, coding(12, 12, 58, 106)], [cited])
    rows = report.quote_rows()
    assert [r.ref for r in rows] == ["S1G1-N-58-106", "S1G3-N-0-57"]
    row = rows[1]
    assert row.codes == ("Monitoring/Safety review", "Cost")
    assert row.cited_in == ("S1 G3: Monitoring/Safety review",)
    assert (row.case, row.document) == ("S1 G3", "Document 10")
    assert row.location == "line 1, characters 0–57"
    assert row.text.startswith("- P3 said")


def test_readme_states_layer_codebook_date_and_pseudonymisation():
    rows = dict(framework_report.readme_rows(report_for([])))
    assert rows["Project"] == "Study"
    assert rows["Charted from"] == "the consensus coding"
    assert rows["Codebook"] == "version 7 of 2025-03-01"
    assert rows["Exported"] == "2025-03-04 05:06 UTC by Sam"
    assert "never exported" in rows["Pseudonymisation"]
    assert "replaced no names" in rows["Pseudonymisation"]
    with_key = dict(framework_report.readme_rows(report_for([], pseudonymised=True)))
    assert "were replaced by tokens" in with_key["Pseudonymisation"]
    assert "coded passages" in rows["Counts"]


def test_count_rows_and_caption():
    report = report_for([coding(10, 11, 0, 10), coding(10, 1, 50, 60)])
    rows = report.count_rows()
    assert rows[0] == {
        "theme": "Monitoring",
        "subtheme": "",
        "level": "theme",
        "passages": 2,
        "theme_level_passages": 1,
        "documents": 1,
        "cases": 1,
    }
    assert rows[2]["subtheme"] == "Safety review" and rows[2]["theme_level_passages"] is None
    caption = framework_report.theme_caption(report.matrices[0], report.counts)
    assert caption == "Framework matrix: Monitoring (n = 2 coded passages in 1 focus group)"
