"""Cooperation pages. Views parse input, call one service and render (post/redirect/get)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atis.accounts.selectors import scope_of
from atis.accounts.stepup import step_up_required
from atis.audit.services import audit_read
from atis.cases.selectors import case_for, cases_search
from atis.codelists.models import Code, CodeList
from atis.cooperation import selectors, services
from atis.cooperation.forms import (
    ActivityForm,
    AgreementForm,
    ContactPointForm,
    DecisionForm,
    DocumentLinkForm,
    FollowUpForm,
    MeetingForm,
    ObligationForm,
    PacketForm,
    PartnerServiceForm,
    TeamCreateForm,
    TeamMemberForm,
    TransnationalForm,
    TransnationalUpdateForm,
)
from atis.cooperation.library import documents_linkable_by, documents_visible_for_agreement
from atis.cooperation.models import Agreement, ContactPoint, CountyTeam, Meeting, TransnationalReferral
from atis.cooperation.permissions import teams
from atis.geo.models import County
from atis.lib.access import requires
from atis.lib.forms import add_service_errors
from atis.lib.ratelimits import export_rate_limited
from atis.lib.scope import ScopeKind, get_in_scope_or_404
from atis.organisations.models import Organisation, OrganisationKind, Sector

DIRECTORY = selectors.READ_DIRECTORY
AGREEMENTS = selectors.READ_AGREEMENTS
TEAMS_READ = selectors.READ_TEAMS
TRANSNATIONAL_READ = selectors.READ_TRANSNATIONAL
MANAGE = services.MANAGE
TEAMS = services.TEAMS
TRANSNATIONAL = services.TRANSNATIONAL
PACKET_SECONDS = 10 * 60


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


# --- Partner directory --------------------------------------------------------------------


@requires(DIRECTORY)
def partner_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    sector = request.GET.get("sector", "")
    country = request.GET.get("country", "").strip().upper()[:2]
    county = request.GET.get("county", "")
    partners = selectors.partners_search(
        selectors.partners_visible_to(request.user),
        search=search,
        sector=sector if sector in Sector.values else "",
        country=country if country.isalpha() else "",
        county_id=_int(county),
    )
    page = Paginator(partners, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/partners.html",
        {
            "page": page,
            "search": search,
            "sector": sector,
            "country": country,
            "county": county,
            "sectors": Sector.choices,
            "counties": County.objects.all(),
        },
    )


def _render_partner(request: HttpRequest, partner: Organisation, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    can_manage = request.user.has_perm(MANAGE)
    audit_read(partner, section="partner")
    context: dict[str, Any] = {
        "partner": partner,
        "contacts": selectors.contact_points_of(partner),
        "services": partner.services_offered.filter(is_active=True).select_related("service_type", "county"),
        "agreements": selectors.agreements_visible_to(request.user).filter(parties=partner),
        "teams": selectors.teams_visible_to(request.user).filter(members__organisation=partner).distinct(),
        "can_manage": can_manage,
    }
    if can_manage:
        context["contact_form"] = bound.get("contact") or ContactPointForm(prefix="contact")
        context["service_form"] = bound.get("service") or PartnerServiceForm(
            prefix="service", initial={"county": partner.county_id, "is_active": True}
        )
    return render(request, "cooperation/partner.html", context)


@requires(DIRECTORY)
def partner_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_partner(request, selectors.partner_for(request.user, public_id))


@require_POST
@requires(DIRECTORY, MANAGE)
def contact_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    partner = selectors.partner_for(request.user, public_id)
    form = ContactPointForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            services.contact_point_add(actor=request.user, organisation=partner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact point was added."))
            return redirect("cooperation:partner", public_id=partner.public_id)
    return _render_partner(request, partner, {"contact": form})


@require_POST
@requires(DIRECTORY, MANAGE)
def contact_remove(request: HttpRequest, public_id: Any) -> HttpResponse:
    contact = get_in_scope_or_404(
        ContactPoint.objects.filter(organisation__in=selectors.partners_visible_to(request.user), is_active=True),
        public_id=public_id,
    )
    services.contact_point_deactivate(actor=request.user, contact=contact)
    messages.success(request, _("The contact point was removed."))
    return redirect("cooperation:partner", public_id=contact.organisation.public_id)


@require_POST
@requires(DIRECTORY, MANAGE)
def service_save(request: HttpRequest, public_id: Any) -> HttpResponse:
    partner = selectors.partner_for(request.user, public_id)
    form = PartnerServiceForm(request.POST, prefix="service")
    if form.is_valid():
        try:
            services.partner_service_save(actor=request.user, organisation=partner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("cooperation:partner", public_id=partner.public_id)
    return _render_partner(request, partner, {"service": form})


@requires(DIRECTORY)
def service_directory(request: HttpRequest) -> HttpResponse:
    county = request.GET.get("county", "")
    service_type = request.GET.get("service", "")
    found = selectors.services_search(
        selectors.services_visible_to(request.user), county_id=_int(county), service_type_id=_int(service_type)
    )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    template = "cooperation/_service_rows.html" if request.htmx else "cooperation/services.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "county": county,
            "service": service_type,
            "counties": County.objects.all(),
            "service_types": Code.objects.filter(list=CodeList.SERVICE_TYPE, is_active=True),
        },
    )


# --- Agreements ---------------------------------------------------------------------------


@requires(AGREEMENTS)
def agreement_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    agreements = selectors.agreements_search(
        selectors.agreements_visible_to(request.user), search=search, state=state
    ).prefetch_related("parties")
    page = Paginator(agreements, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/agreements.html",
        {
            "page": page,
            "search": search,
            "state": state,
            "today": timezone.localdate(),
            "alert_days": selectors.EXPIRY_ALERT_DAYS,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def _render_agreement(request: HttpRequest, agreement: Agreement, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    can_manage = request.user.has_perm(MANAGE)
    parties = agreement.parties.order_by("name")
    context: dict[str, Any] = {
        "agreement": agreement,
        "parties": parties,
        "obligations": agreement.obligations.select_related("party"),
        "activities": agreement.activities.all(),
        "documents": _documents_of(request, agreement),
        "today": timezone.localdate(),
        "can_manage": can_manage,
    }
    if can_manage:
        context["document_form"] = bound.get("document") or DocumentLinkForm(
            prefix="document", documents=documents_linkable_by(request.user)
        )
        context["obligation_form"] = bound.get("obligation") or ObligationForm(prefix="obligation", parties=parties)
        context["activity_form"] = bound.get("activity") or ActivityForm(prefix="activity")
    return render(request, "cooperation/agreement.html", context)


def _documents_of(request: HttpRequest, agreement: Agreement) -> Any:
    """The agreement's library documents the user may open in the library."""
    return documents_visible_for_agreement(request.user, agreement)


