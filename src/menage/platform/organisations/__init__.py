"""Organisations, their members and roles, and who may manage what."""
