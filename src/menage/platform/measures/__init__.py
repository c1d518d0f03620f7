"""Measures: participation codes, the submissions participants send, and their totals."""
