"""Guides and kits shared between organisations, as files or links."""