@require_POST
@requires(AGREEMENTS, MANAGE)
def document_link(request: HttpRequest, public_id: Any) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, public_id)
    form = DocumentLinkForm(request.POST, prefix="document", documents=documents_linkable_by(request.user))
    if form.is_valid():
        services.agreement_document_link(
            actor=request.user, agreement=agreement, document=form.cleaned_data["document"]
        )
        messages.success(request, _("The document was linked."))
        return redirect("cooperation:agreement", public_id=agreement.public_id)
    return _render_agreement(request, agreement, {"document": form})


@require_POST
@requires(AGREEMENTS, MANAGE)
def document_unlink(request: HttpRequest, public_id: Any, document_id: Any) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, public_id)
    document = get_in_scope_or_404(agreement.documents.all(), public_id=document_id)
    services.agreement_document_unlink(actor=request.user, agreement=agreement, document=document)
    messages.success(request, _("The document was unlinked."))
    return redirect("cooperation:agreement", public_id=agreement.public_id)


@requires(AGREEMENTS)
def agreement_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_agreement(request, selectors.agreement_for(request.user, public_id))


@requires(AGREEMENTS, MANAGE)
def agreement_create(request: HttpRequest) -> HttpResponse:
    return _agreement_edit(request, None)


@requires(AGREEMENTS, MANAGE)
def agreement_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _agreement_edit(request, selectors.agreement_for(request.user, public_id))


