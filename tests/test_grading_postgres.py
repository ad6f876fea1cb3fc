"""Several graders at once need a server database, as nbgrader recommends: the whole class round
trip again, with the gradebook in a real PostgreSQL server (COURSE_DB_URL)."""

from __future__ import annotations

import csv

import pytest
from conftest import copy_course
from grading_class import make_class, scores
from postgres import postgres_server

from course_lib import instructor
from course_lib.instructor.gradebook import db_url
from course_lib.layout import CourseLayout

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded_on_postgres(tmp_path_factory):
    with postgres_server() as url, pytest.MonkeyPatch.context() as mp:
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
