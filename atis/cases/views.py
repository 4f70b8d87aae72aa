"""Case screens: list, search, opening a case, the case file with its tabs, referrals inbox.

Every view reads cases through `cases_visible_to` / `case_for` (404 outside the scope) and
writes through one service. A tab the user's sections do not grant answers 404 as well.
Every read of a tab is audited.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nh3
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atis.accounts.selectors import active_membership, scope_of
from atis.accounts.stepup import read_budget_required, step_up_required
from atis.audit.services import audit_read, audit_record
from atis.cases import attachments, history, pdf, services
from atis.cases import forms as case_forms
from atis.cases.models import (
    Case,
    CaseStatus,
    Referral,
    ReferralStatus,
    Section,
)
from atis.cases.permissions import cases as policy
from atis.cases.selectors import case_for, cases_search, referral_inbox
from atis.codelists.models import Code
from atis.geo.models import Locality
from atis.lib.access import requires
from atis.lib.forms import add_service_errors
from atis.lib.ratelimits import export_rate_limited
from atis.lib.scope import OutOfScope, ScopeKind, get_in_scope_or_404, label_of, reference_of

# Route rules name the permission of the act (atis.accounts.actions); the policy decides the rest.
VIEW = policy.permission("view")
NOTIFY = policy.permission("notify")
EDIT = policy.permission("edit")
IDENTIFY = policy.permission("identify")
REFER = policy.permission("refer")
CLOSE = policy.permission("close")
NOTE = policy.permission("note")
EXPORT = policy.permission("export")
ANSWER = "cases.answer_referral"
OVERRIDE = "cases.override_consent"
PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50


# --- Pages without a COUNT(*) -------------------------------------------------------------


@dataclass
class Page:
    """One page of a list, found by fetching one row more than shown: no count over
    a million cases, only "is there a next page"."""

    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def __iter__(self) -> Any:
        return iter(self.rows)


def _page(queryset: QuerySet[Any], raw_number: str | None, size: int) -> Page:
    number = int(raw_number) if raw_number and raw_number.isdigit() and 0 < int(raw_number) < 100_000 else 1
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size)


def _partial(request: HttpRequest, target: str) -> bool:
    """htmx asks for one part of the page; restoring its history needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == target and not htmx.history_restore_request)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- List and search ----------------------------------------------------------------------


def _list_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows, and nothing more: no identity field is even loaded."""
    return (
        cases.select_related("person", "county")
        .only(
            "public_id",
            "reference",
            "status",
            "notified_on",
            "age_at_identification",
            "minor_at_identification",
            "person__reference",
            "person__sex",
            "county__name",
        )
        .prefetch_related(Prefetch("exploitation_forms", queryset=Code.objects.only("label_en", "label_ro", "order")))
    )


@requires(VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    form = case_forms.CaseFilterForm(request.GET or None)
    page = _page(_list_rows(form.apply(policy.visible(request.user))), request.GET.get("page"), PAGE_SIZE)
    # A list shows victims' records too: which ones this user saw is on file.
    audit_record(
        action="case.list",
        object_type="cases.case",
        details={"page": page.number, "cases": [case.reference for case in page.rows]},
    )
    template = "cases/_rows.html" if _partial(request, "case-rows") else "cases/list.html"
    return render(request, template, {"form": form, "page": page, "query": _query_without_page(request)})


@requires(VIEW)
def case_search(request: HttpRequest) -> HttpResponse:
    form = case_forms.SearchForm(request.POST or None)
    results: list[Case] | None = None
    if request.method == "POST" and form.is_valid():
        results = list(_list_rows(cases_search(request.user, form.cleaned_data["term"]))[:50])
        # The number of results only: the term may be a CNP or a phone number.
        audit_record(action="case.search", object_type="cases.case", details={"results": len(results)})
    return render(request, "cases/search.html", {"form": form, "results": results})


@requires(NOTIFY)
def localities(request: HttpRequest) -> HttpResponse:
    """The <option>s of a county's localities, for the htmx county → locality selects."""
    chosen = next(
        (str(value) for key, value in request.GET.items() if (key == "county" or key.endswith("-county")) and value),
        "",
    )
    found = Locality.objects.filter(county_id=int(chosen)).order_by("name") if chosen.isdigit() else []
    return render(request, "cases/_locality_options.html", {"localities": found})


