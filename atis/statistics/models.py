"""Statistics: one fact row per identified victim, counts kept current by delta, and the
international series (UNODC GLOTIP, CTDC) stored apart from atis's own cases.

CaseFact holds, in plain short columns, only the dimensions the published figures use; it is
written only by `services.refresh_case_facts`, which the case services call after each change.
FactCount holds the counts of every one-way breakdown and of chosen wider ones per identification
year, county and responsible centre, adjusted by the difference between a case's old and new
facts, so the annual report reads a few thousand small rows instead of scanning the cases.
CrossingCount holds, nationally per identification year, the counts of every crossing of three
breakdowns (county among them), kept the same way, so any crossing of up to three that a
national reader asks for is a sum over a few hundred rows. CentreCrossingCount holds the same
crossings once more for each regional centre, over the victims its scope covers (its counties'
and those in its charge elsewhere), so a regional reader's crossings are sums too.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atis.cases.models import Case
from atis.geo.models import County
from atis.organisations.models import Organisation

# The columns of CaseFact that are breakdowns, one-way tables of their own (services.DIMENSIONS).
FACT_DIMENSIONS = (
    "sex",
    "minor",
    "age_band",
    "form",
    "scope",
    "destination",
    "settlement",
    "recruitment",
    "recruiter",
    "institution",
    "duration",
    "assisted",
    "trafficked_year",
    "citizenship",
)


class CaseFact(models.Model):
    """The statistical dimensions of one identified victim (no identity, no free text)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    identified_on = models.DateField()
    identified_year = models.PositiveSmallIntegerField()
    trafficked_year = models.PositiveSmallIntegerField(null=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The centre covering the county when the victim was last counted for the centres'
    # crossings: their rows follow it, and a county moved to another centre is recounted
    # victim by victim (services.coverage_move_step) until it is the county's centre again.
    covering_centre = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, db_index=False
    )
    settlement = models.CharField(max_length=8)  # urban / rural / unknown
    sex = models.CharField(max_length=8)
    minor = models.CharField(max_length=8)  # minor / adult
    age_band = models.CharField(max_length=8)
    citizenship = models.CharField(max_length=2)
    form = models.CharField(max_length=60)  # the main form of exploitation (code)
    scope = models.CharField(max_length=16)  # internal / international / unknown
    destination = models.CharField(max_length=8)  # ISO country, RO when internal, "unknown"
    recruitment = models.CharField(max_length=60)
    recruiter = models.CharField(max_length=60)
    institution = models.CharField(max_length=16)  # identifying institution id, "unknown"
    duration = models.CharField(max_length=12)
    assisted = models.CharField(max_length=8)  # yes / no

    class Meta:
        verbose_name = _("statistical fact")
        verbose_name_plural = _("statistical facts")
        default_permissions = ()
        permissions = [
            ("view_statistics", _("Can see aggregate statistics of identified victims in scope")),
            ("view_unsuppressed", _("Can see figures without small-cell suppression (audited)")),
            ("export_microdata", _("Can export k-anonymised microdata")),
            ("publish_statistics", _("Can publish reports and import international data")),
            ("import_statistics", _("Can import international comparison data (UNODC, CTDC)")),
        ]
        indexes = [
            models.Index(fields=["identified_year", "county"], name="statistics_fact_year_county"),
            # A regional reader's crossings that no count holds are grouped from their centre's
            # share of the facts: its counties, then the cases in its charge elsewhere. Each
            # part is read from one of these alone (on PostgreSQL they hold every dimension), so
            # the table itself is never visited.
            models.Index(
                fields=["county", "identified_year"],
                include=[*FACT_DIMENSIONS, "centre"],
                name="statistics_fact_county_all",
            ),
            models.Index(
                fields=["centre", "identified_year"],
                include=[*FACT_DIMENSIONS, "county"],
                name="statistics_fact_centre_all",
            ),
        ]

    def __str__(self) -> str:
        return f"fact {self.case_id}"


class FactCount(models.Model):
    """Victims per (breakdown, value, identification year, county, centre), kept by delta."""

    dimension = models.CharField(max_length=80)  # the cube: its dimensions joined by "|"
    value = models.CharField(max_length=130)
    year = models.PositiveSmallIntegerField()
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    n = models.IntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "year", "value", "county", "centre"], name="statistics_factcount_one_cell"
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="statistics_factcount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value} {self.year}: {self.n}"


