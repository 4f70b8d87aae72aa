"""The job-offer check's rules on hand-written offers, in Romanian and English, and its invariants."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atis.screening import job_offers
from atis.screening.job_offers import LEVELS, assess_job_offer

EN_HOME_SCAM = (
    "Data Entry Clerk - work from home! Earn $300 per day, no experience needed, set your own hours. "
    "All you need is a computer with internet access. Message us on WhatsApp to start."
)
RO_HOME_SCAM = (
    "Lucru de acasă: operator introducere date. Câștigi până la 500 euro pe săptămână, fără experiență, "
    "program flexibil. Ai nevoie doar de un laptop cu internet. Interviul se face pe WhatsApp."
)
RO_BANK_DATA = "Angajăm personal pentru depozit. Pentru înscriere trimiteți datele cardului și CNP-ul."
EN_NO_EMPLOYER = (
    "Warehouse operative needed for night shifts. Duties: picking and packing orders, loading vans. "
    "Requirements: forklift licence. Full-time."
)
RO_NO_EMPLOYER = (
    "Căutăm șofer categoria C pentru transport intern. Cerințe: permis C, atestat. Salariu conform experienței."
)
# Complete offers: who employs, where, doing what, asking what, under which contract, for which
# pay, told at a genuine offer's length. Each part says one thing only, so that leaving it out
# opens exactly its gap.
EN_COMPLETE = {
    "employer": (
        "Harper & Cole is an engineering consultancy founded in 1998. Our team of 120 engineers designs "
        "bridges, schools and hospitals for public and private clients across the north of England. We care "
        "about safe, lasting buildings and about the people who design them."
    ),
    "workplace": "Place of work: 14 Park Street, Leeds, with a parking space for every engineer.",
    "tasks": (
        "You will design steel and concrete structures for new buildings, prepare calculations and drawings, "
        "check the work of two junior engineers, visit building sites to inspect the works, and present "
        "design options to architects and clients at weekly meetings."
    ),
    "requirements": (
        "Requirements: a degree in civil or structural engineering, chartered status or progress towards it, "
        "three years of experience in structural design, and good knowledge of Eurocodes and of design software."
    ),
    "contract": "We offer a full-time, permanent employment contract after a probation of three months,",
    "pay": "with a salary of £42,000 a year, 25 days of holiday, a pension and private health insurance.",
}
RO_COMPLETE = {
    "employer": (
        "Construct Nord este o firmă de construcții civile înființată în 2004. Echipa noastră de 80 de oameni "
        "a construit școli, blocuri de locuințe și clădiri de birouri în nordul Transilvaniei. Lucrăm cu "
        "beneficiari publici și privați și punem accent pe siguranța oamenilor și pe lucrări predate la timp."
    ),
    "workplace": "Locul de muncă este în Cluj-Napoca, strada Fabricii nr. 12, cu deplasări în județ.",
    "tasks": (
        "Vei coordona echipele de muncitori, vei verifica zilnic calitatea lucrărilor și respectarea "
        "proiectului, vei întocmi rapoarte săptămânale pentru beneficiar și vei comanda materialele necesare "
        "împreună cu departamentul de aprovizionare, iar la final vei participa la recepția lucrărilor."
    ),
    "requirements": (
        "Cerințe: studii superioare în construcții civile, cel puțin trei ani de experiență în coordonarea "
        "lucrărilor, permis de conducere categoria B și cunoștințe de citire a planurilor tehnice."
    ),
    "contract": "Oferim contract individual de muncă pe perioadă nedeterminată, cu normă întreagă,",
    "pay": "salariu de 7.500 lei brut pe lună, tichete de masă, abonament medical și telefon de serviciu.",
}
GAP_OF_PART = {
    "employer": "no_employer_identity",
    "workplace": "no_workplace",
    "tasks": "no_tasks",
    "requirements": "no_requirements",
    "contract": "pay_without_contract",
}
RO_GENUINE = " ".join(RO_COMPLETE.values())
EN_GENUINE = " ".join(EN_COMPLETE.values())


@pytest.mark.parametrize(
    ("text", "level", "expected"),
    [
        (
            EN_HOME_SCAM,
            "high",
            {
                "work_from_home",
                "scam_job_type",
                "pay_per_day_or_week",
                "no_experience",
                "flexible_lure",
                "bare_requirements",
                "private_messenger",
                "no_employer_identity",
                "no_workplace",
                "no_tasks",
                "no_requirements",
                "pay_without_contract",
                "short_offer",
            },
        ),
        (
            RO_HOME_SCAM,
            "high",
            {
                "work_from_home",
                "scam_job_type",
                "easy_money",
                "pay_per_day_or_week",
                "no_experience",
                "flexible_lure",
                "bare_requirements",
                "chat_interview",
                "private_messenger",
                "no_employer_identity",
                "no_workplace",
                "no_tasks",
                "no_requirements",
                "pay_without_contract",
                "short_offer",
            },
        ),
        (
            RO_BANK_DATA,
            "high",
            {"personal_data", "no_employer_identity", "no_workplace", "no_tasks", "no_requirements", "short_offer"},
        ),
        # Gaps alone: an offer that says almost nothing is worth asking about, not proof of a scam.
        (EN_NO_EMPLOYER, "medium", {"no_employer_identity", "no_workplace", "short_offer"}),
        (RO_NO_EMPLOYER, "medium", {"no_employer_identity", "no_workplace", "no_tasks", "short_offer"}),
        (RO_GENUINE, "low", set()),
        (EN_GENUINE, "low", set()),
    ],
    ids=[
        "en-home-scam",
        "ro-home-scam",
        "ro-bank-data",
        "en-no-employer",
        "ro-no-employer",
        "ro-genuine",
        "en-genuine",
    ],
)
def test_hand_written_offers_get_their_level_and_exactly_their_signs(text: str, level: str, expected: set[str]) -> None:
    result = assess_job_offer(text)
    assert (result.level, set(result.codes)) == (level, expected)


def test_every_sign_has_a_reason_and_advice_in_romanian() -> None:
    signs = [*job_offers.TEXT_SIGNS, *job_offers._ANSWER_SIGNS.values()]
    with translation.override("ro"):
        romanian = [(str(sign.reason), str(sign.advice)) for sign in signs]
    with translation.override("en"):
        english = [(str(sign.reason), str(sign.advice)) for sign in signs]
    untranslated = [en for en, ro in zip(english, romanian, strict=True) if en[0] == ro[0] or en[1] == ro[1]]
    assert untranslated == []
    assert all(sign.weight >= 1 for sign in signs)


# One phrase per sign (Romanian and English), none of them saying who the employer is.
SIGN_PHRASES: dict[str, tuple[str, ...]] = {
    "fees": ("You must pay a registration fee of 50 euro.", "Se achită o taxă de înscriere de 200 lei."),
    "private_messenger": ("Write to us on Telegram.", "Scrieți-ne pe WhatsApp."),
    "chat_interview": ("The interview will be held via Skype chat.", "Interviul are loc pe WhatsApp."),
    "easy_money": (
        "Earn up to 5000 a month, easy money.",
        "Câștiguri mari, venit suplimentar garantat.",
        "Uncapped commissions.",
        "Comisioane nelimitate.",
    ),
    "pay_per_day_or_week": ("We pay $150 per day.", "Plata se face săptămânal, 400 euro pe săptămână."),
    "work_from_home": (
        "This is a home-based job.",
        "Muncă de acasă.",
        "Full home office.",
        "Job în regim home office.",
    ),
    "scam_job_type": ("Position: mystery shopper.", "Post: operator introducere date."),
    "bare_requirements": ("All you need is a phone.", "Ai nevoie doar de un telefon cu internet."),
    "flexible_lure": ("Be your own boss.", "Îți alegi singur programul."),
    "no_experience": (
        "No experience needed.",
        "Nu este necesară experiență.",
        "Full training provided.",
        "Oferim training gratuit.",
    ),
    "urgency": ("Limited places, start immediately.", "Locuri limitate, plecare imediată."),
    "travel_arranged": ("Your flight is paid by the agency.", "Transportul și cazarea sunt asigurate."),
    "documents": ("Send us a copy of your passport.", "Trimiteți o copie după pașaport."),
    "personal_data": ("Give us your bank account details.", "Trimiteți datele bancare."),
    "no_contract": ("Contract signed on arrival.", "Lucru fără contract."),
    "girls_abroad": ("Young women wanted as hostess.", "Angajăm fete pentru dans în club."),
    "money_transfer": ("You will receive payments and forward parcels.", "Redirecționare colete."),
    "vague_employer": ("Our client is hiring drivers.", "Firmă serioasă angajează muncitori."),
    "pay_headline": ("Night driver, $4,000 a month.", "Șofer profesionist: 3000 euro pe lună."),
}
BENIGN = (
    "We need a warehouse operative.",
    "Căutăm un electrician.",
    "Requirements: a driving licence.",
    "Salariu conform experienței.",
    "Our company was founded in 1990.",
    "Firma noastră are sediul în Iași.",
    "",
)


def test_each_sign_phrase_fires_its_sign_and_says_nothing_about_the_employer() -> None:
    for code, phrases in SIGN_PHRASES.items():
        for phrase in phrases:
            codes = assess_job_offer(phrase).codes
            assert code in codes, phrase
            assert "no_employer_identity" in codes, phrase
    assert set(SIGN_PHRASES) | job_offers.GAP_CODES == set(job_offers.SIGN_CODES)


@pytest.mark.parametrize("parts", [EN_COMPLETE, RO_COMPLETE], ids=["en", "ro"])
def test_a_complete_offer_has_no_gap_and_leaving_out_a_part_opens_its_gap(parts: dict[str, str]) -> None:
    assert assess_job_offer(" ".join(parts.values())).codes == ()
    for left_out, gap in GAP_OF_PART.items():
        codes = assess_job_offer(" ".join(text for part, text in parts.items() if part != left_out)).codes
        assert gap in codes and not set(codes) - {gap, "short_offer"}, left_out


@pytest.mark.parametrize("parts", [EN_COMPLETE, RO_COMPLETE], ids=["en", "ro"])
def test_an_offer_of_a_few_lines_is_short(parts: dict[str, str]) -> None:
    few_lines = parts["employer"] + " " + parts["pay"]
    assert "short_offer" in assess_job_offer(few_lines).codes
    assert "short_offer" not in assess_job_offer(" ".join(parts.values())).codes


@pytest.mark.parametrize("parts", [EN_COMPLETE, RO_COMPLETE], ids=["en", "ro"])
def test_an_employer_without_a_description_or_a_workplace_is_worth_asking_about(parts: dict[str, str]) -> None:
    without_employer = " ".join(text for part, text in parts.items() if part != "employer")
    without_workplace = " ".join(text for part, text in parts.items() if part != "workplace")
    assert assess_job_offer(without_employer).level == "medium"
    assert assess_job_offer(without_workplace).level == "medium"


@pytest.mark.parametrize("text", ["Workers wanted.", "Angajăm muncitori.", "Job"])
def test_gaps_alone_never_rate_an_offer_high(text: str) -> None:
    result = assess_job_offer(text)
    assert set(result.codes) <= job_offers.GAP_CODES and len(result.codes) >= 4
    assert result.level == "medium"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Warehouse operative - £600 per week", "Warehouse operative needed. We pay £600 per week."),
        ("Șofer Germania 3000 euro/lună", "Căutăm șofer pentru Germania. Salariul este de 3000 euro pe lună."),
    ],
    ids=["en", "ro"],
)
def test_pay_in_the_title_is_a_sign_and_pay_further_down_is_not(title: str, body: str) -> None:
    assert "pay_headline" in assess_job_offer(f"{title}\n\nPicking and packing orders.").codes
    assert "pay_headline" not in assess_job_offer(body).codes


@pytest.mark.parametrize(
    "text",
    [
        "Payroll clerk. MS Excel requiredDuties: enter payroll data, answer questions from staff.",
        "Casier. Program de 8 oreAtribuții: încasarea plăților, aranjarea raftului.",
    ],
    ids=["en", "ro"],
)
def test_tasks_glued_to_the_line_before_still_count(text: str) -> None:
    # Text copied from a web page often loses the line break before a list's heading.
    assert "no_tasks" not in assess_job_offer(text).codes


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.lists(
        st.sampled_from(BENIGN + tuple(p for phrases in SIGN_PHRASES.values() for p in phrases)) | st.text(max_size=40),
        max_size=6,
    ),
    added=st.sampled_from([p for phrases in SIGN_PHRASES.values() for p in phrases]),
)
def test_adding_a_warning_sign_phrase_never_lowers_the_level(base: list[str], added: str) -> None:
    # A gap closes when the text says what was missing; no warning-sign phrase says any of it, and
    # these texts stay short, so adding one can only add to the score. The phrase comes on a line
    # of its own below the text: put inside the first line it would change the offer's headline
    # (what "pay_headline" reads) rather than add to the offer.
    text = " ".join(base)
    before = assess_job_offer(text)
    after = assess_job_offer(f"{text}\n{added}")
    assert after.score >= before.score
    assert LEVELS.index(after.level) >= LEVELS.index(before.level)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_rule_s_keys_are_in_every_text_its_patterns_match(data: st.DataObject) -> None:
    # The substring keys only let a rule skip its regular expressions: they must never hide a match.
    for rule in job_offers._RULES:
        for pattern in rule.patterns:
            text = data.draw(st.from_regex(pattern, fullmatch=True), label=rule.sign.code)
            if pattern.search(text):
                assert rule.fires(text), (rule.sign.code, text)
