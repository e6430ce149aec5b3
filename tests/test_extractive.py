"""The offline answerer is a product mode: it may only say what its passages say."""

import re
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from chains.extractive import NOTHING_RELEVANT, ExtractiveAnswerer
from chains.passages import render_passages
from chains.sentences import split_sentences
from tests.fakes import passage

CONTENT = Path(__file__).resolve().parent.parent / "content"

SEASONS = passage(
    "destinations/tioman/index.md",
    "Tioman Island — Seasons and weather\n"
    "- **Main season:** roughly March to October. Calmest seas and best visibility are usually "
    "April to August.\n"
    "- **Northeast monsoon:** November to February brings rough seas and many operators close.\n"
    "- **Water temperature:** around 27–30 °C through the season.",
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
NITROX = passage(
    "general/nitrox-basics.md",
    "Nitrox basics\nEnriched air nitrox contains more oxygen than air, usually 32 or 36 percent. "
    "It extends no-decompression limits on repetitive dives at recreational depths.",
    title="Nitrox basics",
    section="What it is",
)


def _ask(model, question, passages, history=()):
    system = SystemMessage(f"Rules.\n\nReference material:\n{render_passages(passages)}")
    return model.invoke([system, *history, HumanMessage(question)])


@pytest.fixture(scope="module")
def answerer(embeddings):
    return ExtractiveAnswerer(embeddings=embeddings)


def _normalise(text: str) -> str:
    return re.sub(r"[*_`]", "", re.sub(r"\s+", " ", text)).strip()


def test_every_sentence_of_the_answer_comes_from_a_passage(answerer):
    reply = _ask(answerer, "When is the best time to dive Tioman?", [SEASONS, FERRY, NITROX])
    *facts, follow_up = re.split(r"(?<=[.!?])\s+", reply.content.strip())
    assert 1 <= len(facts) <= 4
    assert not any("nitrox" in fact.lower() for fact in facts)  # no tangent to fill a quota
    # The passages' sentences, list items already made readable ("Main season is …").
    source = _normalise(
        " ".join(s for p in (SEASONS, FERRY, NITROX) for s in split_sentences(p["content"]))
    )
    for sentence in facts:
        # A sentence opening with "It …" may be prefixed with its passage's subject.
        quoted = re.sub(r"^(Tioman Island|Nitrox basics): ", "", _normalise(sentence))
        assert quoted.rstrip(".") in source, sentence
    assert follow_up.endswith("?") and reply.content.count("?") == 1
    assert any("April to August" in fact for fact in facts)


def test_it_cites_the_passages_it_quoted_and_only_those(answerer):
    reply = _ask(answerer, "How long is the ferry from Mersing?", [NITROX, FERRY, SEASONS])
    cited = reply.response_metadata["citations"]
    assert 2 in cited  # FERRY is the second passage in the prompt
    assert 1 not in cited  # nothing about nitrox answers a ferry question
    assert "ferry" in reply.content.lower()


def test_with_nothing_relevant_it_says_so_instead_of_inventing(answerer):
    reply = _ask(answerer, "What is the capital of Peru?", [NITROX])
    assert reply.content.startswith(NOTHING_RELEVANT)
    assert reply.response_metadata["citations"] == []
    empty = _ask(answerer, "When is the best time to dive Tioman?", [])
    assert empty.content.startswith(NOTHING_RELEVANT)


def test_streamed_tokens_add_up_to_the_answer(answerer):
    messages = [
        SystemMessage(f"Reference material:\n{render_passages([SEASONS, FERRY])}"),
        HumanMessage("What is the water temperature in Tioman?"),
    ]
    chunks = list(answerer.stream(messages))
    assert len(chunks) > 3
    assert "".join(str(c.content) for c in chunks) == answerer.invoke(messages).content
    assert chunks[-1].response_metadata["citations"]


def test_sentences_are_split_from_markdown_lists_and_tables():
    text = (
        "Intro line with four words.\n\n- **Depth:** 5–18 m. Easy.\n"
        "| Level | Depth |\n|---|---|\n| Open Water | 18 m |"
    )
    sentences = split_sentences(text)
    assert "Intro line with four words." in sentences
    assert "Depth is 5–18 m." in sentences
    assert "Open Water: depth 18 m" in sentences


@pytest.mark.parametrize(
    ("item", "sentence"),
    [
        (
            "- **Water temperature:** about 27–30 °C all year.",
            "Water temperature is about 27–30 °C all year.",
        ),
        (
            "- **Modes:** air, nitrox, gauge, freediving.",
            "Modes are air, nitrox, gauge, freediving.",
        ),
        # A label that says something, ends in a preposition, or names no thing, and an item
        # that gives an order, read as they are written.
        (
            "- **Mask:** place it on your face without the strap.",
            "Mask: place it on your face without the strap.",
        ),
        (
            "- **Fees vary widely:** roughly USD 700–2,500 for the path.",
            "Fees vary widely: roughly USD 700–2,500 for the path.",
        ),
        (
            "- **Best for:** swimming against current.",
            "Best for: swimming against current.",
        ),
        (
            "- **Curious but unsure:** take a try dive, from age 10.",
            "Curious but unsure: take a try dive, from age 10.",
        ),
        (
            "- **Rule:** get close to your subject.",
            "Rule: get close to your subject.",
        ),
        (
            "- **Your computer will show required stops:** follow them.",
            "Your computer will show required stops: follow them.",
        ),
        (
            "- **Accident prevention:** dive planning, buddy procedures and equipment checks.",
            "Accident prevention is dive planning, buddy procedures and equipment checks.",
        ),
        (
            "- **Flexibility:** dive as much or as little as you like.",
            "For Flexibility, dive as much or as little as you like.",
        ),
        (
            "- **Price:** roughly USD 250–500 for entry-level models.",
            "Price is roughly USD 250–500 for entry-level models.",
        ),
        (
            "- **Valsalva:** pinch your nose and blow gently.",
            "For Valsalva, pinch your nose and blow gently.",
        ),
        (
            "- **Security:** the waters of eastern Sabah have been under curfews.",
            "The waters of eastern Sabah have been under curfews.",
        ),
        (
            "- **Dry season (about April to November):** the main diving season.",
            "Dry season (about April to November) is the main diving season.",
        ),
        (
            "- **Start at the surface:** a gentle equalisation before you descend.",
            "Start at the surface: a gentle equalisation before you descend.",
        ),
        (
            "- **Structure:** the IDC typically lasts 10–14 days.",
            "The IDC typically lasts 10–14 days.",
        ),
        (
            "- Junior Advanced Open Water Divers aged 12–14: **21 m**.",
            "Junior Advanced Open Water Divers aged 12–14: 21 m.",
        ),
        (
            "- **Photographers:** tell your buddy before stopping.",
            "For Photographers, tell your buddy before stopping.",
        ),
        # A label that is itself the fact (the season's name) is kept.
        (
            "- **Northeast monsoon:** November to February brings strong winds.",
            "Northeast monsoon: November to February brings strong winds.",
        ),
    ],
)
def test_list_items_become_readable_sentences(item, sentence):
    assert split_sentences(item) == [sentence]


def test_a_label_is_joined_to_its_own_clause_not_to_a_later_sentence():
    item = (
        "- **Main season:** roughly March to October. Calmest seas are usually April to August.\n"
        "- **Water:** around 27–30 °C; a 3 mm shorty is plenty."
    )
    assert split_sentences(item) == [
        "Main season is roughly March to October.",
        "Calmest seas are usually April to August.",
        "Water is around 27–30 °C; a 3 mm shorty is plenty.",
    ]


def test_a_dropped_label_still_says_what_its_sentence_is_about():
    from chains.sentences import split_labelled

    item = "- **Marine park fee:** a conservation charge is collected at the jetty, about RM30."
    assert split_labelled(item) == [
        ("A conservation charge is collected at the jetty, about RM30.", "Marine park fee")
    ]


def test_items_after_a_lead_in_keep_their_capitals():
    text = (
        "Three hubs cover most trips:\n- Hurghada, for the Giftun islands.\n- the south, for reefs."
    )
    # Short items under one lead-in are read as one sentence, each item as it was written.
    assert split_sentences(text) == [
        "Three hubs cover most trips: Hurghada, for the Giftun islands; the south, for reefs."
    ]


def test_long_items_under_a_lead_in_stay_sentences_of_their_own():
    long_item = "a long explanation " * 6
    text = f"Don't dive if you:\n- have a cold.\n- {long_item.strip()}."
    sentences = split_sentences(text)
    assert sentences[0] == "Don't dive if you: have a cold."
    assert len(sentences) == 2


WETSUITS = passage(
    "general/wetsuits.md",
    "Wetsuits — Thickness guide\n"
    "| Water temperature | Suit |\n|---|---|\n"
    "| 26–30 °C | 3 mm shorty or full suit |\n"
    "| 21–25 °C | 5 mm full suit |\n"
    "| 10–16 °C | 7 mm semi-dry with hood |",
    title="Wetsuits",
    section="Thickness guide",
)
SIGNS = passage(
    "safety/dcs.md",
    "Decompression sickness — Signs and symptoms to recognise\n"
    "- Joint or limb pain, often a deep ache.\n"
    "- Numbness, tingling or pins and needles.\n"
    "- Unusual fatigue after a dive.",
    title="Decompression sickness",
    section="Signs and symptoms to recognise",
)
DCS_INTRO = passage(
    "safety/dcs.md",
    "Decompression sickness\nDecompression sickness happens when nitrogen absorbed at depth "
    "comes out of solution too quickly. It falls under decompression illness.",
    title="Decompression sickness",
    section="",
)


def test_a_number_the_diver_gives_finds_the_range_that_holds_it(answerer):
    warm = _ask(answerer, "What wetsuit should I wear in 28 degree water?", [WETSUITS])
    assert "3 mm" in warm.content
    cool = _ask(answerer, "What suit for 23 degree water?", [WETSUITS])
    assert "5 mm" in cool.content


def test_the_section_whose_heading_answers_the_question_is_quoted(answerer):
    # The opening section echoes the question's words best; the answer is under the heading
    # that names what was asked (it ranked first, as the retriever returned it).
    reply = _ask(answerer, "What are the signs of decompression sickness?", [SIGNS, DCS_INTRO])
    assert "Joint or limb pain" in reply.content or "Numbness" in reply.content
    assert reply.response_metadata["citations"][0] == 1


def test_a_lead_in_shared_by_quoted_items_is_said_once(answerer):
    prerequisites = passage(
        "certifications/instructor.md",
        "Instructor — Prerequisites\nPrerequisites for the IDC:\n"
        "- certified as a diver for at least 6 months.\n"
        "- at least 60 logged dives to start the IDC.",
        title="Instructor",
        section="Prerequisites",
    )
    reply = _ask(answerer, "What are the prerequisites for the IDC?", [prerequisites])
    assert reply.content.count("Prerequisites for the IDC:") == 1
    assert "60 logged dives" in reply.content and "6 months" in reply.content


def test_references_to_other_documents_are_dropped():
    text = (
        "Wrist computers are the most popular kind of computer. See dive computers and planning.\n"
        "- Buy a mask first (see [gear essentials](gear.md)).\n"
        "For budgets, see course costs and duration."
    )
    sentences = split_sentences(text)
    assert sentences == [
        "Wrist computers are the most popular kind of computer.",
        "Buy a mask first.",
    ]


def test_it_answers_what_the_question_asks_for(answerer):
    """ "when" is answered with months, "how long" with a duration, within ~120 words."""
    when = _ask(answerer, "When should I go?", [FERRY, SEASONS])
    assert "March to October" in when.content or "April to August" in when.content
    how_long = _ask(answerer, "How long does the ferry take?", [SEASONS, FERRY])
    assert "two hours" in how_long.content
    for reply in (when, how_long):
        assert len(reply.content.split()) <= 130 and reply.content.count("?") == 1


def test_a_verdict_leads_and_next_steps_come_before_the_question(answerer):
    from chains.passages import VERDICT_SECTION

    verdict = passage(
        "destinations/sipadan/sites/barracuda-point.md",
        "Barracuda Point dive sites\nBarracuda Point needs Advanced Open Water certification, so "
        "it is beyond an Open Water diver for now.",
        title="Barracuda Point dive sites",
        section=VERDICT_SECTION,
    )
    system = SystemMessage(
        "Rules. <follow_up>Shall I connect you with a shop?</follow_up>\n"
        "<next_steps>A partner shop will contact you.</next_steps>\n"
        f"Reference material:\n{render_passages([FERRY, verdict])}"
    )
    reply = answerer.invoke([system, HumanMessage("Can I dive Barracuda Point?")]).content
    assert reply.startswith("Barracuda Point needs Advanced Open Water")
    assert reply.endswith("A partner shop will contact you. Shall I connect you with a shop?")


def test_a_table_cut_across_chunks_does_not_take_its_first_row_for_column_names():
    rest_of_table = "| **16–20 °C** | 7 mm full suit |\n| **10–16 °C** | 7 mm semi-dry |"
    assert split_sentences(rest_of_table) == ["16–20 °C: 7 mm full suit", "10–16 °C: 7 mm semi-dry"]


def test_a_sub_sections_subject_leads_its_first_quoted_sentence(answerer):
    """ "Pros are better trim …" alone does not say which BCD it is about."""
    back = passage(
        "general/choosing-a-bcd-and-regulator.md",
        "Choosing a BCD and regulator — BCD styles > Back-inflate BCD\n"
        "The bladder sits behind you.\n"
        "- **Pros:** better horizontal trim, less clutter at the front, popular with "
        "photographers.",
        title="Choosing a BCD and regulator",
        section="BCD styles > Back-inflate BCD",
    )
    reply = _ask(answerer, "Which BCD is better for underwater photography?", [back])
    assert reply.content.startswith("Back-inflate BCD: ")
    assert "photographers" in reply.content  # "photography" asked, "photographers" written


MANTA_TIPS = passage(
    "destinations/maldives/sites/hanifaru-bay.md",
    "Hanifaru Bay — Tips\n- Keep at least about 3 m from mantas and 4 m from whale sharks.\n"
    "- Do not use flash photography.",
    title="Hanifaru Bay",
    section="Tips",
)
MANTA_SEASON = passage(
    "destinations/maldives/sites/hanifaru-bay.md",
    "Hanifaru Bay — Depth and conditions\nThe season runs roughly May to November, with the "
    "best chance of big aggregations from late July to early October.",
    title="Hanifaru Bay",
    section="Depth and conditions",
)


def test_how_close_is_answered_with_a_distance_not_the_last_questions_months(answerer):
    history = [HumanMessage("When is the best time to see the mantas at Hanifaru Bay?")]
    reply = _ask(answerer, "how close can we get?", [MANTA_SEASON, MANTA_TIPS], history)
    assert reply.content.startswith("Keep at least about 3 m")


NEXT_NEW = passage(
    "certifications/choosing-your-next-course.md",
    "Choosing your next course — Newly certified Open Water diver (0–10 logged dives)\n"
    "Go fun diving first, then take Advanced Open Water as your next course.",
    title="Choosing your next course",
    section="Newly certified Open Water diver (0–10 logged dives)",
)
NEXT_ADVANCED = passage(
    "certifications/choosing-your-next-course.md",
    "Choosing your next course — Advanced diver with 20–50 dives\n"
    "Rescue Diver is the natural next course after Advanced Open Water.",
    title="Choosing your next course",
    section="Advanced diver with 20–50 dives",
)


def test_the_section_written_for_the_divers_experience_answers_them(answerer):
    profile = '{"certification_level": "open_water", "logged_dives": 8}'
    system = SystemMessage(
        f"Rules.\n\nWhat we know about this diver: {profile}\n\n"
        f"Reference material:\n{render_passages([NEXT_ADVANCED, NEXT_NEW])}"
    )
    reply = answerer.invoke([system, HumanMessage("What should I do next?")])
    assert reply.content.startswith("Go fun diving first")


def test_a_lead_in_left_without_its_reference_is_dropped():
    text = (
        "An SSI diver can join PADI Rescue. For level comparisons, see "
        "[agency equivalency](agency-equivalency.md). Nitrox is fine (see the table below)."
    )
    assert split_sentences(text) == ["An SSI diver can join PADI Rescue.", "Nitrox is fine."]


DCS_SIGNS = passage(
    "safety/decompression-sickness.md",
    "Decompression sickness — Signs and symptoms to recognise\n"
    "- Joint or limb pain, often a deep ache not made worse by movement.\n"
    "- Numbness, tingling or pins and needles.\n"
    "- Unusual fatigue or feeling very unwell after a dive.",
    title="Decompression sickness",
    section="Signs and symptoms to recognise",
)


def test_a_short_form_the_guides_write_out_is_read_as_its_long_form(answerer):
    """The diver writes "DCS" and a lead-in of their own; the guide writes "decompression
    sickness": the answer still quotes the signs instead of saying it knows nothing."""
    reply = _ask(
        answerer, "quick check before my theory exam: what are the signs of DCS?", [DCS_SIGNS]
    )
    assert NOTHING_RELEVANT not in reply.content
    assert "tingling" in reply.content


def test_a_sentence_that_opens_on_a_pronoun_names_its_subject_in_the_sentence():
    from chains.answer_text import anchored

    title = "Komodo National Park, Indonesia: Diving Destination Guide"
    assert (
        anchored("It is a UNESCO World Heritage Site.", title)
        == "Komodo National Park is a UNESCO World Heritage Site."
    )
    assert anchored("There are strong currents.", title) == (
        "At Komodo National Park, there are strong currents."
    )
    # "This reef …" has no verb after the pronoun: the subject is named before it.
    assert anchored("This reef wall drops to 40 m.", title).startswith(
        "Komodo National Park, Indonesia: This reef"
    )
    assert anchored("Currents are strong.", title) == "Currents are strong."


def test_a_number_given_in_months_or_dives_is_not_matched_by_another_units_range():
    from chains.sentence_scores import number_bonus

    months = "it has been 14 months since my last dive"
    assert number_bonus(months, "Junior Open Water, age 12–14: maximum 18 m.") == 0.0
    assert number_bonus(months, "After 12–24 months most operators ask for a refresher.") > 0
    # Ages and temperatures are often written without their unit: still matched.
    assert number_bonus("my son is a 12 year old", "Ages 10–14 can join.") > 0
    assert number_bonus("28 degree water", "26–30 °C: a 3 mm suit.") > 0


AOW_DEPTHS = passage(
    "certifications/padi-advanced-open-water.md",
    "PADI Advanced Open Water — Depth limits\n"
    "- The recommended maximum depth becomes 30 m.\n"
    "- Junior Advanced Open Water Divers aged 12–14: 21 m.\n"
    "- Going beyond 30 m calls for the Deep Diver specialty.",
    title="PADI Advanced Open Water",
    section="Depth limits",
)


def test_an_adult_is_not_answered_with_the_junior_limits(answerer):
    reply = _ask(answerer, "how deep can I go with my Advanced?", [AOW_DEPTHS])
    assert "30 m" in reply.content
    assert "21 m" not in reply.content and "Junior" not in reply.content


def test_the_junior_limits_answer_when_someone_young_is_in_the_conversation(answerer):
    history = [HumanMessage("my nephew is 13 and wants to come along")]
    reply = _ask(answerer, "how deep can he go after the Advanced?", [AOW_DEPTHS], history)
    assert "21 m" in reply.content


def test_minimum_ages_for_everyone_are_not_taken_for_childrens_rules():
    from chains.sentence_scores import Candidate, for_the_young

    def young(text, heading="Prerequisites"):
        return for_the_young(Candidate(passage=1, position=0, text=text, heading=heading))

    assert young("12–14: junior Open Water (PADI/SSI) Max 18 m.")
    assert young("Divers aged 10–11 may dive to 12 m with a professional.")
    assert young("Bubblemaker is a first breath underwater.", heading="Programmes for ages 8–9")
    assert not young("Minimum age 15 (PADI and SSI).")
    assert not young("Minimum age is commonly 12, with junior conditions for younger teens.")


def test_the_next_sections_best_sentence_is_not_crowded_out_by_the_first(answerer):
    """Seven good habits do not leave the techniques out: the second section answering
    the question gets its best sentence in (the guide's own sections)."""
    guide = (CONTENT / "safety" / "equalisation-and-ear-barotrauma.md").read_text()

    def section(name):
        body = guide.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
        return passage(
            "safety/equalisation-and-ear-barotrauma.md",
            f"Equalisation and ear barotrauma — {name}\n{body}",
            title="Equalisation and ear barotrauma",
            section=name,
        )

    reply = _ask(
        answerer,
        "my ears hurt every time I go down past 3 metres, what can I do?",
        [section("Good habits"), section("Techniques")],
    )
    assert "Equalise early and often" in reply.content
    assert any(name in reply.content for name in ("Valsalva", "Frenzel", "Toynbee"))


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("my son is 9, can he join?", "age"),
        ("I'm a BSAC Sports Diver. What's that in PADI terms?", "equivalence"),
        ("CMAS 2 star, what is that in SSI?", "equivalence"),
        ("I want to see the wreck. possible with my open water?", "suitability"),
    ],
)
def test_the_kind_of_fact_is_read_from_ordinary_phrasing(question, topic):
    from chains.questions import topics_of

    assert topic in {t.name for t in topics_of(question)}


