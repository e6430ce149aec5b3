"""The answerer's sentence selection: a blend read from data, fitted and replayed offline."""

import json

import numpy as np
import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from chains.extractive import NOTHING_RELEVANT, ExtractiveAnswerer
from chains.passages import render_passages
from chains.selection import FEATURES, HAND, WEIGHTS_FILE, Selection, load_selection
from evals.selection_data import DATASETS, file_sha
from evals.selection_fit import ReplayAnswerer, Turn, read_features, selection_recall
from tests.fakes import passage

SEASONS = passage(
    "destinations/tioman/index.md",
    "Tioman Island — Seasons and weather\n"
    "- **Main season:** roughly March to October. Calmest seas and best visibility are usually "
    "April to August.\n"
    "- **Northeast monsoon:** November to February brings rough seas and many operators close.",
    title="Tioman Island",
    section="Seasons and weather",
)
FERRY = passage(
    "destinations/tioman/index.md",
    "Tioman Island — Getting there\nMost visitors take a ferry from Mersing, which takes about "
    "two hours. Mersing is about five hours by road from Kuala Lumpur.",
    title="Tioman Island",
    section="Getting there",
)


def _messages(question: str, passages=(SEASONS, FERRY)):
    return [
        SystemMessage(f"Rules.\n\nReference material:\n{render_passages(list(passages))}"),
        HumanMessage(question),
    ]


def test_the_hand_selection_is_the_hand_blend():
    row = np.zeros(len(FEATURES))
    values = {"semantic": 0.6, "section": 0.5, "lexical": 0.25, "prior": 1.0, "shape": 0.15}
    for name, value in values.items():
        row[FEATURES.index(name)] = value
    row[FEATURES.index("position")] = 0.5  # not part of the hand blend
    expected = 0.5 * 0.6 + 0.2 * 0.5 + 0.2 * 0.25 + 0.15 * 1.0 + 0.15
    assert HAND.scores(row[None, :])[0] == pytest.approx(expected)


def test_weights_round_trip_through_their_file_and_unknown_features_are_refused(tmp_path):
    fitted = Selection(
        weights=tuple(float(i) / 10 for i in range(len(FEATURES))),
        intercept=-1.5,
        probability=True,
        floor=0.05,
        companion_ratio=0.3,
        section_ratio=0.4,
        body_words=115,
    )
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(fitted.to_json()))
    assert load_selection(path) == fitted
    assert load_selection(tmp_path / "absent.json") is HAND
    broken = {**fitted.to_json(), "features": [*FEATURES[:-1], "made_up"]}
    path.write_text(json.dumps(broken))
    load_selection.cache_clear()
    with pytest.raises(ValueError, match="made_up"):
        load_selection(path)


def test_a_setting_a_weights_file_leaves_out_keeps_its_default():
    written = {"features": ["semantic"], "weights": [0.7], "floor": 0.2, "body_words": 90}
    read = Selection.from_json(written)
    assert (read.floor, read.body_words) == (0.2, 90)
    defaults = Selection(weights=read.weights)
    assert (read.companion_ratio, read.max_sentences, read.redundancy, read.probability) == (
        defaults.companion_ratio,
        defaults.max_sentences,
        defaults.redundancy,
        defaults.probability,
    )
    assert read.weights[FEATURES.index("semantic")] == 0.7 and sum(read.weights) == 0.7


def test_the_shipped_weights_name_the_files_they_were_fitted_on():
    if not WEIGHTS_FILE.is_file():
        pytest.skip("no fitted weights shipped: the hand blend is used")
    data = json.loads(WEIGHTS_FILE.read_text())
    assert set(data["features"]) <= set(FEATURES)
    datasets = data["fitted_on"]["datasets"]
    assert datasets and not any("frozen" in name for name in datasets)
    for name, sha in datasets.items():
        assert file_sha(DATASETS / name) == sha, f"{name} changed since the weights were fitted"


def test_a_fitted_blend_does_not_decide_that_something_is_relevant(embeddings):
    # Every sentence scores about 1 under this blend; only the hand blend may say whether
    # any sentence answers the question at all.
    eager = Selection(weights=(0.0,) * len(FEATURES), intercept=8.0, probability=True, floor=0.05)
    answerer = ExtractiveAnswerer(embeddings=embeddings, selection=eager)
    reply = answerer.invoke(_messages("What is the price of a rebreather course in Iceland?"))
    assert reply.content.startswith(NOTHING_RELEVANT)
    reply = answerer.invoke(_messages("When is the best time to dive Tioman?"))
    assert not reply.content.startswith(NOTHING_RELEVANT)
    assert len(reply.content.split()) <= eager.body_words + 20  # the follow-up on top


