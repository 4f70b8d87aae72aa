from __future__ import annotations

import pytest

from atis.campaigns.demo import CAMPAIGNS, load_demo_content
from atis.campaigns.models import Activity, Campaign

pytestmark = pytest.mark.django_db


def test_demo_campaigns_load_once(personas) -> None:
    from atis.accounts.models import User

    User.objects.filter(username="campaigns").update(username="campanii")
    User.objects.filter(username="coordinator").update(username="coordonator")
    load_demo_content(7)
    assert Campaign.objects.count() == len(CAMPAIGNS) == 15
    activities = Activity.objects.count()
    assert activities >= 8 * 14
    assert "already present" in load_demo_content(7)
    assert Activity.objects.count() == activities
