from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from atis.accounts.selectors import active_membership
from atis.core.navigation import menu_for


def atis(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the language switch links and the user's place."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        # Each language named in itself, so a reader of the other language finds it.
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    user = getattr(request, "user", None)
    verified = bool(user and user.is_authenticated and getattr(user, "is_verified", lambda: False)())
    return {
        "atis_languages": languages,
        "atis_helpline": settings.ATIS_HELPLINE,
        "atis_membership": active_membership(user) if verified else None,
        "atis_menu": menu_for(user) if verified else [],
        "atis_verified": verified,
        "atis_demo": settings.DEMO,
    }
