"""Background work of the statistics domain (eager, in-process, outside production)."""

from __future__ import annotations

import contextlib

from celery import shared_task
from django.contrib.auth import get_user_model

from atis.lib import request_context
from atis.statistics import annual, imports, services
from atis.statistics.models import AnnualReport, ImportRun


# Delivered again if the worker dies while building (the build starts over and a finished
# report is never rebuilt); a build hung past ten minutes is stopped and shown as failed.
@shared_task(name="statistics.build_annual_report", reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def build_annual_report(report_id: int) -> str:
    requester_id = AnnualReport.objects.values_list("requested_by_id", flat=True).get(pk=report_id)
    # Run eagerly inside a request, the task keeps that request's context for the audit.
    context = (
        contextlib.nullcontext()
        if request_context.current().user is not None
        else request_context.acting_as(get_user_model().objects.get(pk=requester_id), channel="task")
    )
    with context:
        return str(annual.annual_report_build(report_id=report_id).status)


@shared_task(name="statistics.move_county_figures", reject_on_worker_lost=True)
def move_county_figures(county_id: int) -> int:
    """Recount a county given to another centre, `services.RECOUNT_STEP` victims per
    transaction, so case changes wait at most one step for the counts' lock. Resumes where it
    stopped when delivered again: it recounts only victims still counted for another centre."""
    moved = 0
    while step := services.coverage_move_step(county_id):
        moved += step
    return moved


@shared_task(name="statistics.run_import", reject_on_worker_lost=True, soft_time_limit=3600, time_limit=3660)
def run_import(run_id: int) -> str:
    """An uploaded GLOTIP or CTDC file, imported in the background. Delivered again after the
    worker died, it starts over: the import is one transaction, so nothing of it was kept."""
    requester_id = ImportRun.objects.values_list("requested_by_id", flat=True).get(pk=run_id)
    context = (
        contextlib.nullcontext()
        if request_context.current().user is not None or requester_id is None
        else request_context.acting_as(get_user_model().objects.get(pk=requester_id), channel="task")
    )
    with context:
        try:
            run = imports.import_run(run_id, progress=imports.progress_saver(run_id))
        except imports.ImportRefused:
            run = ImportRun.objects.get(pk=run_id)
        except Exception:  # recorded as failed by import_run; the page says so
            run = ImportRun.objects.get(pk=run_id)
        return str(run.status)
