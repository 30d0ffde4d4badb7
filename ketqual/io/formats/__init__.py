"""File formats other tools read and write (REFI-QDA)."""
