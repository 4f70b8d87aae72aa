"""The public face of the agency: how to get help, the agency and its regional centres, and
the latest publications. No sign-in, no third-party script, and nothing that needs JavaScript."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from atis.lib.access import public
from atis.library.selectors import documents_for_feed
from atis.portal import selectors

LATEST_PUBLICATIONS = 5
# Public pages of other domains, linked from the home page once their URLs exist.
KNOWLEDGE_PUBLIC_URL = "knowledge:public_list"
JOB_OFFER_CHECK_URL = "screening:job_offer"
CAMPAIGNS_PUBLIC_URL = "campaigns:public_list"


def _url_if_present(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "publications": list(documents_for_feed()[:LATEST_PUBLICATIONS]),
            "knowledge_url": _url_if_present(KNOWLEDGE_PUBLIC_URL),
            "job_offer_check_url": _url_if_present(JOB_OFFER_CHECK_URL),
            "campaigns_url": _url_if_present(CAMPAIGNS_PUBLIC_URL),
        },
    )


@public
def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/about.html",
        {"headquarters": selectors.headquarters(), "centres": selectors.regional_centres()},
    )
