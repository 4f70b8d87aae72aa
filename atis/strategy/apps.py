from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "atis.strategy"
    label = "strategy"
    verbose_name = _("National strategy")

    def ready(self) -> None:
        from atis.strategy import panels  # noqa: F401  (registers the dashboard panels)