def test_a_recorded_turn_is_labelled_by_its_facts_and_replayed(embeddings):
    answerer = ReplayAnswerer(embeddings=embeddings)
    turn = Turn(
        file="x.jsonl",
        id="x:c1 turn 1",
        groups=[["April to August"]],
        given=True,
        messages=_messages("When is the best time to dive Tioman?"),
    )
    read_features(answerer, [turn])
    assert turn.features.shape[1] == len(FEATURES)
    assert turn.labels.sum() == 1  # only the sentence that states it
    assert selection_recall(answerer, [turn], HAND) == (1, 1)
    # A selection that keeps one sentence and prefers the first of each passage leaves
    # the fact (the second sentence of its passage) out.
    first = FEATURES.index("first_in_section")
    opening = tuple(10.0 if i == first else 0.0 for i in range(len(FEATURES)))
    stingy = Selection(weights=opening, probability=True, floor=0.05, body_words=5)
    assert selection_recall(answerer, [turn], stingy) == (0, 1)


def _tioman_season_said_twice():
    """A question on Tioman's season, its passage saying the season twice in other words."""
    twice = passage(
        "destinations/tioman/index.md",
        "Tioman Island — Seasons and weather\n"
        "Calmest seas and best visibility are usually April to August. "
        "The calmest seas and the best visibility are usually from April to August. "
        "Many operators close from November to February.",
        title="Tioman Island",
        section="Seasons and weather",
    )
    return _messages("When is the best time to dive Tioman?", passages=(twice,))


def test_a_near_repeat_of_a_chosen_sentence_is_left_out_when_asked(embeddings):
    question = _tioman_season_said_twice()
    keeps_all = ExtractiveAnswerer(embeddings=embeddings, selection=HAND)
    assert keeps_all.invoke(question).content.lower().count("april to august") == 2
    once = ExtractiveAnswerer(
        embeddings=embeddings, selection=Selection(HAND.weights, redundancy=0.9)
    )
    assert once.invoke(question).content.lower().count("april to august") == 1


def test_past_the_lead_a_new_fact_goes_before_a_second_wording_of_a_chosen_one(embeddings):
    question = _tioman_season_said_twice()
    shape = {"lead_sentences": 1, "max_sentences": 2, "floor": 0.0, "section_ratio": 0.0}
    plain = ExtractiveAnswerer(embeddings=embeddings, selection=Selection(HAND.weights, **shape))
    assert plain.invoke(question).content.lower().count("april to august") == 2
    diverse = ExtractiveAnswerer(
        embeddings=embeddings, selection=Selection(HAND.weights, diversity=1.0, **shape)
    )
    answer = diverse.invoke(question).content.lower()
    assert answer.count("april to august") == 1 and "november to february" in answer


def test_the_near_repeat_check_reads_the_same_closeness_as_the_diversity(embeddings):
    # With both on, the second wording is left out even when the diversity would let it
    # in at its turn (three sentences allowed, all three above the floor).
    question = _tioman_season_said_twice()
    shape = {"lead_sentences": 1, "max_sentences": 3, "floor": 0.0, "section_ratio": 0.0}
    both = ExtractiveAnswerer(
        embeddings=embeddings,
        selection=Selection(HAND.weights, diversity=0.1, redundancy=0.9, **shape),
    )
    answer = both.invoke(question).content.lower()
    assert answer.count("april to august") == 1 and "november to february" in answer
    diverse_only = ExtractiveAnswerer(
        embeddings=embeddings, selection=Selection(HAND.weights, diversity=0.1, **shape)
    )
    assert diverse_only.invoke(question).content.lower().count("april to august") == 2


def test_the_sentence_cap_holds(embeddings):
    question = _tioman_season_said_twice()
    shape = {"lead_sentences": 4, "floor": 0.0, "section_ratio": 0.0, "diversity": 0.1}
    one = ExtractiveAnswerer(
        embeddings=embeddings, selection=Selection(HAND.weights, max_sentences=1, **shape)
    )
    body = one.invoke(question).content.split("?")[0]
    assert sum(s in body.lower() for s in ("april to august", "november to february")) == 1


