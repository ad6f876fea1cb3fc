"""Instructor commands: thin layers over nbgrader's own commands, run in ``grading/``.

nbgrader is called as a program (``python -m nbgrader ...``), exactly as an instructor would
call it, with this Python's ``bin`` first on PATH because nbgrader shells out to ``alembic``.
Grades are exported through nbgrader's ``Gradebook`` API and Python's ``csv`` module,
because ``nbgrader export`` does not quote fields and a name like "Smith, Jr." breaks it.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .checks import check_release, lesson_folders
from .files import atomic_write

CSV_COLUMNS = ["learner_id", "first_name", "last_name", "email", "lesson", "status",
               "score", "max_score", "needs_manual_grading"]


class CommandError(RuntimeError):
    """A course command could not finish; the message says what to do."""


@dataclass(frozen=True)
class Course:
    root: Path

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def grading(self) -> Path:
        return self.root / "grading"

    @property
    def release(self) -> Path:
        return self.grading / "release"

    @property
    def lessons(self) -> list[str]:
        return [p.name for p in lesson_folders(self.notebooks)]

    def nbgrader(self, *args: str) -> str:
        env = dict(os.environ)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.grading, env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise CommandError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
        return proc.stdout + proc.stderr


def find_course(root: Path | None = None) -> Course:
    """``root``, else the folder above ``course_lib`` (an editable install), else the current one."""
    candidates = [root.resolve()] if root else [Path(__file__).resolve().parent.parent, Path.cwd().resolve()]
    for candidate in candidates:
        if (candidate / "grading" / "nbgrader_config.py").exists() and (candidate / "notebooks").is_dir():
            return Course(candidate)
    raise CommandError("Run this command inside the course folder (the one with notebooks/ and grading/).")


def release(course: Course) -> list[str]:
    """Check the course, make the student release of each lesson and the course pages, and prove
    the release leaks nothing."""
    from .course import check_course, load_outline, write_pages

    if problems := check_course(course.notebooks):
        raise CommandError("The lessons have problems to fix first:\n- " + "\n- ".join(problems))
    for lesson in course.lessons:
        course.nbgrader("generate_assignment", lesson, "--force")
    write_pages(load_outline(course.notebooks), course.release)
    if problems := check_release(course.notebooks, course.release):
        raise CommandError("The release is not safe to give to learners:\n- " + "\n- ".join(problems))
    return course.lessons


def submitted_lessons(course: Course) -> list[str]:
    sub = course.grading / "submitted"
    return sorted({p.name for p in sub.glob("*/*") if p.is_dir() and p.name in course.lessons})


def autograde(course: Course) -> list[str]:
    done = submitted_lessons(course)
    for lesson in done:
        course.nbgrader("autograde", lesson, "--create")
    return done


def feedback(course: Course) -> list[str]:
    done = sorted({p.name for p in (course.grading / "autograded").glob("*/*") if p.is_dir()})
    for lesson in done:
        course.nbgrader("generate_feedback", lesson, "--force")
    return done


def grade_rows(course: Course) -> list[dict]:
    """One row per learner and lesson; lessons a learner has not handed in say so."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(f"sqlite:///{course.grading / 'gradebook.db'}") as gb:
        lessons = sorted(a.name for a in gb.assignments)
        for student in sorted(gb.students, key=lambda s: s.id):
            for lesson in lessons:
                row = {"learner_id": student.id, "first_name": student.first_name or "",
                       "last_name": student.last_name or "", "email": student.email or "", "lesson": lesson}
                try:
                    sub = gb.find_submission(lesson, student.id)
                except MissingEntry:
                    row.update(status="not handed in", score=0, max_score="", needs_manual_grading="")
                else:
                    row.update(status="graded" if not sub.needs_manual_grade else "needs manual grading",
                               score=f"{sub.score:g}", max_score=f"{sub.max_score:g}",
                               needs_manual_grading="yes" if sub.needs_manual_grade else "no")
                rows.append(row)
    return rows


def export_grades(course: Course, out: Path) -> int:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = grade_rows(course)
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    # utf-8 with a byte-order mark, so spreadsheet programs show accented names correctly
    atomic_write(out, buf.getvalue().encode("utf-8-sig"))
    return len(rows)
