from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from atis.accounts.models import Authenticator


class Command(BaseCommand):
    help = "Prints the current authenticator code of a demo account. Refused outside demo and test mode."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_totp refuses to run in production.")
        device = Authenticator.objects.filter(user__username=options["username"], confirmed=True).first()
        if device is None:
            raise CommandError(f"No demo account {options['username']!r} with an authenticator.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
