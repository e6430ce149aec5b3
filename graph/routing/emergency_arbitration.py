"""How the rules' reading of a message and the learned detector's score are weighed.

The rules (graph/routing/emergency.py) see a sign and a framing; the detector
(graph/routing/emergency_detector.py) gives a probability from the turn's embedding. Each
has the last word only where the other is not confident of the opposite (`Arbitration`);
`held_back` says why the detector may not raise a message the rules read a framing into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from graph.routing.emergency import EmergencyAssessment
from graph.routing.emergency_framings import CONDITION, framing
from graph.routing.emergency_lookalikes import (
    asks_about_taking_part,
    asks_as_a_precaution,
    asks_for_tips,
    settled,
    talks_of_gear,
    talks_of_travel,
    talks_of_visibility,
    tells_of_a_sighting,
)
from graph.routing.emergency_signs import NEGATED_SIGNS, names_a_sign
from graph.routing.emergency_words import fold
from graph.routing.malay import to_english

# The probability above which a turn counts as an emergency. Chosen for recall from the
# bank's out-of-fold and leave-one-category-out scores (evals/README.md, "Choosing the
# threshold"): as low as the look-alikes' false-positive rate allows.
THRESHOLD = 0.30
# The arbitration between the rules and the detector (`Arbitration`), chosen on the bank's
# leave-one-category-out scores and on 737 rows written by other hands that the bank does
# not hold (evals/datasets/bank_s8_other_hands.jsonl; evals/README.md, session 8):
# - above CONFIDENT the detector's score outweighs the rules' framing of a message: the
#   bank's look-alikes reach it rarely with their kind unseen (one in a hundred);
# - with a sign the rules see, a lower score would (WITH_A_SIGN); measured, it never beat
#   CONFIDENT alone, so it is off;
# - below VETO it outweighs a sign the rules raise: no emergency of the bank with its kind
#   unseen, of the other hands' rows or of the dev files that the rules raise in English
#   scores that low (the lowest, 0.028, divers adrift told by a shop), while a quarter of
#   the rules' false alarms on the other hands' look-alikes do.
CONFIDENT = 0.97
WITH_A_SIGN = 1.01
VETO = 0.01
NEVER_OUTWEIGHS = 1.01  # above any probability
# A sentence shorter than this reports nothing alone.
STATEMENT_MIN_WORDS = 3
# Only a long message dilutes a sentence: below this many words its one embedding is near
# each of its sentences, and a sentence alone mostly loses context ("He dives again now."
# after "My dad had DCS in the 90s"). Every emergency the sentences found in the new hands'
# rows had 31 words or more; five of the seven look-alikes they raised had fewer.
STATEMENT_MESSAGE_WORDS = 30
# A sentence ends at ".", "!" or "?" before a space or a new line; an ellipsis ("totally
# unconscious... of how bad his trim is") is a pause, not the end of a sentence.
SENTENCE_END = re.compile(r"(?<=[^.][.!?])\s+|\n+")


@dataclass(frozen=True)
class Arbitration:
    """How the learned detector's score and the rules' reading of a message are weighed.

    The rules see two things: a sign (a critical sign or a symptom) and a framing that makes
    a message something other than a report now (a question, the past, a drill...). Their
    signs and framings were written from the bank and the dev files; on messages nobody
    wrote them for they are as fallible as the detector. So each has the last word only
    where the other is not confident of the opposite:
    - the rules raise a message with a sign and no framing, unless the detector scores it
      below `veto`: a score the bank's emergencies almost never get with their kind unseen
      (evals/emergency_loco.py), nor any sentence of a long message scored alone. A message
      the detector cannot read (Malay, Indonesian) is never vetoed;
    - otherwise the detector raises a message at `threshold`, where the rules read no
      framing into it;
    - and whatever the framing at `confident`, or at `with_a_sign` when the rules see a
      sign in it.
    """

    threshold: float = THRESHOLD
    confident: float = CONFIDENT
    with_a_sign: float = WITH_A_SIGN
    veto: float = VETO

    def outweighs(self, probability: float, sign: bool, reason: str = "") -> bool:
        """Does the score outweigh the rules' framing (`reason`, from `held_back`)?"""
        if binds(reason):
            return False
        return probability >= self.confident or (sign and probability >= self.with_a_sign)

    def read_alone(self) -> Arbitration:
        """The arbitration for a sentence's score: it outweighs no framing of the message."""
        return replace(self, confident=NEVER_OUTWEIGHS, with_a_sign=NEVER_OUTWEIGHS)

    def vetoes(self, probability: float, readable: bool) -> bool:
        """Does the score outweigh the rules' sign?"""
        return readable and probability < self.veto


# A framing no score outweighs: a time in the past ("last week", "last year") is a word the
# embedding does not weigh, where a question's wording ("why would he be dragging one
# leg…?") may hide a report the detector reads well. Past, resolved out-of-air stories
# scored 0.995 and were raised by the confident score on dev files (dev_c, dev7). Nor does
# it tell a cat's vomiting from a child's (0.98 on a router example): who is ill binds too.
# Nor "if" ("what should I do if my buddy can't feel his legs?" scored 0.99, emergency_dev_i),
# nor "every time" ("dizzy and queasy on the boat every time it rocks" reached 0.97, dev_g).
BINDING_FRAMINGS = (
    "framed as the past",
    "framed as a pet's trouble",
    "framed as a condition",
    "framed as a habit",
)


def binds(reason: str | None) -> bool:
    return bool(reason) and reason in BINDING_FRAMINGS


