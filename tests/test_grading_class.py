"""An instructor grades a real class with nbgrader: honest, broken and tampered hand-ins together.

A hand-in is untrusted input: nothing in it may change its own grade, and one bad hand-in never
stops the others. Every case below is handed in, graded with the course's commands (nbgrader
underneath, on every core), and checked for its score or its reported problem."""

from __future__ import annotations

import csv

import pytest
from conftest import copy_course
from grading_class import LEARNERS, STAMP, formgrader, make_class, quick_hand_in, scores

from course_lib import instructor
from course_lib.instructor.autograding import read_record
from course_lib.layout import CourseLayout

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    layout = CourseLayout(copy_course(tmp_path_factory.mktemp("class")))
    instructor.release(layout, say=lambda _line: None)
    cls = make_class(layout)
    lines = []
    report = instructor.autograde(layout, say=lines.append)
    instructor.feedback(layout)
    instructor.export_grades(layout)
    return cls, report, lines


def test_every_hand_in_scores_what_its_saved_answers_earn_whatever_else_it_holds(graded):
    cls, _report, _lines = graded
    got = scores(cls.layout)
    for (learner, lesson), points in cls.expected.items():
        assert got[(learner, lesson)] == pytest.approx(points, abs=0.01), (learner, lesson)
    lid = cls.layout.lesson_ids[0]
    assert got[("ada", lid)] > 0 and got[("cheat", lid)] < got[("ada", lid)]
    assert got[("shadow", lid)] == 0 and got[("forger", lid)] < got[("ada", lid)]


def test_each_problem_is_named_per_learner_and_lesson_with_a_next_step(graded):
    cls, report, _lines = graded
    said = {}
    for o in report.outcomes:  # a learner's stray copy of a lesson counts under that lesson too
        said[(o.handin.learner, o.handin.lesson)] = said.get((o.handin.learner, o.handin.lesson), "") + " ".join(
            o.handin.problems)
    for key, words in cls.problems.items():
        assert words in said.get(key, ""), (key, said.get(key))
    lid = cls.layout.lesson_ids[0]
    assert "move this one out of submitted/" in said[("part", lid)]
    assert "rename the folder to" not in " ".join(said.values()).lower()  # never to another learner's id
    assert said[("ada", lid)] == ""
    suspicious = {(o.handin.learner, o.handin.lesson) for o in report.outcomes if o.handin.suspicious}
    assert {("cheat", lid), ("shadow", lid), ("linker", lid), ("forger", lid)} <= suspicious
    assert ("ada", lid) not in suspicious and ("blank", lid) not in suspicious


def test_one_bad_hand_in_never_stops_the_others_and_each_gets_a_line_of_progress(graded):
    cls, report, lines = graded
    graded_ones = report.count("graded")
    why = [o.handin.problems for o in report.outcomes if o.status == "failed"]  # shown if it fails
    assert graded_ones == len(cls.expected) and report.count("failed") == 0, why
    assert sum(line.startswith("[") for line in lines) == graded_ones
    assert any("s left" in line for line in lines) and all("Traceback" not in line for line in lines)
    assert report.workers >= 2 or __import__("os").cpu_count() == 1


