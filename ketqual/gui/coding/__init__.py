"""The coding screen: documents list, document view with stripes, coding actions, search."""
