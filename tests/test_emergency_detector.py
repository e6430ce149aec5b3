"""The learned emergency detector and its bank: shape, generalisation gates, shared embedding.

Figures (LOCO table, per-turn cost) are printed by `python -m evals emergency-loco` and
`python -m benchmarks.emergency_detector`; the gates here are the issue's thresholds.
"""

import json
from collections import Counter

import numpy as np
import pytest

from chains.embeddings import LocalMiniLMEmbeddings
from evals.emergency_loco import leave_one_category_out, statement_vectors
from graph.routing.emergency import assess_folded
from graph.routing.emergency_arbitration import (
    Arbitration,
    held_back,
    learned_verdict,
    readable,
)
from graph.routing.emergency_detector import (
    DATA_DIR,
    EmergencyDetector,
    LearnedDetector,
    bank_vectors,
    build_detector,
    load_bank,
    statements,
    with_statements,
)
from graph.routing.emergency_words import fold
from graph.routing.router import TurnRouter, load_examples
from store.embedding_cache import cached_embeddings, parse_vector

LOOK_ALIKE_KINDS = {
    "educational",
    "past_event",
    "hypothetical",
    "training_drill",
    "figurative",
    "habitual_mild",
    "media",
    "gear_terms",
    "numbers_in_advance",
}


def test_the_bank_is_big_varied_and_tagged():
    rows = load_bank()
    emergencies = [r for r in rows if r["is_emergency"]]
    look_alikes = [r for r in rows if not r["is_emergency"]]
    assert len(emergencies) >= 800 and len(look_alikes) >= 800
    assert all(isinstance(r.get("category"), str) and r["category"] for r in rows)
    assert len({r["category"] for r in emergencies}) >= 25
    assert LOOK_ALIKE_KINDS <= {r["category"] for r in look_alikes}
    # A category is one kind: never both emergencies and look-alikes.
    kinds = Counter((r["category"], r["is_emergency"]) for r in rows)
    assert len({c for c, _ in kinds}) == len(kinds)
    assert len({r["id"] for r in rows}) == len(rows)


def test_a_bank_row_without_a_message_is_a_clear_error(tmp_path):
    (tmp_path / "emergency_bank_bad.jsonl").write_text(json.dumps({"id": "x"}) + "\n")
    with pytest.raises(ValueError, match=r"emergency_bank_bad\.jsonl:1"):
        load_bank(tmp_path)


def test_the_bank_lives_beside_the_router_examples():
    assert sorted(p.name for p in DATA_DIR.glob("emergency_bank_*.jsonl"))


def test_scoring_one_vector_matches_the_batch_scores():
    rng = np.random.default_rng(9)
    vectors = rng.normal(size=(60, 8))
    labels = (vectors[:, 0] > 0).tolist()
    detector = LearnedDetector.fit(vectors, labels)
    batch = detector.probabilities(vectors)
    single = [detector.probability(v.tolist()) for v in vectors]
    assert np.allclose(batch, single)
    assert detector.is_emergency([5.0] + [0.0] * 7)
    assert not detector.is_emergency([-5.0] + [0.0] * 7)


def test_the_rules_signals_are_weighed_beside_the_vector():
    rng = np.random.default_rng(9)
    vectors = rng.normal(size=(80, 8))
    flags = rng.integers(0, 2, size=(80, 2)).astype(float)
    # The label follows the second flag alone: only its weight can learn it.
    labels = (flags[:, 1] > 0).tolist()
    detector = LearnedDetector.fit(vectors, labels, flags)
    batch = detector.probabilities(vectors, flags)
    single = [
        detector.probability(v.tolist(), f.tolist()) for v, f in zip(vectors, flags, strict=True)
    ]
    assert np.allclose(batch, single)
    assert detector.signal_weights[1] > abs(detector.signal_weights[0])
    assert ((batch >= detector.threshold) == np.array(labels)).mean() > 0.9


@pytest.fixture(scope="module")
async def bank(pool, embeddings):
    rows = load_bank()
    told = await statement_vectors(pool, embeddings, rows)
    return rows, await bank_vectors(pool, embeddings, rows), told


@pytest.mark.db
async def test_leave_one_category_out_recall_and_false_positive_gates(bank):
    rows, vectors, told = bank
    # The service's score: the message's, or its surest sentence's (`with_statements`).
    report = leave_one_category_out(rows, vectors, told=told)
    table = "\n".join(f"{name}: {row}" for name, row in report["per_category"].items())
    assert report["recall"]["combined"] >= 0.95, table
    for name, row in report["per_category"].items():
        if row["kind"] == "emergency":
            assert row["combined"] >= 0.8, f"{name}: {row}"
    # Each look-alike kind is scored by a detector that never saw that kind (LOCO).
    assert report["false_positive_rate"]["combined"] <= 0.05, table


