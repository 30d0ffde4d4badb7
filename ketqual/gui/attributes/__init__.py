"""The attributes window: participants, documents and focus groups."""
