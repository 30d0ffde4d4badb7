"""Retrieval windows: coded passages and crosstabs."""
