"""Votes beside the themes: voting sheets, questions linked to themes, their figures."""
