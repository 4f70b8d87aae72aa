"""The job-offer risk check: warning signs of deceptive recruitment in the text of an offer.

A pure function over the pasted text and a few optional answers; it touches no database, so
the public portal, the HelpLine operator and the benchmark all run exactly the same rules.
Texts in Romanian and English both work: the text is lower-cased and stripped of diacritics
once, before the patterns run, so "taxă", "taxa" and "TAXĂ" match alike.

Every sign is a general, documented warning sign of recruitment fraud or of recruitment for
trafficking (consumer-protection and anti-trafficking guidance: fees, hidden employer,
pay promises, home-based "easy" jobs, money or parcel forwarding, requests for documents or
bank data, chat-only contact...), never a word that merely happens to be frequent in one data
set. Besides what an offer says, the check looks at what it leaves out ("gaps"): a genuine offer
says who the employer is, where the work is done, what the tasks are, what it requires, which
contract it offers, and takes more than a few lines to say it. Gaps can rate an offer medium,
never high on their own. How the weights and the level thresholds were set: see `_WEIGHTS` below
and the job-offer section of benchmarks/README.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LOW = "low"
MEDIUM = "medium"
HIGH = "high"
LEVELS = (LOW, MEDIUM, HIGH)


@dataclass(frozen=True)
class WarningSign:
    code: str
    reason: str | Promise
    advice: str | Promise
    weight: int


@dataclass(frozen=True)
class JobOfferAssessment:
    level: str
    signs: Sequence[WarningSign]
    score: int

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sign.code for sign in self.signs)


_SPACES = re.compile(r"\s+")
# Combining marks left by NFKD: the diacritics of ă â î ș ț (and of any other Latin letter).
_MARKS = re.compile(r"[\u0300-\u036f]+")


def normalise(text: str) -> str:
    """Lower-case, strip diacritics (ș→s, ă→a) and collapse white space."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _MARKS.sub("", unicodedata.normalize("NFKD", folded))
    return _SPACES.sub(" ", folded)


# Score thresholds of the levels, chosen on the dev half only (table in benchmarks/README.md,
# `benchmarks/job_offer_check.py --fit` prints it and the cuts this rule picks): "high" is the
# lowest cut where at least 9 in 10 postings so rated were scams; "medium" the cut with the best
# F1 among those that keep most (over half) of the genuine postings low.
MEDIUM_FROM = 3
HIGH_FROM = 6
# The most that the gaps of an offer (what it leaves out) add to its score; see assess_job_offer.
GAPS_UP_TO = HIGH_FROM - 1

# Sign weights. Fitted ones: the coefficients of a logistic regression of "scam" on which signs
# fire (nothing else), on the "dev" half of the EMSCAD sample only, L2 penalty 1, coefficients
# kept ≥ 0 (a warning sign never makes an offer look safer), divided by 0.5 and rounded, with a
# floor of 1 (a documented sign still counts a little where EMSCAD shows no separation). The
# coefficient is given after each. Reproduce: `benchmarks/job_offer_check.py --fit`.
# Expert ones: signs that (almost) never occur in EMSCAD, whose postings are US/UK job-board
# ads rather than trafficking lures, cannot be estimated there. They are set against the level
# thresholds by design: paying, handing over documents or data, forwarding money and the like
# rate an offer high on their own; a private messenger as the only contact rates it medium.
# (EMSCAD also replaces e-mail addresses and phone numbers by placeholders, so
# "private_messenger" could not be estimated.)
_WEIGHTS: dict[str, int] = {
    "fees": HIGH_FROM + 1,  # expert
    "documents": HIGH_FROM + 1,  # expert
    "personal_data": HIGH_FROM + 1,  # expert
    "girls_abroad": HIGH_FROM + 1,  # expert
    "money_transfer": HIGH_FROM + 1,  # expert
    "travel_arranged": HIGH_FROM,  # expert
    "no_contract": HIGH_FROM,  # expert
    "chat_interview": HIGH_FROM,  # expert
    "private_messenger": MEDIUM_FROM,  # expert
    "no_employer_identity": 2,  # fitted, 1.13
    "pay_per_day_or_week": 2,  # fitted, 0.94
    "flexible_lure": 2,  # fitted, 0.89
    "easy_money": 1,  # fitted, 0.28
    "work_from_home": 2,  # fitted, 0.91
    "scam_job_type": 1,  # fitted, 0.45
    "bare_requirements": 1,  # fitted, 0.28
    "no_experience": 2,  # fitted, 1.11
    "vague_employer": 1,  # fitted, 0.06
    "urgency": 1,  # fitted, 0.06
    "pay_headline": 1,  # fitted, 0.00
    "pay_without_contract": 1,  # fitted, 0.00
    "no_workplace": 2,  # fitted, 0.90
    "no_tasks": 1,  # fitted, 0.00
    "no_requirements": 1,  # fitted, 0.58
    "short_offer": 1,  # fitted, 0.00
}


