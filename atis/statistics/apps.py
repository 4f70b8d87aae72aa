from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "atis.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # Statistics follows the cases and the centres' coverage through the hooks those lower
        # domains declare, so they never import statistics (atis.lib.hooks says why not signals).
        from atis.cases.changes import case_changed
        from atis.organisations.changes import coverage_changed, recounts_pending
        from atis.statistics import selectors, services

        case_changed.register(services.refresh_case_facts)
        coverage_changed.register(services.coverage_moved)
        recounts_pending.register(selectors.recounts_pending)
