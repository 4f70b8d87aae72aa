"""Every change of screening data goes through here: permission, scope, rule and audit entry
in one transaction, so the screens, a command or an API behave the same."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.cases import services as case_services
from atis.cases.models import Case, Section
from atis.cases.selectors import case_sections_for, cases_visible_to
from atis.codelists.models import Code, CodeList
from atis.screening.job_offers import JobOfferAssessment
from atis.screening.models import (
    Answer,
    CallbackRequest,
    Indicator,
    IndicatorChange,
    Screening,
    ScreeningAnswer,
)
from atis.screening.reference import HISTORY_FIELDS
from atis.screening.results import rule_result_of
from atis.screening.rules import (
    Dimension,
    IndicatorList,
    PresentIndicator,
    unreachable_groups,
)

RUN = "screening.run_screening"
MANAGE_INDICATORS = "screening.manage_indicators"
HANDLE_CALLBACKS = "screening.handle_callbacks"
NOTE_MAX = 2000
ANSWER_NOTE_MAX = 500
EDITABLE_FIELDS = (
    "label_en",
    "label_ro",
    "strength",
    "dimension",
    "ilo_indicator",
    "control_method",
    "exploitation_form",
    "order",
    "is_active",
)


def _require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


def require_screening_scope(actor: Any, case: Case) -> None:
    """The case is visible to the actor and its case details open to them."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if Section.CASE not in case_sections_for(actor, case):
        raise PermissionDenied


# --- The indicator catalogue ----------------------------------------------------------------


def _snapshot(indicator: Indicator) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in HISTORY_FIELDS:
        if name in ("control_method", "exploitation_form"):
            code = getattr(indicator, name)
            values[name] = code.code if code else ""
        else:
            values[name] = getattr(indicator, name)
    return values


def _as_rule_input(indicators: Iterable[Indicator]) -> list[PresentIndicator]:
    return [PresentIndicator(item.code, item.dimension, item.strength) for item in indicators]


def _check_rule_stays_total(indicator_list: str, active: list[Indicator]) -> None:
    """Refuse a catalogue that could no longer give "presumed victim" whatever the answers."""
    missing = unreachable_groups(indicator_list, _as_rule_input(active))
    if missing:
        names = "; ".join(" / ".join(str(Dimension(letter).label) for letter in sorted(group)) for group in missing)
        raise ValidationError(
            _(
                "Nothing was changed: with this change the list “%(list)s” could no longer establish %(dimensions)s "
                "with any answers, so the rule could never give a presumed victim. Add or strengthen another "
                "indicator of that dimension first."
            )
            % {"list": IndicatorList(indicator_list).label, "dimensions": names},
            code="rule_not_total",
        )


