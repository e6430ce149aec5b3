"""The agents' search: the route's document types are preferred, not required."""

from types import SimpleNamespace

from graph.nodes.agents import _search
from tests.fakes import passage

TRIP_GUIDE = passage("destinations/tioman/index.md", "Tioman boats leave at eight.", similarity=0.4)
SEASICKNESS = passage("safety/seasickness.md", "Look at the horizon.", similarity=0.7)
NEAR_MISS = passage("safety/cold.md", "Wear a hood.", similarity=0.42)


class ByTypeRetriever:
    """Answers a search with the passages its filters allow, recording the filters."""

    def __init__(self, filtered, unfiltered):
        self.filtered, self.unfiltered, self.calls = filtered, unfiltered, []

    async def search(self, query, *, filters=None, **_):
        self.calls.append(filters)
        return self.filtered if "doc_type" in (filters or {}) else self.unfiltered


async def test_a_clearly_closer_passage_of_another_kind_comes_first():
    retriever = ByTypeRetriever([TRIP_GUIDE], [SEASICKNESS, NEAR_MISS, TRIP_GUIDE])
    found = await _search(SimpleNamespace(retriever=retriever), "seasick", {}, "trip")
    # The near miss is not clearly closer than the trip guide; the held guide is not repeated.
    assert found == [SEASICKNESS, TRIP_GUIDE]
    assert retriever.calls == [{"doc_type": ["destination", "dive_site"]}, {}]


async def test_a_route_without_a_type_filter_searches_once():
    retriever = ByTypeRetriever([], [TRIP_GUIDE])
    focus = {"destination": "tioman"}
    found = await _search(SimpleNamespace(retriever=retriever), "boats", focus, "general")
    assert found == [TRIP_GUIDE]
    assert retriever.calls == [{}]


async def test_the_other_part_of_a_section_cut_in_two_is_brought_in():
    from graph.nodes.agents import _more_of_the_best_document

    first = passage("general/wetsuits.md", "| 26–29 °C | 3 mm |", section="Thickness guide")
    second = passage("general/wetsuits.md", "| 16–20 °C | 7 mm |", section="Thickness guide")
    retriever = ByTypeRetriever([], [second, first])
    extra = await _more_of_the_best_document(
        SimpleNamespace(retriever=retriever), "wetsuit for 28 degrees", [second]
    )
    assert extra == [first]
    assert retriever.calls == [{"path": "general/wetsuits.md"}]


async def test_a_turn_naming_no_course_is_about_the_course_in_focus():
    from graph.nodes.agents import _guide_in_focus

    guide = passage(
        "certification/padi-open-water.md", "Open Water.", title="PADI Open Water Diver"
    )
    context = SimpleNamespace(retriever=ByTypeRetriever([guide], [guide]), guide_paths={})
    focus = {"course": "open_water"}
    ask = "How deep can I dive once certified?"
    assert await _guide_in_focus(context, "certification", ask, focus, {}) == guide["path"]
    searches = len(context.retriever.calls)
    assert await _guide_in_focus(context, "certification", ask, focus, {}) == guide["path"]
    assert len(context.retriever.calls) == searches  # remembered: no search, no embedding
    # A turn that names its own course, or another route, has no guide in focus.
    named = "How deep can I go after the Rescue course?"
    assert await _guide_in_focus(context, "certification", named, focus, {}) is None
    assert await _guide_in_focus(context, "safety", ask, focus, {}) is None
