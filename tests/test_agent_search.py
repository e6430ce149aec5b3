"""The agents' search: the route's document types are preferred, not required."""

from types import SimpleNamespace

from graph.focus import metadata_filters
from graph.passage_plan import _search
from tests.fakes import passage

TRIP_GUIDE = passage("destinations/tioman/index.md", "Tioman boats leave at eight.", similarity=0.4)
SEASICKNESS = passage("safety/seasickness.md", "Look at the horizon.", similarity=0.7)
NEAR_MISS = passage("safety/cold.md", "Wear a hood.", similarity=0.42)
VECTOR = [0.6, 0.8]  # the turn's query vector, computed once and passed to every search


class ByTypeRetriever:
    """Answers a search with the passages its filters allow, recording the filters."""

    k = 5

    def __init__(self, filtered, unfiltered):
        self.filtered, self.unfiltered, self.calls, self.vectors = filtered, unfiltered, [], []

    async def search(self, query, *, filters=None, embedding=None, **_):
        self.calls.append(filters)
        self.vectors.append(embedding)
        return self.filtered if "doc_type" in (filters or {}) else self.unfiltered


async def test_a_clearly_closer_passage_of_another_kind_comes_first():
    guide = {**TRIP_GUIDE, "path": "certifications/rescue.md", "doc_type": "certification"}
    retriever = ByTypeRetriever([guide], [SEASICKNESS, NEAR_MISS, guide])
    context = SimpleNamespace(retriever=retriever)
    found = await _search(
        context, "seasick", VECTOR, metadata_filters({}, "certification"), "certification"
    )
    # The near miss is not clearly closer than the route's guide: it joins last, as the best
    # passage of the next document of another kind; the held guide is not repeated.
    assert found == [SEASICKNESS, guide, NEAR_MISS]
    assert retriever.calls == [{"doc_type": "certification"}, {}]
    assert retriever.vectors == [VECTOR, VECTOR]  # the turn's one vector: no search embeds


async def test_with_no_place_in_view_the_trip_route_prefers_no_kind():
    retriever = ByTypeRetriever([TRIP_GUIDE], [SEASICKNESS, NEAR_MISS, TRIP_GUIDE])
    found = await _search(
        SimpleNamespace(retriever=retriever),
        "seasick",
        VECTOR,
        metadata_filters({}, "trip"),
        "trip",
    )
    # "DIN or yoke if I travel around asia a lot?": whatever is closer leads.
    assert found == [SEASICKNESS, NEAR_MISS, TRIP_GUIDE]
    assert retriever.calls == [{"doc_type": ["destination", "dive_site"]}, {}]


async def test_a_guide_about_no_place_is_seen_while_a_place_is_in_focus():
    liveaboards = passage("general/liveaboards.md", "Expect 3–5 dives a day.", similarity=0.6)
    elsewhere = {
        **passage("destinations/komodo/index.md", "Komodo boats.", similarity=0.7),
        "destination": "komodo",
    }
    tioman = {**TRIP_GUIDE, "destination": "tioman"}
    retriever = ByTypeRetriever([tioman], [elsewhere, liveaboards, tioman])
    focus = {"destination": "tioman"}
    found = await _search(
        SimpleNamespace(retriever=retriever),
        "dives a day",
        VECTOR,
        metadata_filters(focus, "trip"),
        "trip",
    )
    # The guide about no place joins behind the place's own, though closer in meaning;
    # another place's guide is never brought in, however close.
    assert found == [tioman, liveaboards]
    assert retriever.calls == [
        {"doc_type": ["destination", "dive_site"], "destination": "tioman"},
        {},
    ]


async def test_a_route_without_a_type_filter_searches_once():
    retriever = ByTypeRetriever([], [TRIP_GUIDE])
    focus = {"destination": "tioman"}
    found = await _search(
        SimpleNamespace(retriever=retriever),
        "boats",
        VECTOR,
        metadata_filters(focus, "general"),
        "general",
    )
    assert found == [TRIP_GUIDE]
    assert retriever.calls == [{}]


