"""Demo content of the library: 64 documents across every category and the years 2006–2025,
each with a real PDF, DOCX or ODT file whose text the search can find.

The texts are written for the demo (no real publication is copied). Each document is keyed
by its Romanian title, so loading again adds only what is missing. A few documents stay
drafts, some are internal to staff and one is withdrawn, so every state can be seen.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.utils import timezone

from atis.accounts.models import User
from atis.library import samples, services
from atis.library.models import Category, Document, DocumentLanguage, DocumentStatus, FileKind, Visibility

DEMO_PUBLISHER = "coordonator"
PER_CATEGORY = 8

_RO = [
    "Traficul de persoane rămâne o formă gravă de violență împotriva persoanei și o încălcare a drepturilor omului.",
    "Exploatarea sexuală este principala formă de exploatare a victimelor identificate în România.",
    "Exploatarea prin muncă afectează mai ales bărbații recrutați pentru agricultură și construcții în străinătate.",
    "Minorii reprezintă aproape jumătate dintre victimele identificate, ceea ce cere măsuri speciale de protecție.",
    "Recrutarea se face adesea prin oferte false de muncă publicate pe rețelele de socializare.",
    "Victimele au dreptul la asistență medicală, psihologică și juridică gratuită și la o perioadă de recuperare și reflecție.",
    "Linia telefonică gratuită 0800 800 678 oferă informații despre condițiile de muncă în străinătate.",
    "Mecanismul Național de Identificare și Referire stabilește rolul fiecărei instituții în identificarea victimelor.",
    "Cooperarea dintre poliție, parchete, direcțiile de asistență socială și organizațiile neguvernamentale este esențială.",
    "Cerșetoria forțată și infracționalitatea forțată afectează copiii din familii vulnerabile.",
    "Principalele țări de destinație rămân Italia, Spania, Germania și Regatul Unit.",
    "Reintegrarea socială a victimelor presupune sprijin pentru locuință, educație și un loc de muncă.",
    "Confiscarea documentelor de identitate și servitutea pentru datorii sunt indicatori puternici de trafic.",
    "Județele cele mai afectate au fost Sibiu, Dolj, Galați, Bacău și Iași.",
    "Mai puțin de jumătate dintre victimele identificate au primit asistență specializată.",
]
_EN = [
    "Trafficking in persons remains a serious form of violence and a violation of human rights.",
    "Sexual exploitation is the main form of exploitation among the victims identified in Romania.",
    "Labour exploitation mostly affects men recruited for agriculture and construction abroad.",
    "Minors are almost half of the identified victims, which calls for special protection measures.",
    "Recruiters often use false job offers published on social networks.",
    "Victims are entitled to free medical, psychological and legal assistance and to a recovery and reflection period.",
    "The free HelpLine 0800 800 678 informs callers about working conditions abroad.",
    "The National Identification and Referral Mechanism sets the role of each institution in identifying victims.",
    "Cooperation between police, prosecutors, social assistance services and non-governmental organisations is essential.",
    "Forced begging and forced criminality affect children from vulnerable families.",
    "The main countries of destination remain Italy, Spain, Germany and the United Kingdom.",
    "Confiscation of identity documents and debt bondage are strong indicators of trafficking.",
]
_TOPICS: dict[str, list[tuple[str, str, str]]] = {
    Category.LEGISLATION: [
        (
            "Legea nr. 678/2001 privind prevenirea și combaterea traficului de persoane, forma consolidată {year}",
            "Law no. 678/2001 on preventing and combating trafficking in persons, consolidated {year}",
            "legislație, lege",
        ),
        (
            "Hotărârea Guvernului privind Mecanismul Național de Identificare și Referire ({year})",
            "Government decision on the National Identification and Referral Mechanism ({year})",
            "mecanism, referire",
        ),
        (
            "Codul penal: infracțiunile de trafic și exploatare a persoanelor vulnerabile ({year})",
            "Criminal code: trafficking and exploitation of vulnerable persons ({year})",
            "cod penal",
        ),
        (
            "Ordonanța privind protecția victimelor infracțiunilor ({year})",
            "Ordinance on the protection of victims of crime ({year})",
            "victime, compensație",
        ),
    ],
    Category.STRATEGIES: [
        (
            "Strategia națională împotriva traficului de persoane {year}–{end}",
            "National strategy against trafficking in persons {year}–{end}",
            "strategie",
        ),
        (
            "Planul național de acțiune pentru implementarea strategiei ({year})",
            "National action plan implementing the strategy ({year})",
            "plan de acțiune",
        ),
        (
            "Raport de evaluare a implementării strategiei naționale ({year})",
            "Evaluation of the national strategy's implementation ({year})",
            "evaluare, strategie",
        ),
    ],
    Category.REPORTS: [
        (
            "Raportul anual privind evoluția traficului de persoane în {year}",
            "Annual report on trafficking in persons in {year}",
            "raport anual, statistici",
        ),
        (
            "Raport semestrial privind victimele identificate, semestrul I {year}",
            "Half-year report on identified victims, first half of {year}",
            "raport semestrial, minori",
        ),
        (
            "Raport privind activitatea liniei telefonice gratuite în {year}",
            "Report on the free HelpLine in {year}",
            "linia telefonică",
        ),
    ],
    Category.STUDIES: [
        (
            "Studiu privind exploatarea prin muncă în agricultură ({year})",
            "Study on labour exploitation in agriculture ({year})",
            "muncă, agricultură",
        ),
        (
            "Analiza recrutării online a tinerilor ({year})",
            "Analysis of online recruitment of young people ({year})",
            "recrutare online, tineri",
        ),
        (
            "Cercetare privind cererea de servicii sexuale ({year})",
            "Research on the demand for sexual services ({year})",
            "cerere, exploatare sexuală",
        ),
        (
            "Studiu privind cerșetoria forțată a copiilor ({year})",
            "Study on forced begging of children ({year})",
            "cerșetorie, copii",
        ),
    ],
    Category.CAMPAIGNS: [
        (
            "Campania „Muncește în siguranță în străinătate”: materiale {year}",
            "Campaign “Work safely abroad”: materials {year}",
            "campanie, muncă",
        ),
        (
            "Pliant: semnele unei oferte de muncă înșelătoare ({year})",
            "Leaflet: the signs of a deceptive job offer ({year})",
            "pliant, ofertă de muncă",
        ),
        (
            "Materiale pentru Ziua europeană de luptă împotriva traficului de persoane ({year})",
            "Materials for the EU Anti-Trafficking Day ({year})",
            "18 octombrie",
        ),
    ],
    Category.GUIDES: [
        (
            "Ghid de identificare a victimelor traficului pentru polițiști ({year})",
            "Victim identification guide for police officers ({year})",
            "ghid, identificare",
        ),
        (
            "Procedura de referire a minorilor către protecția copilului ({year})",
            "Procedure for referring minors to child protection ({year})",
            "minori, DGASPC",
        ),
        (
            "Ghid pentru profesori: prevenirea traficului în școli ({year})",
            "Guide for teachers: preventing trafficking in schools ({year})",
            "școli, prevenire",
        ),
    ],
    Category.INTERNATIONAL: [
        (
            "Raportul GRETA privind România ({year})",
            "GRETA report concerning Romania ({year})",
            "GRETA, Consiliul Europei",
        ),
        (
            "Directiva 2011/36/UE privind prevenirea și combaterea traficului de persoane (text {year})",
            "Directive 2011/36/EU on preventing and combating trafficking in human beings ({year} text)",
            "Uniunea Europeană",
        ),
        (
            "Raportul global UNODC privind traficul de persoane {year}",
            "UNODC global report on trafficking in persons {year}",
            "UNODC",
        ),
    ],
    Category.FORMS: [
        (
            "Formular de notificare a unei potențiale victime ({year})",
            "Notification form for a potential victim ({year})",
            "formular, notificare",
        ),
        (
            "Formular de consimțământ pentru referire ({year})",
            "Consent form for referral ({year})",
            "formular, consimțământ",
        ),
        (
            "Cerere de acordare a compensației financiare victimelor ({year})",
            "Application for financial compensation of victims ({year})",
            "formular, compensație",
        ),
    ],
}
_KINDS = (FileKind.PDF, FileKind.DOCX, FileKind.ODT)


@dataclass(frozen=True)
class DemoDocument:
    title_ro: str
    title_en: str
    category: str
    year: int
    language: str
    tags: tuple[str, ...]
    kind: str
    paragraphs: tuple[str, ...]
    status: str
    visibility: str


def demo_documents(seed: int) -> list[DemoDocument]:
    """The same list for the same seed: 8 per category, years spread over 2006–2025."""
    stream = random.Random(f"library-{seed}")
    result: list[DemoDocument] = []
    number = 0
    for category in Category.values:
        topics = _TOPICS[category]
        years = sorted(stream.sample(range(2006, 2026), PER_CATEGORY))
        for position, year in enumerate(years):
            title_ro, title_en, tags = topics[position % len(topics)]
            end = year + 4
            language = stream.choice(
                [DocumentLanguage.ROMANIAN] * 5 + [DocumentLanguage.ENGLISH, DocumentLanguage.BILINGUAL]
            )
            pool = _EN if language == DocumentLanguage.ENGLISH else _RO
            paragraphs = tuple(stream.sample(pool, 6))
            status = DocumentStatus.DRAFT if number % 13 == 7 else DocumentStatus.PUBLISHED
            if number == 20:
                status = DocumentStatus.WITHDRAWN
            result.append(
                DemoDocument(
                    title_ro=title_ro.format(year=year, end=end) if language != DocumentLanguage.ENGLISH else "",
                    title_en=title_en.format(year=year, end=end),
                    category=category,
                    year=year,
                    language=language,
                    tags=tuple(tag.strip() for tag in tags.split(",")),
                    kind=_KINDS[number % len(_KINDS)],
                    paragraphs=paragraphs,
                    status=status,
                    visibility=Visibility.INTERNAL if number % 9 == 4 else Visibility.PUBLIC,
                )
            )
            number += 1
    return result


def _exists(spec: DemoDocument) -> bool:
    return Document.objects.filter(title_ro=spec.title_ro, title_en=spec.title_en, year=spec.year).exists()


def _published_on(spec: DemoDocument, stream: random.Random) -> datetime.datetime:
    day = datetime.date(spec.year, 1, 1) + datetime.timedelta(days=stream.randrange(0, 330))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def load_demo_content(seed: int) -> str:
    publisher = User.objects.filter(username=DEMO_PUBLISHER).first()
    if publisher is None:
        return "library: no demo coordinator account, no documents added"
    stream = random.Random(f"library-dates-{seed}")
    created = 0
    for spec in demo_documents(seed):
        published_at = _published_on(spec, stream)
        if _exists(spec):
            continue
        title = spec.title_ro or spec.title_en
        data = samples.file_bytes(spec.kind, title, list(spec.paragraphs))
        document = services.document_create(
            actor=publisher,
            data=services.DocumentData(
                title_ro=spec.title_ro,
                title_en=spec.title_en,
                description_ro=spec.paragraphs[0] if spec.language != DocumentLanguage.ENGLISH else "",
                description_en=_EN[created % len(_EN)] if spec.language != DocumentLanguage.ROMANIAN else "",
                category=spec.category,
                year=spec.year,
                language=spec.language,
                visibility=spec.visibility,
                tags=spec.tags,
            ),
        )
        services.document_file_add(
            actor=publisher,
            document=document,
            upload=io.BytesIO(data),
            name=f"{title}.{spec.kind}",
            size=len(data),
            extract_now=True,
        )
        if spec.status != DocumentStatus.DRAFT:
            services.document_publish(actor=publisher, document=document)
            # The demo's documents were "published" in their own year, not today.
            Document.objects.filter(pk=document.pk).update(published_at=published_at)
        if spec.status == DocumentStatus.WITHDRAWN:
            services.document_withdraw(actor=publisher, document=document)
        created += 1
    return f"library: {created} demo documents added, {Document.objects.count()} in the library"