def _any(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """The alternatives as few compiled expressions as stay fast.

    Those that start at a word boundary share one leading `\\b`: the engine then rejects a
    position inside a word at once instead of trying every alternative there. The others (money
    amounts, e-mail domains) go in an expression of their own, which the engine can skip ahead
    through by its first character.
    """
    bounded = [p[2:] for p in patterns if p.startswith(r"\b")]
    free = [p for p in patterns if not p.startswith(r"\b")]
    compiled = []
    if bounded:
        compiled.append(re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")"))
    if free:
        compiled.append(re.compile("|".join(f"(?:{p})" for p in free)))
    return tuple(compiled)


@dataclass(frozen=True)
class _Rule:
    sign: WarningSign
    patterns: tuple[re.Pattern[str], ...]
    # Every match of a pattern contains one of these substrings. A plain substring test is far
    # cheaper than a regular-expression scan, and most rules find none of their keys in a text.
    # (tests/test_job_offers.py checks the keys against strings generated from each pattern.)
    keys: tuple[str, ...]

    def fires(self, text: str) -> bool:
        return any(key in text for key in self.keys) and any(p.search(text) is not None for p in self.patterns)


def _rule(code: str, reason: str | Promise, advice: str | Promise, *patterns: str) -> _Rule:
    return _Rule(WarningSign(code, reason, advice, _WEIGHTS[code]), _any(*patterns), tuple(_KEYS[code].split("|")))


# Keys of each rule, "|"-separated.
_KEYS: dict[str, str] = {
    "fees": "fee|deposit|refundable|security|upfront|buy|purchase|pay for|taxa|comision|achit|avans|garantie|cumpar",
    "private_messenger": "whatsapp|telegram|viber|signal app|wickr|kik|skype|hangouts|messenger|@",
    "chat_interview": "intervi",
    "easy_money": "easy|quick|fast|earn|make|income|cash|freedom|figure|paid to|up to|castig|bani|venit|pana la"
    "|commission|comisioane|lucrativ",
    "pay_per_day_or_week": "$|£|€|usd|eur|gbp|lei|ron|dollars|paid|pay|plata|salariu|banii|weekly|daily",
    "work_from_home": "home|telecommut|remote|acasa|domiciliu|telemunca",
    "scam_job_type": "data entry|typ|envelope|shop|assembl|rebate|assistant|introducere|culegere|tehnoredactare"
    "|misterios|asistent|ambalare|impachetare|asamblare",
    "bare_requirements": "all you need|only|internet|18|eighteen|nevoie",
    "flexible_lure": "own|whenever|when you|as much as you|choose your|flexib|aleg|propriul|cand",
    "no_experience": "need|necessary|required|anyone|everyone|fara|experienta|training|train you|instrui|formam"
    "|invatam|calificare|scolarizare",
    "urgency": "immediate|today|right away|asap|limited|few|act now|act fast|urgent|imediata|limitate|doar ",
    "travel_arranged": "arranged|provided|paid|asigurat|platit|suportat|oferit|retin|scad|deduc",
    "documents": "passport|id card|identity card|licen|kept|held|trimite|pasaport",
    "personal_data": "account|social security|ssn|card|date|bancar|cnp|codul numeric",
    "no_contract": "contract|fara|la negru",
    "girls_abroad": "fete|domnisoare|tinere|hostess|dansatoare|dancer|escort|companion|video|model|girls|young",
    "money_transfer": "transfer|processing|receive|forward|process|reship|package|parcel|primire|redirectionare"
    "|reexpediere|receptionare|procesare",
    "vague_employer": "our client|reputable|well|multinational|firma|companie|clientul nostru|partenerul nostru",
}


# Money amounts as written in offers: "$100", "100 $", "1.500 euro", "2000 lei", "£12.50".
_MONEY = r"(?:[$£€] ?\d[\d,.]*(?: ?k)?|\d[\d,.]*(?: ?k)? ?(?:[$£€]|usd|eur|euro|gbp|lei|ron|dollars))"

