"""Importing documents: options, results and the background import."""