async def test_the_other_part_of_a_section_cut_in_two_is_brought_in():
    from graph.passage_plan import _more_of_the_best_document

    first = passage("general/wetsuits.md", "| 26–29 °C | 3 mm |", section="Thickness guide")
    second = passage("general/wetsuits.md", "| 16–20 °C | 7 mm |", section="Thickness guide")
    retriever = ByTypeRetriever([], [second, first])
    extra = await _more_of_the_best_document(
        SimpleNamespace(retriever=retriever), "wetsuit for 28 degrees", VECTOR, [second]
    )
    assert extra == [first]
    assert retriever.calls == [{"path": "general/wetsuits.md"}]
    assert retriever.vectors == [VECTOR]


async def test_a_turn_naming_no_course_is_about_the_course_in_focus():
    from graph.passage_plan import _guide_in_focus

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
    # A turn that names another course, or another route, has no guide in focus; a turn
    # that names the course in focus has its guide.
    named = "How deep can I go after the Rescue course?"
    assert await _guide_in_focus(context, "certification", named, focus, {}) is None
    itself = "Can I do the open water course at a shop of another agency?"
    assert await _guide_in_focus(context, "certification", itself, focus, {}) == guide["path"]
    assert await _guide_in_focus(context, "safety", ask, focus, {}) is None
    # A card held, weighed against another course, keeps its own guide.
    held = {"course": "open_water", "topic": "equivalence"}
    weighed = "I'm PADI Open Water. Is that the same as the Rescue course?"
    assert await _guide_in_focus(context, "certification", weighed, held, {}) == guide["path"]
    # A turn about a lost card is answered from the guide on cards, not the course's own.
    lost = "also i lost the card ages ago lol. problem?"
    assert await _guide_in_focus(context, "certification", lost, focus, {}) is None


def test_what_a_place_requires_of_a_diver_is_asked_of_its_sites_levels():
    from graph.site_passages import _asks_about_level

    focus = {"destination": "thailand-similan", "topic": "requirements"}
    assert _asks_about_level("will I need AOW for the similans or is OW fine?", focus)
    assert not _asks_about_level("do I need a permit for the park?", focus)


async def test_a_passage_just_below_the_cut_that_is_much_closer_in_meaning_is_kept():
    """ "how fast should I come up?" shares words with air tips; "Ascent rate" means it."""
    tips = [passage(f"general/air-{n}.md", "Breathe slowly.", similarity=0.35) for n in range(5)]
    ascent = passage("safety/ndl.md", "Ascend no faster than 18 m a minute.", similarity=0.49)
    far = passage("safety/other.md", "Something else.", similarity=0.36)
    retriever = ByTypeRetriever([], [*tips, far, ascent])
    found = await _search(
        SimpleNamespace(retriever=retriever),
        "come up",
        VECTOR,
        metadata_filters({}, "general"),
        "general",
    )
    # The far passage is not closer: it joins last, as the best of another document.
    assert found == [ascent, *tips, far]


async def test_the_best_passage_of_the_next_documents_joins_behind_the_top_ones():
    """One guide's sections fill the top five; the next two documents get a passage each,
    their best, behind them; a third document and the first guide's other sections do not."""
    guide = [passage("general/a.md", f"Section {n}.", similarity=0.5) for n in range(7)]
    second = passage("general/b.md", "The asked answer.", similarity=0.45)
    second_again = passage("general/b.md", "More of it.", similarity=0.44)
    third = passage("general/c.md", "Something near.", similarity=0.4)
    fourth = passage("general/d.md", "Further off.", similarity=0.39)
    ranked = [*guide[:5], guide[5], second, second_again, guide[6], third, fourth]
    retriever = ByTypeRetriever([], ranked)
    found = await _search(
        SimpleNamespace(retriever=retriever),
        "ask",
        VECTOR,
        metadata_filters({}, "general"),
        "general",
    )
    assert found == [*guide[:5], second, third]