_RULES: tuple[_Rule, ...] = (
    _rule(
        "fees",
        _("The offer asks the worker to pay: a fee, a deposit, training, a starter kit or equipment."),
        _("Never pay to get a job. Licensed agencies in Romania may not charge workers for placement."),
        r"\b(registration|placement|processing|application|visa|training|administrative|membership|enrol?lment) fee",
        r"\bpay (a|the|an) (small |one[- ]time |refundable |registration )?(fee|deposit)",
        r"\bfee (of|is) [$£€]? ?\d",
        r"\b(refundable|security|upfront) (deposit|payment)",
        r"\b(buy|purchase|pay for) (a |the |your own |our )?"
        r"(starter kit|training (materials|course|package)|software (package|license)|work kit)",
        r"\btaxa (de )?(inscriere|inregistrare|plasare|procesare|dosar|viza|mediere|instruire|curs)",
        r"\bcomision(ul)? (de )?(mediere|plasare|inscriere)",
        r"\b(se )?achit(a|ati|i) (o )?(taxa|suma|avans|garantie)",
        r"\bavans (de|pentru) (\d|transport|cazare|viza|dosar)",
        r"\bgarantie de \d",
        r"\bcumpar(a|ati|i) (kitul|pachetul|echipamentul|materialele|cursul)",
    ),
    _rule(
        "private_messenger",
        _("Contact is only through a private messenger or a personal e-mail address, not a company channel."),
        _("Ask for the company's official address, landline and website, and check them independently."),
        r"\b(whatsapp|telegram|viber|signal app|wickr|kik|skype|hangouts|yahoo messenger|facebook messenger)\b",
        r"@(gmail|yahoo|hotmail|outlook|ymail|aol|mail|icloud|live|protonmail)\.(com|ro)",
    ),
    _rule(
        "chat_interview",
        _("The interview is held only by chat or text message, never in person or on a video call with the company."),
        _("A genuine employer interviews you properly; do not send personal data after a chat-only interview."),
        r"\binterview(s|ed)? (will be |is |are )?(held |conducted |done )?(via|on|over|through|by) "
        r"(skype|chat|text|instant messag|yahoo|hangouts?|google chat|whatsapp|telegram|messenger|e-?mail)",
        r"\binterviu(l)? (se (face|desfasoara|tine) |va avea loc |are loc )?(pe|prin) "
        r"(whatsapp|telegram|messenger|chat|skype|viber|mesaje|sms|e-?mail)",
    ),
    _rule(
        "easy_money",
        _("The offer promises easy or very high earnings rather than describing the work."),
        _("Compare the pay with similar jobs; pay far above the market for simple work is a lure."),
        r"\b(easy|quick|fast) (money|cash)",
        r"\b(earn|make) (up to|as much as|over|more than|between|from) ",
        r"\b(unlimited|extra|additional|residual|passive) (income|earnings|earning potential|cash)",
        r"\b(financial freedom|six[- ]figure)",
        r"\b(earn|make) (good |great |big |real |extra )?money\b",
        r"\bget paid to\b",
        r"\b(high|huge|uncapped|unlimited) (earnings|earning potential|commissions?)",
        r"\blucrative\b",
        r"\b(castiguri|comisioane) (foarte )?(mari|nelimitate|atractive)|\boportunitate (foarte )?lucrativa",
        r"\bup to " + _MONEY,
        r"\bcastig(uri|ul)? (mari|rapid|garantat|lunar de|de pana la)",
        r"\bcastiga(ti|i)? (pana la|intre|peste|lunar|usor)",
        r"\bbani (usori|rapizi|multi)",
        r"\bvenit(uri)? (suplimentar|extra|pasiv|nelimitat|garantat)",
        r"\bpana la " + _MONEY,
    ),
    _rule(
        "pay_per_day_or_week",
        _("The pay is quoted per day or per week, or paid daily or weekly."),
        _("Ask for the monthly gross wage in a written contract; daily or weekly sums are a common lure."),
        _MONEY + r"( ?(-|to|pana la) ?" + _MONEY + r"|[\d,.]*)? ?(per|a|/|pe|in fiecare) ?(week|wk|day|saptamana|zi)\b",
        r"\b(paid|pay|payment|paycheck|plata|salariu(l)?|banii) (is |se face |se da )?"
        r"(weekly|daily|every (week|day)|saptamanal|zilnic|pe zi|pe saptamana|in fiecare (zi|saptamana))",
        r"\b(weekly|daily) (pay|paycheck|payment|payout|earnings)",
    ),
    _rule(
        "work_from_home",
        _("The job is done from home or remotely, with no workplace to visit."),
        _(
            "Genuine remote jobs exist, but home-based offers are a common scam: "
            "check the company before giving any data."
        ),
        r"\bwork(ing)? (from|at) (your |their )?home\b",
        r"\bhome[- ]based\b",
        r"\bfrom (the comfort of )?(your|their) (own )?home",
        r"\btelecommut",
        r"\bwork remotely\b",
        r"\bremote (work|position|job|role|opportunit)",
        r"\b(lucru|munca|job|jobul|lucrezi|lucrati|lucreaza) (de )?(de acasa|la domiciliu|remote)",
        r"\bde acasa\b",
        r"\btelemunca\b",
        r"\bhome office\b",
    ),
    _rule(
        "scam_job_type",
        _(
            "The job is of a kind often used in scams: data entry, typing, envelope stuffing, mystery shopping, "
            "assembling products at home, or an assistant role."
        ),
        _("Ask exactly what you will do and for whom; never pay for materials or give bank data for such a job."),
        r"\bdata entry\b",
        r"\btypist",
        r"\btyping (job|work|position)",
        r"\benvelope (stuff|stuffer|stuffing)|\bstuff(ing)? envelopes",
        r"\b(mystery|secret) shop",
        r"\b(home|product|craft) assembly\b|\bassembl(e|ing) (products|crafts|jewelry|items) at home",
        r"\brebate processing",
        r"\b(administrative|admin|office|virtual|personal) assistant",
        r"\b(introducere|culegere) (de )?(date|texte)",
        r"\btehnoredactare\b",
        r"\b(client|cumparator) misterios",
        r"\basistent(a)? (administrativ|personal|virtual)",
        r"\b(ambalare|impachetare|asamblare) (de )?(pixuri|plicuri|produse|bijuterii)",
    ),
    _rule(
        "bare_requirements",
        _("The only requirements are a phone or computer with internet access, or being of age."),
        _("Ask what the work really is: a job that needs nothing but a phone or computer is a common lure."),
        r"\ball you need is\b",
        r"\bthe only (requirement|thing you need)",
        r"\b(computer|pc|laptop|smartphone|phone) (with|and) (an? )?(reliable |high[- ]speed |good )?internet",
        r"\b(must|have to) be (at least )?(18|eighteen)\b",
        r"\b(ai|aveti) nevoie (doar|numai) de\b",
        r"\b(telefon|laptop|calculator|pc)( smart)? (cu|si) (acces la |conexiune la )?internet",
        r"\bvarsta (minima )?(de )?18 ani",
    ),
    _rule(
        "flexible_lure",
        _("The offer stresses choosing your own hours or being your own boss rather than the work itself."),
        _("Ask for the schedule and the pay in a written contract; freedom and easy hours are common lures."),
        r"\bset your own (hours|schedule)",
        r"\b(be|become) your own boss",
        r"\bwork (whenever|when|as much as) you (want|like|choose)",
        r"\bchoose your (own )?(hours|schedule)",
        r"\bflexible (hours|schedule|working hours|work hours)",
        r"\bprogram(ul)? (de lucru )?flexibil",
        r"\b(iti|va) (alegi|alegeti) (singur |singuri )?(programul|orele)",
        r"\bpropriul (tau )?sef\b",
        r"\blucr(ezi|ati) cand (vrei|doriti)",
    ),
    _rule(
        "no_experience",
        _("No experience or qualification is needed, or full training is promised to anyone who applies."),
        _("Ask what exactly the work is and why no experience is needed; get it in writing."),
        r"\bno (prior |previous |special |work )?(experience|skills|qualifications?) (is |are )?"
        r"(needed|necessary|required)",
        r"\b(do not|don'?t) need (any )?(special |prior |previous )?(experience|skills)",
        r"\b(anyone|everyone) can (do|apply)",
        r"\bfara (nicio |vreo )?(experienta|calificare)",
        r"\bnu (este |e )?(necesara|nevoie de|necesita) (nicio )?experienta",
        r"\bnu (ai|aveti) nevoie de (nicio )?experienta",
        r"\b(full|complete|free|paid)( online)? training\b",
        r"\btraining (is |will be )?(provided|given)\b",
        r"\bwe (will )?train you\b",
        r"\b(oferim|asiguram) (training|instruire|calificare|scolarizare) (gratuit|complet|platit)",
        r"\b(training|instruire|calificare|scolarizare)(a)? (gratuit|completa?|platit)",
        r"\bte (instruim|formam|invatam) (noi|tot)\b",
    ),
    _rule(
        "urgency",
        _("The offer pushes you to decide quickly (urgent, few places, leave immediately)."),
        _("Take the time to check: a genuine employer does not require an answer the same day."),
        r"\b(start|begin|leave) (work )?(immediately|today|right away|asap)\b",
        r"\bimmediate (start|hire|hiring|departure)\b",
        r"\b(limited|few) (places|spots|positions|openings|vacancies)\b",
        r"\bact (now|fast)\b",
        r"\b(hiring|needed|required) urgently\b|\burgent(ly)? (hiring|needed|required)\b",
        r"\b(angajam|recrutam|cautam) urgent\b",
        r"\b(plecare|incepere|angajare) imediata\b",
        r"\blocuri limitate\b",
        r"\bdoar (azi|astazi|in aceasta saptamana)\b",
    ),
    _rule(
        "travel_arranged",
        _("Travel, visa or housing are arranged by the recruiter, often to be repaid from wages."),
        _("Ask who pays for travel and housing, in writing; a debt to the recruiter can be used to control you."),
        r"\b(visa|travel|flight|ticket|accommodation) (is |are |will be )?(arranged|provided|paid) "
        r"by (us|the (company|agency))",
        r"\b(transport|cazare|viza) (asigurat[ae]?|platit[ae]?|suportat[ae]?) de (noi|firma|agentie|angajator)",
        r"\b(transport(ul)?|cazare(a)?|viza)( si (transportul|cazarea|masa))? (sunt |este |va fi )?"
        r"(asigurat[ae]?|platit[ae]?|suportat[ae]?|oferit[ae]?)",
        r"\bse (retin|retine|scad|scade|deduc|deduce) din (salariu|primul salariu)",
        r"\bdeducted from (your )?(salary|wages|first pay)",
    ),
    _rule(
        "documents",
        _("The offer asks for your passport or identity documents, or copies of them, in advance."),
        _("Never hand over your passport or ID; send copies only to an employer you have checked."),
        r"\b(send|provide|submit|scan) (us )?(a |your )?(copy of )?(your )?"
        r"(passport|id card|identity card|driver'?s licen[cs]e)",
        r"\b(passport|documents?) (will be )?(kept|held) (by us|for safe ?keeping|safely)",
        r"\btrimite(ti)? (o )?(copie|poza)( dupa)? (buletin|pasaport|carte(a)? de identitate)",
        r"\bpasaportul (va fi|este) (pastrat|retinut)",
    ),
    _rule(
        "personal_data",
        _("The offer asks for bank, card or personal identification numbers before you are hired."),
        _("Never give bank or card details, or your personal number (CNP), before a signed contract."),
        r"\b(bank|checking) account (details|number|information|info)\b",
        r"\b(social security number|ssn)\b",
        r"\b(credit|debit) card (details|number|information)\b",
        r"\bdate(le)? (bancare|cardului|de card)\b",
        r"\b(contul|cont) bancar\b",
        r"\b(codul numeric personal|cnp(-ul)?)\b",
    ),
    _rule(
        "no_contract",
        _("There is no written contract, or it is given only on arrival."),
        _("Ask for a written contract in a language you understand before you leave, and keep a copy."),
        r"\bno contract (needed|required)",
        r"\bcontract(ul)? (se semneaza |se face )?(la sosire|la destinatie|acolo)",
        r"\bfara (forme|contract|acte)\b",
        r"\bcontract (signed |given )?(on|upon) arrival",
        r"\bla negru\b",
    ),
    _rule(
        "girls_abroad",
        _("Jobs for young women as dancers, hostesses, models or companions, often abroad."),
        _("Offers of this kind are a common route into sexual exploitation; talk to the HelpLine before leaving."),
        r"\b(fete|domnisoare|tinere) (pentru|ca) (dans|bar|club|hostess|masaj|companie)",
        r"\b(hostess|dansatoare|dancers?|escort|companion|videochat|video chat|modele? foto)\b",
        r"\b(girls|young (ladies|women)) (wanted|needed) ",
    ),
    _rule(
        "money_transfer",
        _("The work is receiving or forwarding money, payments or parcels for the employer."),
        _("Never receive or forward money or parcels for someone else: it can make you part of a crime."),
        r"\b(money|payment|funds?) (transfer|processing) (agent|officer|representative|clerk|specialist)",
        r"\b(receive|forward|process|transfer) (the )?(payments|money|funds|parcels|packages|checks|cheques)\b",
        r"\b(reshipping|reshipper|package forwarding|parcel forwarding|package handler)\b",
        r"\b(primire|primirea|transfer|redirectionare|reexpediere|receptionare) (de )?(bani|colete|pachete|plati)\b",
        r"\bprocesare (de )?plati\b",
    ),
    _rule(
        "vague_employer",
        _("The employer is not named, or the offer speaks only of 'a company' or 'our client'."),
        _("Ask for the employer's full name, address and registration number and check them."),
        r"\b(our client|a reputable company|a well[- ]known company|multinational company) (is )?"
        r"(seeking|looking|hiring)",
        r"\b(firma|companie) (serioasa|mare|cunoscuta) (angajeaza|cauta|recruteaza)",
        r"\b(clientul nostru|partenerul nostru) (angajeaza|cauta|recruteaza)",
    ),
)

