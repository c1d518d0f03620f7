"""The Django admin is for platform staff only; organisers use their own pages."""
