"""Background work of the statistics domain (eager, in-process, outside production)."""

from __future__ import annotations

import contextlib

from celery import shared_task
from django.contrib.auth import get_user_model

from atis.lib import request_context
from atis.statistics import annual
from atis.statistics.models import AnnualReport


@shared_task(name="statistics.build_annual_report")
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
