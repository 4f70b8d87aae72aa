import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from atis.accounts import roles
from atis.accounts.services import enrolment_code_issue_by_system, user_create_by_system
from atis.lib.request_context import acting_as
from atis.organisations.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = (
        "Creates a system administrator at the agency's headquarters: the first account of a new "
        "installation. Run `load_reference` first. The password is asked twice (or read from "
        "ATIS_ADMIN_PASSWORD); the administrator enrols an authenticator at first sign-in with the "
        "one-time enrolment code printed here (valid 24 hours)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        headquarters = Organisation.objects.filter(kind=OrganisationKind.ANITP_HQ).first()
        if headquarters is None:
            raise CommandError("No headquarters organisation: run `manage.py load_reference` first.")
        password = os.environ.get("ATIS_ADMIN_PASSWORD") or self._ask_password()
        try:
            with acting_as(None, channel="command"):
                user = user_create_by_system(
                    username=options["username"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    email=options["email"],
                    password=password,
                    organisation=headquarters,
                    role=roles.SYSTEM_ADMIN,
                )
                code = enrolment_code_issue_by_system(user=user)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"Administrator {user.username} created. At first sign-in, enrol an authenticator with "
            f"this one-time code (valid 24 hours, shown only now): {code}"
        )

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
