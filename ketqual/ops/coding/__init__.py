"""Coding operations, codings CSV exchange and search."""
