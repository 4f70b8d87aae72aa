"""Background work of the strategy domain (eager outside production)."""

from __future__ import annotations

import contextlib
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import translation

from atis.cases import attachments
from atis.lib import request_context
from atis.strategy import xlsx
from atis.strategy.models import Strategy


@shared_task
def import_action_plan(*, storage_name: str, strategy_id: int, actor_id: int, language: str) -> dict[str, Any]:
    """Import a stored workbook; the result says what was created or lists every error.

    The file is removed afterwards either way: an import file is not kept.
    """
    actor = get_user_model().objects.get(pk=actor_id)
    strategy = Strategy.objects.get(pk=strategy_id)
    path = attachments.path_of(storage_name)
    # Run eagerly inside a request, the task keeps that request's context (IP, request id) for the audit.
    context = (
        contextlib.nullcontext()
        if request_context.current().user is not None
        else request_context.acting_as(actor, channel="task")
    )
    try:
        with translation.override(language), context, path.open("rb") as handle:
            try:
                summary = xlsx.import_plan(actor=actor, strategy=strategy, handle=handle)
            except xlsx.ImportRejected as rejected:
                return {
                    "ok": False,
                    "errors": [[error.row, error.column, error.message] for error in rejected.errors],
                }
    finally:
        attachments.discard(storage_name)
    return {"ok": True, **summary.__dict__}
