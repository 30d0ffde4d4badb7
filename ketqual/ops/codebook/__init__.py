"""Codebook operations."""
