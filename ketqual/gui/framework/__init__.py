"""The framework matrices window (cases x subthemes, summaries, quotes)."""
