"""The one word normaliser of the answerer and the section finder (chains/words.py)."""

from chains.words import content_words, shared_stems, stem, stems


def test_the_forms_of_one_word_meet_at_one_stem():
    assert len({stem(w) for w in ("dive", "dives", "diving", "diver", "divers")}) == 1
    assert stem("using") == stem("use") == stem("used")
    assert stem("prices") == stem("price")
    assert stem("tips") == stem("tip")
    assert stem("reef") != stem("reefs") or stem("reef") == "reef"


def test_function_words_and_short_words_are_left_out_when_asked():
    assert content_words("How do I use less air?") == ["use", "less", "air"]
    assert stems("Tips for using less air", shortest=3) == {"tip", "us", "les", "air"}
    assert "vs" not in content_words("PADI vs SSI")


def test_a_longer_form_of_an_asked_word_is_shared():
    asked = stems("photography cost")
    assert shared_stems(asked, stems("photographers pay this price")) == {"photography"}