def test_the_csv_has_totals_maxima_points_apart_status_problems_and_the_time_handed_in(graded):
    cls, _report, _lines = graded
    with cls.layout.grades_csv.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    lid = cls.layout.lesson_ids[0]
    by = {(r["learner_id"], r["lesson"]): r for r in rows}
    ada = by[("ada", lid)]
    assert ada["status"] == "needs manual grading" and ada["handed_in_utc"] == STAMP[:19]  # a date a sheet reads
    assert float(ada["auto_score"]) == float(ada["auto_max"]) > 0 and ada["manual_score"] == ""
    assert float(ada["max_score"]) == float(ada["auto_max"]) + float(ada["manual_max"])
    assert all(r["max_score"] for r in rows)  # a lesson not handed in shows its maximum too
    assert float(ada["learner_total"]) == sum(float(r["score"] or 0) for r in rows if r["learner_id"] == "ada")
    assert by[("cheat", lid)]["problems"].startswith("SUSPICIOUS")
    assert by[("cheat", lid)]["last_name"] == "Smith, Jr." and by[("part", lid)]["first_name"] == "Zoë"
    assert not any(r["learner_id"] == "adaa" for r in rows)  # not in the class list: said by autograde, not a row
    part = by[("part", lid)]  # a stray copy of the lesson beside the real hand-in hides nothing
    assert part["status"] == "needs manual grading" and float(part["auto_score"]) == pytest.approx(
        cls.expected[("part", lid)], abs=0.01) and "copy of" in part["problems"]
    assert by[("blank", cls.layout.lesson_ids[-1])]["status"] in ("needs manual grading", "graded")
    assert by[("cheat", cls.layout.lesson_ids[-1])]["status"] == "not handed in"
    with cls.layout.grades_csv.with_name("grades-by-learner.csv").open(encoding="utf-8-sig", newline="") as f:
        wide = {r["learner_id"]: r for r in csv.DictReader(f)}
    assert set(LEARNERS) <= set(wide) and float(wide["ada"]["total"]) == float(ada["learner_total"])
    assert wide["cheat"]["lessons_with_problems"] == "1"  # a count, under a name that says so
    from course_lib.publish.nbgrader import run_nbgrader

    run_nbgrader(cls.layout, "export", "--to=by-nbgrader.csv")  # nbgrader's own door writes the same file
    assert (cls.layout.grading / "by-nbgrader.csv").read_bytes() == cls.layout.grades_csv.read_bytes()


def test_feedback_a_parent_can_read_and_nothing_the_learner_should_not_see(graded):
    cls, _report, _lines = graded
    lid = cls.layout.lesson_ids[0]
    page = (cls.layout.feedback / "part" / lid / f"{lid}.html").read_text(encoding="utf-8")
    content = __import__("course_lib").load_lesson(cls.layout.lesson(lid))
    first = next(iter(content.questions.values()))
    assert first.prompt.split("\n")[0][:40] in page and "Your answer:" in page and "Right answer:" in page
    assert first.why.split(" ")[0] in page and "Points:" in page
    assert "Zoë’s answer" in page and "&lt;b&gt;markup&lt;/b&gt;" in page and "<b>markup" not in page
    assert "pre-wrap" in page  # long text wraps
    for secret in ("MARK SCHEME", "Rubric for the grader", "lesson.grade", "from course_lib", "In&nbsp;[",
                   "http://", "https://", "mathjax", "<script"):
        assert secret.lower() not in page.lower(), secret
    kept = sorted(p.name for p in (cls.layout.feedback / "part" / lid).iterdir())
    assert kept == [f"{lid}.html", "timestamp.txt"]  # no lesson data (it holds the keys), no answers


def test_a_graders_comment_shows_as_text_even_when_it_looks_like_code(graded):
    cls, _report, _lines = graded
    from course_lib.instructor.gradebook import gradebook

    lid = cls.layout.lesson_ids[0]
    rid = next(iter(__import__("course_lib").load_lesson(cls.layout.lesson(lid)).reflections))
    with gradebook(cls.layout) as gb:
        comment = gb.find_comment(f"{rid}-rubric", lid, lid, "part")
        comment.manual_comment = "Good <script>alert('x')</script> & clear."
        grade = gb.find_grade(f"{rid}-rubric", lid, lid, "part")
        grade.manual_score = 2
        gb.db.commit()
    instructor.feedback(cls.layout, [lid])
    page = (cls.layout.feedback / "part" / lid / f"{lid}.html").read_text(encoding="utf-8")
    assert "Good &lt;script&gt;alert('x')&lt;/script&gt; &amp; clear." in page and "<script" not in page
    assert "Points for your reflection:</strong> 2 of" in page


@pytest.fixture
def small(tmp_path):
    layout = CourseLayout(copy_course(tmp_path))
    instructor.release(layout, say=lambda _line: None)
    from course_lib.publish.nbgrader import run_nbgrader

    for learner in ("ada", "bo"):
        run_nbgrader(layout, "db", "student", "add", learner)
    return layout


