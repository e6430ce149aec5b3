"""Is something acute happening now? The rules: the floor under the learned detector.

No model call may delay an emergency, so these rules run first on every turn and need
nothing but the text; graph/routing/emergency_detector.py adds a classifier on the turn's
embedding for wordings no rule was written for. Either one is enough.

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

The rules' jobs are apart: the words folded (emergency_words.py), the signs and when they
are (emergency_signs.py), the framings that make a message something other than a report
(emergency_framings.py); this module weighs them into the rules' verdict. What holds back
the learned detector alone is in emergency_lookalikes.py and emergency_arbitration.py, and
what ends an emergency in progress in emergency_continuity.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.routing.emergency_framings import framing
from graph.routing.emergency_signs import (
    CRITICAL,
    DIVING,
    FUTURE,
    NEGATED_SIGNS,
    RECENT,
    SYMPTOM,
    signals,
)
from graph.routing.emergency_words import fold

# fold and signals are read with the verdict (benchmarks/emergency_detector.py).
__all__ = ["EmergencyAssessment", "assess", "assess_folded", "fold", "is_emergency", "signals"]


@dataclass(frozen=True)
class EmergencyAssessment:
    is_emergency: bool
    reasons: list[str] = field(default_factory=list)


def assess(message: str) -> EmergencyAssessment:
    return assess_folded(fold(message))


def assess_folded(text: str) -> EmergencyAssessment:
    """The rules' verdict on a message already folded (`fold`)."""
    critical = CRITICAL.search(text)
    symptom = SYMPTOM.search(NEGATED_SIGNS.sub(" ", text))
    if not critical and not symptom:
        return EmergencyAssessment(False)
    reason = framing(text, critical=bool(critical))
    if reason:
        return EmergencyAssessment(
            False, [f"{'critical sign' if critical else 'symptom'}: {reason}"]
        )
    if critical:
        return EmergencyAssessment(True, [f"critical: {critical.group(0)}"])
    # A symptom counts when it is placed now or after a dive, or while diving.
    if RECENT.search(text):
        return EmergencyAssessment(True, [f"symptom: {symptom.group(0)}"])
    if DIVING.search(text) and not FUTURE.search(text):
        return EmergencyAssessment(True, [f"symptom while diving: {symptom.group(0)}"])
    return EmergencyAssessment(False, ["symptom without a time or diving context"])


def is_emergency(message: str) -> bool:
    return assess(message).is_emergency
