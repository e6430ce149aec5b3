"""An emergency in progress: has the diver said it is over, is a follow-up still about it?

Read by the safety gate (graph/nodes/safety_gate.py) while the thread holds an active
emergency; when in doubt the turn stays on the emergency path.
"""

from __future__ import annotations

from graph.routing.emergency_signs import PEOPLE
from graph.routing.text import any_of

# --- an emergency in progress --------------------------------------------------------------
# The diver says it is over: the casualty is fine, or in the hands of medical care.
# Said outright: a false alarm, the missing diver found, a doctor's all-clear. It ends the
# emergency whatever else the message asks ("false alarm. So how deep is the Thistlegorm?").
CLEARLY_OVER = any_of(
    r"\b(false alarm|all clear|(it'?s|its) over|crisis (is )?over|panic over)\b",
    r"\b(found (him|her|them)|(he|she|they) (surfaced|turned up|showed up|came up) (safe|fine|ok|okay))\b",
    r"\b(doctors?|medics|paramedics|hospital|chamber) (say|says|said|cleared)\b[^.?!]{0,40}\b(fine|ok|okay|nothing|not dcs|all good|cleared)\b",
    # Seen by medical care, with how it went: "she's been seen by the doctor and is fine now",
    # "he was checked at the hospital yesterday and is recovering". In their hands, it is over.
    r"\b(seen|checked( over| out)?|examined|looked at|treated|assessed) (by|at|in) (a |the |our |his |her )?"
    r"(doctors?|doc|gp|hospital|clinic|medics?|paramedics?|nurse|chamber|er|a&e|emergency room)\b"
    r"[^.?!]{0,40}\b(fine|ok|okay|recovering|recovered|discharged|released|stable|all good|nothing serious)\b",
)
# Better now: the end only when the message asks nothing more. "He seems OK now, but what
# should we watch for?" is a better moment in an emergency, not its end.
BETTER_NOW = any_of(
    r"\b(he|she|they|i|we|everyone|everybody|my buddy|my friend) (is|are|am|seems?|feels?|looks?) (totally |completely |all |perfectly |absolutely )?(fine|ok|okay|alright|all right|good|great|safe|normal) (now|again)\b",
    r"\b(fully |completely )?recovered\b|\bsymptoms (are )?(all )?gone\b|\b(back to normal)\b",
    r"\b(everything|all) (is |'?s )?(fine|ok|okay|good) now\b",
)
ASKS = any_of(
    r"\?",
    r"\b(what|how|when|where|which|why|should|anything|any (advice|tips|ideas?))\b",
    r"\b(do|can|could|must|shall|would|will) (we|i|he|she|they|you)\b",
    r"\bis (it|that|this|he|she)\b(?! (fine|ok|okay|over|all good))",
)


def says_it_is_over(text: str) -> bool:
    """Does the (folded) message close an emergency in progress, asking nothing more?"""
    return bool(CLEARLY_OVER.search(text)) or (
        bool(BETTER_NOW.search(text)) and not ASKS.search(text)
    )


# Still about the casualty: people, symptoms, first aid, help on its way, where to go.
STILL_ABOUT_IT = any_of(
    rf"\b{PEOPLE}\b|\b(him|her|them|his)\b",
    r"\b(oxygen|o2|cpr|breath\w*|pulse|ambulance|paramedic\w*|medics?|hospital|clinic|doctor|"
    r"chamber|hyperbaric|recompress\w*|dan|hotline|emergency|help|number|call\w*|rescue|coast ?guard|"
    r"pain|numb\w*|symptom\w*|worse|better|still|(?<!open )water|drink|lying|lie|position|warm|cold|"
    r"aspirin|paracetamol|ibuprofen|medicine|fly|flight|evacuat\w*)\b",
)
