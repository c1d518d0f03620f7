"""Rate limiting counters for public forms, shared by every server process through the database."""

from __future__ import annotations

from django.db import models


class RateLimitHit(models.Model):
    """How many posts one client made to one form in one time window (the key is a hash)."""

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="one_counter")]
        indexes = [models.Index(fields=["window"])]
