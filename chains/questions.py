"""What a question asks for: a season, a duration, a depth, a price, a requirement, …

One table serves both sides of a turn: the focus (graph/focus.py) adds a topic's words to
the search query, and the offline answerer (chains/extractive.py) prefers the sentences
and sections that have the shape of the answer ("March to October" for "when").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Topic:
    name: str
    asked: re.Pattern  # how a question asks for it
    words: str  # words added to the search query
    heading: str  # section headings that answer it (a regex)
    looks: str = ""  # how a sentence that answers it looks (a regex)


# Whole month names or their usual abbreviations: "dec[a-z]*" would read "decompression"
# as December and "mar[a-z]*" would read "marine" as March; only a capital May is a month.
MONTHS = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|(?-i:May)|june?|july?|aug(ust)?|"
    r"sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?)"
)
# Most specific first: "how long is the ferry" is about getting there before it is a duration.
TOPICS = [
    Topic(
        "getting_there",
        _re(
            r"\b(get(ting)? ((out|over|down|across) )?(there|to)|how (do|can|would|will) "
            r"(i|we|you|people) get\b|fly (in)?to|fly into|flights?|ferry|ferries|boat ride|"
            r"transfers?|how far|airport|reach (it|there)|from (bali|singapore|kuala lumpur|"
            r"jakarta|manila|kl))\b"
        ),
        "getting there flights transfer",
        r"getting there|access|transport",
        r"\b(fly|flights?|ferry|boat|drive|road|bus|airport|transfer|jetty|speedboat|hours?|minutes)\b",
    ),
    Topic(
        "distance",
        _re(r"\b(how close|how near|distance|keep away|stay away|keep back)\b"),
        "distance metres away",
        r"tips|rules|etiquette|interaction|guidelines",
        r"\b\d+(\.\d+)?\s?(m|metres|meters|ft)\b[^.]{0,20}\b(from|away|of|between)\b",
    ),
    Topic(
        "season",
        _re(
            # "when is", "when should I go", "when's": a question about time; the "when" of
            # "when I ascend" is not one, nor is "when did it sink?", a date in the past.
            rf"\b(when(?='s|\s+(is|are|do|does|should|can|could|would|will|"
            rf"might|must|to)\b)|season|seasons|months?|best time|time of year|monsoon|"
            # "how close can we get?" asks a distance; a site or park that closes is a date.
            rf"open for|closes|closed|closing|close (for|in|during|between)|{MONTHS})\b"
        ),
        "seasons and weather best months",
        r"season|weather|when|timing",
        rf"\b{MONTHS}\b|season|monsoon|year-round|all year",
    ),
    Topic(
        "temperature",
        _re(r"\b(temperature|water temp\w*|how (cold|warm)|wetsuit|thick|degrees?)\b"),
        "water temperature wetsuit",
        r"temperature|season|weather|wetsuit|thickness",
        r"°c|\bdegrees\b|\d\s?mm\b",
    ),
    Topic(
        "visibility",
        _re(r"\b(visibility|vis|clear water)\b"),
        "visibility",
        r"season|weather",
        r"\bvisibility\b|\d+\s?m\b",
    ),
    Topic(
        "cost",
        # "how much does it cost" asks a price; "how much air should I surface with" does not.
        _re(
            r"\b(cost|costs|price|prices|how much (is|are|does|do|will|would|for|money)|"
            r"expensive|cheap|budget|fees?)\b"
        ),
        "cost price",
        r"cost|price|fee|budget",
        r"(usd|myr|rm|idr|thb|egp|php|us\$|au\$|\$|€|eur|aud)\s?\d|"
        r"\d\s?(usd|myr|thb|idr|baht|pesos|dollars)\b",
    ),
    Topic(
        "depth",
        _re(r"\b(how deep|depth|deep is|max(imum)? depth|how far down)\b"),
        "depth metres",
        r"depth|profile|conditions|limits|privileges",
        r"\b\d+\s?(m|metres|meters|ft)\b",
    ),
    Topic(
        "duration",
        _re(r"\b(how long|how many days|duration|how many hours|take\?)"),
        "duration days",
        r"duration|how long|structure|time",
        r"\b(\d+|half|one|two|three|four|five)[\s–-]*(\d+\s*)?(days?|hours?|minutes?|weeks?|nights?|months?)\b",
    ),
    Topic(
        "age",
        # "my son is 9, can he join?" asks whether a 9-year-old may.
        _re(
            r"\b(how old|minimum age|age|ages|years? old|\d+ year old|(son|daughter|kid|child|"
            r"nephew|niece|boy|girl)( is|'s)( only| just| almost| nearly)? \d{1,2})\b"
        ),
        "minimum age",
        r"age|prerequisite|junior|kids",
        r"\bage[sd]?\b|\b\d+\s?(years|yrs)\b|\bfrom (age )?\d+",
    ),
    Topic(
        "suitability",
        _re(
            # "what can I do?" asks for a how-to, not whether the diver may.
            r"\b(suit|suits|suitable|ok|okay|good for|my level|"
            r"(?<!what )(can|could) (i|we) ((still|even|also|scuba) )?"
            r"(dive\b|do\b|go(?= there\b|\W*$))|"
            r"beginners?|new divers?|experienced|which sites|what sites|"
            r"(as|for) an? (open water|advanced)|"
            r"my ([\w-]+ ){0,3}(card|certification|cert|level)|"
            # "possible with my open water?", "doable on my AOW?"
            r"(possible|doable|ok|okay|enough) (with|on|for) (my|an?) (open water|ow|advanced|"
            r"aow|level|cert\w*|card))\b"
        ),
        "who it suits level certification",
        r"who it suits|level|suit|who|experience",
        r"\b(suits?|beginners?|open water|advanced|experienced|level|needs?|certification)\b",
    ),
    Topic(
        "permission",
        # "Can we go inside the wreck?", "can I scuba dive there?": a rule answers.
        _re(
            r"\b(can|may|could) (i|we|you|divers?|people) (\w+ ){0,2}(go inside|go in|enter|"
            r"penetrate|touch|take|feed|scuba dive|use)\b|\b(allowed|permitted|banned|"
            r"forbidden|rules?)\b"
        ),
        "rules allowed permit",
        r"tips|rules|regulations|overview|practical",
        r"\b(not allowed|allowed|banned|prohibited|forbidden|permitted|permits?|protected|"
        r"must not|may not|cannot|only)\b",
    ),
    Topic(
        "marine_life",
        _re(r"\b(see|marine life|sharks?|mantas?|turtles?|whale|fish|wildlife)\b"),
        "marine life",
        r"marine life|highlights|what you|wildlife",
        r"\b(sharks?|turtles?|mantas?|rays?|barracuda|fish|trevally|whale|schools?)\b",
    ),
    Topic(
        "how_to",
        _re(
            r"\b(what can (i|we) do|what should (i|we) do(?! next)|what do (i|we) do(?! next)|"
            r"what (am i|are we|is one) (supposed|meant|expected) to do|"
            r"how (do|can|should) i(?! get\b)|tips|"
            r"any advice|avoid|procedure|steps|what (to|do you) do (if|when))\b"
        ),
        "techniques how to",
        r"technique|habit|how|tips|what to do|first aid|prevention|using|choosing|procedure",
        # "For Valsalva, pinch your nose …" is how a "Label: do this" item reads.
        r"^(if [^,]{1,40}, )?(pinch|start|equalise|descend|ascend|stop|try|look|never|use|"
        r"choose|keep|take|go|signal|breathe|drink|wear|limit|get|search|surface|inflate|"
        r"deploy|call|check|stay|swim|agree|turn|hold|give|move|make|stretch|ask|avoid|"
        r"don't|do not)\b|^for [\w\s()-]{1,40}, \w|"
        r"\b(technique|manoeuvre|habit)",
    ),
    Topic(
        "equivalence",
        _re(
            r"\b(equal|equals|equivalent|equivalence|same as|(compare|compares|comparison) "
            r"(to|with)|counts? as|accepted as|recogni[sz]ed|in [\w-]+ terms|"
            r"what('?s| is) (that|it|this) in [\w-]+)\b"
        ),
        "equivalents comparison",
        r"equivalen|comparison|compare|in practice|crossover",
        r"\b(equivalent|equivalence|accepted as|same as|comparable|corresponds?|treated as|"
        r"counts? as|recogni[sz]ed)\b",
    ),
    Topic(
        "typical",
        _re(r"\b(normal|typical|typically|average)\b"),
        "typical values",
        r"typical|average|normal|usual",
        r"\d",
    ),
    Topic(
        "overview",
        _re(
            r"\bwhat'?s ([\w-]+ ){0,4}like\b|\bwhat is ([\w-]+ ){0,4}like\b|\btell me about\b|"
            r"\bdescribe\b"
        ),
        "overview",
        r"overview|introduction|what you'?ll see|highlights",
    ),
    Topic(
        "reason",
        _re(r"^\W*why\b|\bwhy (should|shouldn'?t|do|does|is|are|can'?t|must|would)\b"),
        "why causes physics",
        r"why|physics|causes?|how it works|the science",
        r"\b(because|so that|which is why|causes?|expands?|expanding|pressure)\b",
    ),
    Topic(
        "next_step",
        # "next year" is a date, not a next step.
        _re(
            r"\b(what'?s next|what next|next (step|steps|course|level)|comes? after|"
            r"after (it|that|this)|(do|take|try|learn) next|move on|moving on|progress(ion)?)\b"
        ),
        "next steps",
        r"next|where next|progression|after",
        r"\b(continue|continues|next|go on to|move on|progress\w*)\b",
    ),
    Topic(
        "requirements",
        _re(r"\b(need|needs|prerequisites?|requirements?|required|do i have to)\b"),
        "prerequisites requirements",
        # A course's "Who can take it" and a place's "Who it suits" say what it asks of a diver.
        r"prerequisite|requirement|before|who can|who it suits",
        r"\b(minimum|requires?|required|prerequisites?|must|need)\b",
    ),
]
TOPIC_BY_NAME = {t.name: t for t in TOPICS}


# "And Sipadan?", "what about the Red Sea instead?", "same for kids too?": the turn asks the
# last question again about something else, so it inherits the last question's topic.
SAME_QUESTION_WORDS = 6
SAME_QUESTION = re.compile(
    r"^\W*((ok(ay)?|fine|right|alright|cool|great|hmm+)\W+)?(and|what about|how about|same|"
    r"also|or)\b|\binstead\b|\btoo\W*$",
    re.IGNORECASE,
)


def asks_the_same(text: str) -> bool:
    # "and what if it happens on the way up?" opens like one but asks a question of its own.
    return bool(SAME_QUESTION.search(text)) and len(text.split()) <= SAME_QUESTION_WORDS


# "ok", "okay", "alright" opening a turn acknowledge the last answer; they do not ask
# whether something is OK.
ACKNOWLEDGEMENT = re.compile(r"^\W*(ok(ay)?|alright|all right|right|cool|great|fine)\b\W*", re.I)


# Someone young is in the conversation: a child, a teen, an age asked about. Only then do
# the junior rules and children's programmes answer; an adult asking what comes next or
# how deep they may go is not answered with the limits for 12-year-olds.
YOUTH = re.compile(
    r"\b(kids?|child(ren)?|son|sons|daughters?|nephews?|nieces?|teens?|teenagers?|junior|"
    r"boy|girl|family|families|years? old|yo|y/o|minors?|under[- ]?(1\d|18)|ages?|aged|"
    r"how old|young(er|est)?)\b",
    re.IGNORECASE,
)


def someone_young_in(texts: list[str]) -> bool:
    return any(YOUTH.search(text) for text in texts)


def topic_of(text: str) -> str | None:
    """The first (most specific) topic the question asks about."""
    topics = topics_of(text)
    return topics[0].name if topics else None


def topics_of(text: str) -> list[Topic]:
    asked = ACKNOWLEDGEMENT.sub("", text)
    return [topic for topic in TOPICS if topic.asked.search(asked)]


def heading_answers(topic: str | None, heading: str) -> bool:
    """Whether a section's heading is where the topic is answered: "Duration and cost"
    for "how long does it take?"."""
    known = TOPIC_BY_NAME.get(topic or "")
    return bool(known and re.search(known.heading, heading, re.IGNORECASE))


# Divers write the short form, the guides the long one, and a small embedding model does
# not know they are the same: the long form joins the query.
SPELLED_OUT = {
    "smb": "surface marker buoy",
    "dsmb": "surface marker buoy",
    "sac": "surface air consumption",
    "rmv": "respiratory minute volume",
    "ndl": "no-decompression limit",
    "ndls": "no-decompression limits",
    "mod": "maximum operating depth",
    "bcd": "buoyancy control device",
    "ppo2": "partial pressure of oxygen",
    "dan": "Divers Alert Network",
    "dcs": "decompression sickness",
}
SHORT_FORM = re.compile(r"\b(" + "|".join(SPELLED_OUT) + r")\b", re.IGNORECASE)


def spelled_out(text: str) -> list[str]:
    """The long forms of the short ones the turn uses ("SMB" -> "surface marker buoy")."""
    found = (SPELLED_OUT[m.lower()] for m in SHORT_FORM.findall(text))
    return [long for long in dict.fromkeys(found) if long.lower() not in text.lower()]
