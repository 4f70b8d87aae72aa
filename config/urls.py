from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from atis.core.views import health
from atis.lib.access import staff

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", health, name="health"),
    path("api/schema/", staff(SpectacularAPIView.as_view()), name="api_schema"),
]

urlpatterns += i18n_patterns(
    path("", include("atis.core.urls")),
    path("accounts/", include("atis.accounts.urls")),
    path("organisations/", include("atis.organisations.urls")),
    path("audit/", include("atis.audit.urls")),
    path("codes/", include("atis.codelists.urls")),
    path("cases/", include("atis.cases.urls")),
    path("assistance/", include("atis.assistance.urls")),
    path("helpline/", include("atis.helpline.urls")),
    path("knowledge/", include("atis.knowledge.urls")),
    path("agencies/", include("atis.agencies.urls")),
    path("screening/", include("atis.screening.urls")),
    path("cooperation/", include("atis.cooperation.urls")),
    path("library/", include("atis.library.urls")),
    path("portal/", include("atis.portal.urls")),
    path("strategy/", include("atis.strategy.urls")),
    path("campaigns/", include("atis.campaigns.urls")),
    path("statistics/", include("atis.statistics.urls")),
    prefix_default_language=True,
)

handler403 = "atis.core.errors.forbidden"
handler404 = "atis.core.errors.not_found"
handler500 = "atis.core.errors.server_error"
