"""Exchange with other tools: REFI-QDA projects (.qdpx) and codebooks (.qdc), both ways."""
