"""Campaigns: the operations organisations register (data cleanup, reuse, recycling)."""
