from django.db import models
from django.utils.translation import gettext_lazy as _


class DevelopmentRegion(models.Model):
    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("development region")
        verbose_name_plural = _("development regions")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """One of the 41 counties or București (ISO 3166-2:RO)."""

    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    mnemonic = models.CharField(_("abbreviation"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    siruta_code = models.PositiveIntegerField(_("SIRUTA code"), unique=True)
    ins_code = models.PositiveSmallIntegerField(_("INS county code"), unique=True)
    region = models.ForeignKey(
        DevelopmentRegion, on_delete=models.PROTECT, related_name="counties", verbose_name=_("development region")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class Locality(models.Model):
    """An administrative unit (municipality, town or commune) from SIRUTA."""

    class Kind(models.IntegerChoices):
        COUNTY_SEAT = 1, _("municipality, county seat")
        TOWN = 2, _("town")
        COMMUNE = 3, _("commune")
        MUNICIPALITY = 4, _("municipality")
        CAPITAL = 9, _("Bucharest")

    siruta_code = models.PositiveIntegerField(_("SIRUTA code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="localities", verbose_name=_("county"))
    kind = models.PositiveSmallIntegerField(_("kind"), choices=Kind.choices)
    urban = models.BooleanField(_("urban"))

    class Meta:
        ordering = ["county__name", "name"]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        indexes = [models.Index(fields=["county", "name"], name="geo_locality_county_name")]

    def __str__(self) -> str:
        return self.name.title()
