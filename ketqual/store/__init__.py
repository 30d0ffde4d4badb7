"""KetQual store layer (see DESIGN in README)."""
