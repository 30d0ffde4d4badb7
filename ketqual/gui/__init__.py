"""KetQual gui layer (see DESIGN in README)."""
