"""KetQual cli layer (see DESIGN in README)."""
