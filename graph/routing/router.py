"""Which agent answers the turn: a nearest-neighbour classifier over sentence embeddings.

Labelled examples live in graph/data/routing_examples.jsonl. A turn is embedded once (the
retriever reuses the vector through the embedding cache) and compared with every example;
each route scores the mean similarity of its closest examples. Whole-word cues then apply
the product's tie-breaks: a question of health or risk is `safety` even when a trip or a
course is mentioned; look-alikes ("near", "hear", "gear") never count as "ear".

Elliptic follow-ups ("what about in March?") are read together with the previous user
message, and take the previous route when the turn alone says too little; a turn that is
clear on its own wins over the history.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from chains.questions import spelled_out
from config.settings import get_settings
from graph.courses import COURSE_OR_AGENCY_NAME, courses_asked_about
from graph.focus import leans_on_previous
from graph.places import DESTINATION_ALIASES, UNCOVERED, load_dive_places
from graph.routing.follow_up import FollowUp, FollowUpReader, features, load_context_bank
from graph.routing.learned import CLASSIFIERS, ROUTES, unit
from graph.routing.text import Spelling, any_of

EXAMPLES_FILE = Path(__file__).resolve().parent.parent / "data" / "routing_examples.jsonl"

# The learned part (graph/routing/learned.py), chosen by `python -m evals.route_cv`.
DEFAULT_CLASSIFIER = "blend"
# Below this margin between the two best routes the turn alone is ambiguous.
UNSURE_MARGIN = 0.04
# What "unrelated but …" with nothing of diving after it adds to off-topic: as much as an
# unrelated task's cue.
SUBJECT_CHANGE_WEIGHT = 0.12
# Texts whose cues are remembered (a turn is read alone, then with the message before it).
CUE_CACHE_SIZE = 4096
# A turn this short that names no subject leans on the previous one.
SUBJECTLESS_WORDS = 6

# "can I still", "want to", "planning to": what a diver says before the place they hope to dive.
WANTS_TO = (
    r"(can|could|should|would|want to|wanna|hoping to|plan(ning)? to|going to|like to) "
    r"(i |we |you )?(still |even |also )?"
)
# The courses a diver says they will do or finish ("do my AOW", "finish the open water").
COURSE_SHORT_NAMES = r"(aow|ow|advanced|open water|rescue|nitrox|divemaster|refresher|specialty)"
# "do my AOW", "take open water", "do PADI advanced", "do divemaster training": a course to
# take, whatever agency it is named with, not "do advanced dives" nor "open water divers".
TAKES_A_COURSE = (
    r"\b(do|doing|finish|take|taking|complete|start) (my |the |an? |our |her |his )?"
    r"((padi|ssi|naui|bsac|cmas|sdi|raid) )?"
    + COURSE_SHORT_NAMES
    + r"\b(?! ?(dives?|diving|divers?|sites?|wrecks?|conditions)\b)"
)


PLACE_NAMES = (
    r"\b("
    + "|".join(re.escape(name) for names in DESTINATION_ALIASES.values() for name in names)
    + "|"
    + "|".join(re.escape(name) for name in sorted({*UNCOVERED, *load_dive_places()}))
    + r")\b"
)
COUNTRIES = r"\b(malaysia|indonesia|vietnam|sabah|borneo|australia)\b"
# Where a diver is or means to go: a place or site, or a country.
WHERE_WORDS = re.compile(f"{PLACE_NAMES}|{COUNTRIES}", re.IGNORECASE)

# Whole-word cues and the weight they add to a route's score. Health and risk outweigh the
# place or course they are asked about; an unrelated task outweighs the diving words in it.
CUES: list[tuple[str, re.Pattern, float]] = [
    # A site the router has no list of is still a place: "can I dive Barracuda Point?",
    # "could we visit the Blue Hole" (capitalised; agencies and course names are not places).
    (
        "trip",
        re.compile(
            r"(?i:\b" + WANTS_TO + r"(dive|visit|see))\s+"
            r"(?:(?i:the|at|in|on|around)\s+)?"
            r"(?!(?:PADI|SSI|NAUI|CMAS|BSAC|Nitrox|EAN|Open|Advanced|Rescue|Divemaster|"
            r"Instructor|Master|Discover|Enriched|Scuba|I)\b)[A-Z][\w']+"
        ),
        0.12,
    ),
    (
        "certification",
        any_of(
            r"\b(never (dived|been diving|tried diving|dove)|learn (to|how to) dive|"
            r"(get|getting) (started|certified)|where (do|should) i (even )?start|"
            r"how (do|can) i start|try (scuba|diving)|first time diving)\b",
        ),
        0.08,
    ),
    # Doing a course on holiday is still a course: "finish my open water there".
    (
        "certification",
        any_of(TAKES_A_COURSE),
        0.12,
    ),
    # A try-dive is the first course, wherever the holiday is (a course outweighs the trip).
    (
        "certification",
        any_of(
            r"\b(discover scuba|dsd|try[- ]?dives?|trial dives?|intro(ductory)? dives?|"
            r"taster (dive|session)s?|bubblemaker)\b"
        ),
        0.12,
    ),
    # Where to see an animal is a question of places, though it names none ("where can I
    # see one in southeast asia?" after a question on whale sharks).
    (
        "trip",
        any_of(
            r"\bwhere (can|could|should|do|would|to) (i |we |you |one )?(best )?"
            r"(see|find|spot|meet|swim with|dive with)\b"
        ),
        0.08,
    ),
    (
        "general",
        any_of(r"\bwhat (does|do|is) .{1,40} (mean|stand for)\b|\bjargon\b|\bdefinition\b"),
        0.06,
    ),
    (
        "safety",
        any_of(
            r"\b(asthma\w*|inhaler|diabet\w*|insulin|epilep\w*|seizures?|heart|cardiac|"
            r"blood pressure|hypertension|cardiolog\w*|chest pains?|pregnan\w*|"
            r"medica(tion|tions|l)|meds|pills?|"
            r"antidepress\w*|ssris?|sertraline|antihistamine\w*|malaria|beta.?blockers?|"
            r"surgery|operation|injur\w*|fitness to dive|fit to dive|doctor|physician|covid|"
            r"cold|flu|congest\w*|sick|illness|health|healthy|migraine\w*)\b",
            r"\b(dcs|bends?|bent|decompression (sickness|illness)|embolism|barotrauma|chamber|"
            r"narcosis|oxygen toxicity|co2|co|carbon monoxide|bad fill|contaminated (air|gas)|"
            r"hypoxia|hypotherm\w*|dehydrat\w*|drown\w*)\b",
            # A squeeze is the barotrauma of a mask, an ear or a suit, not a gear question.
            r"\b(equali[sz]\w*|ears?|sinus\w*|eardrum|valsalva|squeez\w*)\b",
            r"\b(fly|flying|flight|altitude|mountains?|highlands)\b.{0,40}\b(after|before|day|"
            r"sooner|earlier)\b",
            r"\b(no[- ]?deco\w*|ndl|safety stops?|ascent rate|deco stops?|out of air|"
            r"run(s|ning)? out of air|lost buddy|buddy separation|first aid|oxygen kit)\b",
            r"\b(get|got|gets|getting|become|are|were) separated\b|\bseparated from\b|"
            r"\b(lose|losing|lost) (each other|one another|my buddy|our buddy|sight of)\b",
            # Equipment failing underwater and panic are what-if procedures.
            r"\b(free[- ]?flow\w*|panic\w*)\b",
            # Drinking before a dive and a diver's years are questions of fitness.
            r"\b(alcohol|beers?|booze|drunk|hung ?over|hangover)\b",
            r"\b(too old|upper age( limit)?|at (my|his|her|their|our) age|older divers?|elderly)\b",
            r"\b(box jellyfish|jellyfish|stonefish|lionfish|sea snakes?|triggerfish|cone shells?|"
            r"stingrays?|fire coral|irukandji|shark attacks?)\b",
            r"\b(insurance|dan)\b",
        ),
        0.10,
    ),
    # Whom to call is a safety question wherever the diver is ("the DAN number on Mabul").
    (
        "safety",
        any_of(
            r"\b(emergency|hotline|hyperbaric|dan)\b[^.?!]{0,30}\b(numbers?|contacts?|hotlines?|"
            r"phone|call)\b|\bwho (do|should|can) (i|we) call\b",
            # Where help is ("the nearest recompression chamber to Tioman") wherever it is.
            r"\b(nearest|closest)\b.{0,20}\b(chamber|hyperbaric|recompression|hospital|clinic)\b",
        ),
        0.20,
    ),
    # How much air a diver uses is a skill, though "first one out of air" names running out.
    (
        "general",
        any_of(
            r"\b(us(e|es|ing)|burn(s|ing)?|go(es|ing)? through|suck(s|ing)?( through)?|"
            r"save|saving|conserv\w+|mak(e|ing) (my|the|our)) (less |more |my |the |our )?"
            r"(air|gas|tank|cylinder)( last)?\b",
            r"\b(air|gas) (consumption|usage|use)\b|\b(consumption|breathing) rate\b",
        ),
        0.20,
    ),
    (
        "safety",
        any_of(
            r"\b(safe|safer|safest|safely|unsafe|dangerous|danger|risk\w*|hazard\w*|sting\w*|venom\w*)\b"
        ),
        0.04,
    ),
    # Which animals not to touch is a question of risk, wherever the diver is: it outweighs
    # the place named with it ("we're on Tioman, what should I be careful not to touch?").
    (
        "safety",
        any_of(
            r"\b(marine life|animals?|creatures?|fish)\b[^.?!]{0,40}\b"
            r"(careful|avoid|never|not|don'?t) (\w+ ){0,2}touch\w*\b",
            # "anything dangerous animal-wise I should watch for there?"
            r"\b(dangerous|venomous|poisonous|harmful|nasty)\b[^.?!]{0,20}"
            r"\b(marine life|animals?|animal-wise|creatures?|critters?|fish|sea life)\b",
        ),
        0.15,
    ),
    (
        "certification",
        any_of(
            r"\b(course|courses|certif\w*|cert|certs|licen[cs]e|card|ecard|prerequisite\w*|"
            r"elearning|e-learning|refresher|reactivate|scuba review|crossover|equivalen\w*|"
            r"exam|quiz|referral)\b",
        ),
        0.05,
    ),
    (
        "trip",
        any_of(
            PLACE_NAMES,
            COUNTRIES,
            r"\b(season|monsoon|best time|when to go|liveaboard|resort|itinerary|ferry|"
            r"flights? to|getting there|visibility|water temp\w*|dive sites?|sites?|currents?|"
            r"how (warm|cold) is the water|trip|travel|"
            r"holiday|vacation|diving like|(jan|febr)uary|march|april|may|june|july|august|"
            r"september|october|november|december)\b",
            r"\b(suitable|suit|ok|okay|good|doable) for (beginners?|me|my level|new divers|"
            r"open water divers?|an open water)\b",
        ),
        0.05,
    ),
    # Gear and skills are general whoever asks; an animal is often asked about a place.
    (
        "general",
        any_of(
            r"\b(bcds?|regulators?|wetsuits?|drysuits?|dive computers?|weighting|buoyancy|"
            r"wear|wearing|exposure protection|stinger suits?|lycra|rash ?guards?|skin ?suits?|"
            r"finning|frog kick|flutter kick|air consumption|sac|rmv|gas consumption|"
            r"underwater photo\w*|camera|gopro|strobes?|torch(es)?|(dive|video|focus) lights?|"
            r"(?<!contact )lens(es)?|hoods?|gloves|booties|reef hooks?|logbook|hand signals?|"
            r"regs|din|yoke|(first|second) stages?|servic(e|ed|ing)|weight belts?|lead weights?|"
            r"(too much|too little|more|less|extra) lead)\b",
        ),
        0.08,
    ),
    (
        "general",
        any_of(
            r"\b(reg|octopus|alternate air|fins?|masks?|snorkels?|weights?|smb|trim|kicks?|"
            r"photo\w*|sunscreen|etiquette|conservation|sharks?|turtles?|nudibranch\w*|"
            r"octopuses|corals?|fish|gear|equipment)\b",
        ),
        0.04,
    ),
    # What a breathing gas allows (EAN32's depth limit, a ppO2) is diving knowledge tied to
    # no course: the nitrox course itself is named as a course.
    (
        "general",
        any_of(
            r"\b(ean ?\d\d|ppo2|po2|mod|maximum operating depth|enriched air|trimix|heliox)\b",
            r"^(?!.*\b(course|courses|certif\w*|cert|card|specialty|class|training|junior|ow|"
            r"open water|aow|advanced|padi|ssi|naui)\b).*\bnitrox\b",
        ),
        0.08,
    ),
    # An unrelated task is off-topic even when it is about diving ("a script for my log").
    (
        "off_topic",
        any_of(
            # DAN's React Right is a first-aid course, not the library.
            r"\b(python|javascript|java|typescript|react(?! right)|sql|excel|spreadsheet|code|"
            r"coding|programm\w*|script|function|component|api|recipe|translate|translation|"
            r"homework|essay|poem|haiku|lyrics|logo|cover letter|resume|cv)\b",
            r"\b(fix|repair|unclog|install)\b[^.?!]{0,30}\b(tap|sink|toilet|car|laptop|phone|"
            r"fridge|aircon|air ?con|washing machine|printer|router|wifi)\b",
        ),
        0.20,
    ),
    (
        "off_topic",
        any_of(
            r"\b(cook\w*|bake|bitcoin|crypto|stocks?|invest\w*|tax\w*|election|politic\w*|"
            r"president|joke|football|soccer|basketball|tennis|golf|cricket|rugby|surfing|"
            r"surf|kitesurf\w*|windsurf\w*|skydiv\w*|springboard|platform diving|"
            r"cliff diving|olympic\w*|world series|championship|tournament|who won|movie|"
            r"song|landlord|mortgage|tenancy|(pay|paying|my) (the )?rent)\b",
            r"\b(go|went|going) fishing\b|\bfishing (spots?|trips?|charters?|rods?|tackle|"
            r"licen[cs]es?)\b",
        ),
        0.12,
    ),
]

# Words that tell which subject a turn is on (so that it stands on its own after another
# turn's question) but weigh nothing for its route. A course's or an agency's name is as
# often the level the diver holds ("can I do Turtle Cavern as an open water diver?", "BSAC
# Ocean Diver, is a Red Sea wreck safari ok?") as the course asked about: weighed for
# certification, these names lost 10 example turns and won 5 when each example file was
# routed by a router trained on the others (python -m evals.route_cv --lofo --ablate).
# What a course costs or takes is told by the course words above and the examples.
# What a course's name means is read in one place (graph/courses.py).
SUBJECT_WORDS: list[tuple[str, re.Pattern]] = [("certification", COURSE_OR_AGENCY_NAME)]

DIVING_WORDS = any_of(
    r"\b(dive|dives|diving|diver|divers|dived|scuba|snorkel\w*|reefs?|underwater|bcds?|"
    r"regulators?|padi|ssi|naui|wrecks?|liveaboards?|freediv\w*|marine|ocean|sea)\b"
)

# The diver says the subject changes ("totally unrelated but", "new topic:", "btw"): with
# nothing of diving named after it, the new subject is not diving.
SUBJECT_CHANGE = any_of(
    r"\b(unrelated|random (question|q)|(totally|completely) different|different (question|"
    r"topic|subject)|change of (topic|subject)|new (topic|subject)|nvm|btw|by the way)\b",
    # A role to play or instructions to drop: what follows is the new subject.
    r"\b(act|behave) (as|like) an?\b|\bpretend (to be|you'?re|you are)\b|\brole-?play\b|"
    # "ignore all that and …", "ignore your instructions": not "should I ignore that rule?".
    r"\bignore (all|everything|(your|previous|prior|above) (instructions|rules|prompts?|"
    r"messages?|guidelines))\b",
)

# A turn that is only a greeting, thanks or goodbye.
SMALL_TALK = re.compile(
    r"^\s*((hi+|hello+|hey+|hiya|yo|good (morning|afternoon|evening|night)|howdy|salam|hai|"
    r"thanks?( you)?|thank u|thx|ty|cheers|terima kasih|ok(ay)?|cool|great|awesome|nice|"
    r"perfect|bye|goodbye|see (you|ya)|that'?s all( for now)?|nothing else|got it|"
    r"(i )?(really )?appreciate (it|that)|much appreciated|you'?re (great|the best)|"
    r"that'?s (helpful|great|perfect|useful)|that (helps|helped)|good to know|makes sense|"
    r"fair enough|ha(ha)+h?|he(he)+|lol|lmao|"
    # Praise of the assistant: "lol ur pretty good at this", "haha you're the best".
    r"(you'?re|youre|ur|you are) (so |really |pretty |very |such )?(good|great|the best|"
    r"awesome|amazing|helpful|brilliant|a star|a legend|a lifesaver)( at this)?)"
    r"( (so|very) much)?( a lot)?[\s!.,]*(there|dovvy(buddy)?|buddy|mate|then)?[\s!.,?]*)+$",
    re.IGNORECASE,
)
# Emoji and other symbols say nothing the words do not ("cool, appreciate it 🙏").
SYMBOLS = re.compile(r"[^\w\s!?.,'’-]+")
ELLIPTIC = re.compile(
    r"^\s*(and|also|what about|how about|what if|or|but|so|then|ok(ay)?|same for|is it|"
    r"are they|is there|how much|how long|how deep|when|where|which|at what|in what)\b",
    re.IGNORECASE,
)
# "and for travel?", "what about for kids?": an opener and a word or two ask the last question
# again with a qualifier, though the word alone would be another route's cue.
QUALIFIER = re.compile(r"^\s*(and|also|or|but|what about|how about|same for)\b", re.IGNORECASE)
QUALIFIER_WORDS = 4
# "ok thank you, that helps a lot": thanks, perhaps after an "ok", closes the topic.
THANKS = re.compile(
    r"^\s*((ok(ay)?|great|perfect|cool|awesome|alright|brilliant|nice|right|got it|"
    # Praise, then thanks: "super helpful, thanks a lot!"
    r"((super|very|really|so|most) )?(helpful|useful|clear))[\s,!.]+)?"
    r"(thanks|thank you|thank u|thx|cheers|many thanks|ty)\b",
    re.IGNORECASE,
)
# "there" as a place; "if there are thermoclines", "is there a course" say only that
# something exists.
PLACE_REFERENCE = re.compile(
    r"\b(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )"
    r"(there(?!\s*(is|are|was|were|'s|will be|might be|may be|could be)\b)|"
    r"that place|the island|(this|that) (site|spot|reef|wreck|pinnacle|island|dive site))\b",
    re.IGNORECASE,
)
BACK_REFERENCE = re.compile(
    r"\b(it|that|those|these|there|them|they|this one|which one|the day after|same|either)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RouteDecision:
    route: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)
    used_history: bool = False
    reason: str = ""
    # The scores of the turn read alone, before any reading with the previous message.
    own: dict[str, float] = field(default_factory=dict)

    def alone(self) -> RouteDecision:
        """The decision on the turn's own words."""
        return _decide(self.own, self.own)

    def kept(self, previous_route: str) -> RouteDecision:
        """The decision that the turn keeps the previous turn's route."""
        return RouteDecision(
            previous_route, self.confidence, self.scores, True, "follow-up", self.own
        )


