"""The consensus review: queue, decisions, decision log."""
