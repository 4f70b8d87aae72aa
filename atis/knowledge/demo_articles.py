"""The demonstration articles: general advice and the five main destinations (Italy, Spain,
Germany, the United Kingdom, France), in Romanian and English.

Written for the demo but meant to be right: names of institutions and services are real;
phone numbers are given only for long-standing national lines, and for embassies and
consulates the reader is sent to the official sites instead of a number that may change.
Editors should review them before a real deployment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoArticle:
    key: str
    kind: str
    country: str
    audience: str
    topics: tuple[str, ...]
    ro: tuple[str, str]
    en: tuple[str, str]


_CONSULATE_RO = """## Ce poate face consulatul
- vă eliberează un titlu de călătorie dacă ați pierdut actele sau vi le-a luat cineva;
- ia legătura cu familia dumneavoastră, dacă doriți;
- vă spune cum găsiți un avocat sau un interpret și ce autorități locale vă pot ajuta;
- vă sprijină dacă ați fost victima unei infracțiuni, inclusiv a traficului de persoane.

## Ce nu poate face
Nu vă poate găsi un loc de muncă, nu plătește datorii sau amenzi și nu poate interveni într-un proces.

Adresele, programul și numerele de telefon se schimbă: verificați-le întotdeauna pe site-ul oficial al misiunii și pe https://www.mae.ro. Programările consulare se fac pe https://www.econsulat.ro.

În caz de pericol imediat sunați la 112. Linia Telefonică Gratuită 0800 800 678 vă ajută să luați legătura cu instituțiile potrivite."""

_CONSULATE_EN = """## What the consulate can do
- issue an emergency travel document if your papers were lost or taken from you;
- contact your family, if you wish;
- tell you how to find a lawyer or an interpreter and which local authorities can help;
- support you if you were the victim of a crime, including trafficking in human beings.

## What it cannot do
It cannot find you a job, pay debts or fines, or intervene in court proceedings.

Addresses, opening hours and phone numbers change: always check them on the mission's official site and on https://www.mae.ro. Consular appointments are made on https://www.econsulat.ro.

In immediate danger call 112. The free HelpLine 0800 800 678 helps you reach the right institutions."""


def _embassy(key: str, country: str, ro_place: str, en_place: str, ro_city: str, en_city: str) -> DemoArticle:
    return DemoArticle(
        key=key,
        kind="embassy",
        country=country,
        audience="public",
        topics=("travel", "leaving_exploitation", "other"),
        ro=(
            f"Ambasada și consulatele României în {ro_place}",
            f"România are o ambasadă la {ro_city} și consulate în mai multe orașe din {ro_place}. "
            "Consultați site-ul oficial al Ambasadei României pentru lista actuală a consulatelor, "
            "circumscripția fiecăruia și datele de contact.\n\n" + _CONSULATE_RO,
        ),
        en=(
            f"Romania's embassy and consulates in {en_place}",
            f"Romania has an embassy in {en_city} and consulates in several cities of {en_place}. "
            "See the official site of the Embassy of Romania for the current list of consulates, the area each "
            "covers and their contact details.\n\n" + _CONSULATE_EN,
        ),
    )


ARTICLES: tuple[DemoArticle, ...] = (
    # --- General -------------------------------------------------------------------------
    DemoArticle(
        key="general-deceptive",
        kind="deceptive_recruitment",
        country="",
        audience="public",
        topics=("job_offer_abroad", "recruitment_agency", "travel"),
        ro=(
            "Semnele unei oferte de muncă înșelătoare",
            """Traficanții recrutează cel mai des prin oferte de muncă în străinătate care par prea bune ca să fie adevărate. Fiți atenți dacă:

- vi se cere bani pentru „taxa de plasare”, viză sau acte, sau drumul și cazarea vi se „avansează” ca datorie;
- nu primiți un contract scris înainte de plecare, sau contractul este într-o limbă pe care nu o citiți;
- salariul promis este mult peste cel obișnuit pentru o muncă necalificată;
- nu aflați numele exact și adresa angajatorului sau a locului de muncă;
- cineva vrea să vă „păstreze pașaportul sau buletinul pentru siguranță”;
- sunteți grăbit(ă) să plecați „chiar mâine”, fără timp de gândire;
- recrutorul vorbește cu dumneavoastră doar pe mesagerie privată (WhatsApp, Telegram, Facebook);
- agenția nu apare în registrul agențiilor licențiate.

