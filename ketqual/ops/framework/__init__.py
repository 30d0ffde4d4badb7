"""Framework matrices: summaries, quotes, exports."""
