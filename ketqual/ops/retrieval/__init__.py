"""Retrieval: coded passages, crosstabs, starred quotes and the theme report."""
