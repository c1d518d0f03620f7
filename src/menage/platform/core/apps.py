from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "menage.platform.core"
    label = "menage_core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from menage.platform.core import checks  # noqa: F401 — registers the checks