def _check_codes(control_method: Code | None, exploitation_form: Code | None) -> None:
    if control_method is not None and control_method.list != CodeList.CONTROL_METHOD:
        raise ValidationError({"control_method": _("Choose a method of control.")}, code="not_a_control_method")
    if exploitation_form is not None and exploitation_form.list != CodeList.EXPLOITATION_FORM:
        raise ValidationError(
            {"exploitation_form": _("Choose a form of exploitation.")}, code="not_an_exploitation_form"
        )


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationError({"reason": _("The text is too long.")}, code="too_long")
    return reason


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, data: Mapping[str, Any], reason: str = "") -> Indicator:
    """Correct an indicator's texts, grade, dimension, HTCDS mapping, order or whether it is
    asked. Its list and code never change (old screenings refer to them). Deactivate rather
    than delete; a change that would make the rule unable to give a presumption is refused."""
    _require(actor, MANAGE_INDICATORS)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable here: {sorted(unknown)}")
    reason = _clean_reason(reason)
    # Locking every indicator of the list serialises two experts correcting the same list,
    # so both cannot each remove "the other" last indicator of a dimension.
    siblings = list(Indicator.objects.select_for_update().filter(list=indicator.list).order_by("pk"))
    current = next(item for item in siblings if item.pk == indicator.pk)
    before = _snapshot(current)
    for name, value in data.items():
        setattr(current, name, value)
    _check_codes(current.control_method, current.exploitation_form)
    current.full_clean(exclude=["list", "code"], validate_unique=False, validate_constraints=False)
    after_change = [current if item.pk == current.pk else item for item in siblings]
    _check_rule_stays_total(current.list, [item for item in after_change if item.is_active])
    after = _snapshot(current)
    if after == before:
        return current
    current.save()
    IndicatorChange.objects.create(
        indicator=current,
        action=IndicatorChange.Action.CHANGED,
        changed_by=actor,
        before=before,
        after=after,
        reason=reason,
    )
    changed = sorted(name for name in after if after[name] != before.get(name))
    audit_record(actor=actor, action="screening.indicator_update", obj=current, details={"fields": changed})
    indicator.refresh_from_db()
    return current


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    indicator_list: str,
    dimension: str,
    code: str,
    label_en: str,
    label_ro: str,
    strength: str,
    ilo_indicator: str = "",
    control_method: Code | None = None,
    exploitation_form: Code | None = None,
    order: int = 100,
    reason: str = "",
) -> Indicator:
    _require(actor, MANAGE_INDICATORS)
    reason = _clean_reason(reason)
    if indicator_list not in IndicatorList.values:
        raise ValidationError({"list": _("Choose a list.")}, code="invalid_list")
    if Indicator.objects.filter(list=indicator_list, code=code).exists():
        raise ValidationError({"code": _("This list already has an indicator with this code.")}, code="duplicate_code")
    indicator = Indicator(
        list=indicator_list,
        dimension=dimension,
        code=code,
        label_en=label_en.strip(),
        label_ro=label_ro.strip(),
        strength=strength,
        ilo_indicator=ilo_indicator,
        control_method=control_method,
        exploitation_form=exploitation_form,
        order=order,
    )
    _check_codes(control_method, exploitation_form)
    indicator.full_clean(validate_unique=False, validate_constraints=False)
    indicator.save()
    IndicatorChange.objects.create(
        indicator=indicator,
        action=IndicatorChange.Action.CREATED,
        changed_by=actor,
        before={},
        after=_snapshot(indicator),
        reason=reason,
    )
    audit_record(actor=actor, action="screening.indicator_create", obj=indicator)
    return indicator


# --- Screenings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    indicator: Indicator
    answer: str
    note: str = ""


@transaction.atomic
def screening_record(
    *, actor: Any, case: Case, indicator_list: str, answers: Iterable[AnswerInput], note: str = ""
) -> Screening:
    """Save a screening with one answer per active indicator of the list and the rule's result."""
    _require(actor, RUN)
    require_screening_scope(actor, case)
    if indicator_list not in IndicatorList.values:
        raise ValidationError({"list": _("Choose a list.")}, code="invalid_list")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("The text is too long.")}, code="too_long")
    active = {item.pk: item for item in Indicator.objects.filter(list=indicator_list, is_active=True)}
    given: dict[int, AnswerInput] = {}
    for item in answers:
        if item.indicator.pk not in active:
            raise ValidationError(
                _("An indicator of another list or no longer asked was answered."), code="not_in_list"
            )
        if item.answer not in Answer.values:
            raise ValidationError(_("Answer every question with present, absent or not known."), code="invalid_answer")
        if len(item.note) > ANSWER_NOTE_MAX:
            raise ValidationError(_("A note is too long."), code="too_long")
        given[item.indicator.pk] = item
    rows = [
        (indicator, given[pk].answer if pk in given else Answer.UNKNOWN, given[pk].note.strip() if pk in given else "")
        for pk, indicator in active.items()
    ]
    result = rule_result_of(
        indicator_list,
        [(indicator.code, answer, indicator.dimension, indicator.strength) for indicator, answer, _note in rows],
    )
    screening = Screening.objects.create(
        case=case,
        list=indicator_list,
        dimensions_present=result.dimension_codes,
        presumed=result.presumed,
        note=note,
        performed_by=actor,
    )
    ScreeningAnswer.objects.bulk_create(
        ScreeningAnswer(
            screening=screening,
            indicator=indicator,
            answer=answer,
            dimension=indicator.dimension,
            strength=indicator.strength,
            note=answer_note,
        )
        for indicator, answer, answer_note in rows
    )
    audit_record(
        actor=actor,
        action="screening.record",
        obj=case,
        details={
            "screening": str(screening.public_id),
            "list": indicator_list,
            "dimensions": result.dimension_codes,
            "presumed": result.presumed,
        },
    )
    return screening


