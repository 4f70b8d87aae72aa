"""The public face of the agency: how to get help, the agency and its regional centres, and
the latest publications. No sign-in, no third-party script, and nothing that needs JavaScript."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from atis.lib.access import public
from atis.library.selectors import documents_for_feed
from atis.portal import selectors

LATEST_PUBLICATIONS = 5


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "publications": list(documents_for_feed()[:LATEST_PUBLICATIONS]),
        },
    )


@public
def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/about.html",
        {"headquarters": selectors.headquarters(), "centres": selectors.regional_centres()},
    )
