"""The coverage page shows how far statistics has recounted a county given to another centre:
statistics answers through the hook `organisations.changes.recounts_pending` it registers into."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from atis.organisations.models import CentreCoverage, Organisation
from atis.statistics.tests.helpers import victim

pytestmark = pytest.mark.django_db


def test_the_coverage_page_shows_how_far_the_regional_figures_are_recounted(
    personas, signed_in, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        victim(personas["manager_iasi"].user, county="VS")
    form = {row.county.iso_code: row.centre_id for row in CentreCoverage.objects.select_related("county")}
    form["RO-VS"] = Organisation.objects.get(name="Centrul Regional Cluj-Napoca").pk
    admin = signed_in("admin")
    with django_capture_on_commit_callbacks() as recount:
        admin.post(reverse("organisations:coverage"), form)
    with translation.override("en"):
        page = admin.get(reverse("organisations:coverage"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Regional figures being recounted" in page
        assert "0 of 2 victims recounted." in page
        for callback in recount:
            callback()
        polled = admin.get(reverse("organisations:coverage"), HTTP_HX_REQUEST="true").content.decode()
    assert "recounted" not in polled
    assert 'id="recounts"' in polled and "hx-get" not in polled