@pytest.mark.db
async def test_the_detector_catches_wordings_no_rule_knows(pool, embeddings):
    detector = await build_detector(pool, embeddings)
    # Written for this test, in wordings the rules have no pattern for.
    for message in (
        "bro my mate just went grey and floppy on the dive deck, eyes half open",
        "the little one swallowed half the sea and now she makes a whistling sound",
    ):
        assessment = await detector.assess(message)
        assert assessment.is_emergency, (message, assessment.reasons)
    for message in (
        "what's the best way to store my oxygen analyser between trips?",
        "the movie scene where the diver runs out of air was so unrealistic",
    ):
        assert not (await detector.assess(message)).is_emergency, message


def test_a_longer_message_is_also_read_a_sentence_at_a_time():
    told = (
        "Do you know if the chemist on the quay opens on Sundays? Since we got back on the "
        "boat my husband's left hand has gone dead and floppy. It's been twenty minutes."
    )
    # The question is left out: alone it has lost what the message is about.
    assert statements(told) == [
        "Since we got back on the boat my husband's left hand has gone dead and floppy.",
        "It's been twenty minutes.",
    ]
    # A short message's own embedding is near each of its sentences: it is not split.
    assert statements("My dad had DCS in the 90s. He dives again now. Is he at risk?") == []
    # One sentence is the message itself; an ellipsis is a pause, not the end of one.
    one = "my buddy is totally unconscious... of how bad his trim is, " * 3
    assert statements(one) == []
    # A sentence the rules read a framing into is not scored alone.
    framed = (
        "Last year a diver from our club went numb after a dive at this very site. "
        "Now my buddy has a blotchy purple rash on her belly and she feels tired."
    )
    assert statements(framed) == [
        "Now my buddy has a blotchy purple rash on her belly and she feels tired."
    ]


def test_a_sentence_counts_only_where_it_is_surer_than_the_threshold_for_messages():
    assert with_statements(0.1, [0.45, 0.2]) == 0.1
    assert with_statements(0.1, [0.45, 0.8]) == 0.8
    assert with_statements(0.9, [0.8]) == 0.9


@pytest.mark.db
async def test_an_emergency_told_after_another_question_is_raised(pool, embeddings):
    detector = await build_detector(pool, embeddings)
    # Written for this test: the report comes after a question of another subject.
    message = (
        "Which of the shops here rents out dry bags? Also my friend came out of the water "
        "twenty minutes ago and now her words are coming out jumbled and she can't lift "
        "her right arm."
    )
    whole = await detector.assess(message.split("? ")[0] + "?")
    assert not whole.is_emergency
    assessment = await detector.assess(message)
    assert assessment.is_emergency, assessment.reasons


class CountingEmbeddings(LocalMiniLMEmbeddings):
    """The bundled model, counting what it actually encodes (cache misses)."""

    def _encode(self, texts):
        encoded.extend(texts)
        return super()._encode(texts)


encoded: list[str] = []


@pytest.mark.db
async def test_a_turn_is_embedded_once_for_the_gate_and_the_router(pool, embeddings):
    counting = CountingEmbeddings()
    detector = EmergencyDetector(counting, (await build_detector(pool, embeddings)).learned)
    examples = load_examples()
    literals, _ = await cached_embeddings(pool, embeddings, [t for t, _ in examples])
    router = TurnRouter(counting, examples, [parse_vector(literals[t]) for t, _ in examples])
    encoded.clear()
    text = "which wreck in the Red Sea is best for photographers?"
    assert not (await detector.assess(text)).is_emergency
    await router.route(text)
    assert encoded == [text]


@pytest.mark.db
async def test_a_warm_start_loads_the_fitted_weights_instead_of_fitting(
    pool, embeddings, tmp_path, monkeypatch
):
    fitted = (await build_detector(pool, embeddings, cache_dir=tmp_path)).learned
    assert len(list(tmp_path.glob("emergency-detector-*.npz"))) == 1

    import graph.routing.emergency_detector as module

    def no_fitting(*args, **kwargs):
        raise AssertionError("a warm start must not fit")

    monkeypatch.setattr(module, "fit_on_bank", no_fitting)
    loaded = (await build_detector(pool, embeddings, cache_dir=tmp_path)).learned
    assert np.array_equal(loaded.weights, fitted.weights)
    assert np.array_equal(loaded.signal_weights, fitted.signal_weights)
    assert loaded.bias == fitted.bias

    # Another bank is another key: the saved weights are not reused for it.
    rows = load_bank()
    assert module.weights_key(rows, embeddings) != module.weights_key(rows[:-1], embeddings)


# The arbitration between the rules' reading and the detector's score (no model, no DB).
def _verdict(message: str, probability: float, arbitration: Arbitration) -> bool:
    folded = fold(message)
    ruled = assess_folded(folded)
    return learned_verdict(
        message, folded, probability, arbitration.threshold, ruled, arbitration
    ).is_emergency