def load_examples(path: Path = EXAMPLES_FILE) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [(row["text"], row["label"]) for row in rows]


def route_example_files(data_dir: Path = EXAMPLES_FILE.parent) -> list[Path]:
    """The hand-written examples, then every bank and kinds file beside them."""
    return [EXAMPLES_FILE, *sorted(data_dir.glob("routing_examples_*.jsonl"))]


def load_route_examples(data_dir: Path = EXAMPLES_FILE.parent) -> list[tuple[str, str]]:
    """The router's examples: the hand-written file, the banks written blind since and the
    examples written for kinds the router missed (graph/data/routing_examples_*.jsonl; a
    follow-up is stored as the router reads it, with the message before it when it is
    elliptic). The emergency detector's ordinary turns stay the hand-written file's
    (load_examples): a routing example added elsewhere does not move the gate."""
    return [example for path in route_example_files(data_dir) for example in load_examples(path)]


def vocabulary_texts(examples: list[tuple[str, str]], content_dir: Path) -> list[str]:
    """The texts whose words count as spelt right: the examples and the knowledge base."""
    texts = [text for text, _ in examples]
    if content_dir.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(content_dir.rglob("*.md"))]
    return texts


def is_elliptic(text: str) -> bool:
    """Does the turn lean on the previous one ("and for kids?", "which one is cheaper")?

    A short turn that names no subject of its own ("what's the damage budget-wise?": no
    course, place, gear or health word) asks about the subject already on the table.
    """
    words = text.split()
    if len(words) <= 3:
        return True
    if len(words) <= SUBJECTLESS_WORDS and not names_subject(text):
        return True
    return len(words) <= 12 and bool(ELLIPTIC.match(text) or BACK_REFERENCE.search(text))


