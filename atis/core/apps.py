from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "atis.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from atis.core import checks, panels  # noqa: F401  (registers system checks and dashboard panels)
