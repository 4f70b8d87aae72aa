"""The roles of atis, each a Django group with an explicit list of permissions.

This registry is the source: `manage.py sync_roles` (run by `make run` and at deployment)
makes the groups match it exactly, so a permission granted by hand in the database does not
survive the next deployment. Later modules add their permissions here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atis.accounts.actions import case_permissions
from atis.lib.scope import ScopeKind


@dataclass(frozen=True)
class RoleSpec:
    code: str
    label: str | Promise
    description: str | Promise
    default_scope: ScopeKind
    allowed_scopes: tuple[ScopeKind, ...]
    permissions: tuple[str, ...]


SYSTEM_ADMIN = "system_admin"
NATIONAL_COORDINATOR = "national_coordinator"
REGIONAL_CASE_MANAGER = "regional_case_manager"
PROVIDER_STAFF = "provider_staff"
HELPLINE_OPERATOR = "helpline_operator"
CAMPAIGN_OFFICER = "campaign_officer"
STRATEGY_REPORTER = "strategy_reporter"
ANALYST = "analyst"
AUDITOR = "auditor"

_VIEW_ORGS = "organisations.view_organisation"
# Case rights come from the role × action table (atis.accounts.actions), never listed here.
# Assistance (atis.assistance): plans and services of cases in scope; shelter places for case managers.
_ASSISTANCE_RECORD = ("assistance.view_assistance", "assistance.record_assistance")
_SHELTER_PLACES = "assistance.manage_shelter_places"
# HelpLine (atis.helpline): the operators' contact log and escalations; supervision and figures.
_HELPLINE_OPERATE: tuple[str, ...] = ("helpline.view_contact", "helpline.log_contact")
_HELPLINE_SUPERVISE: tuple[str, ...] = ("helpline.view_contact",)
_HELPLINE_FIGURES: tuple[str, ...] = ("helpline.view_statistics",)
# Knowledge base (atis.knowledge): read by everyone answering people, edited by the coordination.
_KNOWLEDGE_READ: tuple[str, ...] = ("knowledge.view_article",)
_KNOWLEDGE_EDIT: tuple[str, ...] = ("knowledge.edit_article",)
# Recruitment agencies (atis.agencies): the licence registry, looked up during calls, imported centrally.
_AGENCIES_READ: tuple[str, ...] = ("agencies.view_agency",)
_AGENCIES_IMPORT: tuple[str, ...] = ("agencies.import_agencies",)
# Screening (atis.screening): questionnaires on cases in scope, job-offer checks, the indicator catalogue.
_SCREENING_RUN: tuple[str, ...] = ("screening.run_screening",)
_JOB_OFFER_CHECK: tuple[str, ...] = ("screening.check_job_offer",)
# Call-back requests hold a member of the public's phone number: the HelpLine's work only.
_JOB_OFFER_CALLBACKS: tuple[str, ...] = ("screening.handle_callbacks",)
_INDICATORS_EDIT: tuple[str, ...] = ("screening.manage_indicators",)
# Cooperation (atis.cooperation): partner directory, agreements, county teams, transnational referrals.
_COOPERATION_READ: tuple[str, ...] = (
    "cooperation.view_partnerservice",
    "cooperation.view_agreement",
    "cooperation.view_countyteam",
)
_SERVICE_DIRECTORY: tuple[str, ...] = ("cooperation.view_partnerservice",)
_COOPERATION_MANAGE: tuple[str, ...] = ("cooperation.manage_agreements",)
_COUNTY_TEAMS_MANAGE: tuple[str, ...] = ("cooperation.manage_county_teams",)
_TRANSNATIONAL_REFER: tuple[str, ...] = ("cooperation.view_transnationalreferral", "cooperation.refer_transnational")
# Document library (atis.library): the coordination publishes; agency staff read internal documents.
_LIBRARY_PUBLISH: tuple[str, ...] = ("library.manage_documents", "library.view_internal_documents")
_LIBRARY_INTERNAL_READ: tuple[str, ...] = ("library.view_internal_documents",)
# National strategy (atis.strategy): the coordination drafts plans, opens rounds and reviews reports;
# each responsible institution reports on its own activities; analysts read the figures.
_STRATEGY_COORDINATE = ("strategy.view_strategy", "strategy.coordinate_strategy", "strategy.view_strategy_figures")
_STRATEGY_REPORT = ("strategy.view_strategy", "strategy.report_strategy")
_STRATEGY_READ = ("strategy.view_strategy_figures",)
# Prevention campaigns (atis.campaigns): officers plan their organisation's campaigns and record
# activities; the coordination approves; analysts read totals, the risk view and evaluations.
_CAMPAIGNS_EDIT = ("campaigns.view_campaign", "campaigns.manage_campaign")
_CAMPAIGNS_APPROVE = ("campaigns.view_campaign", "campaigns.approve_campaign")
_CAMPAIGNS_FIGURES = ("campaigns.view_campaign_figures",)
# Statistics (atis.statistics): aggregates in scope; unsuppressed figures (audited); publishing and imports.
_STATISTICS_READ = ("statistics.view_statistics",)
_STATISTICS_UNSUPPRESSED = ("statistics.view_unsuppressed", "statistics.export_microdata")
_STATISTICS_PUBLISH = ("statistics.publish_statistics",)
# International comparison data (UNODC GLOTIP, CTDC) hold no victim of atis: analysts import them.
_STATISTICS_IMPORT = ("statistics.import_statistics",)

ROLES: dict[str, RoleSpec] = {
    spec.code: spec
    for spec in [
        RoleSpec(
            SYSTEM_ADMIN,
            _("System administrator"),
            _("Manages users, memberships, roles, organisations and the county-to-centre map. Sees no victim data."),
            ScopeKind.NONE,
            (ScopeKind.NONE,),
            ("accounts.manage_users", "accounts.approve_memberships", "organisations.manage_organisations", _VIEW_ORGS),
        ),
        RoleSpec(
            NATIONAL_COORDINATOR,
            _("National coordinator"),
            _("Coordinates identification and assistance nationally; sees every county."),
            ScopeKind.NATIONAL,
            (ScopeKind.NATIONAL,),
            (
                _VIEW_ORGS,
                "accounts.approve_memberships",
                *case_permissions(NATIONAL_COORDINATOR),
                "cases.override_consent",
                "codelists.manage_codes",
                *_ASSISTANCE_RECORD,
                _SHELTER_PLACES,
                *_HELPLINE_SUPERVISE,
                *_HELPLINE_FIGURES,
                *_KNOWLEDGE_READ,
                *_KNOWLEDGE_EDIT,
                *_AGENCIES_READ,
                *_AGENCIES_IMPORT,
                *_SCREENING_RUN,
                *_JOB_OFFER_CHECK,
                *_JOB_OFFER_CALLBACKS,
                *_INDICATORS_EDIT,
                *_COOPERATION_READ,
                *_COOPERATION_MANAGE,
                *_COUNTY_TEAMS_MANAGE,
                *_TRANSNATIONAL_REFER,
                *_LIBRARY_PUBLISH,
                *_STRATEGY_COORDINATE,
                *_CAMPAIGNS_APPROVE,
                *_CAMPAIGNS_FIGURES,
                *_STATISTICS_READ,
                *_STATISTICS_UNSUPPRESSED,
                *_STATISTICS_PUBLISH,
                *_STATISTICS_IMPORT,
            ),
        ),
        RoleSpec(
            REGIONAL_CASE_MANAGER,
            _("Regional case manager"),
            _("Manages cases in the counties covered by their regional centre."),
            ScopeKind.CENTRE,
            (ScopeKind.CENTRE,),
            (
                _VIEW_ORGS,
                *case_permissions(REGIONAL_CASE_MANAGER),
                "cases.answer_referral",
                *_ASSISTANCE_RECORD,
                _SHELTER_PLACES,
                *_COOPERATION_READ,
                *_COUNTY_TEAMS_MANAGE,
                *_TRANSNATIONAL_REFER,
                *_LIBRARY_INTERNAL_READ,
                *_KNOWLEDGE_READ,
                *_AGENCIES_READ,
                *_SCREENING_RUN,
                *_JOB_OFFER_CHECK,
            ),
        ),
        RoleSpec(
            PROVIDER_STAFF,
            _("Assistance-provider staff"),
            _("Works in an NGO, shelter or public service; sees only what was referred to their organisation."),
            ScopeKind.ORGANISATION,
            (ScopeKind.ORGANISATION,),
            (
                _VIEW_ORGS,
                *case_permissions(PROVIDER_STAFF),
                "cases.answer_referral",
                *_ASSISTANCE_RECORD,
                *_SCREENING_RUN,
                *_COOPERATION_READ,
            ),
        ),
        RoleSpec(
            HELPLINE_OPERATOR,
            _("HelpLine operator"),
            _("Answers the HelpLine and logs every contact."),
            ScopeKind.OWN,
            (ScopeKind.OWN,),
            (
                _VIEW_ORGS,
                *case_permissions(HELPLINE_OPERATOR),
                *_HELPLINE_OPERATE,
                *_SERVICE_DIRECTORY,
                *_LIBRARY_INTERNAL_READ,
                *_KNOWLEDGE_READ,
                *_AGENCIES_READ,
                *_JOB_OFFER_CHECK,
                *_JOB_OFFER_CALLBACKS,
            ),
        ),
        RoleSpec(
            CAMPAIGN_OFFICER,
            _("Campaign officer"),
            _("Plans and reports prevention campaigns of their organisation."),
            ScopeKind.ORGANISATION,
            (ScopeKind.ORGANISATION,),
            (_VIEW_ORGS, *_CAMPAIGNS_EDIT, *_CAMPAIGNS_FIGURES, *_LIBRARY_INTERNAL_READ),
        ),
        RoleSpec(
            STRATEGY_REPORTER,
            _("Strategy reporter"),
            _("Reports on the national strategy activities of their institution."),
            ScopeKind.ORGANISATION,
            (ScopeKind.ORGANISATION,),
            (_VIEW_ORGS, *_STRATEGY_REPORT, *_COOPERATION_READ),
        ),
        RoleSpec(
            ANALYST,
            _("Analyst"),
            _("Sees aggregate figures only, never identities; nationally or for a regional centre."),
            ScopeKind.NATIONAL,
            (ScopeKind.NATIONAL, ScopeKind.CENTRE),
            (
                _VIEW_ORGS,
                *_HELPLINE_FIGURES,
                *_STRATEGY_READ,
                *_CAMPAIGNS_FIGURES,
                *_LIBRARY_INTERNAL_READ,
                *_STATISTICS_READ,
                *_STATISTICS_IMPORT,
            ),
        ),
        RoleSpec(
            AUDITOR,
            _("Auditor"),
            _("Reads and exports the audit log; sees no records."),
            ScopeKind.NONE,
            (ScopeKind.NONE,),
            ("audit.view_auditentry", "audit.export_auditentry"),
        ),
    ]
}


def role_spec(code: str) -> RoleSpec | None:
    return ROLES.get(code)


# A role holding any of these reaches victims' or callers' identities, or can hand out roles:
# giving it to someone takes a second person's approval (accounts.services.membership_change).
PRIVILEGED_PERMISSIONS = frozenset(
    {
        "cases.view_identity",
        "helpline.view_contact",
        "screening.handle_callbacks",
        "accounts.manage_users",
        "accounts.approve_memberships",
    }
)


def needs_second_approval(code: str) -> bool:
    spec = ROLES.get(code)
    return spec is None or bool(PRIVILEGED_PERMISSIONS.intersection(spec.permissions))
