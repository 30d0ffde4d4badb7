"""Importing documents and editing their metadata."""
