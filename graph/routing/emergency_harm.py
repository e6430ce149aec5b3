"""Whether a message carries any sign of harm at all: the widest net the gate casts.

The learned detector reads a message's embedding, which knows what a message is about far
better than whether anyone is in trouble. A short follow-up of a trip ("whens the season
there", "how do i get there, flying from KL") has few words to place it, and its vector can
land near the bank's texting-style emergencies. The rules' signs are too narrow to ask for:
most emergencies the detector alone raises name none of them. So this asks far less: any
word of hurt, of the body, of distress or danger, of help or of first aid; a person who is
not (back, moving, answering…); or the rules' own cues of now and of "after the dive". A
message with none of these is left to the rules (`held_back`).
"""

from __future__ import annotations

from graph.routing.emergency_signs import AFTER_DIVE, CRITICAL, NOW, PEOPLE, RECENT, SYMPTOM
from graph.routing.text import any_of

HARM_WORDS = any_of(
    # The body, and what goes wrong with it.
    r"\b(body|chest|heart\w*|head|face|eyes?|ears?|nose|mouth|lips?|throat|neck|lungs?|breath\w*|"
    r"arms?|legs?|knees?|ankles?|feet|foot|hands?|fingers?|toes?|skin|back|shoulders?|hips?|"
    r"stomach|belly|calf|thigh|wrist|elbow|spine|blood\w*|bleed\w*|pulse|colou?r|shins?|forearms?|"
    r"palms?|heels?|scalp|forehead|cheeks?|chin|tongue|gums?|ribs?|groin|flesh|bones?)\b",
    # Torn skin: "barnacles sliced my shin, it's gaping open".
    r"\b(slic\w*|slash\w*|lacerat\w*|scrap\w*|graz\w*|gaping|torn|tore|ripped|gouged|split open)\b",
    r"\b(hurt\w*|pain\w*|ache\w*|aching|sore|injur\w*|wound\w*|cut|cuts|gash\w*|bruis\w*|broke|broken|"
    r"fractur\w*|sprain\w*|swell\w*|swollen|burn\w*|itch\w*|rash|stings?|stung|bit|bites?|bitten|chomp\w*|"
    r"punctur\w*|spines?|venom\w*|poison\w*|allerg\w*|sick|ill|unwell|vomit\w*|puk\w*|nause\w*|faint\w*|"
    r"dizz\w*|weak\w*|exhaust\w*|cold|shiver\w*|shak\w*|trembl\w*|cough\w*|chok\w*|gasp\w*|drown\w*|"
    r"conscious|unconscious|respon\w*|awake|wake|moving|move|fell|fall|fallen|slipped|hit|crash\w*|"
    r"collid\w*|stuck|trapped|tangled|entangled|pinned|seiz\w*|fit|fits|shock|blue|pale|grey|gray)\b",
    # Distress and danger.
    r"\b(panic\w*|scared|afraid|terrified|crying|cries|scream\w*|shout\w*|yell\w*|weird|strange|"
    r"wrong|funny|help|emergency|urgent|sos|please|missing|lost|gone|disappear\w*|under|sinking|"
    r"sank|sink|drift\w*|current|swept|smoke|fire|flames|listing|leak\w*|flood\w*|air|worse|"
    r"serious\w*|bad|badly|danger\w*)\b",
    # Trouble at sea, with no word of the body: adrift, in the water, left behind.
    r"\b(adrift|afloat|float\w*|waves?|swallow\w*|separated|nowhere|anywhere|flail\w*|capsiz\w*|"
    r"overboard|waving|foggy|in (the )?(water|sea)|taking (on )?water|stopped)\b"
    r"|\bleft\b[^.?!]{0,30}\b(at|behind|out)\b",
    # What the body and the senses do wrong, said without a word of pain: "an earache",
    # "his speech is off", "cramp in my calf", "seeing spots".
    r"\b(\w+aches?|cramp\w*|migraine|nosebleed|vision|sight|seeing|hearing|deaf|ringing|speech|"
    r"slur\w*|mumbl\w*|sense|drunk|jaw|teeth|tooth|lump|bump\w*|knock\w*|struck|smash\w*|grabbed|"
    r"attack\w*|stroke|asthma|inhaler|epi ?pen|insulin|diabet\w*|heat ?stroke|sunstroke|"
    r"overheat\w*|dehydrat\w*|freezing|frozen)\b",
    # Dangers of the dive itself: a stop missed, bad air, gear failing, lost in the dark.
    r"\b(deco|decompression|bent|bends|dcs|embolism|barotrauma|narc\w*|toxic\w*|carbon monoxide|"
    r"fumes|smell\w*|free ?flow\w*|fail\w*|empty|reserve|caught|net|silt\w*|dark|alone|storm|"
    r"lightning|aground|engine|hull|skipped|missed)\b",
    # Worry and haste: "I'm worried about him", "call someone quick".
    r"\b(worr\w*|concern\w*|anxious|anxiety|freak\w*|hurry|quick|quickly|asap|right away)\b"
    r"|\bcall (an?|the|for|someone|somebody|911|999|112)\b",
    # Time since, in words: "it's been twenty minutes" (the rules' NOW reads digits).
    r"\b(a few|several|ten|fifteen|twenty|thirty|forty|fifty|sixty) (min|mins|minutes|hours)\b",
    # First aid and those who give it.
    r"\b(ambulance|paramedics?|medics?|doctor|hospital|oxygen|o2|cpr|chamber|dan|first aid|"
    r"coast ?guard|rescue\w*)\b",
)
_NOT = (
    r"(not|never|no longer|cant|cannot|wont|isnt|hasnt|havent|didnt|doesnt|couldnt"
    r"|(can|won|isn|hasn|haven|didn|doesn|couldn)['’]t)"
)
# A person who is not as they should be ("my son ... he is not with them"), or something
# that cannot be done ("the rib can't find us", "couldn't work out the coffee machine").
SOMEONE_NOT = any_of(
    rf"\b{PEOPLE}\b[^.?!]{{0,40}}\b{_NOT}\b",
    rf"\b{_NOT} (find|see|get|reach|stop|breathe?|move|feel|wake|hear|swim|climb|calm|work|come|"
    r"answer|talk|speak|stand|walk)\b",
)


def carries_a_sign_of_harm(folded: str) -> bool:
    """Any sign at all, in a (folded) message, that someone may be in trouble now."""
    return any(
        pattern.search(folded)
        for pattern in (CRITICAL, SYMPTOM, NOW, RECENT, AFTER_DIVE, HARM_WORDS, SOMEONE_NOT)
    )