def test_regrading_takes_changed_hand_ins_skips_unchanged_ones_and_force_or_a_learner_regrades(small):
    from learners import answer_key

    lid = small.lesson_ids[0]
    keys = answer_key(small.lesson(lid))
    right = {q: k for q, (k, _p) in keys.items()}
    quick_hand_in(small, "ada", lid, {})
    quick_hand_in(small, "bo", lid, right)
    first = instructor.autograde(small, say=lambda _l: None)
    assert first.count("graded") == 2 and scores(small)[("ada", lid)] == 0
    # the learner hands in again by hand (no new timestamp): it is seen and graded again
    from grading_class import write_answers

    write_answers(small.submitted / "ada" / lid, lid, right)
    second = instructor.autograde(small, say=lambda _l: None)
    assert second.count("graded") == 1 and second.count("unchanged") == 1
    assert scores(small)[("ada", lid)] == sum(p for _k, p in keys.values())
    assert instructor.autograde(small, say=lambda _l: None).count("graded") == 0
    assert instructor.autograde(small, force=True, learners=["bo"], say=lambda _l: None).count("graded") == 1


def test_a_hand_in_over_its_time_budget_is_stopped_reported_and_the_others_still_graded(small):
    lid = small.lesson_ids[0]
    quick_hand_in(small, "ada", lid, {})
    quick_hand_in(small, "bo", lid, {})
    report = instructor.autograde(small, budget=0.2, workers=1, say=lambda _l: None)
    assert report.count("failed") == 2  # far too short a budget for any hand-in
    assert all("time budget" in " ".join(o.handin.problems) for o in report.outcomes)
    report = instructor.autograde(small, say=lambda _l: None)  # the default budget
    assert report.count("graded") == 2
    assert {r["status"] for r in read_record(small).values()} == {"graded"}


@pytest.mark.browser
def test_in_formgrader_the_reflection_and_the_rubric_read_without_sideways_scrolling(graded, browser, tmp_path):
    """The grader's view (nbgrader's formgrader, in a real Jupyter server): the learner's long
    reflection wraps, and the rubric stands beside it."""
    from course_lib.instructor.gradebook import gradebook

    cls, _report, _lines = graded
    lid = cls.layout.lesson_ids[0]
    with gradebook(cls.layout) as gb:
        submission = gb.find_submission_notebook(lid, lid, "part").id
    with formgrader(cls.layout, tmp_path / "server.log") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/formgrader/submissions/{submission}/", timeout=60_000)
        page.get_by_text("The answer written").first.wait_for(timeout=60_000)
        assert page.get_by_text("Rubric for the grader").first.is_visible()
        written = page.locator(".course-written").first
        assert written.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert "long long long" in written.inner_text()


def _kill_grading_workers() -> int:
    """Kill this process's nbgrader worker processes, as a crash would (SIGKILL, no goodbye)."""
    import os
    import signal
    from pathlib import Path

    killed = 0
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(stat[1]) == os.getpid() and b"course_lib.instructor.worker" in cmdline:
            os.kill(int(proc.name), signal.SIGKILL)
            killed += 1
    return killed


def test_a_grading_process_that_dies_is_replaced_and_the_hand_in_still_gets_its_grade(graded):
    cls, _report, _lines = graded
    lid = cls.layout.lesson_ids[0]
    killed = []

    def say(line: str) -> None:  # the first line comes once the workers have started
        if not killed:
            import time
            time.sleep(5)  # until they have loaded nbgrader and wait for work
            killed.append(_kill_grading_workers())

    report = instructor.autograde(cls.layout, force=True, learners=["ada"], lessons=[lid], workers=1, say=say)
    assert killed == [1]
    assert [o.status for o in report.outcomes] == ["graded"], [o.handin.problems for o in report.outcomes]
    instructor.export_grades(cls.layout)
    assert scores(cls.layout)[("ada", lid)] == pytest.approx(cls.expected[("ada", lid)], abs=0.01)


