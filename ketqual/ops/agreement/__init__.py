"""Agreement between coders."""
