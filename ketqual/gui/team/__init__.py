"""People, coder packages and the team server."""
