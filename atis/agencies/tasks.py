"""Imports run as a Celery task, so a large registry does not hold a web request (eager,
in-process, outside production)."""

from __future__ import annotations

from celery import shared_task

from atis.agencies.services import agency_import_run


@shared_task(name="agencies.run_import")
def run_import(job_id: int) -> str:
    return str(agency_import_run(job_id=job_id).status)
