from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "atis.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from atis.audit.services import audit_access_denied
        from atis.lib.access import access_denied

        access_denied.register(audit_access_denied)
