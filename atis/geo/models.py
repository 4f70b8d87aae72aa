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