# --- Opening a case -----------------------------------------------------------------------


def _show_service_errors(error: ValidationError, *forms_in_order: forms.Form) -> None:
    """Put each message beside the field it names, on the first form that has the field."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            target = next((form for form in forms_in_order if field in form.fields), forms_in_order[0])
            target.add_error(field if field in target.fields else None, field_messages)
    else:
        forms_in_order[0].add_error(None, error.messages)


@requires(NOTIFY)
def case_create(request: HttpRequest) -> HttpResponse:
    data = request.POST or None
    person_form = case_forms.PersonForm(data, prefix="person")
    case_form = case_forms.CaseForm(data, prefix="case")
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        try:
            case = services.case_open(
                actor=request.user,
                person=person_form.person_data(),
                case=case_form.case_data(),
                vulnerabilities=person_form.cleaned_data["vulnerabilities"],
                m2m=case_form.m2m_data(),
            )
        except ValidationError as error:
            _show_service_errors(error, case_form, person_form)
        else:
            messages.success(request, _("Case %(reference)s was opened.") % {"reference": case.reference})
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/create.html", {"person_form": person_form, "case_form": case_form})


# --- The case file and its tabs -----------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    url_name: str
    section: str | None  # None: the history, which has its own rule


TABS = (
    Tab("person", gettext_lazy("Person"), "cases:person", Section.PERSON),
    Tab("case", gettext_lazy("Case"), "cases:detail", Section.CASE),
    Tab("events", gettext_lazy("Trafficking events"), "cases:events", Section.EVENTS),
    Tab("consent", gettext_lazy("Consent"), "cases:consent", Section.CASE),
    Tab("referrals", gettext_lazy("Referrals"), "cases:referrals", Section.CASE),
    Tab("proceedings", gettext_lazy("Proceedings"), "cases:proceedings", Section.PROCEEDINGS),
    Tab("notes", gettext_lazy("Notes and attachments"), "cases:notes", Section.NOTES),
    Tab("history", gettext_lazy("History"), "cases:history", None),
)
TAB_BY_KEY = {tab.key: tab for tab in TABS}


def _tab_allowed(tab: Tab, file: CaseFile) -> bool:
    return "see_history" in file.allowed if tab.section is None else tab.section in file.sections


def _assistance_url(case: Case) -> str | None:
    # The assistance module is built separately and may not be installed yet.
    try:
        return reverse("assistance:case", args=[case.public_id])
    except NoReverseMatch:
        return None


@dataclass
class CaseFile:
    case: Case
    sections: set[str]
    allowed: frozenset[str]  # the acts the policy allows this user on this case


def _file(user: Any, case: Case) -> CaseFile:
    return CaseFile(case, policy.sections(user, case), policy.allowed(user, case))


def _open(request: HttpRequest, public_id: Any, tab_key: str, action: str | None = None) -> CaseFile:
    """The case if visible (else 404), the tab if granted (else 404, never 403) and, for a
    page that changes the case, the act allowed (else 403)."""
    file = _file(request.user, case_for(request.user, public_id))
    if not _tab_allowed(TAB_BY_KEY[tab_key], file):
        raise OutOfScope(
            "cases.case", reference_of(file.case), reason=f"tab.{tab_key}", object_label=label_of(file.case)
        )
    if action is not None:
        policy.require(request.user, action, file.case, section=TAB_BY_KEY[tab_key].section)
    return file


def _render_tab(
    request: HttpRequest,
    file: CaseFile,
    tab_key: str,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    case = file.case
    nav = []
    for tab in TABS:
        if _tab_allowed(tab, file):
            nav.append(
                {"key": tab.key, "label": tab.label, "url": reverse(tab.url_name, args=[case.public_id]), "htmx": True}
            )
        if tab.key == "referrals" and Section.ASSISTANCE in file.sections:
            assistance_url = _assistance_url(case)
            if assistance_url:
                nav.append({"key": "assistance", "label": _("Assistance"), "url": assistance_url, "htmx": False})
    page_context = {
        "case": case,
        "sections": file.sections,
        "nav": nav,
        "active_tab": tab_key,
        "tab_template": template,
        "allowed": file.allowed,
        **(context or {}),
    }
    # htmx swaps only the tabs (navigation and body); a plain request gets the whole page.
    full = "cases/_tabs.html" if _partial(request, "case-tabs") else "cases/detail.html"
    return render(request, full, page_context, status=status)


WORKFLOW_FORMS: dict[str, type[forms.Form]] = {
    CaseStatus.IDENTIFIED: case_forms.IdentifyForm,
    CaseStatus.NOT_VICTIM: case_forms.NotVictimForm,
    CaseStatus.ASSISTED: forms.Form,
    CaseStatus.FOLLOW_UP: case_forms.FollowUpForm,
    CaseStatus.CLOSED: case_forms.CloseForm,
}
WORKFLOW_URLS: dict[str, str] = {
    CaseStatus.IDENTIFIED: "cases:identify",
    CaseStatus.NOT_VICTIM: "cases:not_victim",
    CaseStatus.ASSISTED: "cases:start_assistance",
    CaseStatus.FOLLOW_UP: "cases:follow_up",
    CaseStatus.CLOSED: "cases:close",
}
WORKFLOW_LABELS: dict[str, str | Promise] = {
    CaseStatus.IDENTIFIED: gettext_lazy("Identify as a victim"),
    CaseStatus.NOT_VICTIM: gettext_lazy("Not a victim"),
    CaseStatus.ASSISTED: gettext_lazy("Start assistance"),
    CaseStatus.FOLLOW_UP: gettext_lazy("Start follow-up"),
    CaseStatus.CLOSED: gettext_lazy("Close the case"),
}


def _case_tab(request: HttpRequest, file: CaseFile, posted: dict[str, forms.Form] | None = None) -> HttpResponse:
    case = file.case
    posted = posted or {}
    today = timezone.localdate()
    actions = []
    failed = [form for form in posted.values() if form.errors]
    possible = services.TRANSITIONS[case.status]
    # In the order of the workflow, not the (unordered) order of the transition table; each
    # step only for a user the policy allows that act (identify, close, …).
    for target in WORKFLOW_FORMS:
        if target in possible and services.TRANSITION_ACTIONS[target] in file.allowed:
            form = posted.get(target) or WORKFLOW_FORMS[target](prefix=target, initial=_workflow_initial())
            actions.append(
                {"key": target, "label": WORKFLOW_LABELS[target], "url": WORKFLOW_URLS[target], "form": form}
            )
    tasks = list(case.tasks.all())
    context = {
        "actions": actions,
        "action_errors": [error for form in failed for error in form.non_field_errors()],
        "tasks": tasks,
        "task_form": posted.get("task") or case_forms.TaskDoneForm(initial={"done_on": today}),
        "today": today,
        "forms_of_exploitation": case.exploitation_forms.all(),
        "sexual_types": case.sexual_exploitation_types.all(),
        "labour_industries": case.labour_industries.all(),
        "control_methods": case.control_methods.all(),
        "case_details": Case.objects.select_related(
            "notifying_institution",
            "identifying_institution",
            "deciding_institution",
            "child_protection",
            "recruitment_method",
            "recruiter_relation",
            "closure_reason",
        ).get(pk=case.pk),
    }
    return _render_tab(request, file, "case", "cases/tabs/case.html", context)


def _workflow_initial() -> dict[str, Any]:
    today = timezone.localdate()
    return {"identified_on": today, "started_on": today, "closed_on": today}


@requires(VIEW)
def case_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request.user, case_for(request.user, public_id))
    case, sections = file.case, file.sections
    if Section.CASE not in sections:
        # A receiving organisation may hold only some sections: open the first granted one.
        # The identity last: it is opened on purpose, not by landing on the file.
        for tab in sorted(TABS, key=lambda tab: tab.section == Section.PERSON):
            if tab.section and tab.section in sections:
                return redirect(tab.url_name, public_id=case.public_id)
        raise OutOfScope("cases.case", reference_of(case), reason="tab.case", object_label=label_of(case))
    audit_read(case, section=Section.CASE)
    return _case_tab(request, file)


@requires(VIEW)
@read_budget_required
def case_person(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "person")
    person = file.case.person
    audit_read(person, section=Section.PERSON, case=file.case)
    return _render_tab(
        request,
        file,
        "person",
        "cases/tabs/person.html",
        {"person": person, "vulnerabilities": person.vulnerabilities.all()},
    )


@requires(VIEW)
def case_events(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "events")
    audit_read(file.case, section=Section.EVENTS)
    events = file.case.events.select_related("county", "locality")
    return _render_tab(request, file, "events", "cases/tabs/events.html", {"events": events})


def _consent_context(file: CaseFile, posted: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    posted = posted or {}
    consents = file.case.consents.select_related("organisation").prefetch_related(
        Prefetch(
            "referrals",
            queryset=Referral.objects.filter(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED)).select_related(
                "to_organisation"
            ),
            to_attr="open_referrals",
        )
    )
    return {
        "consents": consents,
        "consent_form": posted.get("record") or case_forms.ConsentForm(initial={"given_on": timezone.localdate()}),
        "withdraw_form": posted.get("withdraw"),
        "today": timezone.localdate(),
    }


@requires(VIEW)
def case_consent(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "consent")
    audit_read(file.case, section="consent")
    return _render_tab(request, file, "consent", "cases/tabs/consent.html", _consent_context(file))


def _referrals_of(user: Any, case: Case) -> QuerySet[Referral]:
    """A receiving organisation sees only the referrals made to it, not where else the
    person was sent."""
    referrals = case.referrals.select_related(
        "from_organisation", "to_organisation", "reason", "sent_by", "answered_by"
    ).prefetch_related("services")
    membership = active_membership(user)
    organisation_id = membership.organisation_id if membership else None
    if scope_of(user).kind == ScopeKind.ORGANISATION and organisation_id not in (
        case.owner_organisation_id,
        case.centre_id,
    ):
        referrals = referrals.filter(to_organisation_id=organisation_id)
    return referrals


def _referrals_context(request: HttpRequest, file: CaseFile, form: forms.Form | None = None) -> dict[str, Any]:
    may_override = request.user.has_perm(OVERRIDE)
    labels = dict(Section.choices)
    referrals = list(_referrals_of(request.user, file.case))
    for referral in referrals:
        referral.section_labels = [labels.get(section, section) for section in referral.sections]  # type: ignore[attr-defined]
    return {
        "referrals": referrals,
        "referral_form": form or case_forms.ReferralForm(may_override=may_override),
        "may_override": may_override,
        "open_statuses": (ReferralStatus.SENT, ReferralStatus.ACCEPTED),
        # A workflow rule, not a permission: whether this user may refer is in `allowed`.
        "referable": file.case.status not in (CaseStatus.CLOSED, CaseStatus.NOT_VICTIM),
    }


@requires(VIEW)
def case_referrals(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "referrals")
    audit_read(file.case, section="referrals")
    return _render_tab(request, file, "referrals", "cases/tabs/referrals.html", _referrals_context(request, file))


@requires(VIEW)
def case_proceedings(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "proceedings")
    audit_read(file.case, section=Section.PROCEEDINGS)
    proceedings = file.case.proceedings.select_related("prosecuting_unit")
    return _render_tab(request, file, "proceedings", "cases/tabs/proceedings.html", {"proceedings": proceedings})


def _notes_context(file: CaseFile, posted: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    posted = posted or {}
    notes = [
        # Sanitised when written; sanitised again here so a value written around the
        # service (a restore, a migration) still cannot carry a script into the page.
        (note, mark_safe(nh3.clean(note.body, tags=services.NOTE_TAGS, attributes={})))  # noqa: S308
        for note in file.case.notes.select_related("author", "author_organisation")
    ]
    return {
        "notes": notes,
        "attachments": file.case.attachments.select_related("uploaded_by", "uploaded_by_organisation"),
        "note_form": posted.get("note") or case_forms.NoteForm(),
        "attachment_form": posted.get("attachment") or case_forms.AttachmentForm(),
        "max_bytes": attachments.max_bytes(),
    }


@requires(VIEW)
def case_notes(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "notes")
    audit_read(file.case, section=Section.NOTES)
    return _render_tab(request, file, "notes", "cases/tabs/notes.html", _notes_context(file))


@requires(VIEW)
def case_history(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "history")
    case = file.case
    audit_read(case, section="history")
    page = _page(history.entries_of(case), request.GET.get("page"), HISTORY_PAGE_SIZE)
    return _render_tab(
        request,
        file,
        "history",
        "cases/tabs/history.html",
        {"page": page, "lines": history.timeline(page.rows), "query": ""},
    )


# --- Editing with a version check ---------------------------------------------------------


@requires(EDIT)
def case_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "case", "edit")
    case = file.case
    form = case_forms.CaseEditForm(
        request.POST or None, case=case, initial=_with_version(case_forms.CaseForm.initial_for(case), case.version)
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                data=form.case_data(),
                m2m=form.m2m_data(),
            )
        except services.ConflictError as error:
            # Show what is saved now, never the stale copy, so nothing is overwritten blindly.
            conflict = str(error)
            file = _open(request, public_id, "case")
            case = file.case
            form = case_forms.CaseEditForm(
                case=case, initial=_with_version(case_forms.CaseForm.initial_for(case), case.version)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("cases:detail", public_id=case.public_id)
    else:
        audit_read(case, section=Section.CASE)
    return _render_tab(request, file, "case", "cases/tabs/case_form.html", {"form": form, "conflict": conflict})


@requires(EDIT)
def person_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "person", "edit")
    person = file.case.person
    form = case_forms.PersonEditForm(
        request.POST or None,
        person=person,
        initial=_with_version(case_forms.PersonForm.initial_for(person), person.version),
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                case=file.case,
                expected_version=form.cleaned_data["version"],
                data=form.person_data(),
                vulnerabilities=form.cleaned_data["vulnerabilities"],
            )
        except services.ConflictError as error:
            conflict = str(error)
            file = _open(request, public_id, "person")
            person = file.case.person
            form = case_forms.PersonEditForm(
                person=person, initial=_with_version(case_forms.PersonForm.initial_for(person), person.version)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person's details were saved."))
            return redirect("cases:person", public_id=file.case.public_id)
    else:
        audit_read(person, section=Section.PERSON, case=file.case)
    return _render_tab(request, file, "person", "cases/tabs/person_form.html", {"form": form, "conflict": conflict})


def _errors_as_messages(request: HttpRequest, form: forms.Form) -> None:
    """For the small forms of a list row (withdraw, revoke), whose fields are not shown again."""
    for field_errors in form.errors.values():
        for error in field_errors:
            messages.error(request, str(error))


def _with_version(initial: dict[str, Any], version: int) -> dict[str, Any]:
    return {**initial, "version": version}


# --- Workflow -----------------------------------------------------------------------------


def _workflow(
    request: HttpRequest,
    public_id: Any,
    target: str,
    act: Callable[[Case, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    file = _open(request, public_id, "case", services.TRANSITION_ACTIONS[target])
    form = WORKFLOW_FORMS[target](request.POST, prefix=target)
    if form.is_valid():
        try:
            act(file.case, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("cases:detail", public_id=file.case.public_id)
    # The case may have changed under the refused action: show it as it is now.
    return _case_tab(request, _file(request.user, case_for(request.user, public_id)), {target: form})


@require_POST
@requires(IDENTIFY)
def case_identify(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _workflow(
        request,
        public_id,
        CaseStatus.IDENTIFIED,
        lambda case, data: services.case_identify(actor=request.user, case=case, **data),
        _("The person was identified as a victim; the recovery and reflection period has started."),
    )


@require_POST
@requires(IDENTIFY)
def case_not_victim(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _workflow(
        request,
        public_id,
        CaseStatus.NOT_VICTIM,
        lambda case, data: services.case_mark_not_victim(actor=request.user, case=case, **data),
        _("The case records that the person is not a victim."),
    )


@require_POST
@requires(EDIT)
def case_start_assistance(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _workflow(
        request,
        public_id,
        CaseStatus.ASSISTED,
        lambda case, data: services.case_start_assistance(actor=request.user, case=case),
        _("Assistance has started."),
    )


@require_POST
@requires(EDIT)
def case_follow_up(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _workflow(
        request,
        public_id,
        CaseStatus.FOLLOW_UP,
        lambda case, data: services.case_start_follow_up(actor=request.user, case=case, **data),
        _("Follow-up has started; the follow-up visits are scheduled."),
    )


@require_POST
@requires(CLOSE)
def case_close(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _workflow(
        request,
        public_id,
        CaseStatus.CLOSED,
        lambda case, data: services.case_close(actor=request.user, case=case, **data),
        _("The case was closed."),
    )


@require_POST
@requires(EDIT)
def task_done(request: HttpRequest, public_id: Any, kind: str) -> HttpResponse:
    file = _open(request, public_id, "case", "edit")
    task = file.case.tasks.filter(kind=kind).first()
    if task is None:
        raise Http404
    form = case_forms.TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            services.task_complete(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task is marked as done."))
            return redirect("cases:detail", public_id=file.case.public_id)
    return _case_tab(request, file, {"task": form})


# --- Consent ------------------------------------------------------------------------------


@require_POST
@requires(EDIT)
def consent_record(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "consent", "edit")
    form = case_forms.ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(actor=request.user, case=file.case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("cases:consent", public_id=file.case.public_id)
    return _render_tab(request, file, "consent", "cases/tabs/consent.html", _consent_context(file, {"record": form}))


@require_POST
@requires(EDIT)
def consent_withdraw(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "consent", "edit")
    form = case_forms.ConsentWithdrawForm(request.POST)
    if form.is_valid():
        consent = get_in_scope_or_404(file.case.consents.all(), pk=form.cleaned_data["consent"])
        try:
            revoked = services.consent_withdraw(
                actor=request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The consent was withdrawn. Referrals revoked because they relied on it: %(count)d.")
                % {"count": revoked},
            )
            return redirect("cases:consent", public_id=file.case.public_id)
    _errors_as_messages(request, form)
    return _render_tab(request, file, "consent", "cases/tabs/consent.html", _consent_context(file))


# --- Referrals ----------------------------------------------------------------------------


@require_POST
@requires(REFER)
def referral_send(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "referrals", "refer")
    form = case_forms.ReferralForm(request.POST, may_override=request.user.has_perm(OVERRIDE))
    if form.is_valid():
        try:
            referral = services.referral_send(actor=request.user, case=file.case, request=form.request())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The referral to %(organisation)s was sent.") % {"organisation": referral.to_organisation}
            )
            return redirect("cases:referrals", public_id=file.case.public_id)
    return _render_tab(request, file, "referrals", "cases/tabs/referrals.html", _referrals_context(request, file, form))


@require_POST
@requires(REFER)
def referral_revoke(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = get_in_scope_or_404(
        Referral.objects.filter(case__in=policy.visible(request.user)).select_related("case"), public_id=public_id
    )
    if Section.CASE not in policy.sections(request.user, referral.case):
        raise OutOfScope(
            "cases.referral", reference_of(referral), reason="referral.revoke", object_label=label_of(referral)
        )
    policy.require(request.user, "refer", referral.case)
    form = case_forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.referral_revoke(actor=request.user, referral=referral, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The referral was revoked; the organisation no longer sees the case."))
    else:
        messages.error(request, _("Say why the referral is revoked."))
    return redirect("cases:referrals", public_id=referral.case.public_id)


def _incoming(request: HttpRequest, public_id: Any) -> Referral:
    """A referral made to the user's own organisation, or 404."""
    membership = active_membership(request.user)
    if membership is None:
        raise Http404
    return get_in_scope_or_404(
        Referral.objects.filter(to_organisation_id=membership.organisation_id).select_related("case"),
        public_id=public_id,
    )


