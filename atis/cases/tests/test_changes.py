"""A new service cannot forget the funnel (atis.cases.changes.case_changed).

Read from the code (ast): every public service of the case and assistance domains that runs
in a transaction reaches `case_changed`, directly or through a helper of its module or a case
service it calls, unless it is listed below with the reason it writes nothing a published
figure reads. A new service fails here until it calls the funnel or is listed on purpose.
And no other module writes a case, person, referral or consent except through these services.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the `atis` package
DOMAIN_SERVICES = (ROOT / "cases" / "services.py", ROOT / "assistance" / "services.py")

# Service -> why it need not tell the funnel: the statistics read the case, its person, its
# exploitation forms, its stage and its referrals' outcome, and nothing of these.
WRITES_NO_FIGURE = {
    "task_complete": "a task's completion",
    "note_add": "a note",
    "event_add": "the trafficking events (places and dates of the story, not the case's fields)",
    "event_update": "the trafficking events",
    "event_delete": "the trafficking events",
    "proceeding_save": "criminal proceedings",
    "attachment_add": "a file kept with the case",
    "plan_create": "the support plan",
    "goal_add": "a goal of the support plan",
    "goal_update": "a goal of the support plan",
    "review_add": "a review of the support plan",
    "service_update": "a service already recorded (its outcome and dates, which no figure reads)",
    "shelter_save": "a shelter, no case",
    "shelter_place": "a shelter placement",
    "shelter_release": "a shelter placement",
}
FUNNEL = "case_changed"


def _called_names(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            target = node.func
            if isinstance(target, ast.Name):
                names.add(target.id)
            elif isinstance(target, ast.Attribute):
                names.add(target.attr)  # case_services.case_start_assistance(...)
    return names


def _is_transactional(function: ast.FunctionDef) -> bool:
    return any(ast.unparse(decorator) == "transaction.atomic" for decorator in function.decorator_list)


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def reaching_the_funnel(paths: tuple[Path, ...]) -> tuple[set[str], dict[str, list[str]]]:
    """(functions reaching case_changed, public transactional services by module)."""
    calls: dict[str, set[str]] = {}
    services: dict[str, list[str]] = {}
    for path in paths:
        functions = _functions(path)
        services[path.parent.name] = [
            name for name, node in functions.items() if not name.startswith("_") and _is_transactional(node)
        ]
        calls.update({name: _called_names(node) for name, node in functions.items()})
    reaching = {FUNNEL}
    while True:
        more = {name for name, called in calls.items() if called & reaching} - reaching
        if not more:
            return reaching, services
        reaching |= more


def test_every_case_and_assistance_service_reaches_the_funnel_or_says_why_not() -> None:
    reaching, services = reaching_the_funnel(DOMAIN_SERVICES)
    assert len(services["cases"]) > 20 and len(services["assistance"]) > 8
    forgot = [
        f"{module}.{name}"
        for module, names in services.items()
        for name in names
        if name not in reaching and name not in WRITES_NO_FIGURE
    ]
    assert forgot == [], "call atis.cases.changes.case_changed at the end of these services"
    # The list holds only services that exist and really skip the funnel.
    listed = {name for names in services.values() for name in names if name in WRITES_NO_FIGURE}
    assert listed == set(WRITES_NO_FIGURE)
    assert not listed & reaching
    # Among them, those the issue found forgetting.
    assert {"referral_revoke", "consent_withdraw", "service_record", "case_close"} <= reaching


def test_the_reach_is_computed_through_helpers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    module = tmp_path / "cases" / "services.py"
    module.parent.mkdir()
    module.write_text(
        "@transaction.atomic\ndef direct():\n    case_changed([1])\n\n"
        "def _helper():\n    case_changed([1])\n\n"
        "@transaction.atomic\ndef through_helper():\n    _helper()\n\n"
        "@transaction.atomic\ndef forgets():\n    pass\n",
        encoding="utf-8",
    )
    reaching, services = reaching_the_funnel((module,))
    assert services == {"cases": ["direct", "through_helper", "forgets"]}
    assert {"direct", "through_helper"} <= reaching
    assert "forgets" not in reaching


WATCHED_MODELS = {"Case", "Person", "Referral", "Consent"}
WRITES = {"create", "bulk_create", "update", "bulk_update", "update_or_create", "get_or_create", "delete"}


def _direct_writes(path: Path) -> list[str]:
    """Model.objects.<write>(...) of a watched model, however the queryset is narrowed between."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            chain = ast.unparse(node.func.value)
            if any(chain.startswith(f"{model}.objects") for model in WATCHED_MODELS):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def test_no_other_module_writes_what_the_figures_read_but_through_the_case_services() -> None:
    # The demo writes in bulk and calls the funnel per batch itself.
    demo = ROOT / "cases" / "demo.py"
    assert _direct_writes(demo)  # the scan sees such writes
    allowed = {ROOT / "cases" / "services.py", demo}
    found = [
        write
        for path in sorted(ROOT.rglob("*.py"))
        if path not in allowed and "migrations" not in path.parts and "tests" not in path.parts
        for write in _direct_writes(path)
    ]
    assert found == []
