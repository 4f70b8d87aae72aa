"""Building HelpLine scenes in tests through the real services, as operators would."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.helpline import services
from atis.helpline.models import Contact

NUMBER = "+40 745 123 987"


def code(code_list: str, value: str | Code) -> Code:
    return value if isinstance(value, Code) else Code.objects.get(list=code_list, code=value)


def county(mnemonic: str = "IS") -> County:
    return County.objects.get(mnemonic=mnemonic)


def log_contact(
    actor: Any, *, contact_type: str = "information", topics: tuple[str, ...] = ("job_offer",), **extra: Any
) -> Contact:
    arguments: dict[str, Any] = {
        "channel": code(CodeList.HELPLINE_CHANNEL, extra.pop("channel", "phone")),
        "started_at": extra.pop("started_at", timezone.now() - datetime.timedelta(minutes=5)),
        "contact_type": code(CodeList.HELPLINE_CONTACT_TYPE, contact_type),
        "caller_role": code(CodeList.HELPLINE_CALLER_ROLE, extra.pop("caller_role", "anonymous")),
        "topics": [code(CodeList.HELPLINE_TOPIC, topic) for topic in topics],
        "duration_seconds": 240,
        "destination_country": "IT",
        "county": county(),
        "summary": "Asked about a job offer in agriculture near Foggia.",
    }
    arguments.update(extra)
    return services.contact_log(actor=actor, **arguments)
