"""The theme-overlap network: counts, edges, figure files."""
