"""Strategy screens: the action plan, reporting rounds, reports and their review, the
implementation dashboard and evaluations.

Views parse input, call one service and render; every write answers with a redirect
(post/redirect/get) and a refused write shows the form again with the service's message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atis.audit.services import audit_record
from atis.cases import attachments
from atis.lib import charts
from atis.lib.access import requires, staff
from atis.lib.forms import add_service_errors
from atis.lib.ratelimits import export_rate_limited
from atis.strategy import evaluation as documents
from atis.strategy import forms, selectors, services, tasks, xlsx
from atis.strategy.models import (
    ActivityReport,
    EvaluationStatus,
    Implementation,
    ReportingRound,
    ReportState,
    StrategyStatus,
)

VIEW = selectors.VIEW
COORDINATE = selectors.COORDINATE
REPORT = selectors.REPORT
FIGURES = selectors.FIGURES


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Strategies and the action plan ------------------------------------------------------------


@staff
def strategy_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_perm(VIEW) or user.has_perm(FIGURES)):
        raise PermissionDenied
    return render(
        request,
        "strategy/list.html",
        {
            "strategies": selectors.strategies_visible_to(user).select_related("predecessor"),
            "can_coordinate": user.has_perm(COORDINATE),
            "can_view": user.has_perm(VIEW),
            "can_see_figures": user.has_perm(FIGURES),
            "reminders": selectors.reminders_for(user) if user.has_perm(VIEW) else [],
        },
    )


@requires(COORDINATE)
def strategy_create(request: HttpRequest) -> HttpResponse:
    form = forms.StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.strategy_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The strategy was created. Import its action plan next."))
            return redirect("strategy:detail", public_id=strategy.public_id)
    return render(request, "strategy/form.html", {"form": form, "heading": _("New strategy")})


@requires(VIEW)
def strategy_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = request.user
    strategy = selectors.strategy_for(user, public_id)
    return render(
        request,
        "strategy/detail.html",
        {
            "strategy": strategy,
            "plan": selectors.action_plan(user, strategy),
            "rounds": strategy.rounds.all(),
            "evaluations": strategy.evaluations.all() if user.has_perm(FIGURES) else [],
            "can_coordinate": user.has_perm(COORDINATE),
            "can_see_figures": user.has_perm(FIGURES),
            "round_form": forms.RoundForm(),
            "evaluation_form": forms.EvaluationCreateForm(rounds=strategy.rounds.all()),
            "successors": strategy.successors.all(),
            "next_status": status_choices_for(strategy.status),
        },
    )


@requires(COORDINATE)
@require_POST
def strategy_status(request: HttpRequest, public_id: Any) -> HttpResponse:
    strategy = selectors.strategy_for(request.user, public_id)
    try:
        services.strategy_set_status(actor=request.user, strategy=strategy, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The status of the strategy was changed."))
    return redirect("strategy:detail", public_id=strategy.public_id)


@requires(COORDINATE)
def plan_template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(xlsx.template_xlsx(), "plan-de-actiune-sablon.xlsx")


@requires(VIEW)
@export_rate_limited
def plan_export(request: HttpRequest, public_id: Any) -> HttpResponse:
    strategy = selectors.strategy_for(request.user, public_id)
    activities = [
        activity
        for general in selectors.action_plan(request.user, strategy)
        for specific in general.specifics
        for activity in specific.activities
    ]
    content = xlsx.export_xlsx(strategy, activities)
    audit_record(action="strategy.plan_export", obj=strategy, details={"activities": len(activities)})
    return _xlsx_response(content, f"plan-{strategy.start_year}-{strategy.end_year}.xlsx")


@requires(COORDINATE)
def plan_import(request: HttpRequest, public_id: Any) -> HttpResponse:
    strategy = selectors.strategy_for(request.user, public_id)
    form = forms.PlanImportForm(request.POST or None, request.FILES or None)
    errors: list[list[Any]] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.check_plan_replaceable(actor=request.user, strategy=strategy)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            stored = attachments.store(form.cleaned_data["file"])
            result = tasks.import_action_plan.delay(
                storage_name=stored.name,
                strategy_id=strategy.pk,
                actor_id=request.user.pk,
                language=translation.get_language() or "ro",
            ).get()
            if result["ok"]:
                messages.success(
                    request,
                    _("The action plan was imported: %(activities)d activities, %(indicators)d indicators.") % result,
                )
                return redirect("strategy:detail", public_id=strategy.public_id)
            errors = result["errors"]
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request, "strategy/import.html", {"strategy": strategy, "form": form, "errors": errors}, status=status
    )


@requires(COORDINATE)
def carry_over(request: HttpRequest, public_id: Any) -> HttpResponse:
    source = selectors.strategy_for(request.user, public_id)
    initial = {
        "title": source.title,
        "start_year": source.end_year + 2,
        "end_year": source.end_year + 6,
    }
    form = forms.CarryOverForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            target, copied = services.strategy_carry_over(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("A new draft was created with %(count)d unfinished activities.") % {"count": copied}
            )
            return redirect("strategy:detail", public_id=target.public_id)
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "heading": _("Carry unfinished activities into a new strategy"),
            "intro": _(
                "Activities of %(strategy)s that were not completed or cancelled are copied into a new draft,"
                " each linked to its reports so far."
            )
            % {"strategy": source},
        },
    )


@requires(VIEW)
def activity_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    activity = selectors.activity_for(request.user, public_id)
    return render(
        request,
        "strategy/activity.html",
        {
            "activity": activity,
            "indicators": activity.indicators.all(),
            "partners": activity.partners.all(),
            "history": selectors.activity_history(activity),
            "carried_into": activity.carried_into.select_related("strategy"),
        },
    )


# --- Rounds and reports ----------------------------------------------------------------------------


@requires(COORDINATE)
@require_POST
def round_open(request: HttpRequest, public_id: Any) -> HttpResponse:
    strategy = selectors.strategy_for(request.user, public_id)
    form = forms.RoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.round_open(actor=request.user, strategy=strategy, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The reporting round is open."))
            return redirect("strategy:round", public_id=round_.public_id)
    messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
    return redirect("strategy:detail", public_id=strategy.public_id)


@requires(VIEW)
def round_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    round_ = selectors.round_for(request.user, public_id)
    lines = selectors.round_lines(request.user, round_)
    return render(
        request,
        "strategy/round.html",
        {
            "round": round_,
            "lines": lines,
            "progress": selectors.round_progress(lines),
            "can_coordinate": request.user.has_perm(COORDINATE),
            "can_report": request.user.has_perm(REPORT),
            "overdue": round_.is_open and round_.due_on < timezone.localdate(),
        },
    )


@requires(COORDINATE)
@require_POST
def round_close(request: HttpRequest, public_id: Any) -> HttpResponse:
    round_ = selectors.round_for(request.user, public_id)
    try:
        services.round_close(actor=request.user, round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is closed."))
    return redirect("strategy:round", public_id=round_.public_id)


def _report_page(
    request: HttpRequest,
    round_: ReportingRound,
    report: ActivityReport | None,
    activity: Any,
    *,
    form: forms.ReportForm | None = None,
    evidence_form: forms.EvidenceForm | None = None,
    review_form: forms.ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    indicators = list(activity.indicators.all())
    may_report = (
        user.has_perm(REPORT)
        and activity.responsible_id == selectors.organisation_id_of(user)
        and round_.is_open
        and (report is None or report.editable)
    )
    if may_report and form is None:
        initial: dict[str, Any] = {}
        if report is not None:
            initial = {
                "implementation": report.implementation,
                "narrative": report.narrative,
                "difficulties": report.difficulties,
                "difficulty_kind": report.difficulty_kind,
                "version": report.version,
            }
            initial.update({f"indicator_{value.indicator_id}": value.value for value in report.values.all()})
        form = forms.ReportForm(initial=initial, indicators=indicators)
    may_review = (
        user.has_perm(COORDINATE) and report is not None and report.state == ReportState.SUBMITTED and round_.is_open
    )
    values = {value.indicator_id: value.value for value in report.values.all()} if report else {}
    return render(
        request,
        "strategy/report.html",
        {
            "round": round_,
            "activity": activity,
            "report": report,
            "indicator_values": [(indicator, values.get(indicator.pk)) for indicator in indicators],
            "form": form if may_report else None,
            "evidence_form": (evidence_form or forms.EvidenceForm()) if may_report and report else None,
            "review_form": (review_form or forms.ReviewForm()) if may_review else None,
            "may_submit": may_report and report is not None,
            "evidence": report.evidence.all() if report else [],
            "history": selectors.report_history(report) if report else [],
        },
        status=status,
    )


@requires(REPORT)
def report_edit(request: HttpRequest, public_id: Any, activity_id: Any) -> HttpResponse:
    """The reporter's form for one activity in one round (the report is created on first save)."""
    round_ = selectors.round_for(request.user, public_id)
    activity = selectors.activity_for(request.user, activity_id)
    if activity.strategy_id != round_.strategy_id:
        raise Http404
    report = ActivityReport.objects.filter(round=round_, activity=activity).first()
    if request.method != "POST":
        return _report_page(request, round_, report, activity)
    form = forms.ReportForm(request.POST, indicators=list(activity.indicators.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_save(
                actor=request.user,
                round_=round_,
                activity=activity,
                implementation=data["implementation"],
                narrative=data["narrative"],
                difficulties=data["difficulties"],
                difficulty_kind=data["difficulty_kind"],
                values=form.values(),
                version=data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report was saved. Submit it when it is complete."))
            return redirect("strategy:report", public_id=report.public_id)
    return _report_page(request, round_, report, activity, form=form, status=400)


@requires(VIEW)
def report_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    report = selectors.report_for(request.user, public_id)
    audit_record(action="read", obj=report, details={"section": "strategy_report"})
    return _report_page(request, report.round, report, report.activity)


@requires(REPORT)
@require_POST
def report_submit(request: HttpRequest, public_id: Any) -> HttpResponse:
    report = selectors.report_for(request.user, public_id)
    try:
        services.report_submit(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report was sent to the coordinator."))
    return redirect("strategy:report", public_id=report.public_id)


@requires(COORDINATE)
@require_POST
def report_review(request: HttpRequest, public_id: Any) -> HttpResponse:
    report = selectors.report_for(request.user, public_id)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.report_accept(actor=request.user, report=report, comment=form.cleaned_data["comment"])
                messages.success(request, _("The report was accepted."))
            else:
                services.report_return(actor=request.user, report=report, comment=form.cleaned_data["comment"])
                messages.success(request, _("The report was returned to the institution."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("strategy:round", public_id=report.round.public_id)
    return _report_page(request, report.round, report, report.activity, review_form=form, status=400)


@requires(REPORT)
@require_POST
def evidence_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    report = selectors.report_for(request.user, public_id)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(actor=request.user, report=report, upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The file was added."))
            return redirect("strategy:report", public_id=report.public_id)
    return _report_page(request, report.round, report, report.activity, evidence_form=form, status=400)


@requires(VIEW)
def evidence_download(request: HttpRequest, public_id: Any) -> FileResponse:
    evidence = selectors.evidence_for(request.user, public_id)
    try:
        handle = attachments.path_of(evidence.storage_name).open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    audit_record(action="strategy.evidence_download", obj=evidence.report, details={"file": str(evidence.public_id)})
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachments.download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response


# --- Figures and evaluation ----------------------------------------------------------------------


def _status_chart(title: str, tallies: list[selectors.Tally]) -> dict[str, Any]:
    """Stacked horizontal bars: the share of each status in each group."""
    spec = charts.bar_chart(title, [tally.label for tally in tallies], [0] * len(tallies), horizontal=True)
    labels = [tally.label[:60] for tally in tallies][::-1]
    spec["data"] = [
        {
            "type": "bar",
            "orientation": "h",
            "name": selectors.status_label(status),
            "y": labels,
            "x": [tally.share(status) for tally in tallies][::-1],
        }
        for status in selectors.STATUS_ORDER
    ]
    spec["layout"]["barmode"] = "stack"
    spec["layout"]["xaxis"] = {"title": {"text": "%"}, "range": [0, 100]}
    spec["layout"]["margin"]["l"] = 320
    return spec


@requires(FIGURES)
def dashboard(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = request.user
    strategy = selectors.strategy_for(user, public_id)
    rounds = list(strategy.rounds.all())
    chosen = next((r for r in rounds if str(r.public_id) == request.GET.get("round")), None)
    figures = selectors.implementation(user, strategy, chosen)
    chart_specs = {
        "chart-objective": _status_chart(_("Implementation by objective"), figures.by_objective),
        "chart-institution": _status_chart(_("Implementation by institution"), figures.by_institution),
        "chart-period": charts.bar_chart(
            _("Activities completed, by period"),
            [r.title for r in reversed(rounds)],
            [
                selectors.implementation(user, strategy, r).overall.counts[Implementation.COMPLETED]
                for r in reversed(rounds)
            ],
            value_title=_("activities"),
        ),
    }
    return render(
        request,
        "strategy/dashboard.html",
        {
            "strategy": strategy,
            "rounds": rounds,
            "chosen": chosen,
            "figures": figures,
            "statuses": [(status, selectors.status_label(status)) for status in selectors.STATUS_ORDER],
            "overdue": [r for r in selectors.overdue_reports(user) if r.round.strategy_id == strategy.pk]
            if user.has_perm(VIEW)
            else [],
            "charts": chart_specs,
            "plotly_js": charts.PLOTLY_JS,
        },
    )


@requires(COORDINATE)
@require_POST
def evaluation_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    strategy = selectors.strategy_for(request.user, public_id)
    form = forms.EvaluationCreateForm(request.POST, rounds=strategy.rounds.all())
    if not form.is_valid():
        messages.error(request, _("Choose a period of this strategy."))
        return redirect("strategy:detail", public_id=strategy.public_id)
    evaluation = services.evaluation_create(actor=request.user, strategy=strategy, round_=form.cleaned_data["round"])
    return redirect("strategy:evaluation", public_id=evaluation.public_id)


@requires(FIGURES)
def evaluation_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    evaluation = selectors.evaluation_for(request.user, public_id)
    editable = request.user.has_perm(COORDINATE) and evaluation.status == EvaluationStatus.DRAFT
    form = forms.EvaluationForm(
        request.POST or None,
        initial={"conclusions": evaluation.conclusions, "recommendations": evaluation.recommendations},
    )
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.evaluation_update(actor=request.user, evaluation=evaluation, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The evaluation was saved."))
                return redirect("strategy:evaluation", public_id=evaluation.public_id)
        status = 400
    context = documents.evaluation_context(request.user, evaluation)
    context.update({"form": form if editable else None, "editable": editable})
    return render(request, "strategy/evaluation.html", context, status=status)


def _evaluation_filename(evaluation: Any, extension: str) -> str:
    return f"{slugify(evaluation.title)[:80] or 'evaluare'}.{extension}"


@requires(FIGURES)
@export_rate_limited
def evaluation_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    evaluation = selectors.evaluation_for(request.user, public_id)
    response = HttpResponse(
        documents.evaluation_pdf(actor=request.user, evaluation=evaluation), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{_evaluation_filename(evaluation, "pdf")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(FIGURES)
@export_rate_limited
def evaluation_xlsx(request: HttpRequest, public_id: Any) -> HttpResponse:
    evaluation = selectors.evaluation_for(request.user, public_id)
    return _xlsx_response(
        documents.evaluation_xlsx(actor=request.user, evaluation=evaluation),
        _evaluation_filename(evaluation, "xlsx"),
    )


@requires(COORDINATE)
@require_POST
def evaluation_publish(request: HttpRequest, public_id: Any) -> HttpResponse:
    evaluation = selectors.evaluation_for(request.user, public_id)
    try:
        services.evaluation_publish(
            actor=request.user, evaluation=evaluation, visibility=request.POST.get("visibility", "internal")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evaluation was published to the document library."))
    return redirect("strategy:evaluation", public_id=evaluation.public_id)


def status_choices_for(strategy_status: str) -> list[tuple[str, str]]:
    """The next statuses a strategy may take, for the buttons of its page."""
    following = {StrategyStatus.DRAFT: StrategyStatus.IN_FORCE, StrategyStatus.IN_FORCE: StrategyStatus.CLOSED}
    nxt = following.get(StrategyStatus(strategy_status))
    return [(nxt.value, str(nxt.label))] if nxt else []