def test_another_courses_guide_or_section_does_not_answer_for_the_course_in_focus():
    from graph.passage_plan import _about_course

    def guide(path, title, section):
        found = passage(path, "Text.", title=title, section=section)
        return {**found, "doc_type": "certification"}

    naui = "certifications/naui-advanced-and-rescue.md"
    title = "NAUI Advanced Scuba Diver and NAUI Rescue Scuba Diver"
    assert _about_course(guide(naui, title, "NAUI Rescue Scuba Diver"), "rescue", naui)
    assert not _about_course(guide(naui, title, "NAUI Advanced Scuba Diver"), "rescue", naui)
    assert _about_course(guide(naui, title, "Equivalents"), "rescue", naui)
    # A section naming a course its guide is not about ("Upgrading to Open Water") stays.
    padi = "certifications/padi-scuba-diver.md"
    upgrade = guide(padi, "PADI Scuba Diver", "Upgrading to Open Water")
    assert _about_course(upgrade, "scuba_diver", padi)
    deep = guide("certifications/specialty-deep-diver.md", "Deep Diver specialty", "Cost")
    assert not _about_course(deep, "scuba_diver", padi)
    costs = guide("certifications/course-costs.md", "Scuba course costs and duration", "Table")
    assert _about_course(costs, "scuba_diver", padi)


def test_the_last_answers_guide_leads_a_follow_up_on_the_same_subject():
    from graph.passage_plan import _document_in_focus_first

    kids = "certifications/kids.md"
    deep = passage("certifications/deep.md", "Deep divers go to 40 m.", similarity=0.55)
    junior = passage(kids, "Juniors aged 12-14 go to 18 m.", similarity=0.5)
    parents = passage(kids, "Parents: book a private lesson.", similarity=0.3)
    # nearly as close as the best passage: the guide in focus leads, its best section first
    assert _document_in_focus_first([deep], [parents, junior], kids) == [junior, parents, deep]
    # far below it: the turn has moved on to another subject
    assert _document_in_focus_first([deep], [parents], kids) == [deep]


class CachingEmbeddings:
    caches_queries = True

    def __init__(self):
        self.embedded = []


class OwnWordsRetriever(ByTypeRetriever):
    def __init__(self, found, embeddings):
        super().__init__(found, found)
        self.embeddings = embeddings

    async def query_vector(self, query, anchor=None):
        self.embeddings.embedded.append(query)
        return VECTOR


async def test_the_divers_own_words_get_a_second_opinion_only_when_the_focus_added_words():
    from graph.passage_plan import _own_words_search

    weak = passage("general/far.md", "Unrelated.", similarity=0.1)
    retriever = OwnWordsRetriever([SEASICKNESS, weak], CachingEmbeddings())
    context = SimpleNamespace(retriever=retriever)
    filters = {"doc_type": ["safety", "general"]}
    # Nothing added by the focus: the search already was the diver's words.
    assert await _own_words_search(context, "seasick?", "seasick?", filters) == []
    found = await _own_words_search(context, "seasick?", "seasick? Tioman boats", filters)
    assert found == [SEASICKNESS]  # below the similarity floor is noise
    assert retriever.calls == [filters]
    assert retriever.embeddings.embedded == ["seasick?"]  # the cached vector of its words
    # A model without a query cache would pay for another embedding: no second opinion.
    retriever.embeddings.caches_queries = False
    assert await _own_words_search(context, "seasick?", "seasick? Tioman", filters) == []
    assert len(retriever.calls) == 1


def _site_page(path: str, section: str):
    return {
        **passage(path, "Mantas circle the cleaning stations.", section=section),
        "doc_type": "dive_site",
    }


def test_a_suitable_sites_page_stands_beside_the_verdict_on_a_whole_place():
    from graph.site_passages import _speaks_for_a_place

    manta = "destinations/raja-ampat/sites/manta-sandy.md"
    beyond = {"destinations/raja-ampat/sites/blue-magic.md"}
    # What the site is like answers "anywhere I can see mantas at my level?" ...
    assert _speaks_for_a_place(_site_page(manta, "What you'll see"), beyond)
    # ... but its own verdict would read as said of the whole place,
    assert not _speaks_for_a_place(_site_page(manta, "Who it suits"), beyond)
    # and a site beyond the diver's level is no suggestion.
    assert not _speaks_for_a_place(_site_page(sorted(beyond)[0], "Overview"), beyond)
    assert _speaks_for_a_place(TRIP_GUIDE, beyond)