def qualifies_the_last_question(text: str) -> bool:
    """ "and for travel?" after "which fins should I buy?" asks about the fins."""
    return bool(QUALIFIER.match(text)) and len(text.split()) <= QUALIFIER_WORDS


@functools.lru_cache(maxsize=CUE_CACHE_SIZE)
def cues_in(text: str) -> tuple[int, ...]:
    """The CUES (their indices) the text matches. The score, the follow-up checks and the
    settling rules (graph/nodes/routing.py) all ask of the same text: each pattern is
    searched once per text."""
    return tuple(index for index, (_, pattern, _) in enumerate(CUES) if pattern.search(text))


@functools.lru_cache(maxsize=CUE_CACHE_SIZE)
def subject_words_in(text: str) -> frozenset[str]:
    """The routes whose SUBJECT_WORDS the text names."""
    return frozenset(route for route, pattern in SUBJECT_WORDS if pattern.search(text))


def cued_routes(text: str) -> frozenset[str]:
    """The routes whose subject the text names: by a weighted cue or by a subject word."""
    return frozenset(CUES[index][0] for index in cues_in(text)) | subject_words_in(text)


def names_subject(text: str) -> bool:
    """Does the turn name a topic a cue knows (a course, place, gear, health, an unrelated task)?"""
    return bool(DIVING_WORDS.search(text)) or bool(cued_routes(text))


