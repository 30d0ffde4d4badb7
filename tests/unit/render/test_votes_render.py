"""Drawing votes figures: labels beside bars, counts at bar ends, n in the caption, and SVG,
PDF (fonts embedded) and 300-dpi PNG files of the right size."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QFontMetricsF, QImage

from ketqual.core import votes
from ketqual.core.votes import Question
from ketqual.core.votes_figure import BarChart, StackedChart, bar_colour, build_figure
from ketqual.render import export as files
from ketqual.render.votes import export, layout
from ketqual.render.votes.items import LineItem, RectItem, TextItem

SVG = "{http://www.w3.org/2000/svg}"
OPTIONS = (
    "Specialist clinics only",
    "Specialist starts treatment, GP continues under shared care once the dose is stable",
    "GP prescribing with national guidance",
)
MULTI = Question(1, "Which prescribing options would be best?", "multiple", OPTIONS)
YES_NO = Question(2, "Is extra monitoring needed?", "yesno", votes.YES_NO_UNSURE)


@pytest.fixture
def bars() -> BarChart:
    responses = votes.tally_responses(MULTI, (9, 31, 7), respondents=38, missing=2)
    return build_figure([votes.summarise(MULTI, responses, "answered")])


@pytest.fixture
def stacked() -> StackedChart:
    gp = Question(3, "Should GPs be able to prescribe ketamine?", "yesno", votes.YES_NO_UNSURE)
    a = votes.tally_responses(YES_NO, (28, 6, 8), missing=2)
    b = votes.tally_responses(gp, (11, 16, 16), missing=1)
    return build_figure([votes.summarise(YES_NO, a, "present"), votes.summarise(gp, b, "present")])


def test_bar_chart_figure_says_what_n_counts(bars):
    assert [b.value_text for b in bars.bars] == ["9 (24\u00a0%)", "31 (82\u00a0%)", "7 (18\u00a0%)"]
    assert bars.ticks == (0, 10, 20, 30, 40) and bars.bars[1].share == pytest.approx(31 / 40)
    assert bars.caption[0] == (
        "n = 38 respondents who answered; 47 selections; 2 of 40 present did not answer."
    )
    assert "more than 100 %" in bars.caption[-1]
    assert bars.axis_label == "Number of selections"


def test_bars_are_long_labels_wrapped_beside_them_and_counts_at_their_ends(qapp, bars):
    g = layout.lay_out(bars)
    s = g.style
    rects = [i for i in g.items if isinstance(i, RectItem)]
    assert len(rects) == 3
    labels = [i for i in g.items if isinstance(i, TextItem) and i.role == "label"]
    long_lines = [t for t in labels if t.text in OPTIONS[1] and t.text != OPTIONS[1]]
    assert len(long_lines) >= 2  # wrapped
    metrics = QFontMetricsF(layout.font_for("label", s))
    for line in labels[:-1]:  # every option line ends before its bar starts
        assert (
            line.x + metrics.horizontalAdvance(line.text)
            <= rects[0].rect.left() - s.label_gap + 0.5
        )
    values = [i for i in g.items if isinstance(i, TextItem) and i.role == "value"]
    for rect, value in zip(rects, values, strict=True):
        assert value.x == pytest.approx(rect.rect.right() + s.value_gap)
        assert rect.rect.top() < value.baseline < rect.rect.bottom() + 4
    value_metrics = QFontMetricsF(layout.font_for("value", s))
    assert all(
        v.x + value_metrics.horizontalAdvance(v.text) <= s.width - s.margin + 0.5 for v in values
    )
    captions = [i.text for i in g.items if isinstance(i, TextItem) and i.role == "caption"]
    assert captions[0].startswith("n = 38 respondents who answered")
    # Grid lines lie behind the bars.
    first_bar = g.items.index(rects[0])
    assert all(
        g.items.index(i) < first_bar
        for i in g.items
        if isinstance(i, LineItem) and i.colour == s.grid_colour
    )


def test_stacked_bars_fill_n_and_show_no_answer(qapp, stacked):
    first = stacked.rows[0]
    assert [s.label for s in first.segments] == ["Yes", "No", "Unsure", "No answer"]
    assert sum(s.share for s in first.segments) == pytest.approx(1.0)
    assert [label for label, _c in stacked.legend] == ["Yes", "No", "Unsure", "No answer"]
    g = layout.lay_out(stacked)
    inside = [i.text for i in g.items if isinstance(i, TextItem) and i.role == "inside"]
    assert "28 (64\u00a0%)" in inside  # 28 of 44 present


def test_pale_theme_colours_are_darkened_for_print():
    assert bar_colour("#332288") == "#332288"
    pale = bar_colour("#DDCC77")
    assert pale != "#DDCC77" and pale.startswith("#")
    assert bar_colour(None) == "#332288"


def test_svg_pdf_and_png_read_back(qapp, bars, tmp_path):
    svg = export.write_picture(bars, tmp_path / "f.svg", "svg")
    pdf = export.write_picture(bars, tmp_path / "f.pdf", "pdf")
    png = export.write_picture(bars, tmp_path / "f.png", "png")
    page = files.page_size(layout.lay_out(bars))
    assert page.width() == 720

    root = ET.parse(svg).getroot()
    assert [float(v) for v in root.get("viewBox").split()] == [0, 0, page.width(), page.height()]
    assert root.find(f"{SVG}title").text == bars.title
    assert root.findall(f".//{SVG}text") == []  # outlines

    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(page.width() * 72 / 96, abs=0.5)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object() for f in fonts.values()]
    assert all("/FontFile2" in d["/FontDescriptor"] for d in descriptors)  # embedded
    text = unicodedata.normalize("NFKC", reader.pages[0].extract_text()).replace("\t", " ")
    assert "Specialist clinics only" in text and "31 (82 %)" in text
    assert "n = 38 respondents who answered" in text

    image = QImage(str(png))
    assert image.width() == pytest.approx(page.width() * 300 / 96, abs=1)
    assert image.dotsPerMeterX() == round(300 / 0.0254)


def test_a_bad_format_or_folder_writes_nothing(qapp, bars, tmp_path):
    with pytest.raises(ValueError, match="pictures can be"):
        export.write_picture(bars, tmp_path / "f.tiff", "tiff")
    with pytest.raises(OSError):
        export.write_picture(bars, tmp_path / "missing" / "f.pdf", "pdf")
    assert list(tmp_path.iterdir()) == []
