"""The theme-overlap network figure: geometry, routes, style, painting, files."""
