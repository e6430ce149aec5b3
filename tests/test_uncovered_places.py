"""Places the knowledge base does not cover are told apart from those it does, by mechanism:
the world gazetteer less what is covered, and capitalised names no list holds."""

import pytest

from chains import prompts
from graph.places import DESTINATION_ALIASES, Gazetteer, Site, load_dive_places
from graph.routing.router import TurnRouter
from tests.fakes import FixedRetriever, graph_conversation, passage

SITES = [Site("Renggis Island", "tioman", "destinations/tioman/sites/renggis-island.md")]
PLACES = Gazetteer.default(sites=SITES)


def slugs(text: str) -> list[str]:
    return [mention.slug for mention in PLACES.mentions(text)]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # Named in content/ only in passing: listed in the gazetteer, not covered.
        ("Is Coron good for wreck diving?", "coron"),
        ("What's the best month for Tulamben?", "tulamben"),
        ("How deep are the wrecks in Truk Lagoon?", "truk lagoon"),
        ("is lembeh worth it for muck diving", "lembeh"),
        ("Can an AOW diver do a Tubbataha liveaboard?", "tubbataha"),
        ("thinking about Bonaire for shore diving", "bonaire"),
        ("Can I dive Blue Corner in Palau?", "palau"),
        ("where should we go for a wreck trip? was thinking Scapa Flow", "scapa flow"),
        # Written with its accents, or without.
        ("After the Red Sea, the Galápagos is on my list: which season?", "galapagos"),
        ("Curaçao or Bonaire for shore diving?", "curacao"),
        # In no list: a capitalised name after "dive", "to", "in" with an unknown word.
        ("could we dive Kapoposang next month?", "kapoposang"),
        ("we're heading to Pulau Menyawak in May", "pulau menyawak"),
        # A country or a lake named on its own, with none of its sites.
        ("Thinking of Portugal for a first dive trip", "portugal"),
        ("what would I see diving in Lake Malawi?", "lake malawi"),
        ("Is Vietnam any good for diving in April?", "vietnam"),
    ],
)
def test_an_uncovered_place_is_recognised(text, place):
    assert f"uncovered:{place}" in slugs(text)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("can I dive at Renggis in March?", "tioman"),
        ("Is Sipadan OK for me?", "sipadan"),
        ("diving in Moalboal with PADI in August", "philippines-moalboal"),
        ("How do I get to Komodo from Bali?", "komodo"),
    ],
)
def test_a_covered_place_stays_covered(text, slug):
    assert slug in slugs(text)
    assert not any(s.startswith("uncovered:") and s != "uncovered:bali" for s in slugs(text))


@pytest.mark.parametrize(
    "text",
    [
        "Can I do my Open Water in August with PADI?",
        "can I dive in Sipadn in March",  # a typo of a covered place is not a new place
        "I live in Kuala Lumpur, how far is Tioman?",  # a guide's own names
        "Can I dive Chebeh on the first day?",  # an islet the Tioman guide names
        "I'll dive with Suunto or Shearwater",
        "my instructor at Bubbles Dive Centre said so",
    ],
)
def test_no_uncovered_place_is_invented(text):
    assert not [s for s in slugs(text) if s.startswith("uncovered:")]


def test_a_country_with_a_covered_place_is_not_taken_for_an_uncovered_one():
    assert not [s for s in slugs("Is Indonesia or Malaysia better in July?") if "uncovered" in s]


def test_a_country_gives_way_to_the_uncovered_place_in_it():
    assert slugs("what about Coron in the Philippines?") == ["uncovered:coron"]
    assert slugs("is the Philippines good in March?") == ["philippines-moalboal"]


def test_the_gazetteer_never_shadows_a_covered_name():
    """The world list may name a covered place; what is covered wins, whatever the file says."""
    for slug, names in DESTINATION_ALIASES.items():
        for name in names:
            assert PLACES.aliases[name] == slug
    assert len(load_dive_places()) > 200


@pytest.fixture(scope="module")
def router(embeddings):
    return TurnRouter(embeddings)


@pytest.fixture
def chat(router):
    site = passage(
        "destinations/tioman/sites/renggis-island.md",
        "Renggis Island\nRenggis is a shallow reef from 5 to 14 m.",
        title="Renggis Island",
        section="Depth and conditions",
        similarity=0.7,
    )
    turn, _ = graph_conversation(router, FixedRetriever([site]), PLACES, "uncovered")
    return turn


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("I am an SSI Open Water diver with 12 dives. Can I dive Blue Corner in Palau?", "Palau"),
        ("Do I need the Advanced course to dive Tubbataha?", "Tubbataha"),
        ("What's the water temperature in Truk Lagoon in June?", "Truk Lagoon"),
        ("Is Tulamben OK for an Open Water diver?", "Tulamben"),
        ("could we dive Kapoposang next month?", "Kapoposang"),
    ],
)
async def test_an_uncovered_place_gets_the_plain_answer_whatever_the_route(chat, message, place):
    state = await chat(message)
    assert f"don't have reliable information about {place}" in state["answer"]
    # What the diver said (level, dives) is not asked for again.
    assert prompts.FOLLOW_UPS["ask_level"] not in state["answer"]
    follow_up = await chat("what about the currents there?")
    assert f"don't have reliable information about {place}" in follow_up["answer"]


def test_a_site_named_for_a_group_or_a_bay_is_known_without_that_word():
    sites = [
        Site("Abu Nuhas Wrecks", "red-sea", "destinations/red-sea/sites/abu-nuhas-wrecks.md"),
        Site("Hanifaru Bay", "maldives", "destinations/maldives/sites/hanifaru-bay.md"),
        Site("Sugar Wreck", "redang", "destinations/redang/sites/sugar-wreck.md"),
    ]
    gazetteer = Gazetteer.default(sites=sites)
    [abu_nuhas] = gazetteer.mentions("Abu Nuhas - which wrecks are there?")
    assert abu_nuhas.site == sites[0] and abu_nuhas.slug == "red-sea"
    [hanifaru] = gazetteer.mentions("is Hanifaru good in August?")
    assert hanifaru.site == sites[1]
    # One wreck's name is not cut to an ordinary word.
    assert gazetteer.mentions("how much sugar should I eat before diving?") == []


async def test_an_uncovered_place_named_in_passing_does_not_stop_the_course_answer(chat):
    state = await chat(
        "My son got his NAUI Junior Scuba Diver card in Florida. "
        "Is that the same thing as PADI Junior Open Water?"
    )
    assert state["route"] == "certification"
    assert state["answer"].startswith(prompts.UNCOVERED_ASIDE.format(place="Florida"))
    assert "don't have reliable information about Florida" not in state["answer"]
    assert state["answer"].rstrip().endswith("?")


def test_koh_tao_is_a_destination_of_its_own_not_the_similans():
    assert slugs("heading to Koh Tao in July") == ["koh-tao"]
    assert slugs("the Similans in February") == ["thailand-similan"]


def test_a_sites_own_file_is_found_by_its_path():
    site = SITES[0]
    assert PLACES.site_at(site.path) == site
    assert PLACES.site_at("destinations/tioman/index.md") is None
    assert PLACES.site_at(None) is None


async def test_a_comparison_with_an_uncovered_place_answers_the_covered_one_and_names_the_other(
    chat,
):
    state = await chat("Fiji or Komodo for mantas in June?")
    assert state["route"] == "trip"
    assert state["answer"].startswith(prompts.UNCOVERED_ASIDE.format(place="Fiji"))
    assert "don't have reliable information" not in state["answer"]
