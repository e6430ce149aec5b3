"""Look-alikes the learned detector reads as emergencies and the rules see no sign in.

An embedding knows what a message is about, not whether anyone is in trouble: a scare that
was settled, faulty gear, wildlife seen, travel trouble, a request for tips, a question of
taking part. These readings only hold the learned detector back (graph/routing/
emergency_arbitration.py, `held_back`), never the rules, and each steps aside when the rules
see a sign.
"""

from __future__ import annotations

from graph.routing.emergency_framings import (
    IN_THE_WATER,
    IN_THE_WATER_NOW,
    ON_LAND,
    TRAVEL_TROUBLE,
    WORSENING,
)
from graph.routing.emergency_signs import (
    AFTER_DIVE,
    NEGATED_SIGNS,
    NOW,
    PEOPLE,
    RECENT,
    names_a_sign,
)
from graph.routing.text import any_of

# Settled: someone qualified has seen it and given a verdict, it turned out to be something
# else, the pain has gone. Used to hold back the learned detector only (which reads a whole
# story about a symptom as the symptom), never the rules: "I'm fine, but my buddy is numb"
# must still reach them. The casualty's own "I'm fine" is no verdict ("he says he's fine").
SETTLED = any_of(
    r"\b(doctor|doc|nurse|paramedics?|medics?|clinic|dentist|ent|gp|lifeguard|hospital|chamber)\b"
    r"[^.?!]{0,40}\b(said|says|checked|looked at|examined|found|gave|prescribed|fixed|cleared|ruled|removed|took (it|them) out)\b",
    r"\bturn(ed|s) out\b|\bpanic over\b",
    r"(?<!says )(?<!said )(?<!if )(?<!insists )(?<!claims )\b(he|she|they|i|we|everyone|everybody)"
    r"('s| is| are| am| feels?| seems?) (fine|ok|okay|good|100 ?%|normal|all good)\b",
    r"\b(pain|it|that|swelling|bleeding) (is |was |'?s )?(gone|over|stopped)\b",
    r"\blaugh(s|ed|ing)? (it off|about it)\b|\b(is|are) (snorkel\w*|diving|swimming|playing) again\b",
    r"\b(doesnt|no longer) (hurt|itch|sting|bother)\w*\b(?!\W+but)",
)


# A child's age or a question of taking part ("my son is 11, can he do it too?"): whether
# someone may dive, not someone in trouble. It holds back the learned detector only, and
# only when the rules see no sign at all.
TAKING_PART = any_of(
    rf"\b{PEOPLE} (is|turns|turned|will be) \d{{1,2}}\b(?! (bar|m|metres|meters|minutes?|mins?|hours?))",
    r"\b(old enough|too young|too old|minimum age|age limit)\b|\b\d{1,2}[- ]?(year|yr)s?[- ]?old\b[^.!]*\?",
    r"\bcan (he|she|they|my \w+) (do|join|take|try|start|learn|come)\b",
    # Experience told: "bro only has open water, 20 dives". A course's name is no water.
    r"\b(has|have|got|holds?) (only |just )?(his |her |my |our |their |an? |the )?(open water|aow|advanced|rescue|"
    r"divemaster|dm|instructor|\d+ (logged )?dives)\b",
)
# The way between two places asked about: "how do we get from Male out to Ari?". ("How do we
# get back to the boat?" is asked from the water: no place to travel from.)
TRAVEL_ROUTE = any_of(
    r"\bhow (do|can|should|would|could|to) ((i|we|you|they) )?get from (?!here\b|there\b|the (water|reef|site|sea|surface)\b)"
    r"[^.?!,]{1,30}\b(out |over |across |down |up )?to\b",
    # The same way asked the other way round: "how do we get there from the airport?".
    r"\bhow (do|can|should|would|could|to) ((i|we|you|they) )?get (there|to [^.?!,]{1,30}) from "
    r"(the |our |my )?(airport|hotel|resort|town|city|harbou?r|port|jetty|pier|station|terminal|bus|ferry)\b",
)


def settled(text: str) -> bool:
    """A (folded) message telling how a scare ended, unless it is getting worse again."""
    return bool(SETTLED.search(text)) and not WORSENING.search(text)


# Bad visibility: "couldnt see my own fins" is about the water, not the eyes.
VISIBILITY = any_of(r"\b(visibility|viz|vis)\b")


def talks_of_visibility(text: str) -> bool:
    """A (folded) message about the water's visibility, with no sign the rules know."""
    return bool(VISIBILITY.search(text)) and not names_a_sign(text)


