"""Grades an instructor can paste into a spreadsheet or a school's gradebook.

Two CSV files, both written with Python's ``csv`` module (``nbgrader export`` does not quote, so a
name like "Smith, Jr." breaks its file) and with a byte-order mark, so spreadsheet programs show
accented names right:

* ``grades.csv``: one row per learner and lesson: the language the learner answered in (their
  answers file says it: ``en``, ``es``), status, time handed in, automatic and manual points apart,
  the maximum on every row (a lesson not handed in too), the learner's total, and every problem
  found in the hand-in with what to do;
* ``grades-by-learner.csv``: one row per learner, one column per lesson, and the total.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..files import atomic_write
from ..layout import ANSWERS_FILE, CourseLayout
from . import gradebook
from .autograding import read_record

COLUMNS = ["learner_id", "first_name", "last_name", "email", "lesson", "language", "status", "handed_in",
           "auto_score", "auto_max", "manual_score", "manual_max", "score", "max_score",
           "learner_total", "learner_max", "problems"]


def _points(n: float | None) -> str:
    return "" if n is None else f"{round(n, 2):g}"


def grade_rows(layout: CourseLayout) -> list[dict]:
    from nbgrader.api import MissingEntry

    record = read_record(layout)
    rows = []
    with gradebook.gradebook(layout) as gb:
        lessons = [lid for lid in layout.lesson_ids if lid in {a.name for a in gb.assignments}]
        maxima = {lid: _maxima(gb.find_assignment(lid)) for lid in lessons}
        people = {s.id: s for s in gb.students}
        learners = sorted(set(people) | {key.split("/")[0] for key in record})
        for learner in learners:
            person = people.get(learner)
            mine = []
            for lid in lessons:
                rec = record.get(f"{learner}/{lid}", {})
                auto_max, manual_max = maxima[lid]
                row = {"learner_id": learner, "lesson": lid, "first_name": getattr(person, "first_name", "") or "",
                       "last_name": getattr(person, "last_name", "") or "", "email": getattr(person, "email", "") or "",
                       "handed_in": rec.get("handed_in", ""), "auto_max": _points(auto_max),
                       "manual_max": _points(manual_max), "max_score": _points(auto_max + manual_max),
                       "problems": _problems(rec), "language": _language(layout, learner, lid)}
                try:
                    sub = gb.find_submission(lid, learner) if person is not None else None
                except MissingEntry:
                    sub = None
                if sub is None or rec.get("status") in ("failed", "not graded"):
                    status = rec.get("status") or "not handed in"
                    row.update(status=status, auto_score="", manual_score="", score="0" if not rec else "")
                else:
                    auto, manual, cells = gradebook.points(sub)
                    manual_done = all(g.manual_score is not None for g in cells)
                    row.update(status="needs manual grading" if sub.needs_manual_grade else "graded",
                               auto_score=_points(auto), manual_score=_points(manual) if manual_done else "",
                               score=_points(sub.score))
                mine.append(row)
            total = sum(float(r["score"] or 0) for r in mine)
            most = sum(float(r["max_score"] or 0) for r in mine)
            for row in mine:
                row.update(learner_total=_points(total), learner_max=_points(most))
            rows += mine
    return rows


def _language(layout: CourseLayout, learner: str, lesson: str) -> str:
    """The language the learner answered the lesson in, from the answers file graded ("" if none)."""
    from ..i18n import DEFAULT
    from ..store import answers_language

    graded = layout.autograded / learner / lesson / ANSWERS_FILE
    return (answers_language(graded) or DEFAULT) if graded.is_file() else ""


def _maxima(assignment) -> tuple[float, float]:
    """Automatic and manual maximum points of a lesson (test cells; the reflection's task cell)."""
    auto = sum(c.max_score for n in assignment.notebooks for c in n.grade_cells if c.cell_type == "code")
    manual = sum(c.max_score for n in assignment.notebooks for c in (*n.grade_cells, *n.task_cells)
                 if c.cell_type == "markdown")
    return auto, manual


def _problems(rec: dict) -> str:
    problems = list(rec.get("problems") or ())
    if rec.get("suspicious"):
        problems.insert(0, "SUSPICIOUS: look at this hand-in (its grade used only the saved answers)")
    return "; ".join(problems)


def export_grades(layout: CourseLayout, out: Path | None = None) -> tuple[Path, Path, int]:
    """Write both files; return their paths and the number of learner-lesson rows."""
    rows = grade_rows(layout)
    out = out or layout.grades_csv
    _write(out, COLUMNS, rows)
    lessons = sorted({r["lesson"] for r in rows})
    wide = []
    for learner in dict.fromkeys(r["learner_id"] for r in rows):
        mine = [r for r in rows if r["learner_id"] == learner]
        line = {k: mine[0][k] for k in ("learner_id", "first_name", "last_name", "email")}
        line.update({lid: next((r["score"] for r in mine if r["lesson"] == lid), "") for lid in lessons})
        line.update(total=mine[0]["learner_total"], max_total=mine[0]["learner_max"],
                    problems=sum(bool(r["problems"]) for r in mine))
        wide.append(line)
    by_learner = out.with_name(out.stem + "-by-learner" + out.suffix)
    _write(by_learner, ["learner_id", "first_name", "last_name", "email", *lessons, "total", "max_total",
                        "problems"], wide)
    return out, by_learner, len(rows)


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, buf.getvalue().encode("utf-8-sig"))
