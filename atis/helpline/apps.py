from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplineConfig(AppConfig):
    name = "atis.helpline"
    label = "helpline"
    verbose_name = _("HelpLine")

    def ready(self) -> None:
        from atis.helpline import panels  # noqa: F401  (registers the dashboard panel)