# Words nearly every English sentence has, and few sentences of other languages.
ENGLISH_WORDS = frozenset(
    "i my me we our you your he his him she her they their it its the a an is are am was "
    "were be been has have had and or but to of in on at for with from after since now "
    "not no can cant what how this that".split()
)


def readable(text: str) -> bool:
    """Can the detector read the message? Its embedding model reads English only: a message
    in Malay or Indonesian (the rules' glossary finds it), or with few common English words
    in it (fewer than two, or under a fifth of its words), is not for it to overrule."""
    lowered = text.lower()
    words = re.findall(r"[^\W\d_]+(?:'[a-z]+)?", lowered)
    english = sum(word in ENGLISH_WORDS for word in words)
    return to_english(lowered) == lowered and english >= 2 and english >= 0.2 * len(words)


def read_by_sentence(text: str) -> bool:
    """Is the message long enough, and of several sentences, to be read a sentence at a time?"""
    if len(text.split()) < STATEMENT_MESSAGE_WORDS:
        return False
    return sum(len(s.split()) >= STATEMENT_MIN_WORDS for s in SENTENCE_END.split(text)) >= 2


SHORT_QUESTION_WORDS = 5


def is_short_question(text: str) -> bool:
    return text.rstrip().endswith("?") and len(text.split()) <= SHORT_QUESTION_WORDS


def held_back(text: str, folded: str) -> str | None:
    """Why the learned detector may not raise this message, if it may not.

    An embedding tells what a message is about far better than how it is framed: "my arm
    went numb after the dive" and "why does an arm go numb after a dive?" sit close
    together. So a message the rules read as a question, the past, a drill, a figure of
    speech, an episode that has passed or a question of taking part is not raised by it.
    A message is never held back for lacking a word from a list: that would make the
    learned detector as blind as the rules to wording nobody wrote down. The
    leave-one-category-out eval (evals/emergency_loco.py) asks the same.
    """
    framed = framing(folded)
    if binds(f"framed as {framed}"):
        return f"framed as {framed}"  # no score outweighs it, short question or not
    if is_short_question(text):
        # "How do I get there?": too few words for the embedding to tell an emergency from
        # a follow-up; the rules, which did not raise it, have the say.
        return "a short question: the rules decide"
    if framed in ASKED_FRAMINGS and reports_after_asking(text):
        framed = None
    framed = (
        framed
        or (settled(folded) and "a scare that has been settled")
        or (asks_about_taking_part(folded) and "a question of taking part")
        or (talks_of_visibility(folded) and "talk of visibility")
        or (talks_of_travel(folded) and "talk of travel")
        or (asks_as_a_precaution(folded) and "a precaution, all said to be well")
        or (talks_of_gear(folded) and "talk of faulty equipment")
        or (tells_of_a_sighting(folded) and "wildlife seen")
        or (asks_for_tips(folded) and "a request for tips")
    )
    return f"framed as {framed}" if framed else None


# The question framings, which a report told after the question undoes (`reports_after_asking`).
ASKED_FRAMINGS = ("a question or a hypothetical", "a question that names no one")


# A state told in the present: "she's staring at nothing", "it's getting hard to swallow".
STATE_NOW = re.compile(
    r"\b(is|are|am|isnt|arent|has been|have been|keeps?|cant|wont|still|getting|now)\b"
)

# A sentence about the asking, not about anyone's state: "I'm asking for a friend".
ABOUT_THE_ASKING = re.compile(
    r"\b(ask\w*|wonder\w*|curious|planning|reading|studying|learning|mention\w*|told|heard|watch\w*)\b"
)


def reports_after_asking(text: str) -> bool:
    """A question, then a sentence that tells of now with no framing of its own?

    "Is it normal for the boat to lean this much? It's tilting badly to one side and water is
    coming over the back." The worried writer asks first and reports after: the question's
    framing belongs to the question, and the report is for the detector to read.
    """
    sentences = [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
    asked = [i for i, s in enumerate(sentences) if s.endswith("?")]
    if not asked:
        return False
    return any(
        not sentence.endswith("?")
        and len(sentence.split()) >= STATEMENT_MIN_WORDS
        and STATE_NOW.search(folded := fold(sentence))
        and not CONDITION.search(folded)
        and not ABOUT_THE_ASKING.search(folded)
        and held_back(sentence, folded) is None
        for sentence in sentences[asked[0] + 1 :]
    )


def learned_verdict(
    text: str,
    folded: str,
    probability: float,
    threshold: float,
    ruled: EmergencyAssessment | None = None,
    arbitration: Arbitration | None = None,
) -> EmergencyAssessment:
    """The rules' verdict and the detector's score, weighed by `Arbitration`."""
    reasons = [*(ruled.reasons if ruled else []), f"learned detector: p={probability:.2f}"]
    arbitration = arbitration or Arbitration(threshold=threshold)
    if ruled is not None and ruled.is_emergency:
        if arbitration.vetoes(probability, readable(text)):
            return EmergencyAssessment(False, [*reasons, "the detector outweighs the rules' sign"])
        return EmergencyAssessment(True, reasons)
    if probability < arbitration.threshold:
        return EmergencyAssessment(False, reasons)
    reason = held_back(text, folded)
    if reason is None:
        return EmergencyAssessment(True, reasons)
    if arbitration.outweighs(probability, names_a_sign(NEGATED_SIGNS.sub(" ", folded)), reason):
        return EmergencyAssessment(True, [*reasons, f"outweighs the rules' reading ({reason})"])
    return EmergencyAssessment(False, [*reasons, reason])
