"""Votes figures: bar charts and stacked bars laid out with Qt's font metrics and painted
with QPainter, for the votes window and for SVG, PDF and PNG files alike."""
