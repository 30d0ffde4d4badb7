"""The votes window: voting questions beside the themes, their figures and tables."""
