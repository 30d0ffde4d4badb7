"""The consensus review window: queue, decisions, log, passages."""
