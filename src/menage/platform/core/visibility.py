"""Public or private: shared by campaigns and resources."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: everyone can see it")
    PRIVATE = "private", _("Private: only members of the organisation")
