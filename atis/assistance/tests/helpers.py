"""Building assistance scenes in tests through the real services, as users would."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from atis.assistance import services
from atis.assistance.models import Shelter
from atis.cases import services as case_services
from atis.cases.models import Case, ConsentPurpose, Referral, Section
from atis.cases.tests.helpers import code, open_case
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.organisations.models import Organisation, OrganisationKind

DAY = datetime.date(2026, 3, 10)


def service_type(value: str = "psychological") -> Code:
    return code(CodeList.SERVICE_TYPE, value)


def identified_case(manager: Any, **person: Any) -> Case:
    case = open_case(manager, **person)
    return case_services.case_identify(
        actor=manager,
        case=case,
        identified_on=DAY,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )


def refer(
    manager: Any, case: Case, to: Organisation, sections: Iterable[str] = (Section.CASE, Section.ASSISTANCE)
) -> Referral:
    case_services.consent_record(
        actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=to, given_on=DAY
    )
    return case_services.referral_send(
        actor=manager,
        case=case,
        request=case_services.ReferralRequest(
            to_organisation=to, services=[service_type("accommodation")], sections=list(sections)
        ),
    )


def shelter(
    admin: Any, *, capacity: int, name: str = "Test Shelter Iași", address: str = "Strada Ascunsă 7"
) -> Shelter:
    organisation, _created = Organisation.objects.get_or_create(
        name=name, defaults={"kind": OrganisationKind.SHELTER, "county": County.objects.get(mnemonic="IS")}
    )
    return services.shelter_save(actor=admin, organisation=organisation, capacity=capacity, address=address)