def test_an_item_that_opens_on_a_name_keeps_the_name_on_its_sentence():
    item = (
        "2. **Controlled emergency swimming ascent (CESA).** If your buddy is too far away, "
        "swim up exhaling. Expanding air lets you keep exhaling.\n"
        "- **Never force it.** Forceful Valsalva can damage the inner ear."
    )
    assert split_sentences(item) == [
        "Controlled emergency swimming ascent (CESA): if your buddy is too far away, swim up "
        "exhaling.",
        "Expanding air lets you keep exhaling.",
        # A title with a verb is a sentence of its own.
        "Never force it.",
        "Forceful Valsalva can damage the inner ear.",
    ]


def test_several_dives_or_days_are_answered_by_the_row_for_multiple_dives():
    from chains.sentence_scores import number_bonus

    asked = "i dive fri and sat, two dives a day, and fly home sunday. ok?"
    multiple = "Multiple dives per day or multiple days of diving: minimum interval 18 hours."
    single = "A single no-decompression dive: minimum interval 12 hours."
    assert number_bonus(asked, multiple) > 0 > number_bonus(asked, single)
    assert number_bonus("3 days diving, 3 dives each day", multiple) > 0
    # One dive is not several.
    assert number_bonus("just one dive on the last day", multiple) <= 0


