from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from atis.core import demo
from atis.lib.request_context import acting_as


class Command(BaseCommand):
    help = (
        "Loads synthetic demonstration data (organisations and one account per role, each with an "
        "authenticator) and prints how to sign in. Only in demo or test mode; running it again "
        "changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run in production (ATIS_MODE=production).")
        with acting_as(None, channel="command"):
            organisations = demo.demo_organisations_load()
            accounts = demo.demo_accounts_load()
        self.stdout.write(f"Demo organisations created: {organisations}.")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        self.stdout.write("Add the key to an authenticator app, or print a current code with")
        self.stdout.write("  make totp USER=<user name>")
        for account, _user, device in accounts:
            self.stdout.write(f"  {account.username:<18} {account.role:<22} key {demo.totp_secret(device)}")
