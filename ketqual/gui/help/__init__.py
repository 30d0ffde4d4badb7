"""Help: the About box, licences and guidance."""
