"""Coders and supervisors, coder packages, the team server."""