# How an employer introduces itself: its history, seat, mission, people. An offer with none of
# this names no one to check. Only self-description counts: "we are looking for" says nothing
# about who "we" are, so the bare "we are" is not a cue.
_EMPLOYER_IDENTITY = _any(
    r"\b(founded|established|incorporated) (in|by)\b",
    r"\bsince (18|19|20)\d\d\b",
    r"\b(headquartered|based) in\b",
    r"\b(formerly|a (division|subsidiary) of)\b",
    r"\b(for|over) (over |more than |almost |nearly )?(\d+|ten|twenty|thirty|forty|fifty|a hundred) years\b",
    r"\b(for|over|in) the (past|last) (\d+|two|three|five|ten|twenty|thirty) (years|decades)\b",
    r"\b(recogni[sz]ed|known) as (a|an|the|one)\b|\bwhose (focus|mission|goal) is\b",
    r"\baward[- ]winning\b",
    r"\b(about us|who we are|company (profile|overview|description))\b",
    r"\bour (company|mission|team|offices?|people|culture|values|products?|platform|firm|group|business|"
    r"founders?|vision|employees|staff|organi[sz]ation|brand|headquarters|story|history|clients|customers|partners)\b",
    r"\b(firma|compania|societatea|echipa|misiunea|istoria|organizatia) noastra\b",
    r"\b(clientii|partenerii|angajatii) nostri\b",
    r"\b(suntem o|suntem un|infiintat[a]? in|fondat[a]? in|cu sediul|de peste \d+ (de )?ani|din (18|19|20)\d\d)\b",
    r"\bin ultimii \d+ (de )?ani\b|\bactivam (in|pe piata|de)\b",
)
_NO_EMPLOYER = WarningSign(
    code="no_employer_identity",
    weight=_WEIGHTS["no_employer_identity"],
    reason=_("The offer does not say who the employer is: no history, seat, team or activity of the company."),
    advice=_("Ask for the employer's full name, address and registration number and check them."),
)


