"""The indicator catalogue: who may correct it, its history, and the rule kept total."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atis.screening import services
from atis.screening.models import Indicator, IndicatorChange
from atis.screening.rules import IndicatorList, PresentIndicator, Strength, combine


def _indicator(indicator_list: str, code: str) -> Indicator:
    return Indicator.objects.get(list=indicator_list, code=code)


def test_the_shipped_catalogue_can_give_a_presumption_in_every_list(db) -> None:  # type: ignore[no-untyped-def]
    for indicator_list in IndicatorList.values:
        active = Indicator.objects.filter(list=indicator_list, is_active=True)
        assert active.count() >= 20
        everything = [PresentIndicator(item.code, item.dimension, item.strength) for item in active]
        assert combine(indicator_list, everything).presumed
    assert (
        IndicatorChange.objects.filter(action="created", changed_by__isnull=True).count() == Indicator.objects.count()
    )


def test_the_coordinator_corrects_a_grade_and_the_history_keeps_before_and_after(personas) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    indicator = _indicator(IndicatorList.ADULT_LABOUR, "economic_hardship")
    services.indicator_update(
        actor=coordinator, indicator=indicator, data={"strength": Strength.WEAK}, reason="Delphi list, 2009"
    )
    change = IndicatorChange.objects.filter(indicator=indicator, action="changed").get()
    assert change.changed_by == coordinator
    assert change.before["strength"] == "medium" and change.after["strength"] == "weak"
    assert change.reason == "Delphi list, 2009"
    assert _indicator(IndicatorList.ADULT_LABOUR, "economic_hardship").strength == Strength.WEAK


def test_a_case_manager_may_not_correct_the_catalogue(personas) -> None:  # type: ignore[no-untyped-def]
    indicator = _indicator(IndicatorList.ADULT_LABOUR, "economic_hardship")
    with pytest.raises(PermissionDenied):
        services.indicator_update(actor=personas["manager_iasi"].user, indicator=indicator, data={"is_active": False})
    assert not IndicatorChange.objects.filter(action="changed").exists()


def test_deactivating_the_last_signs_of_a_needed_dimension_is_refused_with_a_reason(personas) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    d_signs = list(
        Indicator.objects.filter(list=IndicatorList.CHILD_SEXUAL, dimension="D").order_by("strength", "code")
    )
    with pytest.raises(ValidationError) as refused:
        for item in d_signs:
            services.indicator_update(actor=coordinator, indicator=item, data={"is_active": False})
    assert refused.value.code == "rule_not_total"
    assert "D. Exploitative conditions" in " ".join(refused.value.messages) or "D." in " ".join(refused.value.messages)
    still = Indicator.objects.filter(list=IndicatorList.CHILD_SEXUAL, dimension="D", is_active=True)
    everything = [
        PresentIndicator(item.code, item.dimension, item.strength)
        for item in Indicator.objects.filter(list=IndicatorList.CHILD_SEXUAL, is_active=True)
    ]
    assert still.exists() and combine(IndicatorList.CHILD_SEXUAL, everything).presumed


def test_the_editor_saves_through_the_form_and_shows_the_history(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    indicator = _indicator(IndicatorList.ADULT_SEXUAL, "language_barrier")
    client = signed_in("coordinator")
    page = client.get(reverse("screening:indicator_edit", args=[indicator.public_id]))
    data = {name: page.context["form"].initial.get(name) for name in services.EDITABLE_FIELDS}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data.update({"label_en": "Cannot speak the local language", "is_active": "on", "reason": "clearer"})
    response = client.post(reverse("screening:indicator_edit", args=[indicator.public_id]), data)
    assert response.status_code == 302
    history = client.get(reverse("screening:indicator_history") + f"?indicator={indicator.public_id}")
    assert "Cannot speak the local language" in history.content.decode()
    assert signed_in("manager_iasi").get(reverse("screening:indicators")).status_code == 403


edits = st.lists(
    st.tuples(
        st.sampled_from(IndicatorList.values),
        st.integers(min_value=0, max_value=60),
        st.sampled_from(["deactivate", "weaken", "activate", "strengthen", "move"]),
        st.sampled_from(["A", "B", "C", "D", "E", "F"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits)
def test_every_accepted_catalogue_change_keeps_the_rule_total(personas, edits) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    with transaction.atomic():
        for indicator_list, index, kind, letter in edits:
            items = list(Indicator.objects.filter(list=indicator_list).order_by("pk"))
            item = items[index % len(items)]
            choices: dict[str, dict[str, Any]] = {
                "deactivate": {"is_active": False},
                "activate": {"is_active": True},
                "weaken": {"strength": Strength.WEAK},
                "strengthen": {"strength": Strength.STRONG},
                "move": {"dimension": letter},
            }
            data = choices[kind]
            try:
                services.indicator_update(actor=coordinator, indicator=item, data=data)
            except ValidationError as error:
                assert error.code == "rule_not_total"
            for each in IndicatorList.values:
                active = Indicator.objects.filter(list=each, is_active=True)
                everything = [PresentIndicator(i.code, i.dimension, i.strength) for i in active]
                assert combine(each, everything).presumed, each
        transaction.set_rollback(True)
