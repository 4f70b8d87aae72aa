"""Identified victims built through the real case services, as case managers record them."""

from __future__ import annotations

import datetime
from typing import Any

from atis.cases import services as case_services
from atis.cases.models import Case
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.organisations.models import Organisation

DAY = datetime.date(2025, 3, 10)


def victim(
    manager: Any,
    *,
    county: str = "IS",
    sex: str = "female",
    born: datetime.date = datetime.date(1995, 1, 1),
    form: str = "sexual",
    scope: str = "international",
    destination: str = "IT",
    identified_on: datetime.date | None = DAY,
    citizenship: str = "",
) -> Case:
    case = case_services.case_open(
        actor=manager,
        person={
            "first_name": "Ana",
            "last_name": "Test",
            "sex": sex,
            "date_of_birth": born,
            **({"citizenship": citizenship} if citizenship else {}),
        },
        case={
            "county": County.objects.get(mnemonic=county),
            "notified_on": datetime.date(2025, 1, 5),
            "trafficking_scope": scope,
            "destination_country": "" if scope == "internal" else destination,
            "exploitation_started_on": datetime.date(2024, 6, 1),
        },
        m2m={"exploitation_forms": [Code.objects.get(list=CodeList.EXPLOITATION_FORM, code=form)]},
    )
    if identified_on is None:
        return case
    return case_services.case_identify(
        actor=manager,
        case=case,
        identified_on=identified_on,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
