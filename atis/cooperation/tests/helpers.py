"""Building cooperation scenes in tests through the real services, as users would."""

from __future__ import annotations

import datetime
from typing import Any

from atis.assistance.tests.helpers import identified_case
from atis.cases import services as case_services
from atis.cases.models import Case, ConsentPurpose, Section
from atis.codelists.models import Code, CodeList
from atis.cooperation import services
from atis.cooperation.models import Agreement, AgreementVisibility, CountyTeam, Meeting, TransnationalReferral
from atis.geo.models import County
from atis.organisations.models import Organisation, OrganisationKind, Sector

TODAY = datetime.date(2026, 6, 1)


def county(mnemonic: str) -> County:
    return County.objects.get(mnemonic=mnemonic)


def prefecture(mnemonic: str) -> Organisation:
    place = county(mnemonic)
    organisation, _created = Organisation.objects.get_or_create(
        name=f"Test Prefecture {place.name}",
        defaults={"kind": OrganisationKind.PREFECTURE, "county": place, "sector": Sector.PUBLIC},
    )
    return organisation


def counterpart(country: str = "IT") -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name=f"Test counterpart {country}",
        defaults={"kind": OrganisationKind.POLICE, "country": country, "sector": Sector.FOREIGN_AUTHORITY},
    )
    return organisation


def agreement(
    actor: Any,
    parties: list[Organisation],
    *,
    title: str = "Protocol de test",
    signed_on: datetime.date = datetime.date(2024, 1, 10),
    expires_on: datetime.date | None = None,
    visibility: str = AgreementVisibility.INTERNAL,
) -> Agreement:
    return services.agreement_save(
        actor=actor,
        parties=parties,
        title=title,
        kind="protocol",
        scope="",
        signed_on=signed_on,
        expires_on=expires_on,
        visibility=visibility,
    )


def library_document(actor: Any, *, title: str = "Textul protocolului", visibility: str = "internal") -> Any:
    """A published library document, made as the library's own tests would for a fixture."""
    from django.utils import timezone

    from atis.library.models import Document

    return Document.objects.create(
        title_ro=title,
        category="international",
        year=2024,
        language="ro",
        status="published",
        visibility=visibility,
        published_at=timezone.now(),
        created_by=actor,
    )


def team(actor: Any, mnemonic: str, members: list[Organisation] = ()) -> CountyTeam:  # type: ignore[assignment]
    created = services.team_create(actor=actor, county=county(mnemonic), chair=prefecture(mnemonic))
    for member in members:
        services.team_member_add(actor=actor, team=created, organisation=member, representative="Ion Ionescu")
    return created


def meeting(actor: Any, on_team: CountyTeam, held_on: datetime.date = TODAY) -> Meeting:
    return services.meeting_record(actor=actor, team=on_team, held_on=held_on, agenda="Situația județului")


def service_type(value: str = "psychological") -> Code:
    return Code.objects.get(list=CodeList.SERVICE_TYPE, code=value)


def transnational(
    manager: Any,
    case: Case | None = None,
    *,
    to: Organisation | None = None,
    sections: tuple[str, ...] = (Section.CASE, Section.EVENTS),
    consent: bool = True,
) -> TransnationalReferral:
    case = case or identified_case(manager)
    to = to or counterpart()
    if consent:
        case_services.consent_record(
            actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=to, given_on=case.notified_on
        )
    return services.transnational_open(
        actor=manager,
        case=case,
        request=services.TransnationalRequest(
            direction="outgoing",
            counterpart=to,
            phase="return",
            sections=list(sections),
            services=[service_type("repatriation")],
        ),
    )
