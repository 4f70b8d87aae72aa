"""Document library on PostgreSQL at 10,000 documents: the filtered list and full-text search.

Creates (or reuses) its own database, migrates it, fills it with 10,000 published documents
(one file each, 300–1,500 words of Romanian or English text from a corpus in which a specific
term matches a few percent of the documents, see below), indexed through the library's own
index code, then VACUUM ANALYZE. Then times, one request of each variant per round in a
shuffled order, after 10 warm-up rounds:

- bare: the SQL text the list sends for the page of results (captured once from the ORM: the
  21 rows for a page of 20, ranked when searching), run with psycopg on its own connection;
- bare_all: every statement the page sends (captured from one request of the view: the page,
  the count when one is needed, tags and files of the 20 rows, the text the snippets are cut
  from), run the same way;
- selector: what the list view does around them, without template or middleware: the year
  filter's choices (from the cache), the filters, views._results (page, count, tags and files,
  snippets);
- view: the real page through django.test.Client (middleware, template), anonymous, with
  persistent database connections as behind gunicorn.

Scenarios: the list filtered by category and year (newest first); a full-text search without
diacritics ("violenta exploatare", best match first, ~4% of the documents); a broad search
("traficul", ~80% of the documents: every Romanian document mentions it); the whole list.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.library_search [--requests 200] [--scenario list]...
    .venv/bin/python -m benchmarks.library_search --reset   # after a change to the corpus
Results are printed as a Markdown table and saved to benchmarks/results/library_search.json
(with the statements of each page).
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

# The corpus imitates a real library's vocabulary, so that a search term matches a few percent
# of the documents, not most of them:
# - common words: the function words of each language (stop words the stemmer drops, but they
#   take positions in the text, as in real prose), and "trafficking in persons", which every
#   document of this agency mentions (the broad search below finds all its Romanian ones);
# - a long tail of 6,000 generated words per language, drawn with a Zipf distribution (a few
#   very frequent, most rare), standing for the general administrative vocabulary;
# - TOPICS: each document has a main subject (and, one time in three, a second one) whose words
#   make up about 6% of its text. "violență" and "exploatarea" belong to one subject, so the
#   search below matches about 5% of the documents, as a specific query does in a real library.
COMMON_RO = [
    "de",
    "și",
    "în",
    "la",
    "a",
    "cu",
    "pentru",
    "care",
    "din",
    "pe",
    "sau",
    "este",
    "sunt",
    "au",
    "fost",
    "o",
    "un",
    "al",
    "ale",
    "prin",
    "privind",
    "precum",
    "către",
    "acest",
    "această",
    "traficul",
    "persoane",
]
COMMON_EN = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "for",
    "that",
    "on",
    "with",
    "as",
    "by",
    "are",
    "be",
    "this",
    "from",
    "or",
    "at",
    "an",
    "which",
    "was",
    "were",
    "trafficking",
    "persons",
]
TOPICS_RO = [
    "violență exploatarea sexuală victimele abuz constrângere proxenetism",
    "muncă forțată agricultură construcții salariu contract angajator",
    "minore copii școală părinți protecție tutelă adopție",
    "recrutarea oferte false străinătate anunțuri agenție intermediar",
    "asistență psihologică consiliere adăpost reintegrare terapie",
    "poliția parchetul anchetă urmărire penală condamnare instanța",
    "cerșetorie stradă grupuri organizate mendicitate",
    "servitute datorii împrumut dobândă camătă",
    "documente identitate confiscate pașaport viză frontieră",
    "campanie prevenire informare elevi tineri media",
    "statistică date raportare indicatori evaluare monitorizare",
    "buget finanțare proiect fonduri cheltuieli achiziții",
    "legislație lege ordonanță hotărâre modificare transpunere",
    "strategie plan acțiune obiective măsuri termen",
    "cooperare internațională europol eurojust parteneri",
    "sănătate medical spital tratament vaccinare",
    "migrație azil refugiați solicitanți integrare",
    "formare instruire curs specialiști curriculum",
    "internet online rețele sociale platforme digital",
    "căsătorie forțată obiceiuri comunitate tradiții",
    "organe prelevare transplant ilegal clinică",
    "despăgubiri compensații fond victime restituire",
    "audit control conformitate verificare nereguli",
    "voluntariat organizații neguvernamentale societate civilă",
]
TOPICS_EN = [
    "violence sexual exploitation victims abuse coercion pimping",
    "forced labour agriculture construction wages contract employer",
    "minors children school parents protection guardianship adoption",
    "recruitment false offers abroad advertisements agency intermediary",
    "psychological counselling shelter reintegration therapy",
    "police prosecutors investigation prosecution conviction court",
    "begging street organised groups mendicancy",
    "bondage debt loan interest usury",
    "identity documents confiscated passport visa border",
    "campaign prevention awareness pupils youth media",
    "statistics data reporting indicators evaluation monitoring",
    "budget funding project funds expenditure procurement",
    "legislation law ordinance decision amendment transposition",
    "strategy action plan objectives measures deadline",
    "international cooperation europol eurojust partners",
    "health medical hospital treatment vaccination",
    "migration asylum refugees applicants integration",
    "training course specialists curriculum workshop",
    "internet online social networks platforms digital",
    "forced marriage customs community traditions",
    "organ removal transplant illegal clinic",
    "compensation fund victims restitution damages",
    "audit control compliance verification irregularities",
    "volunteering non-governmental organisations civil society",
]
TAIL_SIZE = 6_000
TOPIC_SHARE = 0.06


def tail_words(stream: random.Random, language: str, topics: list[str]) -> list[str]:
    """Made-up words of a plausible shape, none starting like a topic word (so topics stay apart)."""
    onsets = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "z", "st", "pr", "tr", "cr"]
    vowels = ["a", "e", "i", "o", "u"] + (["ă", "î"] if language == "ro" else ["ea", "ou"])
    endings = (
        ["re", "ție", "ului", "ilor", "ează", "ul"] if language == "ro" else ["ing", "tion", "ment", "ed", "s", ""]
    )
    reserved = {word[:4] for topic in topics for word in topic.split()}
    words: set[str] = set()
    while len(words) < TAIL_SIZE:
        stem = "".join(stream.choice(onsets) + stream.choice(vowels) for _ in range(stream.randint(2, 3)))
        word = stem + stream.choice(endings)
        if word[:4] not in reserved:
            words.add(word)
    return sorted(words)


class Vocabulary:
    """One language's words and how to draw a text from them."""

    def __init__(self, stream: random.Random, language: str, common: list[str], topics: list[str]) -> None:
        self.common = common
        self.topics = [topic.split() for topic in topics]
        self.tail = tail_words(stream, language, topics)
        stream.shuffle(self.tail)
        # Zipf over the tail: the word of rank r drawn with weight 1/r.
        total, self.cumulative = 0.0, []
        for rank in range(1, len(self.tail) + 1):
            total += 1.0 / rank
            self.cumulative.append(total)

    def subjects(self, stream: random.Random) -> list[int]:
        first = stream.randrange(len(self.topics))
        if stream.random() < 1 / 3:
            return [first, stream.randrange(len(self.topics))]
        return [first]

    def text(self, stream: random.Random, subjects: list[int], count: int) -> str:
        topical = [word for subject in subjects for word in self.topics[subject]]
        tail = stream.choices(self.tail, cum_weights=self.cumulative, k=count)
        words = []
        for position in range(count):
            roll = stream.random()
            if roll < TOPIC_SHARE:
                words.append(stream.choice(topical))
            elif roll < 0.4:
                words.append(stream.choice(self.common))
            else:
                words.append(tail[position])
        return " ".join(words)


