"""Is something acute happening now? Rules only: no model call may delay an emergency.

A message is an emergency when it reports a *current* problem — symptoms during or after a
dive, a diver missing or unconscious — for the writer or someone with them, however it is
worded or spelled. Questions about symptoms, past events, hypotheticals, training
scenarios and habitual complaints are not emergencies; they go to the safety agent.

Two tiers of signal:
- critical: a person not breathing, unconscious, collapsed, missing or drifting away, or
  coughing blood. These count unless the message is plainly hypothetical, educational,
  fictional or about training.
- symptoms: numbness, tingling, joint pain, chest pain, breathlessness, confusion,
  weakness, dizziness, vomiting, marbled skin, vision or hearing change, severe headache.
  These count when the message places them now or after a dive, and is not framed as a
  question about symptoms, a past episode, a hypothetical or a habit.
Missing an emergency is the worst failure the product can have, so ambiguity resolves
towards the emergency reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Spelling variants seen in real messages are folded before matching.
_FOLD = [
    (r"\bcan'?t\b|\bcannot\b|\bcan not\b|\bcant\b", "cant"),
    (r"\bisn'?t\b|\bisnt\b", "isnt"),
    (r"\bhasn'?t\b|\bhasnt\b|\bhaven'?t\b|\bhavent\b", "hasnt"),
    (r"\bdidn'?t\b|\bdidnt\b|\bdid not\b", "didnt"),
    (r"\bwon'?t\b|\bwont\b", "wont"),
    (r"\bi'?m\b|\bim\b", "i am"),
    (r"\bhe'?s\b", "he is"),
    (r"\bshe'?s\b", "she is"),
    (r"\bthey'?re\b", "they are"),
    (r"\bwe'?re\b", "we are"),
    (r"[’`]", "'"),
]

PEOPLE = r"(he|she|they|buddy|friend|freind|diver|divers|husband|hubby|wife|son|daughter|dad|father|mum|mom|mother|brother|sister|instructor|divemaster|guide|someone|somebody|guy|girl|man|woman|kid|child|partner|boyfriend|girlfriend|student|kawan)"

CRITICAL = _any(
    r"\b(not|isnt|no longer|stopped|wasnt|arent|never started) breath\w*",
    r"\bno (pulse|breathing|heartbeat)\b",
    r"\b(unconscious|unconcious|unconsious|uncons\w*|unresponsive|not responding|non ?responsive)\b",
    r"\b(passed out|blacked out|fainted|collapsed?|collapsing|keeled over)\b",
    r"(?<!no )(?<!without )(?<!without a )\b(seizure|seizing|convuls\w*|having a fit)\b",
    r"\bcough\w* (up )?(blood|pink|froth\w*|foam\w*)",
    r"\blips (are |turned |going )?blue\b|\bturn(ed|ing) blue\b",
    r"\bdoing cpr\b|\bgiving cpr\b|\bstarted cpr\b|\bcpr now\b",
    r"\bdiver (is )?down\b",
    r"\b(hasnt|didnt|not|never) (come|came|surfaced?|resurfaced|come back|came back)( back)?( up)?\b",
    r"\bnot (back|up) yet\b|\bstill (underwater|down there|missing)\b",
    r"\b(missing|lost) (diver|buddy|person|student|kid|child)\b|\bdiver(s)? (is |are )?missing\b",
    rf"\b{PEOPLE}\b[^.?!]{{0,20}}\b(is|are|went|gone|has gone|have gone) missing\b",
    r"\blost (my|our|his|her) (dive )?(buddy|friend|partner|husband|wife|son|daughter|group|guide|instructor)\b",
    r"\b(he|she|they) (is|are) (not|nowhere) (here|there|to be seen|in sight)\b|\bno sign of (him|her|them)\b",
    r"\b(cant|cannot) find (my|our|the|his|her) (buddy|friend|diver|husband|wife|son|daughter|group|student)",
    r"\bbubbles (have )?stopped\b",
    r"\b(drift\w*|swept|sweep\w*|pull\w*|carr\w*|drag\w*) (\w+ )?(away|off|out to sea|out)\b",
    r"\bwaving (his|her|their) arms\b|\bcalling for help\b|\bcrying for help\b",
    r"\bface ?down\b.*\b(water|surface)\b",
    r"\b(is|are) drowning\b|\bdrowning\b(?! (risk|prevention))",
)

SYMPTOM = _any(
    r"\bnumb(ness|ed|ing)?\b",
    r"\btingl\w*|\btinglin\w*|\btingels?\b",
    r"\bpins and needles\b",
    r"\bno feeling\b",
    r"\b(cant|cannot|not able to|unable to) (feel|move|walk|stand|breath\w*|speak|talk|remember)\b",
    r"\bparaly\w*",
    r"\b(weak|weakness|heavy)\b(?! (current|swimmer))",
    r"\b(joints?|shoulders?|elbows?|knees?|hips?|wrists?|ankles?|back|neck|arms?|legs?|stomach|belly|abdomen)\b[^.?!]{0,25}\b(pain|hurt\w*|ache\w*|aching|killing)\b",
    r"\b(pain|hurt\w*|ache\w*|aching)\b[^.?!]{0,25}\b(joints?|shoulders?|elbows?|knees?|hips?|back|neck|arms?|legs?)\b",
    r"\bbad (elbow|knee|shoulder|joint|back) pain\b|\bjoint pain\b|\bjoints hurt\b",
    r"\bchest\b(?! (strap|d-?ring|buckle|pocket|mount|harness))[^.?!]{0,20}\b(pain|hurt\w*|tight\w*|pressure|ache\w*|heavy)\b",
    r"\b(pain|tight\w*|pressure)\b[^.?!]{0,15}\bin (my|his|her|the) chest\b",
    r"\b(short of|shortness of|out of) breath\b|\bbreathless\w*\b|\bcatch (my|his|her|their) breath\b",
    r"\b(trouble|difficulty|hard|struggling|problems?) (to )?breath\w*\b|\bbreathing (is )?(hard|difficult|weird|funny|labou?red)\b",
    r"\bcant breath\w*\b|\bcannot breath\w*\b|\bhurts when (i|he|she) breath",
    r"\b(confus\w*|disorient\w*|not making sense|acting (weird|strange\w*|odd)|slurr\w*|incoheren\w*|aggressive|delirious)\b",
    r"\bcant remember\b|\bdoesnt know where\b",
    r"\b(dizz\w*|dizy|vertigo|spinning|room (is )?spin\w*|lightheaded|light-headed|faint\w*)\b",
    r"\b(vomit\w*|vommit\w*|throw\w* up|puking|nause\w*)\b",
    r"\b(marbled|mottled|blotch\w*|purple (skin|patches|blotches)|skin (rash|itch\w*))\b|\brash\b",
    r"\b(blurr\w*|double vision|tunnel vision|lost (my|his|her) vision|cant see properly|vision (has )?(gone|is|went) \w+|patchy vision)",
    r"\b(hearing loss|lost (my|his|her) hearing|cant hear anything|ringing in|loud ringing|deaf)\b",
    r"\b(worst|severe|terrible|really bad|very bad|splitting|pounding|throbbing|massive|awful) headache\b|\bhead (really )?hurts\b",
    r"\bcant stop shaking\b|\bshaking (badly|uncontrollably)\b",
    r"\b(very|extremely|really) (pale|tired|exhausted|fatigued)\b|\bexhausted\b",
    r"\b(i|he|she|we|they) (think|thinks|might|may|could|must)( be| have| has| have got| got)? (bent|dcs|the bends|decompression sickness|an? embolism)\b",
    r"\b(i|he|she) (am|is|feel|feels|got) bent\b",
    r"\bblood (from|in|out of) (my|his|her) (ears?|nose|mask)\b|\b(ears?|nose) (is |are )?bleeding\b",
    r"\bstomach pain\b",
)

# Places the problem now or after a dive.
RECENT = _any(
    r"\b(after|since|from) (the |my |our |his |her |this |that |today'?s |todays |last |second |third |first |a |each )?(\w+ )?(dive|dives|diving|ascen\w*|descen\w*|surfac\w*)\b",
    r"\b(just|right) (after|now)\b|\bjust (surfaced|came up|got out|finished|did)\b",
    r"\b(surfaced|came up|come up|got out of the water|shot up|ascended|back on (the )?boat)\b",
    r"\bon the (boat|beach|deck|shore|dock)\b",
    r"\b(now|currently|right now|still|suddenly|getting worse|worse and worse|at the moment)\b",
    r"\b(today|tonight|this (morning|afternoon|evening))\b",
    r"\b\d+ ?(min|mins|minutes?|hours?|hrs?)\b|\b(an|one|half an?) hour\b",
    r"\b(help|urgent|emergency|asap|sos|911|999)\b|!!",
    r"\bwhat (do|should|can) (i|we) do\b(?! if)",
    r"\b(is|am|are) (vomit\w*|throwing|shaking|coughing|confused|slurring|dizzy|numb|weak|pale)\b",
    r"\b(i|he|she|we|they) (feel|feels|have|has|keep|keeps)\b",
    r"\bmy (arm|leg|legs|hand|hands|fingers?|feet|foot|toes|face|shoulder|knee|elbow|back|skin|vision|chest|head|ear|ears)\b",
)

# Unmistakably now: outweighs a mention of the past ("I had DCS once, and now ...").
NOW = _any(
    r"\b(now|currently|right now|suddenly|getting worse|at the moment)\b",
    r"\b(today|tonight|this (morning|afternoon|evening))\b",
    r"\b\d+ ?(min|mins|minutes?|hours?|hrs?)( ago| now)?\b|\b(an|one|half an?) hour ago\b",
    r"\bjust (surfaced|came up|got out|finished)\b|\b(help|urgent|asap|sos)\b|!!",
)
# Planning ahead ("can he do a discover scuba next month?") is not a report of now.
FUTURE = _any(
    r"\b(next (week|month|year|trip|time|season)|tomorrow|upcoming|before my trip|planning|plan to|in a (few )?(days|weeks))\b"
)

# Framings that make it knowledge, fiction, training, the past or a habit.
HYPOTHETICAL = _any(
    r"\bwhat (should|do|would|can|must) (i|we|you|one|a diver|the buddy|a buddy|rescuers?) do (if|when)\b",
    r"\bwhat to do (if|when|in case)\b|\bhow (do|should|would) (you|i|we|one) (bring|help|treat|handle|rescue|respond)\b",
    r"^\s*(if|when) (i|you|someone|a diver|my|your|the|one)\b|\bwhat if\b|\bsuppose\w*\b|\bimagine\b|\bhypothetic\w*\b|\bin case( of)?\b|\bin the event\b",
    r"\b(panic|worried|scared|afraid|nervous) (that )?(if|when|that|about)\b",
    r"\b(procedures?|protocols?)\b",
)
# Training, fiction and procedure: never a report of a real casualty, whatever the tense.
NOT_REAL = _any(
    r"\b(scenario|drill|simulat\w*|role ?play|practi[cs]ed|practi[cs]ing|the ['\"]?victim['\"]?|dummy|mannequin)\b",
    r"\b(rescue|first aid|efr|open water|advanced|o2|oxygen provider) (course|class|training|scenario|exam)\b",
    r"\b(story|novel|fictional|character|movie|film|script|dream\w*|documentary|podcast)\b",
)
EDUCATIONAL = _any(
    r"\b(what|which) (are|is) (the )?(symptoms?|signs?|causes?|treatments?|first aid)\b",
    r"\b(symptoms?|signs?) of\b",
    r"^\s*(is|are|can|could|does|do|how|why|what) [^?]{0,60}\b(a sign|signs?|symptoms?|caused?|cause|treated|treatment|feel like|happen|appear|mean)\b",
    r"\bhow (do|can|would) (you|i|we|one) (know|tell|recogni[sz]e)\b",
    r"\bhow (is|are) \w+ (treated|diagnosed)\b|\bwhy does\b|\bwhat causes\b|\bexplain\b",
    r"\bshould (a|the) (rescue diver|buddy|rescuer)\b",
    r"^\s*(is|are|how) [^?]{0,40}\b(common|normal among|rare|likely|usual|frequent|serious|dangerous)\b(?! (for me|now))",
    r"^\s*how (likely|common|often|rare|dangerous|serious)\b",
    r"\bhow (often|common|likely|rare) (does|do|is|are|can)\b",
)
PAST = _any(
    r"\b(\d+|a|one|two|three|four|five|few|several|many|couple of) (years?|yrs?|months?|weeks?) ago\b",
    r"\bin (\d+|a few|many|several|two|three|five|ten) (years?|months?)\b",
    r"\blast (year|month|week|summer|winter|season|trip|holiday)\b",
    r"\b(back )?in (19|20)\d\d\b|\bwhen i was (a kid|young|little|\d+)\b",
    r"\bonce\b|\bused to\b|\bhistory of\b|\bin the past\b|\bpreviously\b|\byears ago\b",
    r"\b(fully )?recovered\b|\bwent away\b|\b(is|am|are|was|were|seems?|feels?) (fine|ok|okay|alright|good) now\b",
    r"\b(everyone|everybody|we|all) (is |are |were )?(fine|ok|okay|safe)\b|\bsurfaced (normally|fine|ok|safely)\b|\bascended normally\b",
    r"\b(had|got) (dcs|the bends|bends|bent|an? (embolism|injury))\b(?! (now|today))",
)
HABITUAL = _any(
    r"\b(always|usually|every time|everytime|often|tend to|regularly|sometimes|years of)\b"
)
DIVING = _any(
    r"\b(dive|dives|diving|dived|diver|divers|scuba|surfac\w*|ascen\w*|came up|underwater|"
    r"boat|buddy|tank|regulator|depth|\d+ ?m\b|metres|meters|feet|ft|nitrox|wreck|reef|snorkel\w*|freediv\w*)\b"
)
# A cause other than diving ("from carrying tanks", "after long flights"), or a figure of
# speech ("dizzy with excitement").
OTHER_CAUSE = _any(
    r"\b(after|from) (long )?(flights?|flying|hiking|the gym|running|a run|drinking|work|"
    r"carrying|lifting|hauling|sleeping|sitting|surfing|the hike)\b",
    r"\b(dizzy|breathless|numb|weak) with (excitement|joy|anticipation|happiness|nerves)\b",
)
# Right after a dive, in the diver's own words.
AFTER_DIVE = _any(
    r"\b(after|since|from) (the |my |our |his |her |this |that |today'?s |todays |last |second "
    r"|third |first |a |each )?(\w+ )?(dive|dives|diving|ascen\w*|descen\w*|surfac\w*)\b",
    r"\b(surfaced|came up|come up|got out of the water|shot up|ascended)\b",
)


@dataclass(frozen=True)
class EmergencyAssessment:
    is_emergency: bool
    reasons: list[str] = field(default_factory=list)


# Words whose misspellings must still be recognised ("colapsed", "unconcious", "diveing").
KEY_WORDS = (
    "collapsed",
    "collapse",
    "unconscious",
    "unresponsive",
    "breathing",
    "breathe",
    "breath",
    "tingling",
    "tingle",
    "numbness",
    "dizzy",
    "dizziness",
    "vomiting",
    "vomit",
    "confused",
    "slurring",
    "seizure",
    "drowning",
    "drowned",
    "surfaced",
    "surfacing",
    "missing",
    "diving",
    "dive",
    "after",
    "paralysed",
    "paralyzed",
    "headache",
    "bleeding",
    "fainted",
    "weakness",
    "shoulder",
    "elbow",
    "chest",
    "vision",
    "hearing",
    "friend",
    "buddy",
)


def _close(word: str, target: str) -> bool:
    """Within one edit (insert, delete, substitute or swap) of `target`."""
    if abs(len(word) - len(target)) > 1 or word == target:
        return word == target
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _correct(word: str) -> str:
    if len(word) < 5 or word in KEY_WORDS:
        return word
    for target in KEY_WORDS:
        # "diver" is not a misspelt "dive", nor "breathe" of "breath": inflections stay.
        if word.startswith(target) or target.startswith(word):
            continue
        if _close(word, target):
            return target
    return word


def _fold(text: str) -> str:
    folded = text.lower()
    for pattern, replacement in _FOLD:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"[a-z]+", lambda m: _correct(m.group(0)), folded)
    return re.sub(r"\s+", " ", folded)


def assess(message: str) -> EmergencyAssessment:
    text = _fold(message)
    critical = CRITICAL.search(text)
    symptom = SYMPTOM.search(text)
    if not critical and not symptom:
        return EmergencyAssessment(False)
    if NOT_REAL.search(text):
        return EmergencyAssessment(False, ["a training scenario, story or procedure"])
    hypothetical = HYPOTHETICAL.search(text)
    educational = EDUCATIONAL.search(text)
    past = PAST.search(text)
    habitual = HABITUAL.search(text)
    recent = RECENT.search(text)
    now = NOW.search(text)
    if critical:
        if (hypothetical or educational) and not now:
            return EmergencyAssessment(False, ["critical sign in a hypothetical or question"])
        if past and not now:
            return EmergencyAssessment(False, ["critical sign in the past"])
        return EmergencyAssessment(True, [f"critical: {critical.group(0)}"])
    # Symptoms: they must be placed now or after a dive, and not framed away.
    if (hypothetical or educational) and not now:
        return EmergencyAssessment(False, ["symptom in a question or hypothetical"])
    if past and not now:
        return EmergencyAssessment(False, ["symptom in the past"])
    if habitual:
        return EmergencyAssessment(False, ["habitual symptom"])
    after_dive = AFTER_DIVE.search(text)
    if OTHER_CAUSE.search(text) and not after_dive:
        return EmergencyAssessment(False, ["symptom with another cause"])
    if FUTURE.search(text) and not (after_dive or now):
        return EmergencyAssessment(False, ["symptom while planning ahead"])
    if recent:
        return EmergencyAssessment(True, [f"symptom: {symptom.group(0)}"])
    if DIVING.search(text) and not FUTURE.search(text):
        return EmergencyAssessment(True, [f"symptom while diving: {symptom.group(0)}"])
    return EmergencyAssessment(False, ["symptom without a time or diving context"])


def is_emergency(message: str) -> bool:
    return assess(message).is_emergency
