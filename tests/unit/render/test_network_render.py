"""Drawing the network: real fonts, boxes that fit their text, and SVG, PDF and PNG files
that read back at the same size."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QFontInfo, QFontMetricsF, QImage, QRawFont

from ketqual.core import network
from ketqual.core.network import NetworkCode, NetworkDocument
from ketqual.core.network_figure import build_figure, edge_list, figure_edges
from ketqual.render.network import export, geometry, style

ROOT = Path(__file__).resolve().parents[3]
SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["Monitoring", "Side-effects", "Effect on daily life", "Cost", "Stigma"]


@pytest.fixture
def figure():
    codes = [NetworkCode(i + 1, name, None, "#117733", f"u{i + 1}") for i, name in enumerate(NAMES)]
    codes.append(NetworkCode(10, "Physical effects (bladder, blood pressure, pregnancy)", 2))
    codes.append(NetworkCode(11, "Tolerance and dependency", 2))
    codings = [(1, 10, 0, 50), (1, 3, 30, 60), (1, 1, 55, 80), (1, 4, 100, 120), (1, 11, 110, 130)]
    result = network.cooccurrence(codes, [NetworkDocument(1, 1)], codings)
    shown, basis = figure_edges(edge_list(result, "count", 1))
    return build_figure(
        result,
        shown,
        measure="count",
        min_weight=1,
        layer_label="consensus coding",
        basis=basis,
        title="Themes and their overlaps – a test",
    )


def test_a_real_font_family_with_every_glyph_is_used(qapp, figure):
    assert style.family() == "DejaVu Sans"
    font = style.font(13)
    assert QFontInfo(font).family() == "DejaVu Sans" and QFontInfo(font).pixelSize() == 13
    raw = QRawFont.fromFont(font)
    text = "".join(figure.legend) + figure.title + "•≥–" + "".join(NAMES)
    assert [ch for ch in set(text) if not raw.supportsCharacter(ord(ch))] == []


def test_boxes_fit_their_text_and_never_overlap(qapp, figure):
    laid = geometry.lay_out(figure)
    side = laid.boxes[2]
    assert [line.role for line in side.lines][:2] == ["name", "n"]
    assert side.divider is not None and side.height > laid.boxes[4].height
    metrics = QFontMetricsF(style.font(13))
    for line in side.lines:
        if line.role == "sub":  # left-aligned subtheme lines stay inside the padding
            assert line.x + metrics.horizontalAdvance(line.text) <= side.width - 10 + 0.01
    rects = [laid.box_rect(code_id) for code_id in laid.boxes]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    page, title, legend = laid.page()
    assert page.contains(title) and page.contains(legend) and page.contains(laid.boxes_rect())


def test_wrap_keeps_no_break_spaces_together(qapp):
    metrics = QFontMetricsF(style.font(13))
    lines = geometry.wrap("Speed of relief and suicidal thoughts (n\u00a0=\u00a010)", metrics, 120)
    assert lines[-1].endswith("(n\u00a0=\u00a010)") and len(lines) > 1
    assert all(metrics.horizontalAdvance(line) <= 120 for line in lines[:-1])


def test_svg_pdf_and_png_read_back_at_the_same_size(qapp, figure, tmp_path):
    svg = export.write_picture(figure, tmp_path / "f.svg", "svg")
    pdf = export.write_picture(figure, tmp_path / "f.pdf", "pdf")
    png = export.write_picture(figure, tmp_path / "f.png", "png")
    page = export.page_size(geometry.lay_out(figure))

    root = ET.parse(svg).getroot()
    view_box = [float(v) for v in root.get("viewBox").split()]
    assert view_box == [0, 0, page.width(), page.height()]
    assert float(root.get("width").removesuffix("mm")) == pytest.approx(
        page.width() / 96 * 25.4, abs=0.05
    )
    assert root.find(f"{SVG}title").text == figure.title
    assert root.findall(f".//{SVG}text") == []  # text converted to outlines
    assert len(root.findall(f".//{SVG}path")) > 20

    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(page.width() * 72 / 96, abs=0.5)
    assert float(box.height) == pytest.approx(page.height() * 72 / 96, abs=0.5)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object() for f in fonts.values()]
    assert all("/FontFile2" in d["/FontDescriptor"] for d in descriptors)  # embedded
    assert any("DejaVuSans" in str(d["/BaseFont"]) for d in descriptors)
    # Extracted text has the ff ligature and tabs between words; normalise them.
    text = unicodedata.normalize("NFKC", reader.pages[0].extract_text()).replace("\t", " ")
    assert "Effect on daily life" in text and "n = 2" in text

    image = QImage(str(png))
    assert (image.width(), image.height()) == (
        pytest.approx(page.width() * 300 / 96, abs=1),
        pytest.approx(page.height() * 300 / 96, abs=1),
    )
    assert image.dotsPerMeterX() == round(300 / 0.0254)
    assert image.pixelColor(2, 2).name() == "#ffffff"


def test_a_failed_write_leaves_nothing_behind(qapp, figure, tmp_path):
    with pytest.raises(OSError):
        export.write_picture(figure, tmp_path / "missing" / "f.pdf", "pdf")
    (tmp_path / "f.png").write_bytes(b"old")
    with pytest.raises(ValueError, match="pictures can be"):
        export.write_picture(figure, tmp_path / "f.png", "tiff")
    assert (tmp_path / "f.png").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png"]


def test_render_imports_no_widgets_and_draws_headless():
    code = (
        "import sys\n"
        "from ketqual.render import ensure_app\n"
        "from ketqual.render.network import export  # noqa: F401\n"
        "ensure_app()\n"
        "assert 'PySide6.QtWidgets' not in sys.modules\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr


def _big_figure(count: int):
    from ketqual.core.network_figure import FigureBox, FigureEdge, NetworkFigure

    boxes = tuple(
        FigureBox(i, f"u{i}", f"Theme number {i} of a long codebook", i, "#117733", (("Sub", 1),))
        for i in range(1, count + 1)
    )
    edges = tuple(FigureEdge(i, i + 1, "0.10", 0.5) for i in range(1, min(count, 30)))
    return NetworkFigure("Big", boxes, edges, ("legend",))


def test_a_big_figure_is_fitted_to_a3_or_kept_legible_and_says_so(qapp, tmp_path):
    small = geometry.lay_out(_big_figure(12))
    plan = export.page_plan(small)
    assert plan.fits and plan.message is None and plan.text_pt >= export.MIN_TEXT_PT
    assert max(plan.width_in, plan.height_in) <= 420 / 25.4 + 0.01
    big = _big_figure(105)
    plan = export.page_plan(geometry.lay_out(big))
    assert not plan.fits and plan.text_pt == pytest.approx(export.MIN_TEXT_PT)
    assert "105 themes" in plan.message and "fewer themes" in plan.message
    assert export.figure_note(big) == plan.message
    pdf = export.write_picture(big, tmp_path / "big.pdf", "pdf")
    box = PdfReader(pdf).pages[0].mediabox
    assert float(box.width) == pytest.approx(plan.width_in * 72, abs=1)


def test_a_huge_png_is_drawn_in_strips_at_a_capped_size(qapp, tmp_path, monkeypatch):
    figure = _big_figure(20)
    monkeypatch.setattr(export, "MAX_PNG_PIXELS", 2_000_000)
    monkeypatch.setattr(export, "STRIP_ROWS", 100)
    painted = []
    real = export._strip
    monkeypatch.setattr(export, "_strip", lambda *a: painted.append(a[5]) or real(*a))
    plan = export.page_plan(geometry.lay_out(figure))
    assert plan.png_dpi < export.PNG_DPI and "dpi" in plan.message
    image = QImage(str(export.write_picture(figure, tmp_path / "f.png", "png")))
    assert image.width() * image.height() <= 2_000_000
    assert max(painted) <= 100 and len(painted) == -(-image.height() // 100)
    assert image.dotsPerMeterX() == round(plan.png_dpi / 0.0254)


def test_a_coders_figure_follows_the_reference_layout(qapp, figure):
    from dataclasses import replace

    from ketqual.core.network_figure import LayoutReference

    own = geometry.lay_out(figure)
    # The same themes with other counts and without edges: on its own it would be laid
    # out in codebook order; following the reference, every box keeps its place.
    other = replace(
        figure,
        boxes=tuple(replace(b, n=b.n + 7) for b in figure.boxes),
        edges=(),
        reference=LayoutReference(figure.boxes, figure.edges),
    )
    followed = geometry.lay_out(other)
    assert {k: (p.x(), p.y()) for k, p in followed.centres.items()} == {
        k: (p.x(), p.y()) for k, p in own.centres.items()
    }
    alone = geometry.lay_out(replace(other, reference=None))
    assert alone.centres != own.centres or not figure.edges
    places = export.figure_places(figure)
    assert set(places) == {b.uid for b in figure.boxes}
    x, y, w, h = places["u2"]
    assert (x, y) == (round(own.centres[2].x(), 1), round(own.centres[2].y(), 1))
    assert w == own.boxes[2].width and h == own.boxes[2].height
