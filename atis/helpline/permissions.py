"""Who may do what to HelpLine contacts: one policy for services, views and templates.

Operators log contacts and act on them (escalate, notify the authorities, follow up) within
their scope; supervisors read them; analysts read the figures.
"""

from __future__ import annotations

from atis.helpline.models import Contact
from atis.helpline.selectors import LOG, STATISTICS, VIEW, contacts_visible_to
from atis.lib.policy import DomainPolicy

contacts: DomainPolicy[Contact] = DomainPolicy(
    "helpline",
    model=Contact,
    permissions={"view": VIEW, "log": LOG, "statistics": STATISTICS},
    scope=contacts_visible_to,
)
