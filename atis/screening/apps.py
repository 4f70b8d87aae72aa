from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "atis.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from atis.screening import panels  # noqa: F401  (registers the dashboard panel)