def _agreement_edit(request: HttpRequest, agreement: Agreement | None) -> HttpResponse:
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = data.pop("parties")
        try:
            saved = services.agreement_save(actor=request.user, agreement=agreement, parties=parties, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("cooperation:agreement", public_id=saved.public_id)
    return render(request, "cooperation/agreement_form.html", {"form": form, "agreement": agreement})


@require_POST
@requires(AGREEMENTS, MANAGE)
def obligation_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, public_id)
    form = ObligationForm(request.POST, prefix="obligation", parties=agreement.parties.all())
    if form.is_valid():
        try:
            services.obligation_add(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The obligation was added."))
            return redirect("cooperation:agreement", public_id=agreement.public_id)
    return _render_agreement(request, agreement, {"obligation": form})


@require_POST
@requires(AGREEMENTS, MANAGE)
def activity_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, public_id)
    form = ActivityForm(request.POST, prefix="activity")
    if form.is_valid():
        try:
            services.activity_add(
                actor=request.user, agreement=agreement, partners=agreement.parties.all(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("cooperation:agreement", public_id=agreement.public_id)
    return _render_agreement(request, agreement, {"activity": form})


# --- County teams -------------------------------------------------------------------------


@requires(TEAMS_READ)
def team_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cooperation/teams.html",
        {"teams": selectors.teams_overview(request.user), "can_create": request.user.has_perm(TEAMS)},
    )


def _counties_in_scope(user: Any) -> QuerySet[County]:
    scope = scope_of(user)
    counties = County.objects.exclude(pk__in=CountyTeam.objects.values("county_id"))
    if scope.kind == ScopeKind.NATIONAL:
        return counties
    if scope.kind == ScopeKind.CENTRE:
        return counties.filter(pk__in=scope.county_ids)
    return counties.none()


@requires(TEAMS_READ, TEAMS)
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamCreateForm(
        request.POST or None,
        counties=_counties_in_scope(request.user),
        prefectures=Organisation.objects.filter(kind=OrganisationKind.PREFECTURE, is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The county team was created."))
            return redirect("cooperation:team", public_id=team.public_id)
    return render(request, "cooperation/team_form.html", {"form": form})


def _members(team: CountyTeam) -> QuerySet[Organisation]:
    return Organisation.objects.filter(team_memberships__team=team).order_by("name")


def _render_team(request: HttpRequest, team: CountyTeam, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    # This team, not any team: a centre manages the teams of its own counties only.
    can_manage = teams.can(request.user, "manage", team)
    context: dict[str, Any] = {
        "team": team,
        "members": team.members.select_related("organisation"),
        "meetings": team.meetings.prefetch_related("decisions"),
        "can_manage": can_manage,
    }
    if can_manage:
        context["member_form"] = bound.get("member") or TeamMemberForm(prefix="member")
    audit_read(team, section="members")
    return render(request, "cooperation/team.html", context)


@requires(TEAMS_READ)
def team_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_team(request, selectors.team_for(request.user, public_id))


@require_POST
@requires(TEAMS_READ, TEAMS)
def member_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    team = selectors.team_for(request.user, public_id)
    form = TeamMemberForm(request.POST, prefix="member")
    if form.is_valid():
        try:
            services.team_member_add(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The member was saved."))
            return redirect("cooperation:team", public_id=team.public_id)
    return _render_team(request, team, {"member": form})


@requires(TEAMS_READ, TEAMS)
def meeting_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    team = selectors.team_for(request.user, public_id)
    form = MeetingForm(request.POST or None, members=_members(team), initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was recorded. Add its decisions below."))
            return redirect("cooperation:meeting", public_id=meeting.public_id)
    return render(request, "cooperation/meeting_form.html", {"form": form, "team": team})


def _render_meeting(request: HttpRequest, meeting: Meeting, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    user = request.user
    can_manage = teams.can(user, "manage", meeting.team)
    decisions = meeting.decisions.select_related("owner_organisation", "owner").prefetch_related("updates")
    today = timezone.localdate()
    context: dict[str, Any] = {
        "meeting": meeting,
        "team": meeting.team,
        "participants": meeting.participants.order_by("name"),
        "decisions": decisions,
        "today": today,
        "can_manage": can_manage,
        "follow_up_forms": {},
    }
    if can_manage:
        context["decision_form"] = bound.get("decision") or DecisionForm(
            prefix="decision", members=_members(meeting.team)
        )
    for decision in decisions:
        if can_manage or decision.owner_id == user.pk:
            refused = bound.get("follow_up")
            context["follow_up_forms"][decision.pk] = (
                refused[1]
                if refused and refused[0] == decision.pk
                else FollowUpForm(prefix=f"follow-{decision.pk}", initial={"noted_on": today, "status": "done"})
            )
    audit_read(meeting, section="minutes")
    return render(request, "cooperation/meeting.html", context)


@requires(TEAMS_READ)
def meeting_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_meeting(request, selectors.meeting_for(request.user, public_id))


@require_POST
@requires(TEAMS_READ, TEAMS)
def decision_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, public_id)
    form = DecisionForm(request.POST, prefix="decision", members=_members(meeting.team))
    if form.is_valid():
        try:
            services.decision_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("cooperation:meeting", public_id=meeting.public_id)
    return _render_meeting(request, meeting, {"decision": form})


@require_POST
@requires(TEAMS_READ)
def decision_follow_up(request: HttpRequest, public_id: Any) -> HttpResponse:
    decision = selectors.decision_for(request.user, public_id)
    form = FollowUpForm(request.POST, prefix=f"follow-{decision.pk}")
    if form.is_valid():
        try:
            services.decision_follow_up(actor=request.user, decision=decision, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("cooperation:meeting", public_id=decision.meeting.public_id)
    return _render_meeting(request, decision.meeting, {"follow_up": (decision.pk, form)})


# --- Transnational referrals --------------------------------------------------------------


@requires(TRANSNATIONAL_READ)
def transnational_list(request: HttpRequest) -> HttpResponse:
    reference = request.GET.get("case", "").strip()
    not_found = False
    if reference and request.user.has_perm(TRANSNATIONAL):
        # The exact-search rules of the cases (reference, CNP or phone), within the user's scope.
        found = list(cases_search(request.user, reference)[:2])
        if len(found) == 1:
            return redirect("cooperation:transnational_create", public_id=found[0].public_id)
        not_found = True
    referrals = selectors.transnational_visible_to(request.user)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/transnational_list.html",
        {
            "page": page,
            "reference": reference,
            "not_found": not_found,
            "can_refer": request.user.has_perm(TRANSNATIONAL),
        },
    )


@requires(TRANSNATIONAL_READ, TRANSNATIONAL)
def transnational_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    case = case_for(request.user, public_id)
    form = TransnationalForm(request.POST or None, counterparts=selectors.foreign_counterparts())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.transnational_open(
                actor=request.user,
                case=case,
                request=services.TransnationalRequest(
                    direction=data["direction"],
                    counterpart=data["counterpart"],
                    phase=data["phase"],
                    sections=list(data["sections"]),
                    services=list(data["services"]),
                    message=data["message"],
                ),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The transnational referral was recorded."))
            return redirect("cooperation:transnational", public_id=referral.public_id)
    return render(request, "cooperation/transnational_form.html", {"form": form, "case": case})


def _render_transnational(
    request: HttpRequest, referral: TransnationalReferral, form: TransnationalUpdateForm | None = None
) -> HttpResponse:
    can_refer = request.user.has_perm(TRANSNATIONAL)
    audit_read(referral.case, section="transnational")
    context: dict[str, Any] = {
        "referral": referral,
        "case": referral.case,
        "packet_sections": services.packet_sections(request.user, referral),
        "exports": referral.exports.select_related("exported_by")[:10],
        "can_refer": can_refer,
    }
    if can_refer:
        context["form"] = form or TransnationalUpdateForm(
            initial={
                "phase": referral.phase,
                "status": referral.status,
                "return_status": referral.return_status,
                "returned_on": referral.returned_on,
                "follow_up": referral.follow_up,
            }
        )
    return render(request, "cooperation/transnational.html", context)


@requires(TRANSNATIONAL_READ)
def transnational_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_transnational(request, selectors.transnational_for(request.user, public_id))


@require_POST
@requires(TRANSNATIONAL_READ, TRANSNATIONAL)
def transnational_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = selectors.transnational_for(request.user, public_id)
    form = TransnationalUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.transnational_update(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The transnational referral was updated."))
            return redirect("cooperation:transnational", public_id=referral.public_id)
    return _render_transnational(request, referral, form)


def _packet_key(user: Any, token: str) -> str:
    return f"cooperation-packet:{user.pk}:{token}"


@requires(TRANSNATIONAL_READ, TRANSNATIONAL)
@step_up_required
@export_rate_limited
def packet_export(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Make the packet; the password is shown on this page once and kept nowhere.

    Only the ciphertext waits, briefly, in the cache for the download link: useless without
    the password, and fetched once by the same user.
    """
    referral = selectors.transnational_for(request.user, public_id)
    form = PacketForm(request.POST or None)
    sections = services.packet_sections(request.user, referral)
    if request.method == "POST" and form.is_valid():
        try:
            packet = services.packet_export(actor=request.user, referral=referral, fmt=form.cleaned_data["format"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            token = secrets.token_urlsafe(24)
            cache.set(
                _packet_key(request.user, token),
                (packet.content, packet.filename, packet.content_type),
                PACKET_SECONDS,
            )
            response = render(
                request,
                "cooperation/packet_ready.html",
                {"referral": referral, "password": packet.password, "token": token, "minutes": PACKET_SECONDS // 60},
            )
            return response
    return render(request, "cooperation/packet.html", {"referral": referral, "form": form, "sections": sections})


@requires(TRANSNATIONAL_READ, TRANSNATIONAL)
def packet_download(request: HttpRequest, token: str) -> HttpResponse:
    stored = cache.get(_packet_key(request.user, token))
    if stored is None:
        raise Http404
    cache.delete(_packet_key(request.user, token))
    content, filename, content_type = stored
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response
