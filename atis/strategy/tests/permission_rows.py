"""The strategy URLs in the permission matrix (see atis.core.tests.matrix).

The scene: a strategy in force with an activity of the reporter's institution (Test ITM Iași)
and one of the Iași police; an open round; the reporter's draft report with one evidence
file; an evaluation. The coordination does everything but report; the reporter reads its own
institution's work (the police activity answers 404) and reports; analysts see figures and
evaluations only. Writes are POST only, so a GET by a role that may write answers 405.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import NOT_ALLOWED, NOT_FOUND, REDIRECT, Row, only

COORDINATOR = {"coordinator"}
READERS = {"coordinator", "reporter"}
FIGURES = {"coordinator", "analyst", "analyst_iasi"}

ROWS: dict[str, Row] = {
    "strategy:list": (None, only(READERS | FIGURES), REDIRECT),
    "strategy:create": (None, only(COORDINATOR), REDIRECT),
    "strategy:plan_template": (None, only(COORDINATOR), REDIRECT),
    "strategy:detail": ("strategy", only(READERS), REDIRECT),
    "strategy:status": ("strategy", only(COORDINATOR, yes=NOT_ALLOWED), REDIRECT),
    "strategy:plan_import": ("strategy", only(COORDINATOR), REDIRECT),
    "strategy:plan_export": ("strategy", only(READERS), REDIRECT),
    "strategy:round_open": ("strategy", only(COORDINATOR, yes=NOT_ALLOWED), REDIRECT),
    "strategy:dashboard": ("strategy", only(FIGURES), REDIRECT),
    "strategy:evaluation_create": ("strategy", only(COORDINATOR, yes=NOT_ALLOWED), REDIRECT),
    "strategy:carry_over": ("strategy", only(COORDINATOR), REDIRECT),
    # Another institution's activity: the reporter does not see it.
    "strategy:activity": ("strategy_police_activity", {**only(READERS), "reporter": NOT_FOUND}, REDIRECT),
    "strategy:round": ("strategy_round", only(READERS), REDIRECT),
    "strategy:round_close": ("strategy_round", only(COORDINATOR, yes=NOT_ALLOWED), REDIRECT),
    "strategy:report_edit": ("strategy_report_form", only({"reporter"}), REDIRECT),
    "strategy:report": ("strategy_report", only(READERS), REDIRECT),
    "strategy:report_submit": ("strategy_report", only({"reporter"}, yes=NOT_ALLOWED), REDIRECT),
    "strategy:report_review": ("strategy_report", only(COORDINATOR, yes=NOT_ALLOWED), REDIRECT),
    "strategy:evidence_add": ("strategy_report", only({"reporter"}, yes=NOT_ALLOWED), REDIRECT),
    "strategy:evidence_download": ("strategy_evidence", only(READERS), REDIRECT),
    "strategy:evaluation": ("strategy_evaluation", only(FIGURES), REDIRECT),
    "strategy:evaluation_pdf": ("strategy_evaluation", only(FIGURES), REDIRECT),
    "strategy:evaluation_xlsx": ("strategy_evaluation", only(FIGURES), REDIRECT),
    "strategy:evaluation_publish": ("strategy_evaluation", only(COORDINATOR, yes=NOT_ALLOWED), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from atis.strategy import services
    from atis.strategy.tests.helpers import open_round, reported, strategy_in_force

    coordinator = personas["coordinator"].user
    reporter = personas["reporter"].user
    strategy = strategy_in_force(coordinator)
    round_ = open_round(coordinator, strategy)
    report = reported(reporter, round_, "1.1.1", "in_progress", value=3, submit=False)
    evidence = services.evidence_add(
        actor=reporter, report=report, upload=SimpleUploadedFile("minuta.txt", b"Minuta sedintei.\n", "text/plain")
    )
    evaluation = services.evaluation_create(actor=coordinator, strategy=strategy)
    return {
        "strategy": {"public_id": strategy.public_id},
        "strategy_police_activity": {"public_id": strategy.activities.get(code="1.1.2").public_id},
        "strategy_round": {"public_id": round_.public_id},
        "strategy_report_form": {
            "public_id": round_.public_id,
            "activity_id": strategy.activities.get(code="1.1.1").public_id,
        },
        "strategy_report": {"public_id": report.public_id},
        "strategy_evidence": {"public_id": evidence.public_id},
        "strategy_evaluation": {"public_id": evaluation.public_id},
    }
