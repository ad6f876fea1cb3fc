"""Where the grades live: nbgrader's gradebook, SQLite by default, any SQLAlchemy URL on request.

The location is nbgrader's own setting, ``CourseDirectory.db_url`` in ``grading/nbgrader_config.py``
(which also takes it from the ``COURSE_DB_URL`` environment variable), so nbgrader's commands,
formgrader and the course's commands all use the same gradebook. nbgrader recommends a server
database such as PostgreSQL when several people grade at once: SQLite lets one writer in at a time.
A gradebook that cannot be reached is said in one line (:class:`GradebookError`), never as
nbgrader's advice to upgrade the database.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from ..layout import CourseLayout


class GradebookError(RuntimeError):
    """The gradebook cannot be reached or read; the message says which one and what to check."""


def db_url(layout: CourseLayout) -> str:
    """The gradebook URL nbgrader would use for this course (its config file, else its default)."""
    from ..publish.nbgrader import course_config

    url = course_config(layout.grading).CourseDirectory.get("db_url")
    return str(url) if url else f"sqlite:///{layout.gradebook}"


def where(url: str) -> str:
    """The gradebook's place, for a message: its file, or its server and database (no password)."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///").split("?")[0]
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - an unreadable URL is named as it is, without what follows '@'
        return url.split("@")[-1]
    return f"{u.host or 'localhost'}{f':{u.port}' if u.port else ''}/{u.database or ''}"


def unreachable(url: str, exc: BaseException) -> GradebookError:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return GradebookError(f"the gradebook at {where(url)} cannot be reached ({reason[0][:200] if reason else exc!r}). "
                          "Check that its server is running and that COURSE_DB_URL (or CourseDirectory.db_url in "
                          "grading/nbgrader_config.py) names it; nothing was graded or written.")


@contextmanager
def gradebook(layout: CourseLayout):
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import OperationalError

    url = db_url(layout)
    try:
        gb = Gradebook(url)
    except OperationalError as exc:
        raise unreachable(url, exc) from None
    with gb:
        yield gb


def prepare_for_several_writers(layout: CourseLayout) -> None:
    """Create the gradebook if need be, and let an SQLite one take readers beside a writer (WAL),
    so that graders working at once wait for each other briefly instead of failing."""
    with gradebook(layout):
        pass
    url = db_url(layout)
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as db:
            db.execute("PRAGMA journal_mode=WAL")


def roster(layout: CourseLayout) -> dict[str, dict]:
    """Learner id -> names and email, as the gradebook knows them."""
    with gradebook(layout) as gb:
        return {s.id: {"first_name": s.first_name or "", "last_name": s.last_name or "", "email": s.email or ""}
                for s in gb.students}


def submissions(layout: CourseLayout) -> set[tuple[str, str]]:
    """``(learner, lesson)`` of every submission this gradebook holds."""
    from nbgrader.api import Assignment, Student, SubmittedAssignment

    with gradebook(layout) as gb:
        return set(gb.db.query(Student.id, Assignment.name).select_from(SubmittedAssignment)
                   .join(Student, SubmittedAssignment.student).join(Assignment, SubmittedAssignment.assignment).all())


def points(submission) -> tuple[float, float, list]:
    """``(automatic points, manual points, manually graded cells' grades)`` of a submitted lesson:
    test cells are graded by the machine, the reflection's task cell by a person."""
    grades = [g for nb in submission.notebooks for g in nb.grades]
    manual = [g for g in grades if g.cell.cell_type == "markdown"]
    auto = sum(g.score or 0 for g in grades if g.cell.cell_type == "code")
    return auto, sum(g.score or 0 for g in manual), manual


def automatic_points(gb, lesson: str, learner: str) -> tuple[float, float]:
    """``(points earned, points possible)`` of a hand-in's automatically graded questions."""
    auto, _manual, _cells = points(gb.find_submission(lesson, learner))
    most = sum(c.max_score for n in gb.find_assignment(lesson).notebooks for c in n.grade_cells
               if c.cell_type == "code")
    return auto, most


def incomplete(gb, lesson: str, learner: str) -> str:
    """Why a hand-in's grading is not whole ("" if it is): a test cell with no automatic score (its
    run was stopped part way)."""
    missing = [g.name for nb in gb.find_submission(lesson, learner).notebooks for g in nb.grades
               if g.cell.cell_type == "code" and g.auto_score is None]
    return f"{len(missing)} graded question(s) have no score ({', '.join(missing[:3])})" if missing else ""


def move_to(layout: CourseLayout, url: str) -> dict[str, int]:
    """Copy every row of the course's gradebook into the empty gradebook at ``url`` (made with
    nbgrader's own tables); returns the rows copied per table. Nothing is deleted from the old one."""
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError

    old = db_url(layout)
    if where(old) == where(url):
        raise GradebookError(f"the course's gradebook is already {where(url)}")
    try:
        target = Gradebook(url)
    except OperationalError as exc:
        raise unreachable(url, exc) from None
    with gradebook(layout) as source, target:
        tables = Base.metadata.sorted_tables  # a table after those it refers to
        busy = [t.name for t in tables if target.db.execute(select(func.count()).select_from(t)).scalar()
                and t.name != "course"]
        if busy:
            raise GradebookError(f"the gradebook at {where(url)} already holds grades ({', '.join(busy[:3])}): "
                                 "moving needs an empty database, so nothing was copied")
        copied = {}
        for table in tables:
            rows = [dict(r) for r in source.db.execute(select(table)).mappings()]
            if table.name == "course":  # nbgrader made its own course row in the new gradebook
                have = {r[0] for r in target.db.execute(select(table.c.id))}
                rows = [r for r in rows if r["id"] not in have]
            if rows:
                target.db.execute(table.insert(), rows)
            copied[table.name] = len(rows)
        target.db.commit()
    return copied