def test_below_the_floor_only_what_both_rankings_hold_fills_a_thin_list():
    from graph.passage_plan import _above_the_floor

    close = passage("safety/a.md", "Close in meaning.", similarity=0.5)
    agreed = {**passage("safety/lost-buddy.md", "Search for one minute.", similarity=0.18)}
    one_ranking = {**agreed, "path": "safety/b.md", "score": 1 / 61}
    assert _above_the_floor([agreed, close, one_ranking], k=5) == [close, agreed]
    # A list as long as k is not filled: the floor holds.
    assert _above_the_floor([agreed, close], k=1) == [close]


async def test_a_closer_guide_about_no_place_joins_whole_unless_the_turn_names_the_place():
    what_it_is = passage("general/liveaboards.md", "Expect 3–5 dives a day.", similarity=0.6)
    cost = {**what_it_is, "section": "Cost", "content": "Seven nights cost more."}
    tioman = {**TRIP_GUIDE, "destination": "tioman"}
    retriever = ByTypeRetriever([tioman], [what_it_is, cost, tioman])
    filters = metadata_filters({"destination": "tioman"}, "trip")
    context = SimpleNamespace(retriever=retriever)
    # "how many dives a day do liveaboards do?" with Tioman in focus: both passages, clearly
    # closer than Tioman's own, join behind it.
    found = await _search(context, "dives a day", VECTOR, filters, "trip")
    assert found == [tioman, what_it_is, cost]
    # "how many dives a day on a Tioman liveaboard?": the place's guides answer; the other
    # guide's best passage alone joins last.
    named = await _search(context, "dives a day", VECTOR, filters, "trip", names_place=True)
    assert named == [tioman, what_it_is]


def test_a_section_cut_in_parts_travels_whole():
    from graph.passage_plan import _with_whole_sections

    notes = passage("safety/flying.md", "Many advise 24 hours.", section="Intervals")
    table = {**notes, "content": "| Multiple dives | 18 hours |"}
    other = passage("safety/flying.md", "Cabins are pressurised.", section="Myths")
    intro = {**notes, "section": "", "content": "Flying after diving."}
    read_whole = [intro, table, notes, other]
    found = _with_whole_sections([notes, other], read_whole)
    # The table joins right after its notes; a section held whole, or untitled, adds nothing.
    assert found == [notes, table, other]
    assert _with_whole_sections([intro], read_whole) == [intro]


def test_the_second_guides_closest_section_joins_when_nearly_as_close_as_the_best():
    from graph.passage_plan import _with_next_document_section

    best = passage("safety/stops.md", "Stop for 3 minutes.", section="Stops", similarity=0.7)
    held = passage("safety/air.md", "Watch your gauge.", section="Gauges", similarity=0.6)
    close = passage("safety/air.md", "Come up slowly.", section="Ascent", similarity=0.68)
    far = passage("safety/air.md", "Share air.", section="Sharing", similarity=0.5)
    third = passage("safety/cold.md", "Wear a hood.", section="Hoods", similarity=0.69)
    read_whole = [best, held, close, far, third]
    # The second-closest guide's closest section not held joins last; a third guide's, or
    # one clearly further than the best passage, does not.
    assert _with_next_document_section([best, held], read_whole) == [best, held, close]
    assert _with_next_document_section([best, held], [best, held, far, third]) == [best, held]
    assert _with_next_document_section([best], read_whole) == [best]


async def test_a_turn_asking_for_other_places_gets_no_verdicts_for_the_place_in_focus():
    from graph.site_passages import with_site_levels

    guide = passage("destinations/sipadan/index.md", "Sipadan dives all year.")
    focus = {"destination": "redang", "elsewhere": True}
    question = "where else in malaysia could an open water diver go in november?"
    # No dive_sites lookup at all (the context has none): the place in focus is left behind.
    found = await with_site_levels(
        None, question, focus, {"certification_level": "open_water"}, [guide]
    )
    assert found == [guide]
