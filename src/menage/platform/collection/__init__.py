"""Collection points for old equipment."""