def test_a_lone_sentence_far_ahead_of_the_rest_is_not_the_whole_answer(answerer):
    tips = passage(
        "certifications/cmas-and-bsac.md",
        "CMAS and BSAC — Tips for divers travelling\n"
        "- **Check depth limits:** a resort's 30 m limit applies whatever your home federation "
        "allows.",
        title="CMAS and BSAC",
        section="Tips for divers travelling",
    )
    equivalences = passage(
        "certifications/cmas-and-bsac.md",
        "CMAS and BSAC — Equivalences in practice\n"
        "Ocean Diver is accepted as Open Water level, though note its 20 m limit.",
        title="CMAS and BSAC",
        section="Equivalences in practice",
    )
    reply = _ask(
        answerer,
        "I'm a BSAC Ocean Diver. Will shops abroad accept my card, and how deep can I go?",
        [tips, equivalences],
    )
    assert "20 m" in reply.content


def test_a_shortened_sentence_keeps_its_main_clause_and_the_codes_beside_its_numbers():
    from chains.answer_text import shortened

    assert shortened(
        "Water temperature is around 27–30 °C year-round; a 3 mm suit is usually enough."
    ) == ["Water temperature is around 27–30 °C year-round."]
    assert shortened(
        "Never hold your breath (even for a moment), which can tear the lungs on ascent."
    ) == [
        "Never hold your breath, which can tear the lungs on ascent.",
        "Never hold your breath.",
    ]
    # "(USD)" says what the number is: it stays.
    assert shortened("Divemaster: southeast Asia (USD) 800–3,500 (incl. internships).") == [
        "Divemaster: southeast Asia (USD) 800–3,500."
    ]
    assert shortened("Fly to Phuket.") == []
