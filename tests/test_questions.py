"""Answers are checked and marked the same way for practice and for grading, by each kind's class."""

import pytest

from course_lib.content import load_lesson
from course_lib.questions import KINDS, AnswerError, MultipleChoice, Reflection, SingleChoice, Sorting


@pytest.fixture
def lesson(sample):
    return load_lesson(sample)


def test_each_kind_is_one_class_found_by_its_name():
    assert {"single": SingleChoice, "multiple": MultipleChoice, "sort": Sorting} == KINDS


@pytest.mark.parametrize("raw", [None, ""])
def test_no_choice_made_asks_the_learner_to_choose(lesson, raw):
    with pytest.raises(AnswerError, match="Please choose an answer first"):
        lesson.questions["g-single"].normalise(raw)


@pytest.mark.parametrize("raw", ["z", "<script>", 3, ["a"], {"a": 1}])
def test_a_value_not_among_the_options_gets_a_friendly_message(lesson, raw):
    with pytest.raises(AnswerError) as err:
        lesson.questions["g-single"].normalise(raw)
    assert "choose again" in str(err.value).lower()


def test_multiple_choice_rejects_unknown_ids_and_empty_answers(lesson):
    q = lesson.questions["g-multi"]
    with pytest.raises(AnswerError, match="at least one"):
        q.normalise([])
    with pytest.raises(AnswerError, match="not among the choices"):
        q.normalise(["a", "zz"])
    with pytest.raises(AnswerError, match="could not be read"):
        q.normalise("a")
    assert q.normalise(["c", "a"]) == ("a", "c")  # option order, whatever the order sent


def test_sort_needs_every_item_placed_in_a_real_category(lesson):
    q = lesson.questions["g-sort"]
    with pytest.raises(AnswerError, match="every item"):
        q.normalise({"i1": "ot", "i2": ""})
    with pytest.raises(AnswerError, match="not among the options"):
        q.normalise({"i1": "ot", "i2": "xx", "i3": "ot", "i4": "pt"})
    with pytest.raises(AnswerError, match="not in this question"):
        q.normalise({"i1": "ot", "i9": "ot"})


def test_multiple_choice_credit_takes_off_for_wrong_ticks(lesson):
    q = lesson.questions["g-multi"]  # the key is a and c
    assert q.score(("a", "c")) == 1
    assert q.score(("a",)) == 0.5
    assert q.score(("a", "b")) == 0
    assert q.score(("a", "b", "c", "d")) == 0  # ticking everything earns nothing


def test_sort_credit_is_the_share_placed_right(lesson):
    q = lesson.questions["g-sort"]
    assert q.score({"i1": "ot", "i2": "pt", "i3": "pt", "i4": "ot"}) == 0.5


def test_marking_explains_each_ticked_option_and_keeps_the_missed_ones_apart(lesson):
    m = lesson.self_checks["pick-many"].mark(("a", "b"))
    assert m.fraction == 0
    assert [(line.ok, line.chosen, line.why) for line in m.lines] == [(True, "Option A", "A fits."),
                                                                       (False, "Option B", "B does not fit.")]
    assert [o.text for o in m.missed] == ["Option C"]


def test_a_wrong_single_choice_names_the_right_option_only_as_missed(lesson):
    m = lesson.questions["g-single"].mark("a")
    assert (m.fraction, m.lines[0].why, [o.id for o in m.missed]) == (0, "A is a common mix-up.", ["b"])


def test_answers_are_described_in_words(lesson):
    assert lesson.questions["g-multi"].describe(("a", "c")) == "Option A; Option C"
    assert lesson.questions["g-sort"].describe({"i1": "ot", "i2": "pt"}) == "One → Mostly OT; Two → Mostly PT"


def test_key_positions_are_what_the_guessing_check_counts(lesson):
    assert lesson.questions["g-single"].key_positions() == (1,)
    assert lesson.questions["g-multi"].key_positions() == (0, 2)
    assert lesson.questions["g-sort"].key_positions() == ()


def test_length_cues_are_what_the_guessing_check_counts(lesson):
    single, multi = lesson.questions["g-single"], lesson.questions["g-multi"]
    assert (single.length_cue().ratio, single.length_cue().rank) == (1.0, 0)  # a tie counts as the longest
    assert (multi.length_cue().ratio, multi.length_cue().excess) == (1.0, 0)
    assert lesson.questions["g-sort"].length_cue() is None


def test_reflection_must_be_words_and_not_too_long():
    with pytest.raises(AnswerError, match="few words"):
        Reflection.normalise("   ")
    with pytest.raises(AnswerError, match="shorten"):
        Reflection.normalise("x" * 6000)
    with pytest.raises(AnswerError, match="could not be read"):
        Reflection.normalise(["not", "text"])
    assert Reflection.normalise("  My answer. ") == "My answer."


def test_the_graders_rubric_says_how_points_are_given(lesson):
    text = lesson.reflections["think"].rubric_for_grader()
    assert "(2 points)" in text and "one point for each" in text and "1. Names one thing." in text