@dataclass(frozen=True)
class _Absence:
    """A sign that fires when the offer leaves out something a genuine offer states."""

    sign: WarningSign
    # Any match means the offer does state it. Each cue is written so that no warning-sign
    # phrase ("no experience needed", "contract on arrival") counts as stating it.
    cues: tuple[re.Pattern[str], ...]

    def fires(self, text: str) -> bool:
        return not any(cue.search(text) for cue in self.cues)


def _absence(code: str, reason: str | Promise, advice: str | Promise, *cues: str) -> _Absence:
    return _Absence(WarningSign(code, reason, advice, _WEIGHTS[code]), _any(*cues))


# What a genuine offer states, each the subject of a warning sign when missing (the checklists of
# the labour inspectorate and of anti-trafficking guidance: who employs you, where, doing what,
# asking for what, under which contract). The employer comes first, above.
_ABSENCES: tuple[_Absence, ...] = (
    _Absence(_NO_EMPLOYER, _EMPLOYER_IDENTITY),
    _absence(
        "no_workplace",
        _("The offer gives no workplace: no address, office, site or town where the work is done."),
        _("Ask for the exact address of the workplace and check that the company really works there."),
        r"\blocated (in|at|near|on)\b",
        r"\boffices? (in|at|on|near)\b",
        r"\b(our|the company'?s?) (\w+ )?(office|offices|headquarters|site|plant|factory|facility|facilities|warehouse|"
        r"store|shop|restaurant|hotel|clinic|hospital|branch|premises|location|locations|campus|studio)\b",
        r"\bheadquarter",
        r"\b(based|situated) (in|at|out of|near)\b",
        r"\bon[- ]?site\b",
        r"\b(street|avenue|boulevard|suite \d|(postal |post |zip )code|postcode)\b",
        r"\b(work |job )?(location|address|place of work|workplace) ?(is|:|-)",
        r"\b(sediu|sediul|adresa|strada|bulevardul|judetul|municipiul|orasul|comuna|localitatea)\b",
        r"\bstr\. \w",
        r"\bpunct(ul|ele)? de lucru\b",
        r"\b(locul|locatia|locatie|loc) (de munca|de desfasurare|jobului|postului)? ?(este|se afla|:|-)",
        r"\b(fabrica|depozitul|magazinul|biroul|birourile|ferma|santierul|hotelul|restaurantul|clinica|spitalul|"
        r"atelierul|showroom-ul) (nostru|noastra|noastre|nostri|din|de pe|de la)\b",
    ),
    _absence(
        "no_tasks",
        _("The offer does not say what the work is: no duties or tasks are described."),
        _("Ask for a written job description: what you will do every day, where and for whom."),
        # No leading word boundary: pasted web pages glue list headers to the line before.
        r"responsibilit|duties\b|tasks\b|atributii",
        r"\b(accountabilities|essential functions|job description|role description|day[- ]to[- ]day)\b",
        r"\b(you will|you'll|will be responsible|the role (involves|includes|is)|in this (role|position))\b",
        r"\bwhat you('ll| will) (do|be doing)\b",
        r"\b(responsabilitati|sarcini|sarcinile|descrierea (postului|jobului))\b",
        r"\b(vei|veti) (fi responsabil|avea (ca )?(sarcin|rol)|(te |va )?ocupa|lucra|gestiona|realiza|asigura|efectua|"
        r"pregati|coordona|verifica|livra|conduce|opera|monta|vinde|participa)",
        r"\b(ce (vei|veti) face|rolul presupune|(postul|jobul|activitatea) (presupune|consta|include))\b",
    ),
    _absence(
        "no_requirements",
        _("The offer asks for nothing: no qualification, skill or experience is required."),
        _("Ask why nothing is required: a real employer says what the job needs."),
        # No leading word boundary: pasted web pages glue list headers to the line before.
        r"(requirements?|qualifications?|required skills|skills required|prerequisites|cerinte)\b ?(:|-|include|are)",
        r"\b(must|should) (have|be able|possess|hold)\b",
        r"\b(knowledge of|ability to|proficien|fluent in|fluency in|familiarity with|understanding of)",
        r"\b(degree|diploma|certification|certificate|licen[cs]e) (in|of|as|is|required|preferred)\b",
        r"\b(bachelor|master)'?s?\b",
        r"\b\d+\+? (years?|yrs) (of )?(\w+ )?experience\b",
        r"\b(experience|experienced) (in|with|as|of)\b",
        r"\b(you have|you bring|you hold) (a|an|at least|experience|\d|good|strong|excellent|proven)\b",
        r"\b(ideal candidate|the candidate|candidates (must|should|will))\b",
        r"\b(cerinte|cerintele|calificari|conditii de eligibilitate|profilul candidatului|candidatul ideal)\b",
        r"\b(studii|absolvent|diploma|atestat|permis)\b(?! (nu|fara))",
        r"\b(cunostinte|cunoasterea|abilitati|competente|aptitudini)\b",
        r"\bexperienta (de|in|ca|minima|relevanta|similara|anterioara de)\b",
        r"\b\d+ (ani|an) (de )?experienta\b",
        r"\bconstituie (un )?avantaj\b",
    ),
)
# A pay figure: an amount with a currency, or a figure after the word for pay.
_PAY = _any(
    _MONEY,
    r"\b(salary|pay|wage|wages|compensation|salariu|salariul|salariului|remuneratie|remuneratia)( range)?"
    r"( is| of| de| intre| between| from| starting at)? ?:? ?\d",
)
# How offers say which contract (or kind of work) it is.
_CONTRACT_TYPE = _any(
    r"\b(full|part)[- ]?time\b",
    r"\b(permanent|temporary|fixed[- ]term|seasonal|freelance|internship|apprenticeship|contract|employment type)\b",
    r"\b(norma (intreaga|partiala)|(ne)?determinata|contract(ul)?|cim|carte de munca|sezonier|temporar)\b",
)
_PAY_WITHOUT_CONTRACT = WarningSign(
    "pay_without_contract",
    _("A pay figure is given, but nothing about the contract: not full-time or part-time, fixed-term or permanent."),
    _("Ask for the employment contract (type, duration, gross wage) before you agree to anything."),
    _WEIGHTS["pay_without_contract"],
)
_PAY_HEADLINE = WarningSign(
    "pay_headline",
    _("The pay is the headline of the offer, before any word about the work."),
    _("Judge the offer by the work and the employer, not by the sum in the title; check both."),
    _WEIGHTS["pay_headline"],
)
# A title: the first line, or the first sentence of a text pasted as one paragraph.
_TITLE_END = re.compile(r"\n|[.!?](?:\s|$)")
_TITLE_LENGTH = 160
# Pay in a title also comes as "$16/hr", "80k", "3000/luna".
_TITLE_PAY = _any(_MONEY, r"\b\d[\d,.]* ?k\b", r"\d ?/ ?(hr|hour|h|yr|year|month|week|day|luna|ora|zi|saptamana)\b")
_SHORT_OFFER = WarningSign(
    "short_offer",
    _("The offer is very short: a few lines cannot describe a real job."),
    _("Ask for the full offer in writing: employer, address, tasks, requirements, contract and pay."),
    _WEIGHTS["short_offer"],
)
# Fewer words than this make an offer "very short". A complete offer (employer, place, tasks,
# requirements, contract, pay) hardly fits in fewer; the value was not fitted to the sample.
SHORT_OFFER_WORDS = 150
_WORD = re.compile(r"\w+")


