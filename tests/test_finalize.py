"""The follow-up question read from an answer."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from graph.nodes.finalize import follow_up_of


def follow_up_as_before(answer: str) -> str | None:
    """The expression used until the quadratic scan was removed: the reference."""
    questions = re.findall(r"[^.!?\n]*\?", answer)
    return questions[-1].strip() if questions else None


@given(st.text(alphabet=st.sampled_from("ab ?.!\n,é"), max_size=80))
def test_the_same_question_as_the_old_expression_on_any_text(answer):
    assert follow_up_of(answer) == follow_up_as_before(answer)


def test_the_last_question_of_the_answer():
    answer = "Open Water takes 3 days. Would you like a shop? Or a plan?\nSafe diving!"
    assert follow_up_of(answer) == "Or a plan?"
    assert follow_up_of("No question here.") is None
    assert follow_up_of("Really??") == "?"


def test_a_long_answer_without_sentence_ends_is_read_in_one_pass():
    # Quadratic before: each of the 60k positions was scanned to the end of the text.
    answer = "word " * 12_000 + "done"
    assert follow_up_of(answer) is None
    assert follow_up_of(answer + "?") == answer.strip() + "?"
