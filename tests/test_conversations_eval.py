"""The conversations eval tells where a turn's facts were lost: the document was not given,
the section holding them was not, or the answer left out what its passages said."""

import json

from evals.strategies import Turn
from evals.suites.conversations import document_key, run


class ScriptedService:
    """Stands in for the service: each turn's reply is written out in advance."""

    def __init__(self, turns: list[Turn]) -> None:
        self.turns = iter(turns)

    async def conversation(self):
        async def turn(text: str) -> Turn:
            return next(self.turns)

        return turn


SEASON = "Sipadan — Seasons\nThe best season is **April to December**; seas calm from May."
FEES = "Sipadan — Fees\nA daily permit is required and limited to 176 divers."
GEAR = "Dive computers\nA computer tracks your no-decompression time."


def _dataset(tmp_path, turns: list[dict]):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "c1", "turns": turns}) + "\n")
    return path


def _answered(route: str, answer: str, passages: list[str], path: str) -> Turn:
    return Turn(route, answer, False, 1, passages, [path] * len(passages))


def _fact_turn(user: str, facts: list[list[str]], route: str = "trip", **extra) -> dict:
    return {"user": user, "expected_route": route, "must_mention_any": facts, **extra}


async def test_a_miss_is_put_down_to_the_document_the_section_or_the_selection(tmp_path):
    source = "destinations/sipadan/index.md"
    dataset = _dataset(
        tmp_path,
        [
            # answered: the fact is in the passages and in the answer
            _fact_turn("when to go?", [["April to December"]], source=source),
            # selection: the season was given (bold in the passage), the answer left it out
            _fact_turn("and the best months?", [["April to December"]], source=source),
            # section: the guide was given, but not its season section
            _fact_turn("when is it calm?", [["calm from May"]], source=source),
            # document: another guide altogether, on the wrong route
            _fact_turn("is there a permit?", [["176 divers"]], source=source),
            # a turn without facts counts for nothing here
            {"user": "thanks!", "expected_route": "general"},
        ],
    )
    sipadan = "content/destinations/sipadan/index.md"  # spelt the dataset's way or not
    turns = [
        _answered("trip", "The best season is April to December. Going soon?", [SEASON], sipadan),
        _answered("trip", "A daily permit is required. Anything else?", [SEASON, FEES], sipadan),
        _answered("trip", "A daily permit is required. Anything else?", [FEES], sipadan),
        _answered("general", "It tracks it. Anything else?", [GEAR], "general/computers.md"),
        Turn("general", "You're welcome! Anything else?", False, 0, fixed_reply=True),
    ]
    report = await run(dataset, ScriptedService(turns))
    metrics = report["metrics"]

    assert metrics["fact_turns"] == 4 and metrics["fact_recall"] == 0.25
    assert metrics["source_in_passages"] == 0.75
    assert metrics["facts_in_passages"] == 0.5
    assert metrics["fact_recall_when_in_passages"] == 0.5
    assert metrics["fact_route_accuracy"] == 0.75
    assert metrics["fact_misses_lost_at"] == {"document": 1, "section": 1, "selection": 1}
    assert metrics["fact_misses_on_a_wrong_route"] == 1
    flags = {
        m["id"]: (m["lost_at"], m["source_in_passages"], m["facts_in_passages"], m["route_ok"])
        for m in report["fact_misses"]
    }
    assert flags == {
        "c1 turn 2": ("selection", True, True, True),
        "c1 turn 3": ("section", True, False, True),
        "c1 turn 4": ("document", False, False, False),
    }


async def test_a_turn_without_a_source_is_judged_on_its_facts_alone(tmp_path):
    dataset = _dataset(tmp_path, [_fact_turn("computers?", [["no-decompression"]], "general")])
    turns = [Turn("general", "It helps. Anything else?", False, 1, [GEAR], ["general/x.md"])]
    report = await run(dataset, ScriptedService(turns))
    metrics = report["metrics"]
    assert metrics["source_in_passages"] is None
    assert metrics["facts_in_passages"] == 1.0 and metrics["fact_recall_when_in_passages"] == 0.0
    assert report["fact_misses"][0]["lost_at"] == "selection"


def test_a_document_is_the_same_however_a_dataset_spells_its_path():
    same = {
        document_key(p)
        for p in (
            "destinations/komodo/index.md",
            "content/destinations/komodo/index.md",
            "./destinations/komodo",
            "/destinations/Komodo/index",
        )
    }
    assert same == {"destinations/komodo"}
    assert document_key("safety/ear-equalisation.md") != document_key("safety/ears.md")


async def test_a_fact_another_document_happens_to_state_was_not_given(tmp_path):
    """The source guide was given without its season section; another guide's "April to
    December" does not make the miss the answer's: it was lost at the section."""
    source = "destinations/sipadan/index.md"
    dataset = _dataset(
        tmp_path, [_fact_turn("when to go?", [["April to December"]], source=source)]
    )
    other = "Tioman — Seasons\nThe best season is **April to December** there too."
    turn = Turn(
        "trip",
        "A daily permit is required. Anything else?",
        False,
        1,
        [FEES, other],
        [source, "destinations/tioman/index.md"],
    )
    report = await run(dataset, ScriptedService([turn]))
    assert report["fact_misses"][0]["lost_at"] == "section"
    assert report["metrics"]["facts_in_passages"] == 0.0
    # Without the source at all, the other guide's sentence does not make it a selection miss.
    elsewhere = Turn("trip", "Anything else?", False, 1, [other], ["destinations/tioman/index.md"])
    report = await run(dataset, ScriptedService([elsewhere]))
    assert report["fact_misses"][0]["lost_at"] == "document"
