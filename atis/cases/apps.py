from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "atis.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from atis.cases import panels  # noqa: F401  (registers the dashboard panels)