## Ce puteți face
Verificați agenția și angajatorul, cereți contractul în scris, lăsați familiei adresa și copia actelor, păstrați-vă actele asupra dumneavoastră. Sunați gratuit la 0800 800 678 pentru sfaturi înainte de a pleca.""",
        ),
        en=(
            "Signs of a deceptive job offer",
            """Traffickers most often recruit through job offers abroad that look too good to be true. Be careful if:

- you are asked to pay a "placement fee", a visa or documents, or your travel and housing are "advanced" as a debt;
- you get no written contract before leaving, or the contract is in a language you do not read;
- the promised pay is far above the usual for unskilled work;
- you cannot learn the exact name and address of the employer or of the workplace;
- someone wants to "keep your passport or ID card for safety";
- you are pushed to leave "tomorrow", with no time to think;
- the recruiter talks to you only through private messengers (WhatsApp, Telegram, Facebook);
- the agency is not in the registry of licensed agencies.

## What you can do
Check the agency and the employer, ask for the contract in writing, leave your family the address and copies of your documents, keep your documents with you. Call 0800 800 678 free of charge for advice before you leave.""",
        ),
    ),
    DemoArticle(
        key="general-contract",
        kind="contract",
        country="",
        audience="public",
        topics=("contract", "job_offer_abroad", "working_conditions"),
        ro=(
            "Ce trebuie să scrie în contractul de muncă",
            """Cereți contractul înainte de plecare, citiți-l și păstrați o copie (și una la familie). Un contract corect spune cel puțin:

1. numele, adresa și datele de înregistrare ale angajatorului;
2. locul de muncă (adresa exactă) și postul;
3. durata contractului și perioada de probă;
4. programul de lucru, orele suplimentare și cum se plătesc;
5. salariul brut și cum se calculează cel net, data și modul de plată;
6. cine plătește transportul și cazarea și cât se reține din salariu pentru ele;
7. asigurarea de sănătate și concediul;
8. cum se încheie contractul (preavizul).

Contractul trebuie să fie într-o limbă pe care o înțelegeți. Dacă pleacă prin agenție, aceasta trebuie să încheie cu dumneavoastră un contract de mediere scris. Nu semnați acte în alb și nu predați nimănui pașaportul.""",
        ),
        en=(
            "What the employment contract must say",
            """Ask for the contract before you leave, read it and keep a copy (and leave one with your family). A fair contract states at least:

1. the employer's name, address and registration details;
2. the workplace (exact address) and the job;
3. how long the contract lasts and the trial period;
4. working hours, overtime and how it is paid;
5. the gross wage and how the net is worked out, when and how it is paid;
6. who pays travel and housing and how much is deducted from the wage for them;
7. health insurance and leave;
8. how the contract ends (notice).

The contract must be in a language you understand. If you go through an agency, it must sign a written placement contract with you. Never sign blank papers and never hand your passport to anyone.""",
        ),
    ),
    DemoArticle(
        key="general-agency-check",
        kind="job_portals",
        country="",
        audience="public",
        topics=("recruitment_agency", "job_offer_abroad"),
        ro=(
            "Cum verificați o agenție de recrutare și unde căutați locuri de muncă sigure",
            """Agențiile care plasează lucrători în străinătate au nevoie de înregistrare la Inspecția Muncii. Verificați:

- că agenția apare în registrul agențiilor de plasare, cu licența valabilă;
- că numele și codul fiscal (CUI) din contract sunt aceleași cu cele din registru;
- că agenția are un sediu real, pe care îl puteți vizita.

## Locuri de muncă prin servicii publice
- EURES, portalul european al mobilității pentru muncă: https://eures.europa.eu
- Agenția Națională pentru Ocuparea Forței de Muncă și agențiile județene (AJOFM), care au consilieri EURES.

Un anunț publicat pe rețele sociale, fără angajator cunoscut, nu este o ofertă verificată.""",
        ),
        en=(
            "How to check a recruitment agency and where to look for safe jobs",
            """Agencies placing workers abroad must be registered with the Labour Inspectorate (Inspecția Muncii). Check:

- that the agency is in the registry of placement agencies, with a valid licence;
- that the name and fiscal code (CUI) in the contract match those in the registry;
- that the agency has a real office you can visit.

## Jobs through public services
- EURES, the European job mobility portal: https://eures.europa.eu
- The National Employment Agency (ANOFM) and the county employment agencies (AJOFM), which have EURES advisers.

