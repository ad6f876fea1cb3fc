"""An instructor's whole nbgrader cycle, with nbgrader's own commands, on every lesson:
release, learners hand in, autograde, feedback, grades export."""

from __future__ import annotations

import csv

import pytest
from conftest import copy_course
from learners import answer_key, hand_in, wrong_answer

from course_lib import instructor
from course_lib.build.nbgrader import run_nbgrader
from course_lib.content import load_lesson
from course_lib.layout import CourseLayout

pytestmark = pytest.mark.slow

LEARNERS = {  # id: (first name, last name)
    "ada": ("Ada", "Lovelace"),
    "blank": ("Bo", "Blank"),
    "part": ("Zoë", "Ñúñez-Ortiz"),
    "tamper": ("Sam", "Smith, Jr."),
    "forger": ("Fay", "Forge"),
}


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A copy of the course, released, with the learners' work handed in and graded."""
    course = CourseLayout(copy_course(tmp_path_factory.mktemp("course")))
    instructor.release(course, say=lambda _line: None)
    for learner, (first, last) in LEARNERS.items():
        run_nbgrader(course, "db", "student", "add", learner, f"--first-name={first}", f"--last-name={last}")

    expected = {learner: {} for learner in LEARNERS}
    for lid in course.lesson_ids:
        keys, content = answer_key(course.lesson(lid)), load_lesson(course.lesson(lid))
        release_lesson = course.release / lid
        total = sum(points for _key, points in keys.values())
        hand_in(release_lesson, course.submitted, "ada", {q: k for q, (k, _p) in keys.items()}, "Recess games.")
        expected["ada"][lid] = total
        hand_in(release_lesson, course.submitted, "blank", {}, None)
        expected["blank"][lid] = 0
        if lid != course.lesson_ids[0]:
            continue  # partial and tampered work: on the first lesson only, to keep the run short
        # part: the first question right, one multiple-choice question half right, the rest wrong
        first = next(iter(keys))
        multi = next(q for q in keys if content.questions[q].kind == "multiple" and len(keys[q][0]) >= 2)
        assert first != multi, "the first graded question should not be the multiple-choice one"
        part = {q: wrong_answer(content.questions[q], k) for q, (k, _p) in keys.items()}
        part[first] = keys[first][0]
        part[multi] = [keys[multi][0][0]]
        hand_in(release_lesson, course.submitted, "part", part, "Zoë’s answer, with “quotes”.")
        expected["part"][lid] = keys[first][1] + keys[multi][1] / len(keys[multi][0])
        # tamper: every answer wrong, and every test cell of the notebook turned into `pass`
        tampered = hand_in(release_lesson, course.submitted, "tamper",
                           part | {first: wrong_answer(content.questions[first], keys[first][0])}, None)
        _replace_test_cells(tampered / f"{lid}.ipynb", "pass")
        expected["tamper"][lid] = keys[multi][1] / len(keys[multi][0])
        # forger: every answer wrong, and the lesson data edited so that the wrong answers are "right"
        forged = hand_in(release_lesson, course.submitted, "forger", part, None)
        _make_wrong_answers_right(forged / "lesson.yaml", part)
        expected["forger"][lid] = expected["part"][lid]

    instructor.autograde(course)
    instructor.feedback(course)
    instructor.export_grades(course, course.grades_csv)
    return course, expected, course.grades_csv


def _replace_test_cells(path, source: str) -> None:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = source
    nbformat.write(nb, path)


def _make_wrong_answers_right(data_file, answers: dict) -> None:
    """What a learner who read the source format might try: put keys matching their answers in
    their copy of the lesson data (a release has none)."""
    import yaml

    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    data["edition"] = "source"
    for qid, value in answers.items():
        q = data["questions"][qid]
        q["why"] = "Forged."
        for item in q.get("options") or ():
            item["correct"] = item["id"] in (value if isinstance(value, list) else [value])
        for item in q.get("items") or ():
            item["answer"] = value[item["id"]]
    data_file.write_text(yaml.safe_dump(data), encoding="utf-8")


def _scores(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course.gradebook}") as gb:
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


def test_a_learners_edited_lesson_data_cannot_change_their_grade(graded_course):
    course, expected, _out = graded_course
    scores = _scores(course)
    for lesson in expected["forger"]:
        assert scores[("forger", lesson)][0] == pytest.approx(expected["forger"][lesson], abs=0.01)
        graded_with = (course.autograded / "forger" / lesson / "lesson.yaml").read_text(encoding="utf-8")
        assert "Forged." not in graded_with  # nbgrader put the source's data back before grading


def test_reflections_wait_for_a_person_and_show_what_the_learner_wrote(graded_course):
    course, expected, _out = graded_course
    for lesson in expected["part"]:
        page = (course.autograded / "part" / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8")
        assert "Zoë’s answer" in page or "Zo\\u00eb\\u2019s answer" in page
        # the grader has the rubric beside the answer (it was kept out of the learner's copy)
        assert "BEGIN MARK SCHEME" in page
        assert "BEGIN MARK SCHEME" not in (course.release / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8")


def test_feedback_pages_tell_each_learner_their_answers_and_the_right_ones(graded_course):
    course, expected, _out = graded_course
    for learner in LEARNERS:
        for lesson in expected[learner]:
            page = (course.feedback / learner / lesson / f"{lesson}.html").read_text(encoding="utf-8")
            assert "Right answer:" in page
            if learner == "blank":
                assert "No answer was saved" in page
            if learner == "ada":
                assert "Your answer:" in page and "No answer was saved" not in page and "Why:" in page


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
