"""An instructor's whole nbgrader cycle, with nbgrader's own commands, on every lesson:
release, learners hand in, autograde, feedback, grades export."""

from __future__ import annotations

import csv

import pytest
from conftest import copy_course
from learners import answer_key, hand_in, wrong_answer

from course_lib import instructor
from course_lib.checks import lesson_folders
from course_lib.content import load_lesson
from course_lib.instructor import Course

pytestmark = pytest.mark.slow

LEARNERS = {  # id: (first name, last name)
    "ada": ("Ada", "Lovelace"),
    "blank": ("Bo", "Blank"),
    "part": ("Zoë", "Ñúñez-Ortiz"),
    "tamper": ("Sam", "Smith, Jr."),
}


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A copy of the course, released, with four learners' work handed in and graded."""
    course = Course(copy_course(tmp_path_factory.mktemp("course")))
    instructor.release(course)
    for learner, (first, last) in LEARNERS.items():
        course.nbgrader("db", "student", "add", learner, f"--first-name={first}", f"--last-name={last}")

    expected = {learner: {} for learner in LEARNERS}
    submitted = course.grading / "submitted"
    for folder in lesson_folders(course.notebooks):
        keys, content = answer_key(folder), load_lesson(folder)
        release_lesson = course.release / folder.name
        total = sum(points for _key, points in keys.values())
        hand_in(release_lesson, submitted, "ada", {q: k for q, (k, _p) in keys.items()}, "Recess games.")
        expected["ada"][folder.name] = total
        hand_in(release_lesson, submitted, "blank", {}, None)
        expected["blank"][folder.name] = 0
        if folder.name != lesson_folders(course.notebooks)[0].name:
            continue  # partial and tampered work: on the first lesson only, to keep the run short
        # part: the first question right, one multiple-choice question half right, the rest wrong
        first = next(iter(keys))
        multi = next(q for q in keys if content.questions[q].kind == "multiple" and len(keys[q][0]) >= 2)
        assert first != multi, "the first graded question should not be the multiple-choice one"
        part = {q: wrong_answer(content.questions[q], k) for q, (k, _p) in keys.items()}
        part[first] = keys[first][0]
        part[multi] = [keys[multi][0][0]]
        hand_in(release_lesson, submitted, "part", part, "Zoë’s answer, with “quotes”.")
        expected["part"][folder.name] = keys[first][1] + keys[multi][1] / len(keys[multi][0])
        # tamper: every answer wrong, and every test cell turned into `pass`
        hand_in(release_lesson, submitted, "tamper", part | {first: wrong_answer(content.questions[first],
                                                                                  keys[first][0])},
                None, tamper=True)
        expected["tamper"][folder.name] = keys[multi][1] / len(keys[multi][0])

    instructor.autograde(course)
    instructor.feedback(course)
    out = course.grading / "grades.csv"
    instructor.export_grades(course, out)
    return course, expected, out


def _scores(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course.grading / 'gradebook.db'}") as gb:
        return {(s.student.id, s.assignment.name): (s.score, s.max_score) for a in gb.assignments
                for s in a.submissions}


def test_autograded_scores_match_what_each_learner_answered(graded_course):
    course, expected, _out = graded_course
    scores = _scores(course)
    for learner, lessons in expected.items():
        for lesson, points in lessons.items():
            # points are rounded to hundredths when graded, as a learner sees them
            assert scores[(learner, lesson)][0] == pytest.approx(points, abs=0.01), (learner, lesson)


def test_all_correct_earns_every_autograded_point_and_blank_earns_none(graded_course):
    course, expected, _out = graded_course
    scores = _scores(course)
    for lesson in expected["ada"]:
        assert scores[("ada", lesson)][0] == expected["ada"][lesson] > 0
        assert scores[("blank", lesson)][0] == 0
        # the reflection is still to be graded by a person, so the maximum is higher
        assert scores[("ada", lesson)][1] > scores[("ada", lesson)][0]


def test_editing_a_locked_test_cell_to_pass_does_not_earn_points(graded_course):
    course, expected, _out = graded_course
    scores = _scores(course)
    for lesson in expected["tamper"]:
        assert scores[("tamper", lesson)][0] == pytest.approx(expected["tamper"][lesson], abs=0.01)
        assert scores[("tamper", lesson)][0] < expected["ada"][lesson]


def test_reflections_wait_for_a_person_and_show_what_the_learner_wrote(graded_course):
    course, expected, _out = graded_course
    for lesson in expected["part"]:
        page = (course.grading / "autograded" / "part" / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8")
        assert "Zoë’s answer" in page or "Zo\\u00eb\\u2019s answer" in page
        # the grader has the rubric beside the answer (it was kept out of the learner's copy)
        assert "BEGIN MARK SCHEME" in page
        assert "BEGIN MARK SCHEME" not in (course.release / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8")


def test_feedback_pages_tell_each_learner_their_answers_and_the_right_ones(graded_course):
    course, expected, _out = graded_course
    for learner in LEARNERS:
        for lesson in expected[learner]:
            page = (course.grading / "feedback" / learner / lesson / f"{lesson}.html").read_text(encoding="utf-8")
            assert "Correct answer:" in page
            if learner == "blank":
                assert "No answer was saved" in page
            if learner == "ada":
                assert "Your answer:" in page and "No answer was saved" not in page


def test_grades_csv_has_one_row_per_learner_and_lesson_with_awkward_names_intact(graded_course):
    course, expected, out = graded_course
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    lessons = sorted(expected["ada"])
    assert [(r["learner_id"], r["lesson"]) for r in rows] == [(s, les) for s in sorted(LEARNERS) for les in lessons]
    by_id = {r["learner_id"]: r for r in rows}
    assert by_id["tamper"]["last_name"] == "Smith, Jr."
    assert by_id["part"]["first_name"] == "Zoë" and by_id["part"]["last_name"] == "Ñúñez-Ortiz"
    assert float(by_id["ada"]["score"]) == expected["ada"][lessons[-1]]
    assert by_id["ada"]["needs_manual_grading"] == "yes"