def test_a_gradebook_busy_with_another_writer_makes_grading_wait_not_fail(graded):
    """Workers write to one SQLite gradebook at once: one that finds it busy for longer than
    SQLite's usual 5 s (a loaded machine, a long write beside it) waits for its turn."""
    import sqlite3
    import threading

    cls, _report, _lines = graded
    lid = cls.layout.lesson_ids[0]
    with sqlite3.connect(cls.layout.gradebook) as db:  # as if not graded yet, so grading must write
        db.execute("UPDATE grade SET auto_score = 0 WHERE notebook_id IN (SELECT sn.id FROM submitted_notebook sn "
                   "JOIN submitted_assignment sa ON sn.assignment_id = sa.id JOIN assignment a "
                   "ON sa.assignment_id = a.id WHERE sa.student_id = 'ada' AND a.name = ?)", (lid,))
    held = []

    def say(_line: str) -> None:  # the first line comes before the hand-in is given to a worker
        if not held:
            db = sqlite3.connect(cls.layout.gradebook, check_same_thread=False)
            db.execute("BEGIN IMMEDIATE")  # another writer holds the gradebook for 15 s
            held.append(threading.Timer(15, lambda: (db.commit(), db.close())))
            held[0].start()

    report = instructor.autograde(cls.layout, force=True, learners=["ada"], lessons=[lid], workers=1, say=say)
    held[0].join()
    assert [o.status for o in report.outcomes] == ["graded"], [o.handin.problems for o in report.outcomes]
    assert report.seconds > 14  # it waited for the other writer, then wrote
    instructor.export_grades(cls.layout)
    assert scores(cls.layout)[("ada", lid)] == pytest.approx(cls.expected[("ada", lid)], abs=0.01)


def test_the_grades_count_only_released_lessons_read_as_dates_and_hold_no_formula(small):
    from datetime import datetime

    from learners import answer_key

    from course_lib.instructor.gradebook import gradebook

    lid = small.lesson_ids[0]
    formula = '=HYPERLINK("http:"&CHAR(47)&CHAR(47)&"evil.example";"Open grade")'
    with gradebook(small) as gb:  # nbgrader's own roster import takes such an id
        gb.update_or_create_student(formula, first_name="=1+1", last_name="-2")
        gb.find_assignment(lid).duedate = datetime(2026, 11, 19, 10, 15)  # a day before the hand-in (UTC)
        gb.db.commit()
    keys = answer_key(small.lesson(lid))
    quick_hand_in(small, "ada", lid, {q: k for q, (k, _p) in keys.items()})
    instructor.autograde(small, say=lambda _l: None)
    out = instructor.export_grades(small)
    with small.grades_csv.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by = {(r["learner_id"], r["lesson"]): r for r in rows}
    ada = by[("ada", lid)]
    assert ada["handed_in_utc"] == "2026-11-20 10:15:00" and ada["due_utc"] == "2026-11-19 10:15:00"
    assert ada["hours_late"] == "24"
    later = by[("ada", small.lesson_ids[1])]
    assert later["status"] == "not released" and later["max_score"] == "" and later["score"] == ""
    assert ada["learner_max"] == ada["max_score"]  # a perfect learner is not 18 of 91
    assert float(ada["learner_total"]) == sum(p for _k, p in keys.values())
    assert by[("bo", lid)]["status"] == "not handed in" and by[("bo", lid)]["score"] == "0"
    hostile = [r for r in rows if "HYPERLINK" in r["learner_id"]]
    assert hostile and all(r["learner_id"].startswith("'=") and r["first_name"] == "'=1+1"
                           and r["last_name"] == "'-2" for r in hostile)
    with out.by_learner.open(encoding="utf-8-sig", newline="") as f:
        wide = {r["learner_id"]: r for r in csv.DictReader(f)}
    assert wide["ada"][small.lesson_ids[1]] == "not released" and wide["'" + formula]["first_name"] == "'=1+1"