SCENARIOS = {
    "filtered list (category + year, newest first)": {"category": "reports", "year": "2020"},
    "full-text search ('violenta exploatare', best match)": {"q": "violenta exploatare"},
    "broad full-text search ('traficul', best match)": {"q": "traficul"},
    "whole list (no filter, newest first)": {},
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="atis_bench_library")
    parser.add_argument("--reset", action="store_true", help="drop the benchmark database first")
    parser.add_argument("--seed-only", action="store_true", help="fill the database and stop")
    parser.add_argument(
        "--scenario", action="append", default=[], help="run only the scenarios whose name contains this (repeatable)"
    )
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
    vocabularies = {
        DocumentLanguage.ROMANIAN: Vocabulary(stream, "ro", COMMON_RO, TOPICS_RO),
        DocumentLanguage.ENGLISH: Vocabulary(stream, "en", COMMON_EN, TOPICS_EN),
    }
    categories, languages = Category.values, [DocumentLanguage.ROMANIAN] * 4 + [DocumentLanguage.ENGLISH]
    with tqdm(total=missing, unit="doc", desc="Library documents", file=sys.stderr) as bar:
        while missing > 0:
            batch = min(500, missing)
            with transaction.atomic():
                documents, texts = [], []
                for _ in range(batch):
                    language = stream.choice(languages)
                    vocabulary = vocabularies[language]
                    subjects = vocabulary.subjects(stream)
                    year = stream.randint(2006, 2025)
                    title = vocabulary.text(stream, subjects, 8).capitalize()
                    documents.append(
                        Document(
                            title_ro=title if language != DocumentLanguage.ENGLISH else "",
                            title_en=title if language == DocumentLanguage.ENGLISH else "",
                            description_ro=vocabulary.text(stream, subjects, 30),
                            category=stream.choice(categories),
                            year=year,
                            language=language,
                            status=DocumentStatus.PUBLISHED,
                            published_at=f"{year}-{stream.randint(1, 12):02d}-10T10:00:00Z",
                            created_by=publisher,
                        )
                    )
                    texts.append(vocabulary.text(stream, subjects, stream.randint(300, 1500)))
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

    # VACUUM, not only ANALYZE: rows inserted one by one wait in the GIN index's pending list,
    # and until a vacuum folds them in (autovacuum does, in a live database) the planner
    # prices the index so high that it reads every tsvector instead.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from atis.library import selectors, views

    anonymous = AnonymousUser()
    client = Client()
    bare_connection = psycopg.connect(os.environ["DATABASE_URL"])
    order = random.Random(11)
    results: dict[str, Any] = {}
    chosen = {name: params for name, params in SCENARIOS.items() if any(part in name for part in args.scenario or [""])}
    for name, params in chosen.items():
        filters = views.FilterForm(params, years=selectors.listed_years(anonymous)).filters()
        found = selectors.documents_filter(selectors.documents_listed_to(anonymous), filters)
        page_query = selectors.listing_rows(found)[: views.PAGE_SIZE + 1]
        sql, sql_params = page_query.query.sql_with_params()
        url = reverse("library:list") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
        client.get(url)  # the year list is in the cache from here on, as after any first visitor
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        statements = [query["sql"] for query in captured.captured_queries]

        def bare(sql: str = sql, sql_params: Any = sql_params) -> None:
            with bare_connection.cursor() as cursor:
                cursor.execute(sql, sql_params)
                cursor.fetchall()

        def bare_all(statements: list[str] = statements) -> None:
            with bare_connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement.encode())
                    cursor.fetchall()

        def selector(params: dict[str, str] = params) -> None:
            filters = views.FilterForm(params, years=selectors.listed_years(anonymous)).filters()
            views._results(anonymous, filters, "1")

        def view(url: str = url) -> None:
            assert client.get(url).status_code == 200

        variants: dict[str, Callable[[], None]] = {
            "bare": bare,
            "bare_all": bare_all,
            "selector": selector,
            "view": view,
        }
        timings: dict[str, list[float]] = {key: [] for key in variants}
        for _ in range(args.warmup):
            for run_once in variants.values():
                run_once()
        keys = list(variants)
        for _ in range(args.requests):
            # A new order each round, so a noisy moment does not always hit the same variant.
            order.shuffle(keys)
            for key in keys:
                start = time.perf_counter()
                variants[key]()
                timings[key].append((time.perf_counter() - start) * 1000)
        results[name] = {
            "matches": found.count(),
            "statements": statements,
            **{key: percentiles(values) for key, values in timings.items()},
        }
        log(f"{name}: { {key: value for key, value in results[name].items() if key != 'statements'} }")
    bare_connection.close()
    connection.close()
    return results


def main() -> None:
    args = parse_args()
    prepare_database(args.server, args.database, args.reset)
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("ATIS_MODE", "test")
    # Persistent connections, as behind gunicorn: with 0 every view request would also open a
    # PostgreSQL connection, which the bare query (one open connection) never pays.
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    log("migrating")
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("load_reference", verbosity=0, skip_checks=True)
    seed(args.documents)
    if args.seed_only:
        return
    results = run(args)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "library_search.json").write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "documents": args.documents,
                "requests": args.requests,
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(
        "\n| scenario | matches | bare p50 / p95 (ms) | bare, all statements | selector | view "
        "| view ÷ bare (p95) | view ÷ all statements (p95) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in results.items():
        cells = " | ".join(f"{row[key]['p50']} / {row[key]['p95']}" for key in ("bare", "bare_all", "selector", "view"))
        ratios = [row["view"]["p95"] / max(row[key]["p95"], 0.001) for key in ("bare", "bare_all")]
        print(f"| {name} | {row['matches']} | {cells} | {ratios[0]:.1f}× | {ratios[1]:.1f}× |")


if __name__ == "__main__":
    main()
