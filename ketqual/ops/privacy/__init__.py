"""Privacy by construction: the key file, identifier detection and review, and the check
every export makes before it writes."""