def changes_subject_off_diving(text: str) -> bool:
    """ "totally unrelated, but …" with nothing of diving (no diving word, no other route's
    cue) after it."""
    return bool(
        SUBJECT_CHANGE.search(text)
        and not DIVING_WORDS.search(text)
        and not cued_routes(text) - {"off_topic"}
    )


def cue_bonus(text: str) -> dict[str, float]:
    """What the whole-word cues add to each route's learned score: the product's tie-breaks."""
    bonus = dict.fromkeys(ROUTES, 0.0)
    for index in cues_in(text):
        route, _, weight = CUES[index]
        bonus[route] += weight
    if "off_topic" in cued_routes(text) and not DIVING_WORDS.search(text):
        bonus["off_topic"] += 0.10  # nothing about diving at all
    elif changes_subject_off_diving(text):
        bonus["off_topic"] += SUBJECT_CHANGE_WEIGHT
    return bonus


class TurnRouter:
    def __init__(
        self,
        embeddings: Embeddings,
        examples: list[tuple[str, str]] | None = None,
        vectors: list[list[float]] | None = None,
        content_dir: Path | None = None,
        classifier: str = DEFAULT_CLASSIFIER,
        cache_dir: Path | None = None,
        follow_up: bool = True,
    ):
        """`vectors` are the examples' embeddings when the caller has them cached;
        `content_dir`, the knowledge base whose words typos are corrected towards (the
        configured one by default: in the image it is not next to the code); `cache_dir`,
        where fitted weights are kept between starts; `follow_up`, whether the reader of
        follow-ups in context (graph/routing/follow_up.py) is fitted now, its bank embedded
        here (a caller with the bank's vectors cached calls fit_follow_up itself)."""
        self.embeddings = embeddings
        examples = examples if examples is not None else load_route_examples()
        labels = [label for _, label in examples]
        if vectors is None:
            vectors = embeddings.embed_documents([text for text, _ in examples])
        self.classifier = CLASSIFIERS[classifier](vectors, labels, cache_dir=cache_dir)
        content_dir = content_dir or get_settings().content_dir
        self.spelling = Spelling.from_texts(vocabulary_texts(examples, content_dir))
        self.follow_up: FollowUpReader | None = None
        if follow_up:
            self.fit_follow_up()

    def reading_of(self, text: str) -> str:
        """What the router embeds for a message: typos corrected, short forms spelt out
        ("SAC" means nothing to a small embedding model; "surface air consumption" does)."""
        text = self.spelling.correct(text)
        return " ".join([text, *spelled_out(text)])

    def follow_up_readings(self, rows: list[dict] | None = None) -> list[str]:
        """What the follow-up reader's features embed of the context bank's rows (or of
        `rows` of its form): each follow-up and the message before it, as the router reads
        them."""
        rows = load_context_bank() if rows is None else rows
        texts = [row["text"] for row in rows] + [row["history"][-1]["user"] for row in rows]
        return sorted({self.reading_of(text) for text in texts})

    def fit_follow_up(self, vectors: dict | None = None) -> None:
        """Fit the follow-up reader on the context bank as this router scores its rows;
        `vectors` are the bank's readings' embeddings (follow_up_readings) when the caller
        has them cached."""
        rows = load_context_bank()
        keeps = [row["label"] == row["history"][-1]["route"] for row in rows]
        self.follow_up = FollowUpReader(self.follow_up_matrix(rows, vectors), keeps)

    def follow_up_matrix(self, rows: list[dict], vectors: dict | None = None) -> np.ndarray:
        """The follow-up reader's features for rows of the context bank's form."""
        if vectors is None:
            readings = self.follow_up_readings(rows)
            vectors = dict(zip(readings, self.embeddings.embed_documents(readings), strict=True))
        turns = (
            (self.spelling.correct(row["text"]), self.spelling.correct(row["history"][-1]["user"]))
            for row in rows
        )
        return np.array(
            [
                features(
                    self.follow_up_of(
                        text,
                        before,
                        row["history"][-1]["route"],
                        vectors[self.reading_of(text)],
                        vectors[self.reading_of(before)],
                    )
                )
                for (text, before), row in zip(turns, rows, strict=True)
            ]
        )

    def follow_up_of(
        self, text: str, previous: str, previous_route: str, vector, previous_vector
    ) -> FollowUp:
        """What the follow-up reader is given of `text` (typos corrected) after `previous`."""
        vector, previous_vector = unit(vector)[0], unit(previous_vector)[0]
        own = self.classifier.scores([vector])[0] + _cue_vector(text)
        before = self.classifier.scores([previous_vector])[0] + _cue_vector(previous)
        place_words = WHERE_WORDS.search(text)
        return FollowUp(
            own=own,
            before=before,
            previous_route=previous_route,
            similarity=float(vector @ previous_vector),
            marks={
                "leans": leans_on_previous(text),
                "elliptic": is_elliptic(text),
                "names_subject": names_subject(text),
                "qualifies": qualifies_the_last_question(text),
                "place_reference": bool(PLACE_REFERENCE.search(text)),
                "names_place": bool(place_words),
                "names_course": bool(courses_asked_about(text)),
                "subject_change": bool(SUBJECT_CHANGE.search(text)),
                "small_talk": self.is_small_talk(text),
            },
            cued=cued_routes(text),
            words=len(text.split()),
        )

    async def keeps_route(self, text: str, previous: str, previous_route: str) -> float | None:
        """How likely `text` (typos corrected) keeps `previous_route`, the route of the
        diver's `previous` message, by the follow-up reader; both readings are in the
        embedding model's query cache (this turn's from `route`, the previous one's from its
        own turn)."""
        if self.follow_up is None or previous_route not in ROUTES:
            return None
        vector = await self.embeddings.aembed_query(self.reading_of(text))
        previous_vector = await self.embeddings.aembed_query(self.reading_of(previous))
        turn = self.follow_up_of(
            text, self.spelling.correct(previous), previous_route, vector, previous_vector
        )
        return float(self.follow_up.keeps(features(turn))[0])

    @staticmethod
    def is_small_talk(text: str) -> bool:
        """A greeting, thanks or goodbye, with no question in it."""
        text = SYMBOLS.sub(" ", text)
        if SMALL_TALK.match(text):
            return True
        return bool(THANKS.match(text)) and "?" not in text and len(text.split()) <= 10

    def _scores(self, vector: list[float], text: str) -> dict[str, float]:
        learned = self.classifier.scores([vector])[0]
        scores = {route: float(score) for route, score in zip(ROUTES, learned, strict=True)}
        for route, bonus in cue_bonus(text).items():
            scores[route] += bonus
        return scores

    async def route(
        self, text: str, history: list[str] | None = None, previous_route: str | None = None
    ) -> RouteDecision:
        """Route `text`; `history` holds the earlier user messages, oldest first."""
        if self.is_small_talk(text):
            return RouteDecision("general", 1.0, reason="small talk")
        text = self.spelling.correct(text)
        own = self._scores(await self.embeddings.aembed_query(self.reading_of(text)), text)
        decision = _decide(own, own)
        previous = history[-1] if history else None
        if not previous or not is_elliptic(text):
            return decision
        # "Would I need a thicker wetsuit down there?" asks about the place in the last turn.
        if (
            previous_route == "trip"
            and PLACE_REFERENCE.search(text)
            and decision.route in ("general", "trip")
        ):
            return RouteDecision(
                "trip", decision.confidence, decision.scores, True, "follow-up", own
            )
        # An explicit new topic wins: the turn names its own subject and is sure of it.
        if (
            decision.route in cued_routes(text)
            and decision.confidence >= UNSURE_MARGIN
            and not qualifies_the_last_question(text)
        ):
            return decision
        combined = f"{previous} {text}"
        joint = self._scores(await self.embeddings.aembed_query(combined), combined)
        joint = _decide(joint, own)
        if joint.confidence < UNSURE_MARGIN and previous_route in ROUTES:
            return RouteDecision(
                previous_route, joint.confidence, joint.scores, True, "follow-up", own
            )
        return RouteDecision(joint.route, joint.confidence, joint.scores, True, "follow-up", own)


def _decide(scores: dict[str, float], own: dict[str, float]) -> RouteDecision:
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    return RouteDecision(best, round(top - second, 4), scores, own=own)


def _cue_vector(text: str) -> np.ndarray:
    bonus = cue_bonus(text)
    return np.array([bonus[route] for route in ROUTES], dtype=np.float32)
