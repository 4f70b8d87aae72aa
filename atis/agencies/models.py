"""The registry of licensed private placement agencies (agenții de plasare a forței de muncă
în străinătate), looked up by operators during a call: is the agency that offered a job
abroad licensed, and is its licence still valid?

The registry is public information published by the labour inspection; the agency keeps a
copy here, refreshed by imports (CSV or XLSX), so a look-up works during a call without
leaving atis.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atis.geo.models import County


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("licence", "active")
    SUSPENDED = "suspended", pgettext_lazy("licence", "suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("licence", "withdrawn")
    EXPIRED = "expired", pgettext_lazy("licence", "expired")


class Agency(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # Lower case, without diacritics or repeated spaces: "Agenția Muncă" is found by "agentia munca".
    name_normalised = models.CharField(_("name for search"), max_length=200, db_index=True, editable=False)
    # Digits only, without the "RO" of VAT payers; the check digit is verified on the way in.
    fiscal_code = models.CharField(_("fiscal code (CUI)"), max_length=10, unique=True)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    status = models.CharField(_("licence status"), max_length=10, choices=LicenceStatus.choices)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name_normalised", "id"]
        verbose_name = _("recruitment agency")
        verbose_name_plural = _("recruitment agencies")
        # Only the permissions the roles grant: reading is `view_*`, with its own wording.
        default_permissions = ()
        permissions = [
            ("view_agency", _("Can look up the registry of recruitment agencies")),
            ("import_agencies", _("Can import the registry of recruitment agencies")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=LicenceStatus.values), name="agencies_agency_status_valid"),
            models.CheckConstraint(
                condition=Q(licence_valid_until__isnull=True)
                | Q(licence_issued_on__isnull=True)
                | Q(licence_valid_until__gte=F("licence_issued_on")),
                name="agencies_agency_valid_after_issued",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", kwargs={"public_id": self.public_id})

    @property
    def audit_label(self) -> str:
        return f"{self.fiscal_code} {self.name}"[:200]

    def effective_status(self, today: datetime.date | None = None) -> LicenceStatus:
        """An active licence past its end date is expired, whatever the last import said."""
        today = today or timezone.localdate()
        if (
            self.status == LicenceStatus.ACTIVE
            and self.licence_valid_until is not None
            and self.licence_valid_until < today
        ):
            return LicenceStatus.EXPIRED
        return LicenceStatus(self.status)

    @property
    def current_status(self) -> LicenceStatus:
        return self.effective_status()

    @property
    def is_licensed(self) -> bool:
        return self.current_status == LicenceStatus.ACTIVE


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("Import nothing if any row has an error")
    VALID_ROWS = "valid_rows", _("Import the valid rows and report the others")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("imported")
    REJECTED = "rejected", _("rejected: nothing changed")
    FAILED = "failed", _("failed: nothing changed")


class AgencyImport(models.Model):
    """One upload of the registry and its row-by-row report.

    The file is kept in the row (not on disk) until it has been processed, so a worker on
    another machine reads it without a shared file system; it is emptied afterwards.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("file"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=4)
    content = models.BinaryField(_("content"), blank=True, editable=False)
    mode = models.CharField(_("mode"), max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("agencies added"), default=0)
    updated_count = models.PositiveIntegerField(_("agencies updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("agencies unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"row": 7, "column": "fiscal_code", "code": "cui_checksum", "params": {...}}, ...]: the
    # message is composed when shown, in the reader's language.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("agency import")
        verbose_name_plural = _("agency imports")
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=ImportMode.values), name="agencies_agencyimport_mode_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="agencies_agencyimport_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def audit_label(self) -> str:
        return self.file_name[:200]

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)
