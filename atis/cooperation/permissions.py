"""Who may do what in cooperation: county teams, agreements, transnational referrals.

County teams are managed by the centre of the county (or nationally); whether a user may
manage *this* team is the policy's answer, not a role check in the view.
"""

from __future__ import annotations

from atis.cooperation.models import Agreement, CountyTeam
from atis.cooperation.selectors import (
    READ_AGREEMENTS,
    READ_TEAMS,
    agreements_visible_to,
    teams_visible_to,
)
from atis.lib.policy import DomainPolicy

# The permissions stay here for the role registry and route rules to name.
MANAGE_AGREEMENTS = "cooperation.manage_agreements"
MANAGE_TEAMS = "cooperation.manage_county_teams"
REFER_TRANSNATIONAL = "cooperation.refer_transnational"

teams: DomainPolicy[CountyTeam] = DomainPolicy(
    "cooperation.teams",
    model=CountyTeam,
    permissions={"view": READ_TEAMS, "manage": MANAGE_TEAMS},
    scope=teams_visible_to,
)
agreements: DomainPolicy[Agreement] = DomainPolicy(
    "cooperation.agreements",
    model=Agreement,
    permissions={"view": READ_AGREEMENTS, "manage": MANAGE_AGREEMENTS},
    scope=agreements_visible_to,
)
