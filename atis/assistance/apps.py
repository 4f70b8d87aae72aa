from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "atis.assistance"
    label = "assistance"
    verbose_name = _("Assistance")

    def ready(self) -> None:
        from atis.assistance import panels  # noqa: F401  (registers the dashboard panel)
