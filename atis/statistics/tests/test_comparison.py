"""The international comparison: EU states only in the EU table, GLOTIP conflicts shown, one
CTDC release at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from atis.statistics.comparison import EU27
from atis.statistics.imports import import_ctdc, import_glotip

pytestmark = pytest.mark.django_db

GLOTIP = settings.SHARED_DIR / "data" / "glotip" / "glotip_eu27_2023-05-30.csv"
CTDC = settings.SHARED_DIR / "data" / "ctdc" / "ctdc_global_2017-11-27.csv.gz"


def _world_rows(path: Path) -> Path:
    """The EU file plus the same kind of figures for states outside the EU."""
    text = GLOTIP.read_text(encoding="utf-8-sig")
    extra = "".join(
        f"{iso3},{name},Elsewhere,Elsewhere,Detected trafficking victims,Total,Total,Total,Total,2021,Counts,250,GLOTIP\n"
        for iso3, name in (("USA", "United States"), ("MDA", "Moldova"), ("NGA", "Nigeria"))
    )
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_the_eu_table_lists_the_27_member_states_whatever_else_was_imported(tmp_path: Path, signed_in) -> None:  # type: ignore[no-untyped-def]
    import_glotip(_world_rows(tmp_path / "glotip_world.csv"))
    response = signed_in("analyst").get(reverse("statistics:comparison"))
    states = [iso3 for iso3, _figure, _rate in response.context["rates"]]
    assert states == list(EU27)
    assert len(states) == 27
    assert "USA" not in response.context["rate_chart"]["data"][0]["x"]


def test_a_conflicting_glotip_figure_is_shown_with_both_values_and_lines(signed_in) -> None:  # type: ignore[no-untyped-def]
    import_glotip(GLOTIP)
    response = signed_in("analyst").get(reverse("statistics:comparison"))
    romania = [
        c
        for c in response.context["conflicts"]
        if c["iso3"] == "ROU"
        and c["year"] == 2017
        and c["breakdown"] == "by form of exploitation · Other forms of exploitation"
    ]
    assert [(str(c["figure"]), c["figure"].lines) for c in romania] == [("129 / 43", "13651, 13652")]
    body = response.content.decode()
    assert "129 / 43" in body and "13651, 13652" in body


def test_ctdc_tables_come_from_one_release_the_newest_by_default(tmp_path: Path, signed_in) -> None:  # type: ignore[no-untyped-def]
    older = import_ctdc(CTDC)
    newer_file = tmp_path / "ctdc_global_2020-06-01.csv"
    newer_file.write_text(
        "X,yearOfRegistration,gender,citizenship,isSexualExploit,isForcedLabour\n"
        + "".join(f"{i},2019,Female,RO,1,\n" for i in range(1, 31))
        + "".join(f"{i},2019,Male,MD,,1\n" for i in range(31, 41))
    )
    newer = import_ctdc(newer_file)
    client = signed_in("analyst")
    default = client.get(reverse("statistics:comparison")).context
    assert default["ctdc_dataset"] == newer
    # 30 and 10 of the newest release alone: never added to the 2017 release's figures.
    assert dict((value, count) for value, count, _share in default["ctdc_forms"]) == {
        "sexual exploitation": 30,
        "forced labour": 10,
    }
    assert default["ctdc_romania"] == {"citizens": 30, "exploited": 0, "total": 40}
    chosen = client.get(reverse("statistics:comparison"), {"ctdc": str(older.public_id)}).context
    assert chosen["ctdc_dataset"] == older
    sexual = dict((value, count) for value, count, _share in chosen["ctdc_forms"])["sexual exploitation"]
    assert sexual < 47_102


def test_the_page_says_which_comparisons_a_synthetic_release_supports(tmp_path: Path, signed_in) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ctdc_vp_synthetic_2022-12-01.csv"
    path.write_text(
        "yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,UN_COE_Region,IP_Exploiter,"
        "IP_Gender,IP_ageBroad,IP_citizen_UNRegion,IP_Relation,IP_PayMoney,IP_RecruiterBroker,IP_TransactionProcess,"
        "IP_ControlAbuseKidnap\n"
        "2019,Female,Adult,1,,Europe,Europe,1,Male,30--38,Europe,FriendAcquaintance,No,1,,\n"
        "2005-2013,Male,Minor,,1,Asia,Europe,,Female;Male,,Asia,StrangerUnknownOther,Yes,,1,\n"
    )
    import_ctdc(path)
    context = signed_in("analyst").get(reverse("statistics:comparison")).context
    with translation.override("en"):
        supports = {str(label): yes for label, yes in context["ctdc_supports"]}
    assert supports["Means of control"] == [False]
    assert supports["UN regions of citizenship and exploitation"] == [True]
    assert supports["Countries of citizenship and exploitation (Romania itself)"] == [False]
    assert context["ctdc_controls"] is None
    assert context["ctdc_romania"] is None
    assert dict((v, c) for v, c, _s in context["ctdc_citizenship_regions"]) == {"Europe": 1, "Asia": 1}
