"""The theme-overlap network window."""
