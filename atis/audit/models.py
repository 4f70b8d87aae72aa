from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("success")
    DENIED = "denied", _("denied")
    FAILURE = "failure", _("failure")


class AuditEntry(models.Model):
    """One read or change of protected data, or one security event. Never updated or deleted.

    Labels are copied as text so an entry still says who and what after the user or the
    object is gone; `entry_hash` chains each entry to the previous one (see chain).
    """

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_label = models.CharField(_("user"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=64, blank=True)
    organisation_label = models.CharField(_("organisation"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_ref = models.CharField(_("object reference"), max_length=200, blank=True, db_index=True)
    object_label = models.CharField(_("object label"), max_length=200, blank=True)
    # The case file an entry belongs to (its public id), whatever the entry hangs on: the case,
    # its person, a referral, assistance, a screening, a proceeding. The History tab reads it.
    # Nullable so adding it to the append-only table rewrites no row (and no entry's hash).
    case_ref = models.CharField(_("case"), max_length=64, null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, default="web")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    details = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        permissions = [("export_auditentry", _("Can export the audit log"))]
        indexes = [
            # The auditor filters by the label the table shows (a case's reference). An index,
            # not db_index: SQLite adds it without rebuilding the append-only table.
            models.Index(fields=["object_label"], name="audit_entry_object_label"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_auditentry_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_ref}"