# A precaution asked for, or all said to be well: "everything went fine, what should I watch
# for tonight?", "no symptoms 8 hours later, do I need to do anything?".
WATCH_FOR = any_of(
    r"\b(what|which|any)( \w+)? (symptoms?|signs?|things?)\b[^.?!]{0,30}\b(watch|look|keep an eye|check)\b",
    r"\banything (to|i should|we should|i need to|we need to) (watch|look|worry|keep an eye)",
    r"\b(should|do|need) (i|we) (to )?(worry|be worried|be concerned)\b",
    r"\bdo (i|we|you) need to (do anything|worry|see (a|someone))\b",
)
ALL_WELL = any_of(
    r"\bno (symptoms?|pain|problems?|issues?|signs?)( at all| whatsoever| so far)?\b(?! of)",
    r"\b(everything|all|the dive|the dives|it) (went|was|is|has been) (fine|ok|okay|good|well|great|perfect)\b",
    r"(?<!says )(?<!said )\b(i|we|he|she|they|both|both of us|all of us|everyone|everybody) (feel|feels|felt|am|are|is|were|was|seem|seems)? ?(totally |completely |perfectly )?(fine|ok|okay|great|normal|safe)\b",
)
# Equipment that is faulty, asked about with no one in trouble and no one in the water:
# "my SPG shows 0 on a full tank, broken gauge?", "mask skirt tore, can it be repaired?".
GEAR_FAULT = any_of(
    r"\b(gauge|spg|computer|needle|strap|buckle|mask|skirt|fins?|hose|inflator|octo\w*|mouthpiece|"
    r"zip|zipper|wetsuit|drysuit|bcd?|tank|cylinder|valve|o-?ring|light|torch|camera|reg|regulator|"
    r"second stage|first stage|laptop|phone|tablet|charger)\b[^.?!]{0,40}\b(broken|broke|tore|torn|ripped|"
    r"cracked|leaks?|leaking|hiss\w*|sticking|missing|faulty|snapped|showing|reads|reading|"
    r"wont (turn on|switch on|charge|start|work|boot))\b"
)
# Wildlife seen, not met: "saw a shark!!", "the dolphins followed our boat".
_ANIMALS = (
    r"(sharks?|turtles?|mantas?|rays?|dolphins?|whales?|octopus\w*|eels?|seals?|sea lions?|snakes?|"
    r"jelly\w*|nudi\w*|barracudas?|groupers?|fish)"
)
SIGHTING = any_of(
    rf"\b(saw|seen|see|spotted|spot|watched)\b[^.?!]{{0,30}}\b{_ANIMALS}\b",
    rf"\b{_ANIMALS} (\w+ )?(followed|swam|came|circled|jumped|passed|cruised|surfaced)\b",
)
ANIMAL_HARM = any_of(r"\b(bit|bitten|bite|stung|sting|attack\w*|charged|rammed|hit|grabbed)\b")


def asks_as_a_precaution(text: str) -> bool:
    """A (folded) message asking what to watch for, or saying all is well, naming no sign."""
    return (
        bool(WATCH_FOR.search(text) or ALL_WELL.search(text))
        and not WORSENING.search(text)
        and not names_a_sign(NEGATED_SIGNS.sub(" ", text))
    )


def talks_of_gear(text: str) -> bool:
    """A (folded) message about faulty equipment, naming no sign, no one in the water now."""
    return (
        bool(GEAR_FAULT.search(text))
        and not IN_THE_WATER_NOW.search(text)
        and not names_a_sign(text)
    )


def tells_of_a_sighting(text: str) -> bool:
    """A (folded) message about wildlife seen, naming no sign and no harm done by it."""
    return bool(SIGHTING.search(text)) and not ANIMAL_HARM.search(text) and not names_a_sign(text)


def talks_of_travel(text: str) -> bool:
    """A (folded) message about bookings, transfers or flights: no sign the rules know, or
    the travel trouble on land that frames one for them ("the boat left without us, we are
    at the jetty")."""
    if TRAVEL_ROUTE.search(text) and not IN_THE_WATER.search(text) and not names_a_sign(text):
        return True
    return bool(TRAVEL_TROUBLE.search(text)) and (
        not names_a_sign(text) or bool(ON_LAND.search(text) and not IN_THE_WATER.search(text))
    )


# Tips asked for: "I burn through air faster than my buddy, tips?".
TIPS = any_of(
    r"\b(tips|any advice|advice on|any tricks|pointers)\b|\bhow (do|can|could|should) (i|we) (improve|reduce|use less|get better|stop|work on)\b"
)


# What tips are asked about: a skill or a habit of the dive, never someone's state.
SKILL = any_of(
    r"\b(air|gas|tank|consumption|sac|buoyancy|trim|finning|fin|kick\w*|weight\w*|equali[sz]\w*|mask|fog\w*|"
    r"mouthpiece|descent|descend\w*|ascent|breathing rate|last longer)\b"
)


def asks_for_tips(text: str) -> bool:
    """A (folded) request for tips on a skill or habit, with no sign the rules know and no
    time since a dive ("my buddy is acting off since the dive, any advice?" is a report)."""
    return (
        bool(TIPS.search(text) and SKILL.search(text))
        and not names_a_sign(text)
        and not AFTER_DIVE.search(text)
        and not NOW.search(text)
    )


def asks_about_taking_part(text: str) -> bool:
    """A (folded) message about whether someone may dive, with no sign the rules know and
    nothing placed now or after a dive ("my son is 8 and he's shivering and blue after
    snorkelling, what do I do?" tells an age beside a report)."""
    return bool(TAKING_PART.search(text)) and not names_a_sign(text) and not RECENT.search(text)
