"""The hidden-test call marks what the learner saved, prints feedback and returns points."""

import pytest

import course_lib


@pytest.fixture
def graded(sample):
    learner = course_lib.open_lesson(sample, mode="learn")
    learner.store.save("questions/g-single", "b")
    learner.store.save("questions/g-multi", ["a"])
    return course_lib.open_lesson(sample, mode="grade")


def test_a_right_answer_earns_the_points_and_the_learner_sees_why(graded, capsys):
    assert graded.grade("g-single", answer="b", points=2, why="Because B.") == 2
    out = capsys.readouterr()
    assert "Your answer: Option B" in out.out and "Why: Because B." in out.out and out.err == ""


def test_a_half_right_multiple_choice_earns_half(graded):
    assert graded.grade("g-multi", answer=["a", "c"], points=2) == 1


def test_an_unanswered_question_scores_zero_without_an_error(graded, capsys):
    assert graded.grade("g-sort", answer={"i1": "ot", "i2": "pt", "i3": "ot", "i4": "pt"}, points=2) == 0
    assert "No answer was saved" in capsys.readouterr().out


def test_a_damaged_answers_file_scores_zero_and_says_why(sample, capsys):
    (sample / "my-answers.json").write_text("{oops", encoding="utf-8")
    lesson = course_lib.open_lesson(sample, mode="grade")
    assert lesson.grade("g-single", answer="b") == 0
    assert "damaged" in capsys.readouterr().out
    assert sorted(p.name for p in sample.iterdir()) == ["lesson.yaml", "my-answers.json"]


def test_a_wrong_answer_key_is_an_error_for_the_instructor(graded):
    with pytest.raises(ValueError, match="answer key for question 'g-single'"):
        graded.grade("g-single", answer="z")


def test_grading_mode_prints_the_saved_answer_instead_of_a_widget(graded, capsys):
    graded.question("g-single")
    graded.reflection("think")
    out = capsys.readouterr().out
    assert "Your saved answer: Option B" in out
    assert "(No reflection was saved.)" in out
    assert graded.views == {}