An advert on social media with no known employer is not a checked offer.""",
        ),
    ),
    DemoArticle(
        key="general-help",
        kind="support",
        country="",
        audience="public",
        topics=("leaving_exploitation", "working_conditions", "other"),
        ro=(
            "Unde cereți ajutor dacă sunteți exploatat(ă)",
            """- **112**: numărul unic de urgență, gratuit în toate țările Uniunii Europene.
- **0800 800 678**: Linia Telefonică Gratuită a Agenției Naționale împotriva Traficului de Persoane, pentru informații și sprijin.
- **116 000**: linia europeană pentru copii dispăruți.
- Ambasada sau consulatul României din țara în care vă aflați.

Semne că trebuie să cereți ajutor: nu vă puteți păstra actele, nu sunteți plătit(ă), datoria „pentru drum și cazare” crește mereu, sunteți amenințat(ă) sau nu aveți voie să plecați. Ajutorul pentru victimele traficului este gratuit și nu depinde de depunerea unei plângeri.""",
        ),
        en=(
            "Where to ask for help if you are exploited",
            """- **112**: the single emergency number, free in every country of the European Union.
- **0800 800 678**: the free HelpLine of Romania's National Agency against Trafficking in Persons, for information and support.
- **116 000**: the European hotline for missing children.
- The Embassy or consulate of Romania in the country where you are.

Signs that you should ask for help: you cannot keep your documents, you are not paid, the debt "for travel and housing" keeps growing, you are threatened or not allowed to leave. Help for victims of trafficking is free and does not depend on filing a complaint.""",
        ),
    ),
    DemoArticle(
        key="internal-operators",
        kind="support",
        country="",
        audience="internal",
        topics=("leaving_exploitation", "other"),
        ro=(
            "Ghid pentru operatori: când și unde trimiteți apelul",
            """## Pericol imediat
Dacă persoana este în pericol acum (violență, sechestrare, un copil fără însoțitor), îi cereți să sune la 112 sau, cu acordul ei, anunțați dumneavoastră 112 și consemnați escaladarea.

## Posibilă victimă
Semnalați cazul centrului regional al Agenției pentru identificare și referire, conform Mecanismului Național de Identificare și Referire. Minorii se referă către DGASPC.

## Informare înainte de plecare
Folosiți articolele despre țara de destinație, verificați agenția în registru și trimiteți persoanei linkurile publice.

Nu promiteți rezultate și nu cereți mai multe date personale decât sunt necesare.""",
        ),
        en=(
            "Operators' guide: when and where to refer a call",
            """## Immediate danger
If the person is in danger now (violence, confinement, an unaccompanied child), ask them to call 112 or, with their agreement, alert 112 yourself and log the escalation.

## Possible victim
Notify the Agency's regional centre for identification and referral, under the National Identification and Referral Mechanism. Minors are referred to child protection (DGASPC).

## Information before leaving
Use the articles about the destination country, check the agency in the registry and send the person the public links.

Do not promise outcomes and do not ask for more personal data than needed.""",
        ),
    ),
    # --- Italy ---------------------------------------------------------------------------
    DemoArticle(
        key="it-legal",
        kind="working_legally",
        country="IT",
        audience="public",
        topics=("job_offer_abroad", "contract", "working_conditions"),
        ro=(
            "Cum lucrați legal în Italia",
            """Ca cetățean al Uniunii Europene nu aveți nevoie de permis de muncă în Italia. Munca este legală dacă:

- angajatorul trimite comunicarea obligatorie de angajare (UNILAV) înainte de prima zi de lucru;
- aveți un contract scris, cu salariul stabilit de contractul colectiv național al sectorului (CCNL);
- primiți fluturaș de salariu (busta paga) și contribuțiile sunt plătite la INPS.

Cereți codul fiscal (codice fiscale) la Agenzia delle Entrate și, după trei luni, înscrieți-vă la primăria (Comune) unde locuiți (iscrizione anagrafica); apoi vă puteți înscrie în sistemul public de sănătate (SSN).

Munca „la negru” vă lasă fără asigurare și fără dovada muncii. Intermedierea ilegală și exploatarea muncii („caporalato”) sunt infracțiuni în Italia; controalele le face Ispettorato Nazionale del Lavoro.""",
        ),
        en=(
            "Working legally in Italy",
            """As a citizen of the European Union you need no work permit in Italy. Work is legal when:

- the employer files the mandatory hiring notice (UNILAV) before your first working day;
- you have a written contract, with pay set by the sector's national collective agreement (CCNL);
- you get a payslip (busta paga) and contributions are paid to INPS.

Get your tax code (codice fiscale) from the Agenzia delle Entrate and, after three months, register with the town hall (Comune) where you live (iscrizione anagrafica); you can then join the national health service (SSN).

Undeclared work ("lavoro nero") leaves you without insurance or proof of work. Illegal labour brokering and exploitation ("caporalato") are crimes in Italy; the Ispettorato Nazionale del Lavoro inspects workplaces.""",
        ),
    ),
    DemoArticle(
        key="it-jobs",
        kind="job_portals",
        country="IT",
        audience="public",
        topics=("job_offer_abroad", "recruitment_agency"),
        ro=(
            "Locuri de muncă în Italia prin servicii publice",
            """- **EURES Italia**, prin portalul european https://eures.europa.eu și consilierii EURES din AJOFM.
- **Centri per l'impiego**: serviciile publice de ocupare, organizate de regiuni; vă înscrieți gratuit.
- Agențiile private de muncă din Italia trebuie să fie autorizate de Ministerul Muncii și înscrise în registrul național al agențiilor de muncă (Albo informatico delle Agenzie per il lavoro); cereți numărul de autorizare.

În agricultură, atenție la „caporali”: intermediari care transportă lucrătorii la câmp și le rețin o parte din plată.""",
        ),
        en=(
            "Finding work in Italy through public services",
            """- **EURES Italy**, through the European portal https://eures.europa.eu and the EURES advisers of the county employment agencies (AJOFM).
- **Centri per l'impiego**: the public employment services, run by the regions; registration is free.
- Private employment agencies in Italy must be authorised by the Ministry of Labour and listed in the national register of employment agencies (Albo informatico delle Agenzie per il lavoro); ask for their authorisation number.

In agriculture, beware of "caporali": middlemen who drive workers to the fields and keep part of their pay.""",
        ),
    ),
    _embassy("it-embassy", "IT", "Italia", "Italy", "Roma", "Rome"),
    DemoArticle(
        key="it-help",
        kind="support",
        country="IT",
        audience="public",
        topics=("leaving_exploitation", "working_conditions"),
        ro=(
            "Ajutor în Italia: linia națională anti-trafic",
            """- **800 290 290**: Numero Verde Antitratta, linia gratuită națională pentru victimele traficului, cu operatori care vorbesc și limba română.
- **112**: urgențe.
- Sindicatele și organizațiile neguvernamentale locale oferă consiliere gratuită despre salariu și contract.
- Ambasada și consulatele României (vezi articolul despre ele).""",
        ),
        en=(
            "Help in Italy: the national anti-trafficking line",
            """- **800 290 290**: Numero Verde Antitratta, the free national line for victims of trafficking, with operators who also speak Romanian.
- **112**: emergencies.
- Trade unions and local NGOs give free advice about pay and contracts.
- The Embassy and consulates of Romania (see the article about them).""",
        ),
    ),
    # --- Spain ---------------------------------------------------------------------------
    DemoArticle(
        key="es-legal",
        kind="working_legally",
        country="ES",
        audience="public",
        topics=("job_offer_abroad", "contract", "working_conditions"),
        ro=(
            "Cum lucrați legal în Spania",
            """Cetățenii Uniunii Europene pot lucra în Spania fără permis de muncă. Pentru o muncă legală:

- cereți NIE (numărul de identificare pentru străini) și, pentru șederi de peste trei luni, certificatul de înregistrare ca cetățean al Uniunii;
- angajatorul vă înregistrează la Securitatea Socială (Seguridad Social) înainte să începeți lucrul;
- salariul nu poate fi sub salariul minim (SMI) și nici sub cel din contractul colectiv (convenio colectivo) al sectorului;
- înscrieți-vă la primărie (empadronamiento) la adresa unde locuiți.

Dacă nu sunteți plătit(ă) sau lucrați fără contract, puteți sesiza Inspección de Trabajo y Seguridad Social, și anonim.""",
        ),
        en=(
            "Working legally in Spain",
            """Citizens of the European Union may work in Spain without a work permit. For legal work:

- get an NIE (foreigner identification number) and, for stays over three months, the registration certificate as an EU citizen;
- the employer registers you with Social Security (Seguridad Social) before you start work;
- the wage may not be below the minimum wage (SMI) nor below the sector's collective agreement (convenio colectivo);
- register with the town hall (empadronamiento) at the address where you live.

