from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from atis.core.dashboard import panels_for
from atis.lib.access import public, staff


@public
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    # The public face of the agency is the portal; staff sign in from its menu.
    return redirect("portal:home")


@staff
def dashboard(request: HttpRequest) -> HttpResponse:
    panels = panels_for(request)
    return render(
        request,
        "core/dashboard.html",
        {
            "work_panels": [panel for panel in panels if panel.kind == "work"],
            "alert_panels": [panel for panel in panels if panel.kind == "alert"],
        },
    )


@public
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: answers 200 when the database answers; says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
