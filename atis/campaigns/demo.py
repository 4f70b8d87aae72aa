"""Demonstration campaigns: fifteen campaigns over three years, with activities across counties.

Idempotent: campaigns are recognised by their title, so a second run adds nothing. Written
directly (not through the services) because past activities of closed campaigns cannot be
recorded through the screens, which accept them only while a campaign runs.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from atis.accounts.models import User
from atis.campaigns.models import (
    Activity,
    AgeBand,
    Campaign,
    CampaignCode,
    CampaignStatus,
    CodeKind,
    Evaluation,
    ParticipantSex,
    Participation,
)
from atis.campaigns.reference import load_campaign_codes
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.library.models import Category, Document
from atis.organisations.models import Organisation, OrganisationKind

# title, forms, target groups, channels, counties (empty = national), public summary
CAMPAIGNS: list[tuple[str, list[str], list[str], list[str], list[str], str]] = [
    (
        "Știi cu cine pleci? (demo)",
        ["forced_labour"],
        ["working_abroad", "young_job_seekers"],
        ["direct_meetings", "print"],
        ["SV", "BC", "IS", "NT"],
        "Verifică oferta de muncă înainte de plecare.",
    ),
    (
        "Nu ești de vânzare (demo)",
        ["sexual"],
        ["pupils_students", "parents_teachers"],
        ["theatre", "direct_meetings"],
        ["CJ", "BH", "SB"],
        "Spectacole și dezbateri în licee.",
    ),
    (
        "Cerșetoria nu e o meserie (demo)",
        ["forced_begging"],
        ["general_public", "roma_communities"],
        ["audiovisual", "materials"],
        ["B", "IF", "CT"],
        "Informare despre exploatarea prin cerșetorie.",
    ),
    (
        "Cererea alimentează traficul (demo)",
        ["sexual"],
        ["demand", "general_public"],
        ["online", "social_networks"],
        [],
        "Campanie online pentru reducerea cererii.",
    ),
    (
        "Muncă sezonieră sigură (demo)",
        ["forced_labour"],
        ["working_abroad"],
        ["print", "online"],
        ["DJ", "OT", "MH", "GJ"],
        "Drepturile lucrătorilor sezonieri în străinătate.",
    ),
    (
        "Protejează-i pe cei din centre (demo)",
        ["sexual", "forced_begging"],
        ["children_in_care", "professionals"],
        ["direct_meetings"],
        ["GL", "BR", "VN"],
        "Sesiuni pentru copiii din sistemul de protecție.",
    ),
    (
        "Angajatori responsabili (demo)",
        ["forced_labour"],
        ["employers"],
        ["direct_meetings", "print"],
        ["TM", "AR", "CS"],
        "Recrutare corectă și contracte clare.",
    ),
    (
        "Consulatul, primul ajutor (demo)",
        ["forced_labour", "sexual"],
        ["consular_staff"],
        ["direct_meetings"],
        [],
        "Instruire pentru personalul consular.",
    ),
    (
        "Dragostea nu cere sacrificii (demo)",
        ["sexual"],
        ["pupils_students"],
        ["film", "social_networks"],
        ["IS", "VS", "BT"],
        "Despre metoda „lover boy”.",
    ),
    (
        "Părinți informați (demo)",
        ["sexual", "forced_labour"],
        ["parents_teachers"],
        ["direct_meetings", "materials"],
        ["AG", "DB", "PH"],
        "Semnale de alarmă pentru părinți și profesori.",
    ),
    (
        "Fără datorii ascunse (demo)",
        ["forced_labour"],
        ["young_job_seekers", "roma_communities"],
        ["direct_meetings", "materials"],
        ["MS", "HR", "CV"],
        "Datoria pentru transport și cazare este un semnal de alarmă.",
    ),
    (
        "Vacanță fără riscuri (demo)",
        ["sexual", "forced_labour"],
        ["pupils_students"],
        ["social_networks", "online"],
        [],
        "Oferte de muncă de vară: cum le verifici.",
    ),
    (
        "Identifică și sesizează (demo)",
        ["sexual", "forced_labour", "forced_begging"],
        ["professionals"],
        ["direct_meetings"],
        ["B", "CJ", "IS", "TM"],
        "Instruire pentru profesioniști.",
    ),
    (
        "Un telefon poate salva (demo)",
        ["forced_labour"],
        ["general_public"],
        ["audiovisual", "online"],
        [],
        "Promovarea liniei telefonice gratuite.",
    ),
    (
        "Comunități unite (demo)",
        ["forced_begging", "sexual"],
        ["roma_communities", "parents_teachers"],
        ["direct_meetings", "theatre"],
        ["DJ", "CL", "TR"],
        "Întâlniri în comunități.",
    ),
]


def load_demo_content(seed: int) -> str:
    load_campaign_codes()
    officer = User.objects.filter(username="campanii").first()
    approver = User.objects.filter(username="coordonator").first()
    if officer is None or approver is None:
        return "campaigns: skipped (the demo accounts campanii and coordonator are missing)"
    existing = set(Campaign.objects.filter(title__in=[row[0] for row in CAMPAIGNS]).values_list("title", flat=True))
    todo = [row for row in CAMPAIGNS if row[0] not in existing]
    if not todo:
        return f"campaigns: {len(existing)} demo campaigns already present"
    rng = random.Random(seed)
    today = timezone.localdate()
    counties = {county.mnemonic: county for county in County.objects.all()}
    codes = {(code.kind, code.code): code for code in CampaignCode.objects.all()}
    forms = {code.code: code for code in Code.objects.filter(list=CodeList.EXPLOITATION_FORM)}
    centres = list(Organisation.objects.filter(kind=OrganisationKind.ANITP_CENTRE).order_by("name"))
    home = Organisation.objects.get(pk=officer.memberships.filter(is_active=True).values("organisation")[:1])
    partners = list(
        Organisation.objects.filter(kind__in=[OrganisationKind.NGO, OrganisationKind.SCHOOL]).order_by("name")
    )
    # The library's demo documents load first (apps load in INSTALLED_APPS order).
    materials = list(Document.objects.filter(category=Category.CAMPAIGNS).order_by("year", "title_ro"))
    types = [code for (kind, _c), code in codes.items() if kind == CodeKind.ACTIVITY_TYPE]
    activities = 0
    with transaction.atomic():
        for index, (title, form_codes, groups, channels, where, summary) in enumerate(tqdm(todo, desc="campaigns")):
            starts_on = today - datetime.timedelta(days=1050 - index * 70)
            ends_on = starts_on + datetime.timedelta(days=rng.choice([90, 120, 180]))
            status = (
                CampaignStatus.EVALUATED if ends_on < today - datetime.timedelta(days=30) else CampaignStatus.RUNNING
            )
            if index == len(CAMPAIGNS) - 1:
                status, starts_on, ends_on = (
                    CampaignStatus.DRAFT,
                    today + datetime.timedelta(days=30),
                    today + datetime.timedelta(days=150),
                )
            # Every third campaign is the officer's own, so the demo account has work to do.
            organisation = home if index % 3 == 0 or not centres else centres[index % len(centres)]
            campaign = Campaign.objects.create(
                title=title,
                objectives=summary,
                organisation=organisation,
                starts_on=starts_on,
                ends_on=ends_on,
                status=status,
                is_national=not where,
                budget=rng.choice([15000, 40000, 85000, 120000]),
                funding_sources=rng.choice(
                    ["Buget de stat", "Fonduri europene (FSE+)", "Buget de stat și sponsorizări"]
                ),
                target_people=rng.choice([2000, 5000, 10000]),
                target_events=rng.choice([20, 40, 60]),
                target_materials=rng.choice([3000, 8000, 15000]),
                target_media_reach=rng.choice([50000, 200000]),
                is_public=status != CampaignStatus.DRAFT,
                public_summary=summary,
                created_by=officer,
                approved_by=None if status == CampaignStatus.DRAFT else approver,
                approved_at=None if status == CampaignStatus.DRAFT else timezone.now(),
            )
            campaign.exploitation_forms.set([forms[code] for code in form_codes if code in forms])
            group_codes = [codes[(CodeKind.TARGET_GROUP, code)] for code in groups]
            campaign.target_groups.set(group_codes)
            channel_codes = [codes[(CodeKind.CHANNEL, code)] for code in channels]
            campaign.channels.set(channel_codes)
            campaign.counties.set([counties[code] for code in where if code in counties])
            campaign.partners.set(rng.sample(partners, k=min(2, len(partners))))
            if materials:
                campaign.materials.set(rng.sample(materials, k=min(2, len(materials))))
            if status == CampaignStatus.DRAFT:
                continue
            places = [counties[code] for code in where if code in counties] or rng.sample(list(counties.values()), 8)
            last = min(ends_on, today)
            for _n in range(rng.randint(8, 20)):
                day = starts_on + datetime.timedelta(days=rng.randint(0, (last - starts_on).days))
                county = rng.choice(places)
                activity = Activity.objects.create(
                    campaign=campaign,
                    held_on=day,
                    county=county,
                    locality=county.localities.order_by("?").first(),
                    activity_type=rng.choice(types),
                    channel=rng.choice(channel_codes),
                    materials_distributed=rng.choice([0, 50, 120, 300]),
                    media_reach=rng.choice([0, 0, 1500, 12000]),
                    recorded_by=officer,
                )
                Participation.objects.bulk_create(
                    [
                        Participation(
                            activity=activity, target_group=group, sex=sex, age_band=age, count=rng.randint(5, 60)
                        )
                        for group in group_codes
                        for sex in ParticipantSex.values
                        for age in AgeBand.values
                        if rng.random() < 0.6
                    ]
                )
                activities += 1
            if status == CampaignStatus.EVALUATED:
                respondents = rng.randint(150, 400)
                Evaluation.objects.create(
                    campaign=campaign,
                    survey_pre_respondents=respondents,
                    survey_pre_aware=int(respondents * rng.uniform(0.3, 0.5)),
                    survey_post_respondents=respondents,
                    survey_post_aware=int(respondents * rng.uniform(0.55, 0.8)),
                    conclusions="Evaluare demonstrativă: ținte atinse parțial.",
                    evaluated_by=officer,
                    evaluated_at=timezone.now(),
                )
    return f"campaigns: {len(todo)} demo campaigns, {activities} activities"
