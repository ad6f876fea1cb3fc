"""Where the grades live: nbgrader's gradebook, SQLite by default, any SQLAlchemy URL on request.

The location is nbgrader's own setting, ``CourseDirectory.db_url`` in ``grading/nbgrader_config.py``
(which also takes it from the ``COURSE_DB_URL`` environment variable), so nbgrader's commands,
formgrader and the course's commands all use the same gradebook. nbgrader recommends a server
database such as PostgreSQL when several people grade at once: SQLite lets one writer in at a time.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from ..layout import CourseLayout


def db_url(layout: CourseLayout) -> str:
    """The gradebook URL nbgrader would use for this course (its config file, else its default)."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(layout.nbgrader_config.name, path=str(layout.grading)).load_config()
    url = config.get("CourseDirectory", {}).get("db_url")
    return str(url) if url else f"sqlite:///{layout.gradebook}"


@contextmanager
def gradebook(layout: CourseLayout):
    from nbgrader.api import Gradebook

    with Gradebook(db_url(layout)) as gb:
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
