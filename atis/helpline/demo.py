"""Synthetic HelpLine contacts for the demo: a few hundred over the last two years.

Idempotent: the demo contacts carry the reference prefix HLD-, and a second run only tops
them up to DEMO_CONTACTS. Everything is invented (Faker ro_RO); no real person or number.
The mix follows what the HelpLine reports: mostly information requests about job offers
abroad, a share of silent and hang-up calls, a few reports and requests for help.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone
from faker import Faker

from atis.accounts.models import User
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.helpline.models import Contact, Escalation, EscalationKind, FollowUp, Language
from atis.helpline.selectors import caller_hash
from atis.organisations.models import Organisation, OrganisationKind

DEMO_CONTACTS = 400
PREFIX = "HLD-"
DAYS = 730

# (code, weight): information requests dominate, as in the HelpLine's reports.
TYPES = [
    ("information", 55),
    ("report", 8),
    ("victim_help", 4),
    ("third_party", 7),
    ("silent", 10),
    ("hang_up", 9),
    ("prank", 4),
    ("wrong_number", 3),
]
CHANNELS = [("phone", 70), ("email", 10), ("chat", 6), ("social", 11), ("walk_in", 3)]
ROLES = [("potential_migrant", 45), ("family_member", 18), ("victim", 6), ("professional", 8), ("anonymous", 23)]
TOPICS = [
    "job_offer",
    "contract",
    "recruitment_agency",
    "travel",
    "working_conditions",
    "leaving_exploitation",
    "other",
]
COUNTRIES = [("DE", 22), ("IT", 18), ("ES", 12), ("GB", 12), ("FR", 6), ("NL", 6), ("AT", 5), ("DK", 3), ("", 16)]
COUNTIES = ["IS", "BC", "SV", "VS", "GL", "NT", "CJ", "B", "DJ", "CT", "BV", "TM", "MM", "BH", "AG"]
SUMMARIES = [
    "Întreabă dacă oferta de muncă în {country} este legală; i s-a cerut o taxă de înscriere.",
    "Vrea să știe ce trebuie să conțină contractul de muncă înainte de plecare.",
    "Verifică dacă agenția de recrutare este autorizată.",
    "Ruda sa nu mai răspunde la telefon de două săptămâni; lucra la o fermă.",
    "Întreabă despre drumul cu autocarul și actele necesare.",
    "Spune că angajatorul i-a reținut pașaportul și nu îi plătește salariul.",
]
SILENT = {"silent", "hang_up", "prank", "wrong_number"}


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _weight in weighted], weights=[weight for _value, weight in weighted])[0]


def load_demo_content(seed: int) -> str:
    operators = list(User.objects.filter(memberships__role__name="helpline_operator", memberships__is_active=True))
    if not operators:
        return "HelpLine demo contacts: skipped (no HelpLine operator account)."
    existing = Contact.objects.filter(reference__startswith=PREFIX).count()
    missing = max(0, DEMO_CONTACTS - existing)
    if not missing:
        return f"HelpLine demo contacts: {existing} (already there)."
    rng = random.Random(seed + existing)
    fake = Faker("ro_RO")
    fake.seed_instance(seed + existing)
    codes = {(code.list, code.code): code for code in Code.objects.filter(list__startswith="helpline_")}
    counties = {county.mnemonic: county for county in County.objects.filter(mnemonic__in=COUNTIES)}
    police = Organisation.objects.filter(kind=OrganisationKind.POLICE).first()
    from atis.organisations.models import CentreCoverage

    centres = dict(CentreCoverage.objects.values_list("county_id", "centre_id"))
    fallback_organisation = Organisation.objects.filter(kind=OrganisationKind.ANITP_HQ).first()
    now = timezone.now()
    created = escalated = 0
    with transaction.atomic():
        for number in range(existing, existing + missing):
            operator = rng.choice(operators)
            membership = operator.memberships.filter(is_active=True).first()
            organisation = membership.organisation if membership else fallback_organisation
            if organisation is None:
                continue
            kind = _pick(rng, TYPES)
            channel = _pick(rng, CHANNELS)
            started = now - datetime.timedelta(days=rng.uniform(0, DAYS), minutes=rng.randint(0, 600))
            country = _pick(rng, COUNTRIES) if kind not in SILENT else ""
            county = counties.get(rng.choice(COUNTIES)) if kind not in SILENT and rng.random() < 0.8 else None
            agreed = kind in {"victim_help", "report"} and rng.random() < 0.5
            phone = fake.phone_number() if channel == "phone" and (agreed or rng.random() < 0.2) else ""
            contact = Contact.objects.create(
                reference=f"{PREFIX}{number + 1:05d}",
                organisation=organisation,
                taken_by=operator,
                channel=codes[(CodeList.HELPLINE_CHANNEL, channel)],
                started_at=started,
                duration_seconds=rng.randint(5, 40) if kind in SILENT else rng.randint(90, 1500),
                contact_type=codes[(CodeList.HELPLINE_CONTACT_TYPE, kind)],
                caller_role=codes[
                    (CodeList.HELPLINE_CALLER_ROLE, "anonymous" if kind in SILENT else _pick(rng, ROLES))
                ],
                destination_country=country,
                county=county,
                language=Language.ROMANIAN if rng.random() < 0.9 else rng.choice(Language.values),
                summary="" if kind in SILENT else rng.choice(SUMMARIES).format(country=country or "străinătate"),
                identity_agreed=agreed,
                caller_name=fake.name() if agreed else "",
                caller_phone=phone if agreed else "",
                caller_lookup=caller_hash(phone) if phone else "",
            )
            if channel != "phone":
                # Written messages are handled some time after they arrive.
                Contact.objects.filter(pk=contact.pk).update(
                    created_at=started + datetime.timedelta(minutes=rng.randint(5, 600))
                )
            if kind not in SILENT:
                contact.topics.set(
                    [codes[(CodeList.HELPLINE_TOPIC, topic)] for topic in rng.sample(TOPICS, rng.randint(1, 3))]
                )
            if kind in {"report", "victim_help"} and county is not None and police and county.pk in centres:
                Escalation.objects.create(
                    contact=contact,
                    kind=EscalationKind.AUTHORITIES,
                    authority=police,
                    centre_id=centres[county.pk],
                    created_by=operator,
                )
                Contact.objects.filter(pk=contact.pk).update(escalated_at=started, escalated_county=county)
                due = started + datetime.timedelta(hours=24)
                done = due - datetime.timedelta(hours=rng.randint(1, 20)) if due < now else None
                FollowUp.objects.create(
                    contact=contact,
                    description="Confirmă primirea notificării de către poliție.",
                    due_at=due,
                    assignee=operator,
                    done_at=done,
                    done_by=operator if done else None,
                    created_by=operator,
                )
                escalated += 1
            created += 1
    return f"HelpLine demo contacts: {created} created ({escalated} escalated), {existing + created} in all."