If you are not paid or work without a contract, you can report it to the Inspección de Trabajo y Seguridad Social, also anonymously.""",
        ),
    ),
    DemoArticle(
        key="es-jobs",
        kind="job_portals",
        country="ES",
        audience="public",
        topics=("job_offer_abroad", "recruitment_agency"),
        ro=(
            "Locuri de muncă în Spania prin servicii publice",
            """- **SEPE** (Servicio Público de Empleo Estatal) și serviciile de ocupare ale comunităților autonome.
- **EURES Spania**, prin https://eures.europa.eu; lucrul sezonier în agricultură este adesea recrutat prin programe anunțate și de AJOFM.

La munca sezonieră (de exemplu culesul căpșunilor), cereți contractul înainte de plecare și aflați cine plătește drumul și cazarea.""",
        ),
        en=(
            "Finding work in Spain through public services",
            """- **SEPE** (Servicio Público de Empleo Estatal) and the employment services of the autonomous communities.
- **EURES Spain**, through https://eures.europa.eu; seasonal farm work is often recruited through programmes also announced by the county employment agencies (AJOFM).

For seasonal work (for example strawberry picking), ask for the contract before leaving and find out who pays travel and housing.""",
        ),
    ),
    _embassy("es-embassy", "ES", "Spania", "Spain", "Madrid", "Madrid"),
    DemoArticle(
        key="es-help",
        kind="support",
        country="ES",
        audience="public",
        topics=("leaving_exploitation",),
        ro=(
            "Ajutor în Spania",
            """- **900 10 50 90**: linia gratuită a Poliției Naționale pentru semnalarea traficului de persoane (și adresa trata@policia.es).
- **112**: urgențe.
- **016**: linia pentru victimele violenței împotriva femeilor, inclusiv ale exploatării sexuale.
- Ambasada și consulatele României (vezi articolul despre ele).""",
        ),
        en=(
            "Help in Spain",
            """- **900 10 50 90**: the National Police's free line for reporting trafficking in human beings (and trata@policia.es).
- **112**: emergencies.
- **016**: the line for victims of violence against women, including sexual exploitation.
- The Embassy and consulates of Romania (see the article about them).""",
        ),
    ),
    # --- Germany -------------------------------------------------------------------------
    DemoArticle(
        key="de-legal",
        kind="working_legally",
        country="DE",
        audience="public",
        topics=("job_offer_abroad", "contract", "working_conditions"),
        ro=(
            "Cum lucrați legal în Germania",
            """Ca cetățean al Uniunii Europene puteți lucra în Germania fără permis de muncă. Pentru o muncă legală:

- declarați adresa la primărie (Anmeldung, la Bürgeramt) în cel mult două săptămâni de la mutare; veți primi codul fiscal (Steuer-ID);
- asigurarea de sănătate este obligatorie; de obicei angajatorul vă înscrie la o casă de asigurări;
- salariul minim legal (Mindestlohn) se aplică tuturor lucrătorilor; verificați suma actuală;
- în industria cărnii, angajarea prin subcontractori este interzisă: trebuie să fiți angajat(ă) direct de abator sau de fabrică.

Salariul minim și munca nedeclarată sunt controlate de vamă (Finanzkontrolle Schwarzarbeit).""",
        ),
        en=(
            "Working legally in Germany",
            """As a citizen of the European Union you may work in Germany without a work permit. For legal work:

- register your address with the town hall (Anmeldung, at the Bürgeramt) within two weeks of moving in; you will receive your tax ID (Steuer-ID);
- health insurance is mandatory; usually the employer enrols you with a health insurer;
- the statutory minimum wage (Mindestlohn) applies to all workers; check the current amount;
- in the meat industry, employment through subcontractors is banned: you must be employed directly by the slaughterhouse or plant.

The minimum wage and undeclared work are checked by customs (Finanzkontrolle Schwarzarbeit).""",
        ),
    ),
    DemoArticle(
        key="de-jobs",
        kind="job_portals",
        country="DE",
        audience="public",
        topics=("job_offer_abroad", "recruitment_agency", "working_conditions"),
        ro=(
            "Locuri de muncă și consiliere în Germania",
            """- **Bundesagentur für Arbeit** (Agenția Federală pentru Ocuparea Forței de Muncă), cu bursa de locuri de muncă pe https://www.arbeitsagentur.de.
