from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "atis.campaigns"
    label = "campaigns"
    verbose_name = _("Prevention campaigns")

    def ready(self) -> None:
        from atis.campaigns import panels  # noqa: F401  (registers the dashboard panel)
