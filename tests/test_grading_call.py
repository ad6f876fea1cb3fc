"""The hidden-test call marks what the learner saved, shows why, and returns the points; the key,
the points and the feedback come from the lesson data, never from the call."""

import pytest

import course_lib
from course_lib.reader import LessonError


@pytest.fixture
def graded(sample):
    learner = course_lib.open_lesson(sample, mode="learn")
    learner.store.save("questions/g-single", "b")
    learner.store.save("questions/g-multi", ["a"])
    return course_lib.open_lesson(sample, mode="grade")


def test_a_right_answer_earns_the_points_in_the_data_and_the_learner_sees_why(graded, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    assert graded.grade("g-single") == 2
    text = course_lib.views.text_of(shown[-1])
    assert "Your answer: Option B" in text and "Why: Because B." in text and "Points: 2 of 2" in text


def test_a_half_right_multiple_choice_earns_half(graded):
    assert graded.grade("g-multi") == 1


def test_an_unanswered_question_scores_zero_and_says_so(graded, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    assert graded.grade("g-sort") == 0
    assert "No answer was saved" in shown[-1]


def test_a_damaged_answers_file_scores_zero_and_says_why(sample, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    (sample / "my-answers.json").write_text("{oops", encoding="utf-8")
    lesson = course_lib.open_lesson(sample, mode="grade")
    assert lesson.grade("g-single") == 0
    assert "damaged" in shown[-1]
    assert sorted(p.name for p in sample.iterdir()) == ["lesson.yaml", "my-answers.json"]


def test_an_answers_file_of_another_lesson_scores_zero_and_says_so(sample, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    (sample / "my-answers.json").write_text('{"format": 1, "lesson": "01-what-is-ot", "answers": '
                                            '{"questions/g-single": {"value": "b"}}}', encoding="utf-8")
    assert course_lib.open_lesson(sample, mode="grade").grade("g-single") == 0
    assert "another lesson" in shown[-1]


def test_an_unknown_question_is_an_authors_error(graded):
    with pytest.raises(LessonError, match="no question called 'nope'"):
        graded.grade("nope")


def test_grading_mode_shows_no_widgets_and_shows_the_reflection_escaped(sample):
    course_lib.open_lesson(sample).store.save("reflections/think", "<b>bold</b> and long " * 40)
    graded = course_lib.open_lesson(sample, mode="grade")
    assert graded.question("g-single") is None and graded.self_check("pick-one") is None
    html = graded.reflection("think").data
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html
    assert "pre-wrap" in html  # long text wraps; nothing is cut off


def test_the_grader_sees_a_reflection_as_written_never_reversed_or_dropped(sample):
    store = course_lib.open_lesson(sample).store
    store.save("reflections/think", "I agree \u202eyllaer ton\u202c with the plan.")
    html = course_lib.open_lesson(sample, mode="grade").reflection("think").data
    assert "I agree yllaer ton with the plan." in html and "\u202e" not in html  # no right-to-left override
    store.save("reflections/think", "word " * 1200 + "end")  # 6,003 characters: the box stops at 5,000
    html = course_lib.open_lesson(sample, mode="grade").reflection("think").data
    assert "No reflection was saved" not in html and "6,003 characters long" in html and "word word" in html
