"""Case list and CNP search on PostgreSQL at 100,000 and 1,000,000 cases.

Creates (or reuses) a separate database, migrates it, seeds it with `seed_demo --cases N`
(which resumes: 1,000,000 after 100,000 only adds the difference), then times, in the same
run and interleaved request by request:

- bare: the SQL text atis sends for the page (captured once from the ORM), executed with
  psycopg on its own connection, rows fetched, no Django, no audit;
- selector: what a request does around that SQL: the user loaded afresh (so permissions and
  scope are resolved as in a request), `cases_visible_to` / `cases_search`, the list view's
  row query and paging (26 rows fetched for a page of 25, no COUNT), model instances built,
  and one audit entry written and committed per request;
- view: the real screen through django.test.Client, signed in with both factors
  (sessions, middleware, access rules, template), when the `cases:list` URL exists.

Scenarios: the list for the national coordinator (every case) and for a regional case
manager (Iași: its counties), first page ordered by notification date, newest first; the
exact search by CNP (keyed-hash look-up) and by case reference, for the coordinator.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.cases_list                      # 100k then 1M, 200 requests
    .venv/bin/python -m benchmarks.cases_list --sizes 100000 --requests 100
Results are printed as a Markdown table and saved to benchmarks/results/cases_list-<size>.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per variant and scenario")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests first")
    parser.add_argument(
        "--budget",
        type=float,
        default=600,
        help="seconds per scenario; a slow scenario stops there (after at least 30 requests)",
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--database", default="atis_bench")
    parser.add_argument("--reset", action="store_true", help="drop the benchmark database first")
    parser.add_argument("--no-view", action="store_true", help="skip timing through django.test.Client")
    parser.add_argument("--seed-only", action="store_true", help="seed (and analyse) without timing")
    return parser.parse_args()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def prepare_database(server: str, name: str, reset: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if reset:
            log(f"dropping database {name}")
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            log(f"creating database {name}")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(percentile(values, 0.95), 2),
        "mean": round(statistics.fmean(values), 2),
    }


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        import psycopg

        self.args = args
        self.dsn = f"{args.server}/{args.database}"
        self.bare_connection = psycopg.connect(self.dsn, autocommit=True)

    # -- set-up -------------------------------------------------------------------------------

    def seed(self, size: int) -> float:
        from django.core.management import call_command

        from atis.cases.demo import demo_case_count

        have = demo_case_count()
        if have >= size:
            log(f"{have:,} demo cases already there")
            return 0.0
        log(f"seeding from {have:,} to {size:,} demo cases")
        started = time.perf_counter()
        call_command("seed_demo", cases=size, stdout=io.StringIO())
        elapsed = time.perf_counter() - started
        log(f"seeded {size - have:,} cases in {elapsed / 60:.1f} min ({(size - have) / elapsed:,.0f} cases/s)")
        with self.bare_connection.cursor() as cursor:
            log("VACUUM ANALYZE")
            cursor.execute("VACUUM ANALYZE")
        return elapsed

    def users(self) -> dict[str, Any]:
        from atis.accounts.models import User

        return {name: User.objects.get(username=name) for name in ("coordonator", "manager.iasi")}

    # -- the three ways of getting one page ----------------------------------------------------

    @staticmethod
    def list_rows(user: Any) -> Any:
        """The list view's query, from its own helpers: scope, default sort, row columns."""
        from atis.cases import forms as case_forms
        from atis.cases import views
        from atis.cases.selectors import cases_visible_to

        return views._list_rows(case_forms.CaseFilterForm(None).apply(cases_visible_to(user)))

    @staticmethod
    def search_rows(user: Any, term: str) -> Any:
        from atis.cases import views
        from atis.cases.selectors import cases_search

        return views._list_rows(cases_search(user, term))[:50]

    def captured_sql(self, user: Any, make_rows: Callable[[], Any]) -> list[str]:
        """Every statement the ORM sends to produce the rows (a search runs its look-ups while
        the queryset is built), not the ones that resolve the user's scope."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from atis.cases.selectors import cases_visible_to

        cases_visible_to(user)  # resolves the scope and caches it on the user object
        with CaptureQueriesContext(connection) as captured:
            list(make_rows())
        return [query["sql"] for query in captured.captured_queries]

    def first_page(self, user: Any) -> Any:
        return self.list_rows(user)[: 25 + 1]  # the view fetches one row more than it shows

    def bare(self, statements: list[str]) -> Callable[[], int]:
        def run() -> int:
            fetched = 0
            with self.bare_connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement.encode())
                    fetched += len(cursor.fetchall())
            return fetched

        return run

    def selector_list(self, user_pk: int) -> Callable[[], int]:
        from atis.accounts.models import User
        from atis.audit.services import audit_record
        from atis.cases import views
        from atis.lib.request_context import acting_as

        def run() -> int:
            user = User.objects.get(pk=user_pk)  # a request loads its user afresh
            with acting_as(user, channel="web"):
                page = views._page(self.list_rows(user), None, views.PAGE_SIZE)
                for case in page.rows:
                    list(case.exploitation_forms.all())  # what a row prints (prefetched)
                audit_record(  # as the list view does
                    action="case.list",
                    object_type="cases.case",
                    details={"page": page.number, "cases": [case.reference for case in page.rows]},
                )
            return len(page.rows)

        return run

    def selector_search(self, user_pk: int, terms: list[str]) -> Callable[[], int]:
        from atis.accounts.models import User
        from atis.audit.services import audit_record
        from atis.lib.request_context import acting_as

        state = {"i": 0}

        def run() -> int:
            user = User.objects.get(pk=user_pk)
            term = terms[state["i"] % len(terms)]
            state["i"] += 1
            with acting_as(user, channel="web"):
                results = list(self.search_rows(user, term))
                audit_record(action="case.search", object_type="cases.case", details={"results": len(results)})
            return len(results)

        return run

    def client_for(self, username: str) -> Any:
        from django.test import Client

        from atis.accounts.models import Authenticator, User
        from atis.accounts.selectors import active_membership
        from conftest import Persona, sign_in

        user = User.objects.get(username=username)
        device = Authenticator.objects.get(user=user, confirmed=True)
        membership = active_membership(user)
        return sign_in(Client(), Persona(username, user, device, membership.organisation if membership else None))

    def view_get(self, client: Any, url: str) -> Callable[[], int]:
        def run() -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return len(response.content)

        return run

    def view_search(self, client: Any, url: str, terms: list[str]) -> Callable[[], int]:
        state = {"i": 0}

        def run() -> int:
            term = terms[state["i"] % len(terms)]
            state["i"] += 1
            response = client.post(url, {"term": term})
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return len(response.content)

        return run

    # -- timing ----------------------------------------------------------------------------------

    def time_interleaved(self, variants: dict[str, Callable[[], int]]) -> dict[str, list[float]]:
        """Request i of every variant runs back to back, in a shuffled order, so a noisy
        moment on the shared machine hits all of them alike."""
        for _ in range(self.args.warmup):
            for run in variants.values():
                run()
        timings: dict[str, list[float]] = {name: [] for name in variants}
        order = list(variants)
        shuffler = random.Random(7)
        deadline = time.monotonic() + self.args.budget
        for done in range(self.args.requests):
            if done >= 30 and time.monotonic() > deadline:
                log(f"time budget reached after {done} requests per variant")
                break
            shuffler.shuffle(order)
            for name in order:
                started = time.perf_counter()
                variants[name]()
                timings[name].append((time.perf_counter() - started) * 1000)
        return timings

    def explain(self, statements: list[str]) -> list[str]:
        plans = []
        with self.bare_connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(b"EXPLAIN (ANALYZE, BUFFERS) " + statement.encode())
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return plans

    def measure(self, size: int, seeding_seconds: float) -> dict[str, Any]:
        from django.urls import NoReverseMatch, reverse

        from atis.cases.models import Person

        users = self.users()
        coordinator, manager = users["coordonator"], users["manager.iasi"]
        # Twenty existing CNPs (decrypted here, searched as typed) and twenty case references,
        # spread over the tables.
        rng = random.Random(size)
        last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        cnps: list[str] = []
        references: list[str] = []
        while len(cnps) < 20:
            person = Person.objects.exclude(cnp_lookup="").filter(pk__gte=rng.randint(1, last)).order_by("pk").first()
            if person is not None:
                cnps.append(person.cnp)
                references.append(person.cases.values_list("reference", flat=True).first() or person.reference)
        try:
            list_url, search_url = reverse("cases:list"), reverse("cases:search")
        except NoReverseMatch:
            list_url = search_url = ""
        with_view = bool(list_url) and not self.args.no_view

        scenarios: dict[str, dict[str, Any]] = {}
        for label, user in (("list, national coordinator", coordinator), ("list, regional case manager", manager)):
            statements = self.captured_sql(user, partial(self.first_page, user))
            variants = {"bare": self.bare(statements), "selector": self.selector_list(user.pk)}
            if with_view:
                variants["view"] = self.view_get(self.client_for(user.username), list_url)
            scenarios[label] = {"statements": statements, "variants": variants}
        for label, terms in (("search by CNP", cnps), ("search by case reference", references)):
            # The bare variant repeats the first term's statements: another term changes the
            # value compared, not the plan or the cost.
            statements = self.captured_sql(coordinator, partial(self.search_rows, coordinator, terms[0]))
            variants = {"bare": self.bare(statements), "selector": self.selector_search(coordinator.pk, terms)}
            if with_view:
                variants["view"] = self.view_search(self.client_for(coordinator.username), search_url, terms)
            scenarios[f"{label}, national coordinator"] = {"statements": statements, "variants": variants}

        report: dict[str, Any] = {
            "size": size,
            "requests": self.args.requests,
            "seeding_seconds": round(seeding_seconds, 1),
            "machine": f"{platform.node()} {os.cpu_count()} CPU, PostgreSQL {self.server_version()}",
            "view_timed": with_view,
            "scenarios": {},
        }
        for label, scenario in scenarios.items():
            log(f"timing: {label} ({self.args.requests} requests x {len(scenario['variants'])} variants)")
            timings = self.time_interleaved(scenario["variants"])
            stats = {name: summary(values) for name, values in timings.items()}
            bare = stats["bare"]
            for name, values in stats.items():
                if name != "bare":
                    values["ratio_p50"] = round(values["p50"] / bare["p50"], 2)
                    values["ratio_p95"] = round(values["p95"] / bare["p95"], 2)
            report["scenarios"][label] = {
                "requests": len(timings["bare"]),
                "stats": stats,
                "sql": scenario["statements"],
                "plans": self.explain(scenario["statements"]),
            }
        return report

    def server_version(self) -> str:
        row = self.bare_connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


def print_table(report: dict[str, Any]) -> None:
    print()
    print(f"### {report['size']:,} cases, {report['requests']} requests per variant ({report['machine']})")
    print()
    print("| scenario | variant | requests | p50 ms | p95 ms | p50 / bare | p95 / bare |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, scenario in report["scenarios"].items():
        for name, values in scenario["stats"].items():
            ratio50 = f"{values['ratio_p50']:.2f}" if "ratio_p50" in values else "1"
            ratio95 = f"{values['ratio_p95']:.2f}" if "ratio_p95" in values else "1"
            print(
                f"| {label} | {name} | {scenario['requests']} | {values['p50']:.1f} | {values['p95']:.1f} "
                f"| {ratio50} | {ratio95} |"
            )
    print(flush=True)


def main() -> None:
    args = parse_args()
    args.server = args.server.rstrip("/")
    os.environ["ATIS_MODE"] = "test"
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    # Persistent connections, as a deployment behind gunicorn would configure; with 0 every
    # request would also pay for a new PostgreSQL connection.
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    prepare_database(args.server, args.database, args.reset)

    import django

    django.setup()
    from django.core.management import call_command

    log("migrate and load the reference data")
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=io.StringIO())
    bench = Bench(args)
    RESULTS.mkdir(exist_ok=True)
    for size in sorted(args.sizes):
        seconds = bench.seed(size)
        if args.seed_only:
            continue
        report = bench.measure(size, seconds)
        (RESULTS / f"cases_list-{size}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        print_table(report)


if __name__ == "__main__":
    main()
