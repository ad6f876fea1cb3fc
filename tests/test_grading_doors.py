"""Every door nbgrader has grades a hand-in's clean copy, not the learner's notebook beside the
learner's files: nbgrader's own ``nbgrader autograde``, Formgrader's Autograde button (pressed in
Chromium, a real Jupyter server with Formgrader) and ``course autograde``. A grade made some
other way (a configuration without the clean intake) is noticed: not exported as a number, and
graded again."""

from __future__ import annotations

import csv
import subprocess
import sys

import nbformat
import pytest
from conftest import copy_course
from grading_class import edit_notebook, formgrader, make_class, quick_hand_in, scores

from course_lib import instructor
from course_lib.instructor.gradebook import gradebook
from course_lib.instructor.intake import unclean
from course_lib.layout import CourseLayout
from course_lib.publish.nbgrader import nbgrader_env, run_nbgrader

pytestmark = pytest.mark.slow
HOSTILE = ("cheat", "shadow", "meta", "gone", "broken", "other", "linker", "forger")  # see grading_class.py


@pytest.fixture(scope="module")
def cls(tmp_path_factory):
    layout = CourseLayout(copy_course(tmp_path_factory.mktemp("doors")))
    instructor.release(layout, say=lambda _line: None)
    c = make_class(layout, all_lessons=False)
    c.expected[("linker", layout.lesson_ids[0])] = 0  # its answers file is a link to ada's: graded as blank
    instructor.autograde(layout, say=lambda _line: None)
    return c


def _full_marks(layout: CourseLayout, learners) -> None:
    """Every graded question of these hand-ins at full marks, as a cheat that worked would leave them
    (a hand-in course autograde refused has no grade yet)."""
    with gradebook(layout) as gb:
        for sub in gb.find_assignment(layout.lesson_ids[0]).submissions:
            for nb in sub.notebooks if sub.student.id in learners else ():
                for grade in nb.grades:
                    if grade.cell.cell_type == "code":
                        grade.auto_score = grade.max_score
        gb.db.commit()


def _expect_clean_grades(cls, learners) -> None:
    lid = cls.layout.lesson_ids[0]
    got = scores(cls.layout)
    for learner in learners:
        assert got[(learner, lid)] == pytest.approx(cls.expected[(learner, lid)], abs=0.01), learner
        assert unclean(cls.layout, learner, lid) == "", learner
    assert not (cls.layout.autograded / "shadow" / lid / "course_lib.py").exists()


def test_nbgraders_own_autograde_command_grades_the_clean_copy_of_every_hostile_hand_in(cls):
    lid = cls.layout.lesson_ids[0]
    _full_marks(cls.layout, HOSTILE)
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", lid, "--force"], cwd=cls.layout.grading,
                          env=nbgrader_env(), capture_output=True, text=True, timeout=600)
    log = proc.stdout + proc.stderr
    _expect_clean_grades(cls, HOSTILE)
    assert "No student with ID 'adaa'" in log  # not in the class list: nbgrader's own command refuses it too
    assert ("adaa", lid) not in scores(cls.layout)
    assert "CellTimeoutError" not in log  # the cheat's endless loop never ran


@pytest.mark.browser
def test_formgraders_autograde_button_grades_the_clean_copy_of_every_hostile_hand_in(cls, browser, tmp_path):
    lid = cls.layout.lesson_ids[0]
    _full_marks(cls.layout, HOSTILE)
    with formgrader(cls.layout, tmp_path / "server.log") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for learner in HOSTILE:
            page.goto(f"{base}/formgrader/manage_submissions/{lid}", timeout=60_000)
            page.locator("#main-table td.student-id", has_text=learner).first.wait_for(timeout=60_000)
            page.locator("input[type=search]").fill(learner)
            row = page.locator("#main-table tr", has=page.locator("td.student-id", has_text=learner))
            row.locator("td.autograde a").click()
            modal = page.locator("#success-modal, #error-modal")
            modal.first.wait_for(timeout=120_000)
            assert page.locator("#success-modal").count() == 1, (learner, modal.first.inner_text())
            assert f"Successfully autograded '{lid}' for student '{learner}'" in modal.first.inner_text()
        page.close()
    _expect_clean_grades(cls, HOSTILE)


def test_a_grade_made_without_the_clean_intake_is_noticed_and_graded_again(cls):
    """As if a grader ran nbgrader with a configuration that lacks the clean intake: the learner's
    added cell runs and gives every question full marks."""
    layout, lid = cls.layout, cls.layout.lesson_ids[0]
    run_nbgrader(layout, "db", "student", "add", "sly", "--first-name=Sly", "--last-name=Fox")
    folder = quick_hand_in(layout, "sly", lid, {})
    edit_notebook(folder / f"{lid}.ipynb", lambda nb: nb.cells.insert(3, nbformat.v4.new_code_cell(
        "import course_lib.lessons as L\nL.Lesson.grade = lambda self, qid: self.content.questions[qid].points")))
    assert instructor.autograde(layout, learners=["sly"], say=lambda _l: None).count("graded") == 1
    assert scores(layout)[("sly", lid)] == 0

    run_nbgrader(layout, "autograde", lid, "--force", "--student=sly",
                 "--Autograde.exporter_class=nbconvert.exporters.NotebookExporter")  # the door without the intake
    assert scores(layout)[("sly", lid)] > 0  # the learner's cell ran: this is what the intake prevents
    assert "cells were added" in unclean(layout, "sly", lid)

    instructor.export_grades(layout)
    with layout.grades_csv.open(encoding="utf-8-sig", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["learner_id"] == "sly" and r["lesson"] == lid)
    assert row["status"].startswith("grade not trusted") and row["score"] == "" and row["auto_score"] == ""
    assert "NOT TRUSTED" in row["problems"] and "its grade used only the saved answers" not in row["problems"]
    said = []
    instructor.feedback(layout, [lid], say=said.append)
    assert not (layout.feedback / "sly" / lid / f"{lid}.html").exists()  # no page from an untrusted grade
    assert any("sly" in line for line in said) and (layout.feedback / "ada" / lid / f"{lid}.html").exists()

    report = instructor.autograde(layout, learners=["sly"], say=lambda _l: None)  # not "unchanged"
    assert [o.status for o in report.outcomes] == ["graded"]
    assert "graded again" in " ".join(report.outcomes[0].handin.problems)
    assert scores(layout)[("sly", lid)] == 0 and unclean(layout, "sly", lid) == ""


def test_a_grading_stopped_part_way_is_not_taken_for_a_grade(cls):
    """What a grading killed between nbgrader's two passes leaves: the clean copy, never run."""
    layout, lid = cls.layout, cls.layout.lesson_ids[0]
    graded = layout.autograded / "ada" / lid / f"{lid}.ipynb"
    graded.chmod(0o644)
    edit_notebook(graded, lambda nb: [cell.update(outputs=[], execution_count=None) for cell in nb.cells
                                      if cell.cell_type == "code"])
    assert "not run to the end" in unclean(layout, "ada", lid)
    report = instructor.autograde(layout, learners=["ada"], say=lambda _l: None)
    assert [o.status for o in report.outcomes] == ["graded"]  # not "unchanged"
    assert unclean(layout, "ada", lid) == "" and scores(layout)[("ada", lid)] == cls.expected[("ada", lid)]
