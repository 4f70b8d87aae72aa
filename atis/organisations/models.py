import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from atis.geo.models import County


class OrganisationKind(models.TextChoices):
    ANITP_HQ = "anitp_hq", _("ANITP headquarters")
    ANITP_CENTRE = "anitp_centre", _("ANITP regional centre")
    DGASPC = "dgaspc", _("Child protection (DGASPC)")
    POLICE = "police", _("Police")
    DIICOT = "diicot", _("Prosecutor's office (DIICOT)")
    BORDER_POLICE = "border_police", _("Border police")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate (ITM)")
    EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency (AJOFM)")
    NGO = "ngo", _("Non-governmental organisation")
    SHELTER = "shelter", _("Shelter")
    ASSISTANCE_CENTRE = "assistance_centre", _("Public assistance centre")
    CONSULATE = "consulate", _("Consulate or embassy")
    PREFECTURE = "prefecture", _("Prefect's institution")
    LOCAL_AUTHORITY = "local_authority", _("Local public authority")
    HEALTH = "health", _("Health service")
    SCHOOL = "school", _("School inspectorate or school")
    INTERNATIONAL = "international", _("International partner")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """The partner directory's grouping, across kinds (a kind says what it does, a sector who it is)."""

    PUBLIC = "public", _("Public institution")
    NGO = "ngo", _("Non-governmental organisation")
    TRADE_UNION = "trade_union", _("Trade union")
    EMPLOYER = "employer", _("Employer or employers' association")
    INTERNATIONAL = "international", _("International organisation")
    FOREIGN_AUTHORITY = "foreign_authority", _("Foreign authority")


# HTCDS 2.0 org_Type for each kind, for exports that follow the standard.
HTCDS_TYPE = {
    OrganisationKind.ANITP_HQ: "CentralGovernmentOrganisation",
    OrganisationKind.ANITP_CENTRE: "CentralGovernmentOrganisation",
    OrganisationKind.DGASPC: "LocalGovernmentOrganisation",
    OrganisationKind.POLICE: "LawEnforcement",
    OrganisationKind.DIICOT: "LawEnforcement",
    OrganisationKind.BORDER_POLICE: "LawEnforcement",
    OrganisationKind.LABOUR_INSPECTORATE: "CentralGovernmentOrganisation",
    OrganisationKind.EMPLOYMENT_AGENCY: "CentralGovernmentOrganisation",
    OrganisationKind.NGO: "NGO",
    OrganisationKind.SHELTER: "NGO",
    OrganisationKind.ASSISTANCE_CENTRE: "LocalGovernmentOrganisation",
    OrganisationKind.CONSULATE: "CentralGovernmentOrganisation",
    OrganisationKind.PREFECTURE: "CentralGovernmentOrganisation",
    OrganisationKind.LOCAL_AUTHORITY: "LocalGovernmentOrganisation",
    OrganisationKind.HEALTH: "HealthServiceOrganisation",
    OrganisationKind.SCHOOL: "SchoolOrCollege",
    OrganisationKind.INTERNATIONAL: "NGO",
    OrganisationKind.OTHER: "NGO",
}


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county of the seat"),
    )
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2, default="RO")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("manage_organisations", _("Can create and edit organisations and centre coverage"))]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="organisations_organisation_unique_name"),
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"),
                name="organisations_organisation_country_iso2",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def audit_label(self) -> str:
        return self.name

    @property
    def htcds_type(self) -> str:
        return HTCDS_TYPE[OrganisationKind(self.kind)]

    @property
    def is_regional_centre(self) -> bool:
        return self.kind == OrganisationKind.ANITP_CENTRE


class CentreCoverage(models.Model):
    """Which regional centre is responsible for a county. An administrator edits the map."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    centre = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="covered_counties", verbose_name=_("regional centre")
    )

    class Meta:
        ordering = ["county__name"]
        verbose_name = _("centre coverage")
        verbose_name_plural = _("centre coverage")
        constraints = [
            models.UniqueConstraint(fields=["county"], name="organisations_coverage_one_centre_per_county"),
        ]

    def __str__(self) -> str:
        return f"{self.county} → {self.centre}"
