"""Instructor commands: thin layers over nbgrader's own commands, run in ``grading/``.

Grades are exported through nbgrader's ``Gradebook`` API and Python's ``csv`` module, because
``nbgrader export`` does not quote fields and a name like "Smith, Jr." breaks it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .build import RELEASE, run
from .build.nbgrader import run_nbgrader
from .files import atomic_write
from .layout import CourseLayout

CSV_COLUMNS = ["learner_id", "first_name", "last_name", "email", "lesson", "status",
               "score", "max_score", "needs_manual_grading"]


class CommandError(RuntimeError):
    """A course command could not finish; the message says what to do."""


def find_course(root: Path | None = None) -> CourseLayout:
    """``root``, else the folder above ``course_lib`` (an editable install), else the current one."""
    candidates = [root.resolve()] if root else [Path(__file__).resolve().parent.parent, Path.cwd().resolve()]
    for candidate in candidates:
        if CourseLayout.is_course(candidate):
            return CourseLayout(candidate)
    raise CommandError("Run this command inside the course folder (the one with notebooks/ and grading/).")


def release(layout: CourseLayout, say=print) -> list[str]:
    run(RELEASE, layout, say)
    return layout.lesson_ids


def submitted_lessons(layout: CourseLayout) -> list[str]:
    return sorted({p.name for p in layout.submitted.glob("*/*") if p.is_dir() and p.name in layout.lesson_ids})


def autograde(layout: CourseLayout) -> list[str]:
    done = submitted_lessons(layout)
    for lesson in done:
        run_nbgrader(layout, "autograde", lesson, "--create")
    return done


def feedback(layout: CourseLayout) -> list[str]:
    done = sorted({p.name for p in layout.autograded.glob("*/*") if p.is_dir()})
    for lesson in done:
        run_nbgrader(layout, "generate_feedback", lesson, "--force")
    return done


def grade_rows(layout: CourseLayout) -> list[dict]:
    """One row per learner and lesson; lessons a learner has not handed in say so."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(f"sqlite:///{layout.gradebook}") as gb:
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


def export_grades(layout: CourseLayout, out: Path) -> int:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = grade_rows(layout)
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    # utf-8 with a byte-order mark, so spreadsheet programs show accented names correctly
    atomic_write(out, buf.getvalue().encode("utf-8-sig"))
    return len(rows)
