"""Answers are checked and marked the same way for practice and for grading."""

import pytest

from course_lib.answers import AnswerError, mark_self_check, normalise, normalise_reflection, score
from course_lib.content import load_lesson


@pytest.fixture
def lesson(sample):
    return load_lesson(sample)


@pytest.mark.parametrize("raw", [None, ""])
def test_no_choice_made_asks_the_learner_to_choose(lesson, raw):
    with pytest.raises(AnswerError, match="Please choose an answer first"):
        normalise(lesson.questions["g-single"], raw)


@pytest.mark.parametrize("raw", ["z", "<script>", 3, ["a"], {"a": 1}])
def test_a_value_not_among_the_options_gets_a_friendly_message(lesson, raw):
    with pytest.raises(AnswerError) as err:
        normalise(lesson.questions["g-single"], raw)
    assert "choose again" in str(err.value).lower()


def test_multiple_choice_rejects_unknown_ids_and_empty_answers(lesson):
    q = lesson.questions["g-multi"]
    with pytest.raises(AnswerError, match="at least one"):
        normalise(q, [])
    with pytest.raises(AnswerError, match="not among the choices"):
        normalise(q, ["a", "zz"])
    with pytest.raises(AnswerError, match="could not be read"):
        normalise(q, "a")
    assert normalise(q, ["c", "a"]) == ("a", "c")  # option order, whatever the order sent


def test_sort_needs_every_item_placed_in_a_real_category(lesson):
    q = lesson.questions["g-sort"]
    with pytest.raises(AnswerError, match="every item"):
        normalise(q, {"i1": "ot", "i2": ""})
    with pytest.raises(AnswerError, match="not among the options"):
        normalise(q, {"i1": "ot", "i2": "xx", "i3": "ot", "i4": "pt"})
    with pytest.raises(AnswerError, match="not in this question"):
        normalise(q, {"i1": "ot", "i9": "ot"})


def test_multiple_choice_credit_takes_off_for_wrong_ticks(lesson):
    q = lesson.questions["g-multi"]
    key = ("a", "c")
    assert score(q, ("a", "c"), key) == 1
    assert score(q, ("a",), key) == 0.5
    assert score(q, ("a", "b"), key) == 0
    assert score(q, ("a", "b", "c", "d"), key) == 0  # ticking everything earns nothing


def test_sort_credit_is_the_share_placed_right(lesson):
    q = lesson.questions["g-sort"]
    key = {"i1": "ot", "i2": "pt", "i3": "ot", "i4": "pt"}
    assert score(q, {"i1": "ot", "i2": "pt", "i3": "pt", "i4": "ot"}, key) == 0.5


def test_self_check_feedback_explains_each_ticked_and_missed_option(lesson):
    m = mark_self_check(lesson.self_checks["pick-many"], ("a", "b"))
    assert m.fraction == 0
    texts = [(ok, choice, why) for ok, choice, why in m.lines]
    assert (True, "Option A", "A fits.") in texts
    assert (False, "Option B", "B does not fit.") in texts
    assert (False, "Not ticked: Option C", "C fits.") in texts


def test_reflection_must_be_words_and_not_too_long():
    with pytest.raises(AnswerError, match="few words"):
        normalise_reflection("   ")
    with pytest.raises(AnswerError, match="shorten"):
        normalise_reflection("x" * 6000)
    with pytest.raises(AnswerError, match="could not be read"):
        normalise_reflection(["not", "text"])
    assert normalise_reflection("  My answer. ") == "My answer."
