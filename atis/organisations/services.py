from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.geo.models import County
from atis.organisations.changes import coverage_changed
from atis.organisations.models import CentreCoverage, Organisation, OrganisationKind

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "county",
    "country",
    "sector",
    "address",
    "phone",
    "email",
    "is_active",
)


def _require_manager(actor: Any) -> None:
    if not actor.has_perm("organisations.manage_organisations"):
        raise PermissionDenied


@transaction.atomic
def organisation_save(*, actor: Any, organisation: Organisation | None = None, **data: Any) -> Organisation:
    _require_manager(actor)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    creating = organisation is None
    organisation = organisation or Organisation()
    if (
        not creating
        and organisation.kind == OrganisationKind.ANITP_CENTRE
        and data.get("kind", organisation.kind) != OrganisationKind.ANITP_CENTRE
        and organisation.covered_counties.exists()
    ):
        raise ValidationError({"kind": _("This centre still covers counties: move them to another centre first.")})
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    audit_record(
        action="organisation.create" if creating else "organisation.update",
        obj=organisation,
    )
    return organisation


@transaction.atomic
def centre_coverage_set(*, actor: Any, assignments: dict[County, Organisation]) -> int:
    """Point each given county at a regional centre; returns how many counties moved."""
    _require_manager(actor)
    moved = 0
    for county, centre in assignments.items():
        if not centre.is_regional_centre:
            raise ValidationError(_("%(name)s is not a regional centre.") % {"name": centre})
        row, created = CentreCoverage.objects.select_for_update().get_or_create(
            county=county, defaults={"centre": centre}
        )
        if created or row.centre_id != centre.pk:
            previous = "" if created else str(row.centre)
            from_centre_id = None if created else row.centre_id
            row.centre = centre
            row.save(update_fields=["centre"])
            # The victims of the county now count for another centre's figures.
            coverage_changed(county.pk, from_centre_id, centre.pk)
            moved += 1
            audit_record(
                action="organisation.coverage_change",
                obj=county,
                details={"from": previous, "to": str(centre)},
            )
    return moved