def screening_proposals(screening: Screening) -> dict[str, list[Code]]:
    """The methods of control and forms of exploitation the present indicators suggest."""
    present = ScreeningAnswer.objects.filter(screening=screening, answer=Answer.PRESENT).select_related(
        "indicator__control_method", "indicator__exploitation_form"
    )
    control: dict[int, Code] = {}
    forms: dict[int, Code] = {}
    for row in present:
        if row.indicator.control_method is not None:
            control[row.indicator.control_method.pk] = row.indicator.control_method
        if row.indicator.exploitation_form is not None:
            forms[row.indicator.exploitation_form.pk] = row.indicator.exploitation_form
    return {
        "control_methods": sorted(control.values(), key=lambda code: (code.order, code.code)),
        "exploitation_forms": sorted(forms.values(), key=lambda code: (code.order, code.code)),
    }


@transaction.atomic
def screening_prefill_case(
    *, actor: Any, screening: Screening, control_methods: Iterable[Code], exploitation_forms: Iterable[Code]
) -> Case:
    """Add the chosen proposals to the case's methods of control and forms of exploitation.

    Only adds, never removes: what the case manager recorded stays. Goes through the cases
    service, which checks the right to edit the case, its version and audits the change.
    """
    _require(actor, RUN)
    case = Case.objects.get(pk=screening.case_id)
    require_screening_scope(actor, case)
    proposals = screening_proposals(screening)
    allowed = {
        "control_methods": {code.pk for code in proposals["control_methods"]},
        "exploitation_forms": {code.pk for code in proposals["exploitation_forms"]},
    }
    chosen = {"control_methods": list(control_methods), "exploitation_forms": list(exploitation_forms)}
    for name, codes in chosen.items():
        if any(code.pk not in allowed[name] for code in codes):
            raise ValidationError(_("Choose only among the values this screening proposes."), code="not_proposed")
    if not chosen["control_methods"] and not chosen["exploitation_forms"]:
        raise ValidationError(_("Choose at least one value to add to the case."), code="nothing_chosen")
    m2m: dict[str, Iterable[Code]] = {name: [*{*getattr(case, name).all(), *codes}] for name, codes in chosen.items()}
    case = case_services.case_update(actor=actor, case=case, expected_version=case.version, data={}, m2m=m2m)
    audit_record(
        actor=actor,
        action="screening.prefill_case",
        obj=case,
        details={
            "screening": str(screening.public_id),
            **{name: [code.code for code in codes] for name, codes in chosen.items()},
        },
    )
    return case


# --- Job-offer check: call-back requests -------------------------------------------------------


PHONE_MIN_DIGITS = 9


@transaction.atomic
def callback_request(*, phone: str, consent: bool, language: str, assessment: JobOfferAssessment) -> CallbackRequest:
    """A person using the public check asks to be called back. Needs no account; keeps only the
    phone (encrypted), the consent and the check's outcome, never the offer's text."""
    phone = (phone or "").strip()
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < PHONE_MIN_DIGITS or len(phone) > 40 or any(ch not in "+0123456789 ()-./" for ch in phone):
        raise ValidationError({"phone": _("Enter a phone number we can call, with its prefix.")}, code="invalid_phone")
    if not consent:
        raise ValidationError(
            {"consent": _("To be called back, agree that the HelpLine keeps your number for this call.")},
            code="no_consent",
        )
    request = CallbackRequest.objects.create(
        phone=phone,
        language=(language or "ro")[:5],
        consent_given_at=timezone.now(),
        level=assessment.level,
        sign_codes=",".join(assessment.codes)[:300],
    )
    audit_record(action="screening.callback_request", obj=request)
    return request


@transaction.atomic
def callback_mark_handled(*, actor: Any, callback: CallbackRequest) -> CallbackRequest:
    _require(actor, HANDLE_CALLBACKS)
    callback = CallbackRequest.objects.select_for_update().get(pk=callback.pk)
    if callback.handled_at is not None:
        raise ValidationError(_("Someone already called this person back."), code="already_handled")
    callback.handled_at = timezone.now()
    callback.handled_by = actor
    callback.save(update_fields=["handled_at", "handled_by"])
    audit_record(actor=actor, action="screening.callback_handled", obj=callback)
    return callback
