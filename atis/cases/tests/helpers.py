"""Opening cases in tests through the real services, as a user would."""

from __future__ import annotations

import datetime
from typing import Any

from atis.cases import services
from atis.cases.models import Case, ConsentPurpose, Referral
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.organisations.models import Organisation

VALID_CNP_ADULT = "2850101226672"  # a woman born 1 January 1985 (control digit valid)
VALID_CNP_MINOR = "6100315226678"  # a girl born 15 March 2010


def code(code_list: CodeList, value: str) -> Code:
    return Code.objects.get(list=code_list, code=value)


def open_case(
    actor: Any,
    *,
    county: str = "IS",
    born: datetime.date | None = datetime.date(1985, 1, 1),
    notified_on: datetime.date | None = None,
    **person: Any,
) -> Case:
    return services.case_open(
        actor=actor,
        person={"first_name": "Maria", "last_name": "Popescu", "sex": "female", "date_of_birth": born, **person},
        case={
            "county": County.objects.get(mnemonic=county),
            "notified_on": notified_on or datetime.date(2026, 3, 1),
            "trafficking_scope": "international",
            "destination_country": "IT",
        },
        m2m={"exploitation_forms": [code(CodeList.EXPLOITATION_FORM, "sexual")]},
    )


def identify_and_refer(
    manager: Any,
    case: Case,
    ngo: Organisation,
    sections: list[str],
    *,
    service: str = "medical",
    on: datetime.date = datetime.date(2026, 3, 10),
) -> Referral:
    """The case identified by the Iași police, the person's consent to share with the NGO
    recorded, and a referral sent to it with these sections; `referral.case` is the case."""
    case = services.case_identify(
        actor=manager,
        case=case,
        identified_on=on,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    services.consent_record(actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=ngo, given_on=on)
    return services.referral_send(
        actor=manager,
        case=case,
        request=services.ReferralRequest(
            to_organisation=ngo, services=[code(CodeList.SERVICE_TYPE, service)], sections=sections
        ),
    )


def blank_pdf() -> bytes:
    """A real one-page PDF: uploads are opened and rewritten, so a fake one is refused."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
