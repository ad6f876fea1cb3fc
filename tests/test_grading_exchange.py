"""The whole class workflow through nbgrader's own exchange, on a temporary exchange folder:
release → fetch → answer → submit → collect → autograde → feedback → return → fetch feedback.
Learners fetch the course pages (home, glossary, tools) the same way as the lessons. A hand-in
made in someone else's name stays in the exchange; a second hand-in replaces the first; feedback
waits for the due date, and a hand-in copied in by hand does not stop the others' feedback."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_course
from grading_class import quick_hand_in, write_answers
from learners import answer_key, answering, run_notebook

from course_lib import instructor
from course_lib.content import load_lesson
from course_lib.layout import COURSE_HOME, CourseLayout
from course_lib.publish.nbgrader import NbgraderError, nbgrader_env, run_nbgrader

pytestmark = pytest.mark.slow
COURSE = "ot-in-special-education"


def learner_runs(home: Path, *args: str, exchange: Path) -> str:
    """An nbgrader command as the learner runs it, in their own home folder. nbgrader knows a
    learner by their login (this test's own account stands for the learner's)."""
    env = {**nbgrader_env(), "HOME": str(home)}
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--course={COURSE}",
                           f"--Exchange.root={exchange}"], cwd=home, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def test_a_class_works_through_nbgraders_exchange_from_release_to_returned_feedback(tmp_path):
    layout = CourseLayout(copy_course(tmp_path / "course"))
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o777)
    instructor.release(layout, say=lambda _line: None)
    lid = layout.lesson_ids[0]
    learner = pwd.getpwuid(os.getuid()).pw_name
    run_nbgrader(layout, "db", "student", "add", learner, "--first-name=Ada", "--last-name=Lovelace")
    for assignment in (COURSE_HOME, lid):
        run_nbgrader(layout, "release_assignment", assignment, f"--Exchange.root={exchange}")

    home = tmp_path / "ada-home"
    home.mkdir()
    for assignment in (COURSE_HOME, lid):
        learner_runs(home, "fetch_assignment", assignment, exchange=exchange)
    fetched = home / COURSE / lid if (home / COURSE).is_dir() else home / lid
    pages = fetched.parent / COURSE_HOME
    assert (pages / "index.ipynb").is_file() and (pages / "glossary.ipynb").is_file()
    assert (pages / "letters.ipynb").is_file()  # the take-away tools come with the course pages
    nav = (fetched / f"{lid}.ipynb").read_text(encoding="utf-8")
    assert f"../{COURSE_HOME}/index.ipynb" in nav  # the lesson's home link leads to the fetched home
    assert f"../{lid}/{lid}.ipynb" in (pages / "index.ipynb").read_text(encoding="utf-8")

    keys = answer_key(layout.lesson(lid))
    rid = next(iter(load_lesson(layout.lesson(lid)).reflections))
    run_notebook(fetched / f"{lid}.ipynb", answering({q: k for q, (k, _p) in keys.items()}, "Lunch and recess.", rid))
    assert (fetched / "my-answers.json").is_file()
    learner_runs(home, "submit", lid, exchange=exchange)
    run_nbgrader(layout, "db", "student", "add", "mallory")
    learner_runs(home, "submit", lid, "--student=mallory", exchange=exchange)  # in another learner's name

    log = run_nbgrader(layout, "collect", lid, f"--Exchange.root={exchange}")
    collected = layout.submitted / learner / lid
    assert (collected / "my-answers.json").is_file() and (collected / "timestamp.txt").is_file()
    assert not (layout.submitted / "mallory").exists() and "handed in as 'mallory' by the account" in log

    write_answers(fetched, lid, {q: k for q, (k, _p) in keys.items()})  # answers again, and hands in again
    learner_runs(home, "submit", lid, exchange=exchange)
    run_nbgrader(layout, "collect", lid, f"--Exchange.root={exchange}")  # the README's step: the newer one
    assert (collected / "my-answers.json").read_bytes() == (fetched / "my-answers.json").read_bytes()

    run_nbgrader(layout, "db", "student", "add", "posted")
    quick_hand_in(layout, "posted", lid, {})  # copied in by hand: no submission_secret.txt
    report = instructor.autograde(layout, say=lambda _line: None)
    assert report.count("graded") == 2 and not any(o.handin.problems for o in report.outcomes
                                                   if o.handin.learner == learner)
    instructor.feedback(layout, say=lambda _line: None)
    run_nbgrader(layout, "db", "assignment", "add", lid, "--duedate=2999-01-01 00:00:00 UTC")
    with pytest.raises(NbgraderError, match="held until the lesson's due date"):
        run_nbgrader(layout, "release_feedback", lid, f"--Exchange.root={exchange}")
    log = run_nbgrader(layout, "release_feedback", lid, f"--Exchange.root={exchange}",
                       "--CourseReleaseFeedback.before_due_date=True")
    assert "Not released through the exchange" in log and "posted" in log  # named, for the instructor

    learner_runs(home, "fetch_feedback", lid, exchange=exchange)
    pages_back = list((fetched / "feedback").rglob("*.html"))
    assert len(pages_back) == 1
    page = pages_back[0].read_text(encoding="utf-8")
    total = sum(p for _k, p in keys.values())
    assert f"Your score: {total:g} of" in page and "Right answer:" in page and "Lunch and recess." in page
