"""Attributes of cases, documents and participants, and what a case is."""
