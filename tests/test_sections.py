"""The sections of held documents a question asks for (chains/sections.py)."""

from chains.sections import documents_held, heading_named, sections_asked, with_sections
from tests.fakes import passage

GUIDE = "certifications/nitrox.md"
STRUCTURE = passage(GUIDE, "Theory and two workshops.", section="Course structure", similarity=0.7)
MYTHS = passage(GUIDE, "Nitrox is not for deep diving.", section="Myths", similarity=0.6)
DURATION = passage(GUIDE, "Usually half a day.", section="Duration and cost", similarity=0.4)
OTHER = passage("general/air.md", "Breathe slowly.", section="Tips for using less air")


def test_a_heading_is_named_when_the_diver_says_most_of_its_words():
    assert heading_named("how do I use less air?", "Tips for using less air")
    assert heading_named(
        "difference between advanced adventurer and advanced open water diver?",
        "Advanced Open Water Diver (the recognition rating)",
    )
    assert heading_named("and the safety stop?", "Planning > Safety stops")
    assert not heading_named("how long is the safety stop?", "Ascent rate")
    assert not heading_named("how do I use less air?", "Air sharing drills")


def test_the_section_headed_for_the_asked_kind_of_fact_joins_after_its_document():
    held = [STRUCTURE, MYTHS, OTHER]
    asked = sections_asked("how long does the course take?", None, held, [STRUCTURE, DURATION])
    assert asked == [DURATION]
    assert with_sections(held, asked) == [STRUCTURE, DURATION, MYTHS, OTHER]


def test_nothing_joins_that_is_held_unasked_or_far_in_meaning():
    held = [STRUCTURE, MYTHS]
    # Held already, or headed for nothing the question asks.
    assert sections_asked("is nitrox safe?", None, held, [STRUCTURE, MYTHS, DURATION]) == []
    far = {**DURATION, "similarity": 0.1}
    assert sections_asked("how long does it take?", None, held, [far]) == []


def test_the_conversations_topic_counts_and_named_sections_come_first():
    named = passage(GUIDE, "EAN32 and EAN36.", section="Gas mixes", similarity=0.3)
    found = sections_asked("and which gas mixes?", "duration", [MYTHS], [DURATION, named])
    assert found == [named, DURATION]


def test_the_closest_documents_are_the_ones_read():
    assert documents_held([MYTHS, {**OTHER, "similarity": 0.9}, STRUCTURE], 1) == [OTHER["path"]]


def test_a_kind_of_fact_is_looked_for_in_the_closest_document_only():
    basics = passage("general/nitrox-basics.md", "Fills cost extra.", similarity=0.8)
    held = [basics, STRUCTURE]
    assert sections_asked("how long does it take?", None, held, [STRUCTURE, DURATION]) == []
    # A section the diver names is looked for in the next documents too.
    named = sections_asked("and the duration and cost?", None, held, [STRUCTURE, DURATION])
    assert named == [DURATION]