REDANG = passage(
    "destinations/redang/index.md",
    "Redang Island — Seasons and weather\nRedang's resorts close from November to March.",
    title="Redang Island",
    section="Seasons and weather",
)
TIOMAN_TIPS = passage(
    "destinations/tioman/index.md",
    "Tioman Island — Tips\nBook boat dives a day ahead in the busy months.",
    title="Tioman Island",
    section="Tips",
)


def test_past_the_lead_another_document_needs_to_be_nearly_as_relevant_as_the_lead(embeddings):
    # Scored by passage rank alone (1, 2/3, 1/2, 2/5): Tioman's seasons lead, its ferry is
    # the runner-up; Redang's sentence (1/2 of the lead) would bring in another document,
    # Tioman's tips (2/5) come from a document the answer quotes already.
    prior = tuple(1.0 if name == "prior" else 0.0 for name in FEATURES)
    shape = {"floor": 0.0, "companion_ratio": 0.0, "section_ratio": 0.0, "max_sentences": 10}
    shape |= {"diversity": 0.1, "body_words": 115}
    question = _messages(
        "When is the best time to dive Tioman?", passages=(SEASONS, FERRY, REDANG, TIOMAN_TIPS)
    )
    every = ExtractiveAnswerer(embeddings=embeddings, selection=Selection(prior, **shape))
    answer = every.invoke(question).content
    assert "Redang" in answer and "Book boat dives" in answer
    focused = ExtractiveAnswerer(
        embeddings=embeddings, selection=Selection(prior, new_document_ratio=0.75, **shape)
    )
    answer = focused.invoke(question).content
    assert "Redang" not in answer
    assert "Book boat dives" in answer and "Mersing" in answer and "April to August" in answer


def test_room_left_goes_to_the_lead_guides_sentences_under_the_floor_not_to_another_guide(
    embeddings,
):
    # Scored by passage rank alone (1, 2/3, 1/2, 2/5) with every floor at 0.7 of the lead:
    # only Tioman's seasons pass. The room left then takes Tioman's ferry (2/3), not Redang
    # (1/2, another guide) nor Tioman's tips (2/5, under the room's own floor).
    prior = tuple(1.0 if name == "prior" else 0.0 for name in FEATURES)
    shape = {"floor": 0.0, "companion_ratio": 0.7, "section_ratio": 0.7, "max_sentences": 10}
    passages = (SEASONS, FERRY, REDANG, TIOMAN_TIPS)
    # No sentence is shaped or headed for what this asks (an overview): any of the guide's.
    question = _messages("What is diving at Tioman like?", passages=passages)
    floors_only = ExtractiveAnswerer(embeddings=embeddings, selection=Selection(prior, **shape))
    answer = floors_only.invoke(question).content
    assert "April to August" in answer and "Mersing" not in answer
    room = ExtractiveAnswerer(
        embeddings=embeddings, selection=Selection(prior, room_ratio=0.45, **shape)
    )
    answer = room.invoke(question).content
    assert "April to August" in answer and "Mersing" in answer
    assert "Redang" not in answer and "Book boat dives" not in answer
    # "When" is answered by months, which the passages hold: the ferry does not finish it.
    when = room.invoke(_messages("When is the best time to dive Tioman?", passages=passages))
    assert "April to August" in when.content and "Mersing" not in when.content
    # No room, no more sentences.
    tight = ExtractiveAnswerer(
        embeddings=embeddings,
        selection=Selection(prior, room_ratio=0.45, body_words=20, **shape),
    )
    assert "Mersing" not in tight.invoke(question).content


def _long_temperature_passages():
    """A season passage that fills the budget, then a temperature sentence too long for
    what is left."""
    seasons = passage(
        "destinations/tioman/index.md",
        "Tioman Island — Seasons and weather\n"
        "The main season runs roughly from March to October, with the calmest seas and the "
        "best visibility usually from April to August, when most operators run daily trips.",
        title="Tioman Island",
        section="Seasons and weather",
    )
    water = passage(
        "destinations/tioman/index.md",
        "Tioman Island — Water\n"
        "Water temperature is around 27–30 °C year-round; a 3 mm suit is usually enough for "
        "most divers, though some prefer a 5 mm suit on night dives.",
        title="Tioman Island",
        section="Water",
    )
    return _messages("When is the best time to dive Tioman?", passages=(seasons, water))