def _title(text: str) -> str:
    stripped = text.strip()
    end = _TITLE_END.search(stripped)
    # The line break that ends a title is not part of its length.
    title = stripped[: end.start() + 1].rstrip() if end else stripped
    return title if len(title) <= _TITLE_LENGTH else ""


# Answers to the optional questions. Each question names the answer that is a warning sign.
QUESTIONS: tuple[tuple[str, str | Promise, str], ...] = (
    ("fees", _("Were you asked to pay anything (fee, travel, housing, documents) before starting?"), "yes"),
    ("contract", _("Did you receive a written contract, in a language you understand, before leaving?"), "no"),
    ("documents", _("Were you asked to hand over or send your passport or identity card?"), "yes"),
    ("pay", _("Is the pay much higher than usual for this kind of work?"), "yes"),
    ("employer", _("Do you know the employer's full name and address, and could you check them?"), "no"),
)
ANSWER_VALUES = ("yes", "no", "unknown")

# A person's own answer is firmer evidence than a phrase in the text: each weighs as much as the
# strongest sign of its kind, so paying or handing over documents alone rates the offer high.
_ANSWER_SIGNS: dict[str, WarningSign] = {
    "fees": WarningSign(
        "answer_fees",
        _("You were asked to pay before starting work."),
        _("Never pay to get a job. Licensed agencies in Romania may not charge workers for placement."),
        HIGH_FROM,
    ),
    "contract": WarningSign(
        "answer_contract",
        _("You have no written contract in a language you understand."),
        _("Ask for a written contract in a language you understand before you leave, and keep a copy."),
        MEDIUM_FROM,
    ),
    "documents": WarningSign(
        "answer_documents",
        _("You were asked to hand over or send your passport or identity card."),
        _("Never hand over your passport or ID; send copies only to an employer you have checked."),
        HIGH_FROM,
    ),
    "pay": WarningSign(
        "answer_pay",
        _("The pay is much higher than usual for this kind of work."),
        _("Compare the pay with similar jobs; pay far above the market for simple work is a lure."),
        MEDIUM_FROM,
    ),
    "employer": WarningSign(
        "answer_employer",
        _("You cannot name or check the employer."),
        _("Ask for the employer's full name, address and registration number and check them."),
        MEDIUM_FROM,
    ),
}

