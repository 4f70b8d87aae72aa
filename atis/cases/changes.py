"""The one funnel through which a change of a case reaches what is kept from it elsewhere.

Every case service that writes something a published figure reads (the case, its person,
consents, referrals, its stage, its closure) calls `case_changed` with the case's id at the
end of its transaction, whatever it changed: deciding per service which changes "move a
figure" is how `referral_revoke` and `consent_withdraw` once forgot to. A handler finds out
itself whether anything it keeps moved (the statistics compare the case's old and new facts
and touch no count when they are equal). `atis/cases/tests/test_changes.py` fails when a new
case or assistance service writes without reaching the funnel.

Handlers register from their app's `AppConfig.ready` (statistics: `refresh_case_facts`), so
cases never imports the apps that depend on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from atis.lib.hooks import Hook

# Called with the ids of the cases changed, inside the transaction that changed them.
case_changed: Hook[[Iterable[int]], object] = Hook("cases.case_changed")