- **EURES Germania**, prin https://eures.europa.eu.
- **Faire Mobilität**: centre de consiliere pentru lucrătorii din Europa Centrală și de Est, gratuit și în limba română, despre salariu, contract și cazare: https://www.faire-mobilitaet.de.""",
        ),
        en=(
            "Jobs and advice in Germany",
            """- **Bundesagentur für Arbeit** (Federal Employment Agency), with its job board at https://www.arbeitsagentur.de.
- **EURES Germany**, through https://eures.europa.eu.
- **Faire Mobilität**: advice centres for workers from Central and Eastern Europe, free and also in Romanian, about pay, contracts and housing: https://www.faire-mobilitaet.de.""",
        ),
    ),
    _embassy("de-embassy", "DE", "Germania", "Germany", "Berlin", "Berlin"),
    # --- United Kingdom ------------------------------------------------------------------
    DemoArticle(
        key="gb-legal",
        kind="working_legally",
        country="GB",
        audience="public",
        topics=("job_offer_abroad", "contract", "travel"),
        ro=(
            "Cum lucrați legal în Regatul Unit",
            """De la 1 ianuarie 2021, cetățenii români au nevoie de drept de muncă pentru a lucra în Regatul Unit:

- cine locuia acolo înainte de 31 decembrie 2020 poate avea statut de rezident (settled sau pre-settled status) prin EU Settlement Scheme;
- ceilalți au nevoie de o viză de muncă, de exemplu Skilled Worker (cu un angajator care are licență de sponsor) sau Seasonal Worker (prin operatorii aprobați ai programului);
- cu viza de vizitator nu aveți voie să munciți.

Angajatorul trebuie să vă verifice dreptul de muncă (cu un cod de partajare, share code). Aveți nevoie de un număr de asigurări sociale (National Insurance number). Salariul minim (National Minimum Wage / National Living Wage) se aplică tuturor lucrătorilor.

În agricultură și în industria alimentară, furnizorii de forță de muncă trebuie să aibă licență de la Gangmasters and Labour Abuse Authority (GLAA).""",
        ),
        en=(
            "Working legally in the United Kingdom",
            """Since 1 January 2021, Romanian citizens need a right to work in the United Kingdom:

- those who lived there before 31 December 2020 may hold settled or pre-settled status under the EU Settlement Scheme;
- everyone else needs a work visa, for example Skilled Worker (with an employer holding a sponsor licence) or Seasonal Worker (through the scheme's approved operators);
- a visitor visa does not allow you to work.

The employer must check your right to work (with a share code). You need a National Insurance number. The minimum wage (National Minimum Wage / National Living Wage) applies to all workers.

In agriculture and food processing, labour providers must be licensed by the Gangmasters and Labour Abuse Authority (GLAA).""",
        ),
    ),
    DemoArticle(
        key="gb-jobs",
        kind="job_portals",
        country="GB",
        audience="public",
        topics=("job_offer_abroad", "recruitment_agency"),
        ro=(
            "Locuri de muncă în Regatul Unit și verificarea angajatorului",
            """- **GOV.UK Find a job**: serviciul public de anunțuri de locuri de muncă, https://findajob.dwp.gov.uk.
- Registrul sponsorilor licențiați (Register of licensed sponsors), pe GOV.UK: un angajator care vă oferă o viză Skilled Worker trebuie să apară acolo.
- Registrul public al GLAA pentru furnizorii de forță de muncă din agricultură și industria alimentară.

Nimeni nu vă poate vinde „o viză garantată”: cererea de viză se face la autoritățile britanice, pe GOV.UK.""",
        ),
        en=(
            "Jobs in the United Kingdom and checking the employer",
            """- **GOV.UK Find a job**: the public job-search service, https://findajob.dwp.gov.uk.
- The Register of licensed sponsors, on GOV.UK: an employer offering you a Skilled Worker visa must be on it.
- The GLAA's public register of labour providers in agriculture and food processing.

Nobody can sell you a "guaranteed visa": visa applications are made to the UK authorities, on GOV.UK.""",
        ),
    ),
    _embassy("gb-embassy", "GB", "Regatul Unit", "the United Kingdom", "Londra", "London"),
    DemoArticle(
        key="gb-help",
        kind="support",
        country="GB",
        audience="public",
        topics=("leaving_exploitation", "working_conditions"),
        ro=(
            "Ajutor în Regatul Unit",
            """- **08000 121 700**: Modern Slavery & Exploitation Helpline, gratuit, zi și noapte, cu interpreți.
- **999** sau **112**: urgențe.
- Ambasada și consulatele României (vezi articolul despre ele).""",
        ),
        en=(
            "Help in the United Kingdom",
            """- **08000 121 700**: Modern Slavery & Exploitation Helpline, free, day and night, with interpreters.
- **999** or **112**: emergencies.
- The Embassy and consulates of Romania (see the article about them).""",
        ),
    ),
    # --- France --------------------------------------------------------------------------
    DemoArticle(
        key="fr-legal",
        kind="working_legally",
        country="FR",
        audience="public",
        topics=("job_offer_abroad", "contract", "working_conditions"),
        ro=(
            "Cum lucrați legal în Franța",
            """Cetățenii Uniunii Europene pot lucra în Franța fără permis de muncă. Pentru o muncă legală:

- angajatorul face declarația prealabilă de angajare (DPAE) la URSSAF înainte să începeți lucrul;
- contractul pe durată determinată (CDD), inclusiv cel sezonier (de exemplu la cules de struguri), trebuie să fie scris;
- salariul nu poate fi sub salariul minim (SMIC); primiți fluturaș de salariu (bulletin de paie);
- dacă sunteți detașat(ă) de o firmă din România, angajatorul trebuie să declare detașarea inspecției muncii din Franța.

Problemele cu salariul sau condițiile de muncă se pot semnala inspecției muncii (inspection du travail).""",
        ),
        en=(
            "Working legally in France",
            """Citizens of the European Union may work in France without a work permit. For legal work:

- the employer files the pre-hiring declaration (DPAE) with URSSAF before you start work;
- a fixed-term contract (CDD), including a seasonal one (for example the grape harvest), must be in writing;
- the wage may not be below the minimum wage (SMIC); you get a payslip (bulletin de paie);
- if you are posted by a Romanian company, the employer must declare the posting to the French labour inspectorate.

Problems with pay or working conditions can be reported to the labour inspectorate (inspection du travail).""",
        ),
    ),
    DemoArticle(
        key="fr-jobs",
        kind="job_portals",
        country="FR",
        audience="public",
        topics=("job_offer_abroad", "recruitment_agency"),
        ro=(
            "Locuri de muncă în Franța prin servicii publice",
            """- **France Travail** (fostul Pôle emploi), serviciul public de ocupare: https://www.francetravail.fr.
- **EURES Franța**, prin https://eures.europa.eu.

Agențiile de muncă temporară (intérim) din Franța sunt firme înregistrate; cereți contractul de misiune în scris pentru fiecare misiune.""",
        ),
        en=(
            "Finding work in France through public services",
            """- **France Travail** (formerly Pôle emploi), the public employment service: https://www.francetravail.fr.
- **EURES France**, through https://eures.europa.eu.

Temporary work agencies (intérim) in France are registered companies; ask for the written assignment contract for each assignment.""",
        ),
    ),
    _embassy("fr-embassy", "FR", "Franța", "France", "Paris", "Paris"),
    DemoArticle(
        key="fr-contract",
        kind="contract",
        country="FR",
        audience="internal",
        topics=("contract", "working_conditions"),
        ro=(
            "Note pentru operatori: contractele sezoniere în Franța",
            """Apelurile despre munca sezonieră în Franța privesc mai ales culesul de struguri și fructe. Întrebați persoana:

- dacă are contract scris (CDD sezonier) și numele exploatației agricole;
- cine a organizat transportul și cât i se reține pentru cazare;
- dacă a fost recrutată de o firmă din România care o „detașează” (atunci angajatorul este firma românească).

Plata sub SMIC, reținerea actelor sau o datorie care crește sunt semne de exploatare: propuneți evaluarea prin centrul regional.""",
        ),
        en=(
            "Notes for operators: seasonal contracts in France",
            """Calls about seasonal work in France are mostly about the grape and fruit harvests. Ask the person:

- whether they have a written contract (seasonal CDD) and the name of the farm;
- who organised the transport and how much is deducted for housing;
- whether they were recruited by a Romanian company that "posts" them (then the Romanian company is the employer).

Pay below the SMIC, documents kept by someone else or a growing debt are signs of exploitation: offer an assessment by the regional centre.""",
        ),
    ),
)