def test_room_left_in_the_budget_goes_to_the_main_clause_of_a_sentence_too_long_for_it(
    embeddings,
):
    shape = {"floor": 0.0, "companion_ratio": 0.0, "section_ratio": 0.0, "body_words": 40}
    whole = ExtractiveAnswerer(embeddings=embeddings, selection=Selection(HAND.weights, **shape))
    answer = whole.invoke(_long_temperature_passages()).content
    assert "April to August" in answer and "27–30 °C" not in answer
    shortened = ExtractiveAnswerer(
        embeddings=embeddings, selection=Selection(HAND.weights, shorten_to_fit=True, **shape)
    )
    answer = shortened.invoke(_long_temperature_passages()).content
    assert "April to August" in answer
    assert "Water temperature is around 27–30 °C year-round." in answer
    assert "3 mm" not in answer


def _temperature_loss_on_a_tight_budget(embeddings) -> list[dict]:
    """The losses of a turn asking for a season and a temperature, answered in 40 words."""
    from evals.selection_losses import losses

    answerer = ReplayAnswerer(embeddings=embeddings)
    turn = Turn(
        file="x.jsonl",
        id="x:c1 turn 1",
        groups=[["April to August"], ["27–30 °C"]],
        given=True,
        messages=_long_temperature_passages(),
    )
    read_features(answerer, [turn])
    tight = Selection(
        HAND.weights, floor=0.0, companion_ratio=0.0, section_ratio=0.0, body_words=40
    )
    return losses(answerer, [turn], tight)


def test_the_answerer_says_why_it_left_each_sentence_out(embeddings):
    [loss] = _temperature_loss_on_a_tight_budget(embeddings)
    assert loss["reason"] == "budget spent" and loss["missed_words"] == 27


def test_a_replay_chooses_as_the_answerer_does_with_the_diversity_on(embeddings):
    # The replay restores each sentence's vector: the diversity and the near-duplicate
    # check read them.
    question = _tioman_season_said_twice()
    shape = {"lead_sentences": 1, "max_sentences": 2, "floor": 0.0, "section_ratio": 0.0}
    diverse = Selection(HAND.weights, diversity=1.0, **shape)
    live = ExtractiveAnswerer(embeddings=embeddings, selection=diverse).invoke(question).content
    answerer = ReplayAnswerer(embeddings=embeddings)
    answerer.replay("t", question, HAND)
    assert answerer.replay("t", question, diverse) == live


def test_a_lost_fact_is_told_by_its_kind_and_what_outscored_it(embeddings):
    from evals.selection_losses import fact_kind, specifics

    assert fact_kind(["18 m", "18 metres"]) == "number"
    assert fact_kind(["May to November"]) == "month"
    assert fact_kind(["Manta Sandy"]) == "name"
    assert fact_kind(["frogfish"]) == "term"
    assert specifics("Diving here rewards patience.") == 0
    # a quantity with its unit, two months, a name; "USD" and "March" are not also names
    assert specifics("Dives cost USD 45 at Blue Corner from March to May.") == 5
    [loss] = _temperature_loss_on_a_tight_budget(embeddings)
    assert loss["kind"] == "number"
    assert loss["missed_specifics"] >= 1
    assert len(loss["gaps"]) == len(FEATURES)


def test_the_pairwise_correction_sets_a_fact_against_the_sentences_that_compete_with_it(
    embeddings,
):
    from evals.selection_fit import COMPETITORS, pairs, pairwise

    answerer = ReplayAnswerer(embeddings=embeddings)
    turn = Turn(
        file="x.jsonl",
        id="x:c1 turn 1",
        groups=[["April to August"]],
        given=True,
        messages=_messages("When is the best time to dive Tioman?"),
    )
    read_features(answerer, [turn])
    found, weights = pairs(answerer, [turn], HAND)
    others = int((turn.labels == 0).sum())
    assert found.shape == (min(others, COMPETITORS), len(FEATURES))
    assert weights.sum() == pytest.approx(1.0)  # a turn weighs as much as any other
    # The fact is already chosen: no step of the correction beats the blend it starts from.
    corrected = pairwise(answerer, [turn], base=HAND)
    assert corrected.weights == HAND.weights
