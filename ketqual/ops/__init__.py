"""KetQual ops layer (see DESIGN in README)."""