class CrossingCount(models.Model):
    """Victims nationally per (three breakdowns, their values, identification year), kept by delta."""

    dimensions = models.CharField(max_length=60)  # the three dimensions joined by "|"
    value = models.CharField(max_length=200)  # their values in the same order, joined by "|"
    year = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["dimensions", "year", "value"], name="statistics_crossingcount_one_cell"),
            models.CheckConstraint(condition=Q(n__gte=0), name="statistics_crossingcount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.dimensions}={self.value} {self.year}: {self.n}"


class CentreCrossingCount(models.Model):
    """Victims a regional centre's scope covers per (three breakdowns, their values, year), kept
    by delta. A victim counts for the centre covering the county (CaseFact.covering_centre) and
    for the centre in charge of the case: one row each, or one when they are the same centre
    (as `cases_visible_to`)."""

    # No index of its own: the unique constraint's index leads with the centre.
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=False)
    dimensions = models.CharField(max_length=60)  # the three dimensions joined by "|"
    value = models.CharField(max_length=200)  # their values in the same order, joined by "|"
    year = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "dimensions", "year", "value"], name="statistics_centrecrossing_one_cell"
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="statistics_centrecrossing_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.dimensions}={self.value} {self.year}: {self.n}"


class CoverageMove(models.Model):
    """A county given to another centre, whose victims are being recounted for the centres'
    crossings in the background. Until it is finished, the centres it names read their figures
    from the facts, which always follow the coverage of the moment."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    from_centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", null=True)
    to_centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["county"], condition=Q(finished_at__isnull=True), name="statistics_move_pending")
        ]

    def __str__(self) -> str:
        return f"{self.county_id}: {self.from_centre_id} → {self.to_centre_id}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being imported")
    DONE = "done", _("imported")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")
    REPLACED = "replaced", _("replaced by a later import of the same release")


class ImportRun(models.Model):
    """One import of an international file: what was read, kept and skipped, and why.

    A CTDC import is a dataset of its own (one release): the comparison reads one dataset at a
    time, never a sum of releases that describe largely the same victims. Importing a release
    again replaces its earlier dataset, in the same transaction as the new rows are written.
    """

    class Source(models.TextChoices):
        GLOTIP = "glotip", "UNODC GLOTIP"
        CTDC = "ctdc", "CTDC"

    class Layout(models.TextChoices):
        GLOTIP = "glotip", _("UNODC GLOTIP series")
        CTDC_GLOBAL = "ctdc_global", _("CTDC global dataset (k-anonymised, countries)")
        CTDC_SYNTHETIC = "ctdc_synthetic", _("CTDC global synthetic dataset")
        CTDC_VP = "ctdc_vp", _("CTDC victim-perpetrator synthetic dataset (UN regions)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    layout = models.CharField(_("layout"), max_length=16, choices=Layout.choices, blank=True)
    release = models.CharField(_("release"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    # Why a file was refused, in the language of the person who sent it.
    message = models.CharField(max_length=500, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    # The uploaded file under MEDIA_ROOT (random name) until the import has read it.
    stored_name = models.CharField(max_length=80, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_kept = models.PositiveIntegerField(_("rows kept"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    # GLOTIP: figures whose key appears with another value elsewhere in the file (all kept),
    # and rows repeating a figure already read (counted once).
    rows_conflicting = models.PositiveIntegerField(_("conflicting figures"), default=0)
    rows_repeated = models.PositiveIntegerField(_("repeated figures"), default=0)
    # The number of records the source publishes for this release, where one is known.
    published_rows = models.PositiveIntegerField(_("published count"), null=True, blank=True)
    # {"reason": count} and the first examples (line numbers only, never content).
    skipped = models.JSONField(default=dict)
    # Row by row: [{"line": 12, "code": "bad_value", "column": "txtVALUE", "other": 11}, ...],
    # capped; the message is composed when shown, in the reader's language.
    errors = models.JSONField(default=list, blank=True)
    imported_by = models.CharField(max_length=150, blank=True)
    # Who sent the file through the upload screen (empty for the command).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        default_permissions = ()
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="statistics_importrun_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["source", "status", "release"], name="statistics_import_datasets")]

    def __str__(self) -> str:
        return f"{self.source} {self.file_name}"

    @property
    def audit_label(self) -> str:
        return self.file_name[:200]

    @property
    def is_finished(self) -> bool:
        return self.status not in (ImportStatus.PENDING, ImportStatus.RUNNING)

    @property
    def is_synthetic(self) -> bool:
        return self.layout in (self.Layout.CTDC_SYNTHETIC, self.Layout.CTDC_VP)


class GlotipValue(models.Model):
    """One UNODC GLOTIP figure. A suppressed cell (`<5`) is kept as suppressed, not as a number.

    A key (country, indicator, breakdown, sex, age, year, unit) may hold several figures when
    the source file gives it different values: each is kept with its line in the file and
    flagged as conflicting, and the comparison shows them all. A figure repeated with the same
    value is kept once.
    """

    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="+")
    line = models.PositiveIntegerField(_("line"), default=0)
    conflicting = models.BooleanField(default=False)
    iso3 = models.CharField(max_length=3)
    country = models.CharField(max_length=80)
    indicator = models.CharField(max_length=120)
    dimension = models.CharField(max_length=120)
    category = models.CharField(max_length=120)
    sex = models.CharField(max_length=20)
    age = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=40)
    value = models.IntegerField(null=True)
    below = models.PositiveSmallIntegerField(null=True)  # 5 for "<5"
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(below__isnull=True), name="statistics_glotipvalue_number_or_below"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "iso3", "year"], name="statistics_glotip_indicator"),
            models.Index(fields=["iso3", "year"], name="statistics_glotip_country"),
        ]

    def __str__(self) -> str:
        return f"{self.iso3} {self.indicator} {self.year}"


class CtdcRecord(models.Model):
    """One record of a CTDC release (dataset), apart from atis's own cases.

    Empty cells stay empty (missing); "Missing" and "Unknown" are kept as the source wrote them.
    Multi-valued fields are split into lists. The k-anonymised 2017 release names countries;
    the synthetic releases (since 2021) name countries or, in the victim-perpetrator release,
    only UN regions: every record keeps the UN region of its citizenship and of its place of
    exploitation, so releases can be compared at that level.
    """

    # No database-level foreign key: records are written only by the import, by COPY, in the
    # transaction that creates their run, and deleted with it (Django's cascade); a checked key
    # costs PostgreSQL one trigger per record, which doubled the time of a million-row import.
    # The unique index below (run first) serves the reads of one dataset.
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    line = models.PositiveIntegerField()  # the record's line in the source file
    year = models.PositiveSmallIntegerField(null=True)
    period = models.CharField(max_length=9, blank=True)  # the year or band as written ("2005-2013")
    gender = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=20, blank=True)
    majority = models.CharField(max_length=8, blank=True)  # Adult / Minor
    citizenship = models.CharField(max_length=8, blank=True)
    citizenship_region = models.CharField(max_length=20, blank=True)
    exploitation_country = models.CharField(max_length=8, blank=True)
    exploitation_region = models.CharField(max_length=20, blank=True)
    forms = models.JSONField(default=list)
    control_methods = models.JSONField(default=list)
    recruiter_relations = models.JSONField(default=list)
    # The victim-perpetrator release: what it says of the perpetrators, as written.
    perpetrator_roles = models.JSONField(default=list)
    perpetrator_gender = models.CharField(max_length=20, blank=True)
    perpetrator_age = models.CharField(max_length=40, blank=True)
    perpetrator_region = models.CharField(max_length=60, blank=True)
    paid_perpetrator = models.CharField(max_length=8, blank=True)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["run", "line"], name="statistics_ctdcrecord_one_line")]

    def __str__(self) -> str:
        return f"CTDC {self.run_id} line {self.line}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class AnnualReport(models.Model):
    """One generation of the annual report, built in the background for its requester's scope.

    The files are kept in the row (a report is a few hundred kilobytes): they hold only
    published, disclosure-controlled figures, and are read only by the requester.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=5, choices=[("ro", "Română"), ("en", "English")])
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    pdf = models.BinaryField(default=b"", editable=False)
    xlsx = models.BinaryField(default=b"", editable=False)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    library_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-created_at", "-id"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="statistics_annualreport_progress_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.language})"
