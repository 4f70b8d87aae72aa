"""Document library on PostgreSQL at 10,000 documents: the filtered list and full-text search.

Creates (or reuses) its own database, migrates it, fills it with 10,000 published documents
(one file each, 300–1,500 words of Romanian or English text, indexed through the library's
own index code), then times, interleaved request by request:

- bare: the SQL text the library sends for the page of results (captured once from the ORM),
  run with psycopg on its own connection, rows fetched, no Django;
- selector: what the list view does around it: visibility, filters, full-text match and rank,
  the page (21 rows for 20), the total count, tags and files prefetched, snippets cut;
- view: the real page through django.test.Client (middleware, template), anonymous.

Scenarios: the list filtered by category and year (newest first), and a full-text search
without diacritics ("violenta exploatare", best match first).

Usage (from the repository root):
    .venv/bin/python -m benchmarks.library_search [--documents 10000] [--requests 200]
Results are printed as a Markdown table and saved to benchmarks/results/library_search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"

WORDS_RO = [
    "traficul",
    "de",
    "persoane",
    "rămâne",
    "o",
    "formă",
    "gravă",
    "de",
    "violență",
    "exploatarea",
    "sexuală",
    "prin",
    "muncă",
    "victimele",
    "minore",
    "recrutarea",
    "oferte",
    "false",
    "străinătate",
    "agricultură",
    "construcții",
    "asistență",
    "psihologică",
    "juridică",
    "reintegrare",
    "cerșetorie",
    "forțată",
    "județul",
    "servitute",
    "pentru",
    "datorii",
    "documente",
    "de",
    "identitate",
    "confiscate",
    "poliția",
    "parchetul",
    "direcția",
    "de",
    "asistență",
    "socială",
    "organizații",
    "neguvernamentale",
    "prevenire",
    "campanie",
    "elevi",
    "părinți",
]
WORDS_EN = [
    "trafficking",
    "in",
    "persons",
    "remains",
    "a",
    "serious",
    "form",
    "of",
    "violence",
    "sexual",
    "labour",
    "exploitation",
    "minors",
    "recruitment",
    "false",
    "job",
    "offers",
    "abroad",
    "agriculture",
    "construction",
    "psychological",
    "legal",
    "assistance",
    "reintegration",
    "forced",
    "begging",
    "county",
    "debt",
    "bondage",
    "identity",
    "documents",
    "confiscated",
    "police",
    "prosecutors",
    "social",
    "services",
    "ngo",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="atis_bench_library")
    parser.add_argument("--reset", action="store_true", help="drop the benchmark database first")
    return parser.parse_args()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def prepare_database(server: str, name: str, reset: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if reset:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed(total: int) -> None:
    from django.db import transaction
    from tqdm import tqdm

    from atis.accounts.models import User
    from atis.accounts.services import user_create_by_system
    from atis.library import index
    from atis.library.models import Category, Document, DocumentFile, DocumentLanguage, DocumentStatus
    from atis.organisations.models import Organisation
    from atis.organisations.reference import HQ_NAME

    missing = total - Document.objects.count()
    if missing <= 0:
        return
    publisher = User.objects.filter(username="bench.publisher").first() or user_create_by_system(
        username="bench.publisher",
        first_name="Bench",
        last_name="Publisher",
        email="bench@example.org",
        password="Bench-password-not-used-2026",
        organisation=Organisation.objects.get(name=HQ_NAME),
        role="national_coordinator",
    )
    stream = random.Random(7)
    categories, languages = Category.values, [DocumentLanguage.ROMANIAN] * 4 + [DocumentLanguage.ENGLISH]
    with tqdm(total=missing, unit="doc", desc="Library documents", file=sys.stderr) as bar:
        while missing > 0:
            batch = min(500, missing)
            with transaction.atomic():
                documents, texts = [], []
                for _ in range(batch):
                    language = stream.choice(languages)
                    words = WORDS_EN if language == DocumentLanguage.ENGLISH else WORDS_RO
                    year = stream.randint(2006, 2025)
                    title = " ".join(stream.choices(words, k=8)).capitalize()
                    documents.append(
                        Document(
                            title_ro=title if language != DocumentLanguage.ENGLISH else "",
                            title_en=title if language == DocumentLanguage.ENGLISH else "",
                            description_ro=" ".join(stream.choices(words, k=30)),
                            category=stream.choice(categories),
                            year=year,
                            language=language,
                            status=DocumentStatus.PUBLISHED,
                            published_at=f"{year}-{stream.randint(1, 12):02d}-10T10:00:00Z",
                            created_by=publisher,
                        )
                    )
                    texts.append(" ".join(stream.choices(words, k=stream.randint(300, 1500))))
                Document.objects.bulk_create(documents)
                DocumentFile.objects.bulk_create(
                    DocumentFile(
                        document=document,
                        file=f"library/bench-{document.pk}",
                        name="document.pdf",
                        kind="pdf",
                        size=len(text),
                        sha256="0" * 64,
                        extraction="done",
                        extraction_progress=100,
                        extracted_text=text,
                        uploaded_by=publisher,
                    )
                    for document, text in zip(documents, texts, strict=True)
                )
                for document, text in zip(documents, texts, strict=True):
                    index.index(document, [text])
            missing -= batch
            bar.update(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(ordered[len(ordered) // 2], 2),
        "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "n": len(ordered),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    import psycopg
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from atis.library import selectors, views

    scenarios = {
        "filtered list (category + year, newest first)": {"category": "reports", "year": "2020"},
        "full-text search ('violenta exploatare', best match)": {"q": "violenta exploatare"},
    }
    anonymous = AnonymousUser()
    client = Client()
    bare_connection = psycopg.connect(os.environ["DATABASE_URL"])
    results: dict[str, Any] = {}
    for name, params in scenarios.items():
        listed = selectors.documents_listed_to(anonymous)
        form = views.FilterForm(params, years=selectors.year_choices(listed))
        filters = form.filters()
        page_query = selectors.documents_filter(listed, filters)[: views.PAGE_SIZE + 1]
        sql, sql_params = page_query.query.sql_with_params()

        def bare(sql: str = sql, sql_params: Any = sql_params) -> None:
            with bare_connection.cursor() as cursor:
                cursor.execute(sql, sql_params)
                cursor.fetchall()

        def selector(filters: Any = filters) -> None:
            found = selectors.documents_filter(selectors.documents_listed_to(anonymous), filters)
            page = views._page(selectors.with_listing_data(found), "1")
            for document in page.rows:
                list(document.tags.all())
                list(document.files.all())
            selectors.snippets_for(page.rows, filters.terms)

        url = reverse("library:list") + "?" + "&".join(f"{k}={v}" for k, v in params.items())

        def view(url: str = url) -> None:
            assert client.get(url).status_code == 200

        variants: dict[str, Callable[[], None]] = {"bare": bare, "selector": selector, "view": view}
        timings: dict[str, list[float]] = {key: [] for key in variants}
        for _ in range(args.warmup):
            for run_once in variants.values():
                run_once()
        for _ in range(args.requests):
            for key, run_once in variants.items():
                start = time.perf_counter()
                run_once()
                timings[key].append((time.perf_counter() - start) * 1000)
        found = selectors.documents_filter(selectors.documents_listed_to(anonymous), filters).count()
        results[name] = {"matches": found, **{key: percentiles(values) for key, values in timings.items()}}
        log(f"{name}: {results[name]}")
    bare_connection.close()
    connection.close()
    return results


def main() -> None:
    args = parse_args()
    prepare_database(args.server, args.database, args.reset)
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("ATIS_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    log("migrating")
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("load_reference", verbosity=0, skip_checks=True)
    seed(args.documents)
    results = run(args)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "library_search.json").write_text(
        json.dumps({"documents": args.documents, "results": results}, indent=2)
    )
    print("\n| scenario | matches | bare p50 / p95 (ms) | selector p50 / p95 | view p50 / p95 | view p95 ÷ bare p95 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in results.items():
        ratio = row["view"]["p95"] / max(row["bare"]["p95"], 0.001)
        print(
            f"| {name} | {row['matches']} | {row['bare']['p50']} / {row['bare']['p95']} | "
            f"{row['selector']['p50']} / {row['selector']['p95']} | {row['view']['p50']} / {row['view']['p95']} | "
            f"{ratio:.1f}× |"
        )


if __name__ == "__main__":
    main()
