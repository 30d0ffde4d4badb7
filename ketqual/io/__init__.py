"""KetQual io layer (see DESIGN in README)."""