def test_a_sign_the_rules_raise_stands_unless_the_detector_is_sure_it_is_not_one():
    message = "my buddy is unconscious on the boat deck right now"
    assert assess_folded(fold(message)).is_emergency
    strict = Arbitration(veto=0.02)
    assert _verdict(message, 0.5, strict)
    assert _verdict(message, 0.03, strict)
    assert not _verdict(message, 0.01, strict)
    assert _verdict(message, 0.01, Arbitration(veto=0.0))


def test_the_detector_never_overrules_a_message_it_cannot_read():
    # Malay: the rules' glossary reads it; the English embedding does not.
    message = "kawan saya pengsan lepas naik, tak sedar"
    assert not readable(message)
    assert assess_folded(fold(message)).is_emergency
    assert _verdict(message, 0.0001, Arbitration(veto=0.05))
    assert not readable("el barco se fue sin nosotros, seguimos en el agua")
    assert not readable("help!!")
    assert readable("my buddy is not breathing")


def test_a_framing_holds_the_detector_back_unless_it_is_confident():
    message = "is it normal for someone to feel tingling after diving?"
    folded = fold(message)
    assert not assess_folded(folded).is_emergency and held_back(message, folded)
    assert not _verdict(message, 0.95, Arbitration(confident=1.01, with_a_sign=1.01))
    assert _verdict(message, 0.95, Arbitration(confident=0.9, with_a_sign=1.01))
    # Below the threshold nothing is raised, however the arbitration is set.
    assert not _verdict("which fins are best for travel?", 0.2, Arbitration(confident=0.0))


def test_no_score_outweighs_a_story_placed_in_the_past():
    past = "what did we do wrong when my buddy ran low on air last week? we surfaced ok"
    assert held_back(past, fold(past)) == "framed as the past"
    assert not _verdict(past, 0.995, Arbitration(confident=0.97))
    # A report the rules once misread as settled is raised: the rules now know a dragged
    # leg for a sign (session 13), and the confident detector would raise it anyway.
    now = (
        "why would he be dragging one leg and walking crooked since we came up? "
        "he was fine before we went in"
    )
    assert held_back(now, fold(now)) != "framed as the past"
    assert assess_folded(fold(now)).is_emergency
    assert _verdict(now, 0.99, Arbitration(confident=0.97))


# Written for this test: short follow-ups of a trip, texting-style, with no word of harm.
def test_no_score_outweighs_a_condition_asked_in_so_many_words():
    for condition in (
        "what should we do if the boat is gone when we surface?",
        "What should I do if my buddy can't feel his legs after a dive?",
    ):
        assert held_back(condition, fold(condition)) == "framed as a condition"
        assert not _verdict(condition, 0.995, Arbitration(confident=0.97))
    # A report beside the condition is no condition: "... if it gets worse? he is numb now".
    report = "my buddy can't feel his legs since we surfaced, what do we do if it spreads?"
    assert assess_folded(fold(report)).is_emergency


@pytest.mark.parametrize(
    "message",
    [
        "Is it normal for a boat to rock like this? We are taking on water at the stern and "
        "the pump has stopped.",
        "Is it normal to feel this tired after a dive? My husband is staring into space and "
        "isn't answering me.",
    ],
)
def test_a_report_told_after_the_question_is_for_the_detector_to_read(message):
    assert held_back(message, fold(message)) is None


@pytest.mark.parametrize(
    "message",
    [
        "Is it normal for divers to feel dizzy after a dive? My instructor mentioned it in class.",
        "Is it normal for someone to feel tingling after diving? I am asking for a friend.",
        "Is it normal to worry before a trip? Say my buddy is numb after a dive, what then?",
        "what causes tingling after a dive? I feel fine now.",
    ],
)
def test_a_question_followed_by_no_report_still_holds_the_detector_back(message):
    assert held_back(message, fold(message)) is not None


def test_the_replay_switches_a_framing_off_and_back_on():
    """evals/emergency_replay.py: a framing switched off no longer frames the message it
    framed, and is back as it was afterwards."""
    from evals.emergency_replay import switched_off, touches
    from graph.routing.emergency import assess

    told_as_past = "last year my buddy passed out on the boat after a deep dive"
    assert not assess(told_as_past).is_emergency
    assert touches(("PAST",), [fold(told_as_past)]).all()
    with switched_off("PAST"):
        assert assess(told_as_past).is_emergency
    assert not assess(told_as_past).is_emergency


def test_the_replay_switches_a_look_alike_reading_off_and_back_on():
    from evals.emergency_replay import switched_off
    from graph.routing.emergency_arbitration import held_back

    message = "viz is terrible today, can barely see my buddy, should we abort the dive?"
    assert held_back(message, fold(message)) == "framed as talk of visibility"
    with switched_off("talks_of_visibility"):
        assert held_back(message, fold(message)) is None
    assert held_back(message, fold(message)) == "framed as talk of visibility"
