"""Who may do what to a campaign, and the rules of its life: draft → approved → running → evaluated."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from atis.audit.models import AuditEntry
from atis.campaigns import services
from atis.campaigns.models import CampaignStatus
from atis.campaigns.tests.helpers import campaign_data, county, record, running_campaign
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_an_officer_creates_a_draft_of_their_own_organisation(personas) -> None:
    officer = personas["campaigns"]
    campaign = services.campaign_create(actor=officer.user, data=campaign_data())
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.organisation == officer.organisation
    assert list(campaign.counties.values_list("mnemonic", flat=True)) == ["CJ"]
    assert AuditEntry.objects.filter(action="campaign.create", object_ref=str(campaign.public_id)).count() == 1


@pytest.mark.parametrize("persona", ["coordinator", "manager_iasi", "analyst", "ngo", "operator"])
def test_only_campaign_officers_create_campaigns(personas, persona) -> None:
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=personas[persona].user, data=campaign_data())


def test_an_officer_of_another_organisation_cannot_edit_or_record(personas, django_user_model) -> None:
    from atis.accounts.services import user_create_by_system

    campaign = services.campaign_create(actor=personas["campaigns"].user, data=campaign_data())
    other = user_create_by_system(
        username="officer_iasi",
        first_name="O",
        last_name="I",
        email="oi@example.org",
        password="Correct-horse-battery-77",
        organisation=Organisation.objects.get(name="Centrul Regional Iași"),
        role="campaign_officer",
        scope=None,
    )
    with pytest.raises(PermissionDenied):
        services.campaign_update(actor=other, campaign=campaign, data=campaign_data(title="Hijacked"), version=1)
    campaign.refresh_from_db()
    assert campaign.title == "Știi cu cine pleci?"


def test_the_coordinator_approves_and_is_recorded_as_approver(personas) -> None:
    campaign = services.campaign_create(actor=personas["campaigns"].user, data=campaign_data())
    with pytest.raises(PermissionDenied):
        services.campaign_approve(actor=personas["campaigns"].user, campaign=campaign)
    approved = services.campaign_approve(actor=personas["coordinator"].user, campaign=campaign)
    assert approved.status == CampaignStatus.APPROVED
    assert approved.approved_by == personas["coordinator"].user
    assert approved.approved_at is not None


def test_an_approved_campaign_is_no_longer_editable_until_sent_back(personas) -> None:
    officer, coordinator = personas["campaigns"].user, personas["coordinator"].user
    campaign = services.campaign_approve(
        actor=coordinator, campaign=services.campaign_create(actor=officer, data=campaign_data())
    )
    with pytest.raises(ValidationError):
        services.campaign_update(actor=officer, campaign=campaign, data=campaign_data(), version=campaign.version)
    back = services.campaign_return_to_draft(actor=coordinator, campaign=campaign)
    assert back.status == CampaignStatus.DRAFT and back.approved_by is None
    services.campaign_update(actor=officer, campaign=back, data=campaign_data(title="Revised"), version=back.version)


def test_a_stale_edit_is_refused_not_overwritten(personas) -> None:
    officer = personas["campaigns"].user
    campaign = services.campaign_create(actor=officer, data=campaign_data())
    services.campaign_update(actor=officer, campaign=campaign, data=campaign_data(title="First"), version=1)
    with pytest.raises(ValidationError) as refused:
        services.campaign_update(actor=officer, campaign=campaign, data=campaign_data(title="Second"), version=1)
    assert refused.value.error_list[0].code == "stale"
    campaign.refresh_from_db()
    assert campaign.title == "First"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": datetime.date(2025, 12, 1)}, "ends_on"),
        ({"target_groups": []}, "target_groups"),
        ({"counties": []}, "counties"),
        ({"exploitation_forms": []}, "exploitation_forms"),
        ({"is_public": True, "public_summary": ""}, "public_summary"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(personas, overrides, field) -> None:
    from atis.campaigns.models import Campaign

    with pytest.raises(ValidationError) as refused:
        services.campaign_create(actor=personas["campaigns"].user, data=campaign_data(**overrides))
    assert field in refused.value.message_dict
    assert not Campaign.objects.exists()


def test_activities_are_recorded_only_while_running_and_inside_the_period(personas) -> None:
    officer, coordinator = personas["campaigns"].user, personas["coordinator"].user
    draft = services.campaign_create(actor=officer, data=campaign_data())
    with pytest.raises(ValidationError):
        record(officer, draft)
    campaign = running_campaign(officer, coordinator)
    with pytest.raises(ValidationError) as refused:
        record(officer, campaign, day=datetime.date(2026, 7, 15))
    assert refused.value.error_dict["held_on"][0].code == "outside_period"
    with pytest.raises(PermissionDenied):
        record(coordinator, campaign)
    activity = record(officer, campaign, people={("pupils_students", "female", "minor"): 12})
    assert activity.participations.get().count == 12


def test_a_locality_must_lie_in_the_chosen_county(personas) -> None:
    from atis.campaigns.tests.helpers import activity_type, channel
    from atis.geo.models import Locality

    officer = personas["campaigns"].user
    campaign = running_campaign(officer, personas["coordinator"].user)
    iasi_town = Locality.objects.filter(county__mnemonic="IS").first()
    with pytest.raises(ValidationError) as refused:
        services.activity_record(
            actor=officer,
            campaign=campaign,
            data=services.ActivityData(
                held_on=datetime.date(2026, 2, 1),
                county=county("CJ"),
                locality=iasi_town,
                activity_type=activity_type(),
                channel=channel(),
            ),
        )
    assert "locality" in refused.value.message_dict


def test_evaluation_closes_the_campaign_and_checks_the_survey(personas) -> None:
    officer = personas["campaigns"].user
    campaign = running_campaign(officer, personas["coordinator"].user)
    with pytest.raises(ValidationError) as refused:
        services.campaign_evaluate(
            actor=officer,
            campaign=campaign,
            data=services.EvaluationData(survey_pre_respondents=100, survey_pre_aware=120),
        )
    assert "survey_pre_aware" in refused.value.message_dict
    services.campaign_evaluate(
        actor=officer,
        campaign=campaign,
        data=services.EvaluationData(
            conclusions="Reached more pupils than planned.",
            survey_pre_respondents=200,
            survey_pre_aware=60,
            survey_post_respondents=180,
            survey_post_aware=126,
        ),
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.EVALUATED
    with pytest.raises(ValidationError):
        record(officer, campaign)
