"""KetQual core layer (see DESIGN in README)."""
