import sys
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from atis.cases import demo as cases_demo
from atis.core import demo
from atis.lib.request_context import acting_as


class Command(BaseCommand):
    help = (
        "Loads synthetic demonstration data (organisations, one account per role, each with an "
        "authenticator, and --cases synthetic victim cases) and prints how to sign in. Only in demo or "
        "test mode; running it again with the same --cases changes nothing, a larger --cases adds only "
        "the missing cases."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=cases_demo.DEFAULT_DEMO_CASES,
            help=f"How many demo cases the database should hold in all (default {cases_demo.DEFAULT_DEMO_CASES}; "
            "up to 1,000,000 for benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=cases_demo.DEFAULT_SEED, help="Seed of the random streams.")
        parser.add_argument(
            "--batch-size", type=int, default=cases_demo.BATCH_SIZE, help="Cases written per transaction."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run in production (ATIS_MODE=production).")
        total = options["cases"]
        if not 0 <= total <= 1_000_000:
            raise CommandError("--cases must be between 0 and 1,000,000.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        with acting_as(None, channel="command"):
            organisations = demo.demo_organisations_load()
            accounts = demo.demo_accounts_load()
            missing = max(0, total - cases_demo.demo_case_count())
            with tqdm(
                total=missing,
                unit="case",
                desc="Demo cases",
                file=sys.stderr,
                disable=options["no_progress"] or missing == 0,
            ) as bar:
                cases = cases_demo.demo_cases_load(
                    total, seed=options["seed"], batch_size=options["batch_size"], progress=bar.update
                )
            # Other domains add their own demo content: a module <app>.demo with
            # load_demo_content(seed) -> a one-line summary; it must be idempotent too.
            summaries = [loader(options["seed"]) for loader in _demo_content_loaders()]
        self.stdout.write(f"Demo organisations created: {organisations}.")
        self.stdout.write(
            "Demo cases created: {cases} (persons {persons}, events {events}, consents {consents}, "
            "referrals {referrals}, tasks {tasks}, proceedings {proceedings}).".format(**cases)
        )
        for summary in summaries:
            self.stdout.write(summary)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        self.stdout.write("Add the key to an authenticator app, or print a current code with")
        self.stdout.write("  make totp USER=<user name>")
        for account, _user, device in accounts:
            self.stdout.write(f"  {account.username:<18} {account.role:<22} key {demo.totp_secret(device)}")


def _demo_content_loaders() -> list[Any]:
    loaders = []
    for config in apps.get_app_configs():
        if config.name.startswith("atis.") and find_spec(f"{config.name}.demo") is not None:
            loader = getattr(import_module(f"{config.name}.demo"), "load_demo_content", None)
            if loader is not None:
                loaders.append(loader)
    return loaders
