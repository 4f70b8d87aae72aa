"""The agency registry's URLs in the permission matrix (see atis.core.tests.matrix).

Look-up: the national coordinator, the case managers and the HelpLine operator; import:
the national coordinator.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import REDIRECT, Row, only

READERS = {"coordinator", "manager_iasi", "manager_cluj", "operator"}
IMPORTERS = {"coordinator"}

ROWS: dict[str, Row] = {
    "agencies:list": (None, only(READERS), REDIRECT),
    "agencies:detail": ("agencies_agency", only(READERS), REDIRECT),
    "agencies:import": (None, only(IMPORTERS), REDIRECT),
    "agencies:import_sample": (None, only(IMPORTERS), REDIRECT),
    "agencies:import_detail": ("agencies_import", only(IMPORTERS), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from atis.agencies import services
    from atis.agencies.models import Agency
    from atis.agencies.tests.helpers import csv_bytes, good_row

    job = services.agency_import_create(
        actor=personas["coordinator"].user, file_name="r.csv", content=csv_bytes([good_row(1)]), mode="all_or_nothing"
    )
    services.agency_import_run(job_id=job.pk)
    return {
        "agencies_agency": {"public_id": Agency.objects.get().public_id},
        "agencies_import": {"public_id": job.public_id},
    }
