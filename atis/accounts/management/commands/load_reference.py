from typing import Any

from django.core.management.base import BaseCommand

from atis.accounts.services import roles_sync
from atis.codelists.models import Code
from atis.codelists.reference import load_codes
from atis.organisations.reference import agency_structure_load


class Command(BaseCommand):
    help = (
        "Applies the role registry to the role groups, creates the agency's headquarters, its 15 "
        "regional centres and their county coverage, and adds new values of the shipped code lists. Safe to run again: it never "
        "overwrites an administrator's later changes to organisations or coverage."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        roles = roles_sync()
        created = agency_structure_load()
        codes = load_codes(Code)
        self.stdout.write(
            f"Roles updated: {roles}. Organisations and coverage rows created: {created}. Codes added: {codes}."
        )