@requires(ANSWER)
def referral_inbox_view(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request.user)
    in_progress = (
        Referral.objects.filter(to_organisation_id=membership.organisation_id, status=ReferralStatus.ACCEPTED)
        .select_related("case", "from_organisation")
        .prefetch_related("services")
        .order_by("answered_at")
        if membership
        else Referral.objects.none()
    )
    waiting = referral_inbox(request.user).prefetch_related("services")
    return render(
        request,
        "cases/referral_inbox.html",
        {"waiting": waiting, "in_progress": in_progress, "reject_form": case_forms.ReasonForm()},
    )


def _answer(request: HttpRequest, public_id: Any, act: Callable[[Referral], Any], done: str) -> HttpResponse:
    referral = _incoming(request, public_id)
    try:
        act(referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("cases:referral_inbox")


@require_POST
@requires(ANSWER)
def referral_accept(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _answer(
        request,
        public_id,
        lambda referral: services.referral_accept(actor=request.user, referral=referral),
        _("The referral was accepted: the case is now open to your organisation."),
    )


@require_POST
@requires(ANSWER)
def referral_reject(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _answer(
        request,
        public_id,
        lambda referral: services.referral_reject(
            actor=request.user, referral=referral, reason=request.POST.get("reason", "")[:300]
        ),
        _("The referral was rejected."),
    )


@require_POST
@requires(ANSWER)
def referral_complete(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _answer(
        request,
        public_id,
        lambda referral: services.referral_complete(actor=request.user, referral=referral),
        _("The referral is marked as completed."),
    )


# --- Events and proceedings ---------------------------------------------------------------


@requires(EDIT)
def event_edit(request: HttpRequest, public_id: Any, event_id: int | None = None) -> HttpResponse:
    file = _open(request, public_id, "events", "edit")
    event = get_in_scope_or_404(file.case.events.all(), pk=event_id) if event_id is not None else None
    initial = case_forms.EventForm.initial_for(event) if event else {"country": "RO"}
    form = case_forms.EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                services.event_add(actor=request.user, case=file.case, data=form.event_data())
            else:
                services.event_update(actor=request.user, event=event, data=form.event_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("cases:events", public_id=file.case.public_id)
    elif event is not None:
        audit_read(file.case, section=Section.EVENTS)
    return _render_tab(request, file, "events", "cases/tabs/event_form.html", {"form": form, "event": event})


@require_POST
@requires(EDIT)
def event_delete(request: HttpRequest, public_id: Any, event_id: int) -> HttpResponse:
    file = _open(request, public_id, "events", "edit")
    event = get_in_scope_or_404(file.case.events.all(), pk=event_id)
    services.event_delete(actor=request.user, event=event)
    messages.success(request, _("The event was deleted."))
    return redirect("cases:events", public_id=file.case.public_id)


@requires(EDIT)
def proceeding_edit(request: HttpRequest, public_id: Any, proceeding_id: int | None = None) -> HttpResponse:
    file = _open(request, public_id, "proceedings", "edit")
    proceeding = (
        get_in_scope_or_404(file.case.proceedings.all(), pk=proceeding_id) if proceeding_id is not None else None
    )
    initial = case_forms.ProceedingForm.initial_for(proceeding) if proceeding else {"updated_on": timezone.localdate()}
    form = case_forms.ProceedingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_save(
                actor=request.user, case=file.case, proceeding=proceeding, data=form.proceeding_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The proceeding was saved."))
            return redirect("cases:proceedings", public_id=file.case.public_id)
    elif proceeding is not None:
        audit_read(file.case, section=Section.PROCEEDINGS)
    return _render_tab(
        request, file, "proceedings", "cases/tabs/proceeding_form.html", {"form": form, "proceeding": proceeding}
    )


# --- Notes and attachments ----------------------------------------------------------------


@require_POST
@requires(NOTE)
def note_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "notes", "note")
    form = case_forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.user, case=file.case, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note was added."))
            return redirect("cases:notes", public_id=file.case.public_id)
    return _render_tab(request, file, "notes", "cases/tabs/notes.html", _notes_context(file, {"note": form}))


@require_POST
@requires(NOTE)
def attachment_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _open(request, public_id, "notes", "note")
    form = case_forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                case=file.case,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The file was added."))
            return redirect("cases:notes", public_id=file.case.public_id)
    return _render_tab(
        request, file, "notes", "cases/tabs/notes.html", _notes_context(file, {"attachment": form}), status=400
    )


@requires(VIEW)
def attachment_download(request: HttpRequest, public_id: Any, attachment_id: Any) -> FileResponse:
    file = _open(request, public_id, "notes")
    attachment = get_in_scope_or_404(file.case.attachments.all(), public_id=attachment_id)
    try:
        # Decrypted here only, for a user the scope and the notes section allow.
        content = attachments.read(attachment.storage_name, attachment.file_key)
    except attachments.Unreadable:
        raise Http404 from None
    audit_record(action="attachment.download", obj=file.case, details={"attachment": str(attachment.public_id)})
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=attachments.download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were talked into rendering it, the file may run and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response


# --- Export -------------------------------------------------------------------------------


@requires(VIEW, EXPORT)
@step_up_required
@export_rate_limited
def export_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    case = case_for(request.user, public_id)
    content = pdf.case_export(actor=request.user, case=case)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
