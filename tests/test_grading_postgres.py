"""Several graders at once need a server database, as nbgrader recommends: the whole class round
trip again, with the gradebook in a real PostgreSQL server (COURSE_DB_URL); a course graded on
SQLite moved there with its grades; a gradebook that cannot be reached said in one line."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from conftest import copy_course
from grading_class import make_class, scores
from postgres import new_database, postgres_server, stop_server

from course_lib import instructor
from course_lib.instructor.gradebook import db_url
from course_lib.layout import CourseLayout
from course_lib.publish.nbgrader import nbgrader_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def graded_on_postgres(tmp_path_factory, server):
    url = server
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_DB_URL", url)
        layout = CourseLayout(copy_course(tmp_path_factory.mktemp("pgclass")))
        instructor.release(layout, say=lambda _line: None)
        cls = make_class(layout, all_lessons=False)
        report = instructor.autograde(layout, say=lambda _line: None)
        instructor.feedback(layout)
        instructor.export_grades(layout)
        yield cls, report, url, scores(layout)


def test_the_gradebook_is_the_postgresql_server_and_no_sqlite_file_is_made(graded_on_postgres):
    cls, _report, url, _scores = graded_on_postgres
    assert url.startswith("postgresql+psycopg://127.0.0.1") or "@127.0.0.1:" in url
    assert not cls.layout.gradebook.exists()


def test_parallel_grading_on_postgresql_gives_every_hand_in_its_score(graded_on_postgres):
    cls, report, _url, got = graded_on_postgres
    assert report.count("failed") == 0 and report.workers >= 1
    for (learner, lesson), points in cls.expected.items():
        assert got[(learner, lesson)] == pytest.approx(points, abs=0.01), (learner, lesson)


def test_feedback_and_grades_come_from_the_postgresql_gradebook(graded_on_postgres):
    cls, _report, _url, _scores = graded_on_postgres
    lid = cls.layout.lesson_ids[0]
    assert "Right answer:" in (cls.layout.feedback / "ada" / lid / f"{lid}.html").read_text(encoding="utf-8")
    with cls.layout.grades_csv.open(encoding="utf-8-sig", newline="") as f:
        rows = {(r["learner_id"], r["lesson"]): r for r in csv.DictReader(f)}
    assert float(rows[("ada", lid)]["auto_score"]) == cls.expected[("ada", lid)]
    assert rows[("cheat", lid)]["last_name"] == "Smith, Jr."


def test_without_the_setting_the_gradebook_is_sqlite_in_the_grading_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    layout = CourseLayout(copy_course(tmp_path))
    assert db_url(layout) == f"sqlite:///{layout.gradebook}"


def _rows(layout) -> dict:
    with layout.grades_csv.open(encoding="utf-8-sig", newline="") as f:
        return {(r["learner_id"], r["lesson"]): (r["status"], r["score"]) for r in csv.DictReader(f)}


def test_a_course_graded_on_sqlite_moves_to_postgresql_with_every_grade_and_nothing_graded_twice(
        server, tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    layout = CourseLayout(copy_course(tmp_path))
    instructor.release(layout, say=lambda _line: None)
    make_class(layout, all_lessons=False)
    graded = instructor.autograde(layout, say=lambda _line: None).count("graded")
    instructor.export_grades(layout)
    before, sqlite_scores = _rows(layout), scores(layout)

    moved = new_database(server, "moved")
    said = []
    instructor.move_gradebook(layout, moved, say=said.append)
    assert "COURSE_DB_URL" in said[-1]
    monkeypatch.setenv("COURSE_DB_URL", moved)
    report = instructor.autograde(layout, say=lambda _line: None)
    assert report.count("unchanged") == graded and report.count("graded") == 0  # the record moved with it
    assert scores(layout) == sqlite_scores
    instructor.export_grades(layout)
    assert _rows(layout) == before
    monkeypatch.delenv("COURSE_DB_URL")
    with pytest.raises(instructor.GradebookError, match="already holds grades"):  # never mixes two gradebooks
        instructor.move_gradebook(layout, moved)

    fresh = new_database(server, "fresh")  # another gradebook, not moved to: its own record, nothing in it
    monkeypatch.setenv("COURSE_DB_URL", fresh)
    out = instructor.export_grades(layout)
    assert out.rows == 0 and "grades.previous.csv" in out.warnings[0]
    assert (layout.grading / "grades.previous.csv").is_file()


def test_a_gradebook_that_cannot_be_reached_is_said_in_one_line(tmp_path):
    from conftest import free_port

    layout = CourseLayout(copy_course(tmp_path))
    env = {**nbgrader_env(), "COURSE_DB_URL": f"postgresql+psycopg://grader:secret@127.0.0.1:{free_port()}/ot_course"}
    for command in (["autograde"], ["grades"], ["roster", "import", str(tmp_path / "class.csv")]):
        (tmp_path / "class.csv").write_text("id\nada\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "course_lib", "--root", str(layout.root), *command],
                              env=env, capture_output=True, text=True, timeout=300)
        said = proc.stdout + proc.stderr
        assert proc.returncode == 1 and "Traceback" not in said and "secret" not in said, said
        assert "the gradebook at 127.0.0.1:" in said and "cannot be reached" in said, said


def test_a_gradebook_that_stops_during_a_run_stops_the_run_with_one_line(tmp_path, monkeypatch):
    layout = CourseLayout(copy_course(tmp_path))
    with postgres_server() as url:
        monkeypatch.setenv("COURSE_DB_URL", url)
        instructor.release(layout, say=lambda _line: None)
        make_class(layout, all_lessons=False)
        lines = []

        def say(line: str) -> None:  # the first line comes before any hand-in is graded
            if not lines:
                stop_server(url)
            lines.append(line)

        report = instructor.autograde(layout, say=say)
    assert report.count("graded") == 0 and "stopped answering" in lines[-1], lines
    assert not any("db upgrade" in p for o in report.outcomes for p in o.handin.problems)