# Every sign the text of an offer can show (the answers to the questions add their own).
TEXT_SIGNS: tuple[WarningSign, ...] = (
    *(rule.sign for rule in _RULES),
    _PAY_HEADLINE,
    *(absence.sign for absence in _ABSENCES),
    _PAY_WITHOUT_CONTRACT,
    _SHORT_OFFER,
)
# The gaps: signs of what an offer leaves out (see assess_job_offer).
GAP_CODES: frozenset[str] = frozenset(
    (*(absence.sign.code for absence in _ABSENCES), _PAY_WITHOUT_CONTRACT.code, _SHORT_OFFER.code)
)
SIGN_CODES: tuple[str, ...] = tuple(sign.code for sign in TEXT_SIGNS)


def level_of(score: int) -> str:
    return HIGH if score >= HIGH_FROM else MEDIUM if score >= MEDIUM_FROM else LOW


def assess_job_offer(text: str, answers: Mapping[str, str] | None = None) -> JobOfferAssessment:
    """The warning signs found in `text` (and `answers`), and an overall level low/medium/high."""
    normalised = normalise(text or "")
    signs: list[WarningSign] = [rule.sign for rule in _RULES if rule.fires(normalised)]
    gaps: list[WarningSign] = []
    if normalised.strip():
        gaps += [absence.sign for absence in _ABSENCES if absence.fires(normalised)]
        if any(p.search(normalised) for p in _PAY) and not any(p.search(normalised) for p in _CONTRACT_TYPE):
            gaps.append(_PAY_WITHOUT_CONTRACT)
        if len(_WORD.findall(normalised)) < SHORT_OFFER_WORDS:
            gaps.append(_SHORT_OFFER)
        if any(p.search(normalise(_title(text))) for p in _TITLE_PAY):
            signs.append(_PAY_HEADLINE)
    for key, _label, alarming in QUESTIONS:
        if answers and answers.get(key) == alarming:
            signs.append(_ANSWER_SIGNS[key])
    # What an offer leaves out is a reason to ask before accepting, not proof of a scam: gaps
    # alone can make an offer "medium" but never "high", which takes a sign the offer shows.
    score = sum(sign.weight for sign in signs) + min(sum(sign.weight for sign in gaps), GAPS_UP_TO)
    signs += gaps
    return JobOfferAssessment(level=level_of(score), signs=tuple(signs), score=score)
