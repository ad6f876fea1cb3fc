"""Grades an instructor can paste into a spreadsheet or a school's gradebook.

Two CSV files, both written with Python's ``csv`` module (``nbgrader export`` does not quote, so a
name like "Smith, Jr." breaks its file) and with a byte-order mark, so spreadsheet programs show
accented names right:

* ``grades.csv``: one row per learner of the class list and lesson: the language the learner
  answered in (their answers file says it: ``en``, ``es``), status, when it was handed in and due
  (dates a spreadsheet reads, in UTC), hours late, automatic and manual points apart, the maximum,
  the learner's total, and every problem found in the hand-in with what to do;
* ``grades-by-learner.csv``: one row per learner, one column per lesson, and the total.

Only lessons given to the class count (released to nbgrader's exchange, or handed in by someone):
the others say "not released" and add nothing to a total. A grade that did not come whole from
the clean intake is not written as a number. A cell a spreadsheet would read as a formula (it
starts with ``=``, ``+``, ``-`` or ``@``) is written as text, and control characters as escapes.
A file that would lose rows is kept beside the new one, and the command says so. ``nbgrader
export`` writes these files too (:class:`GradesExport`), not nbgrader's own unquoted CSV.
"""

from __future__ import annotations

import csv
import io
import shlex
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from nbgrader.plugins import ExportPlugin

from ..files import atomic_write
from ..layout import ANSWERS_FILE, CourseLayout
from . import gradebook
from .autograding import read_record
from .handins import one_line
from .intake import unclean

COLUMNS = ["learner_id", "first_name", "last_name", "email", "lesson", "language", "status", "handed_in_utc",
           "due_utc", "hours_late", "auto_score", "auto_max", "manual_score", "manual_max", "score", "max_score",
           "learner_total", "learner_max", "problems"]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _points(n: float | None) -> str:
    return "" if n is None else f"{round(n, 2):g}"


def _date(when) -> str:
    """A time as a spreadsheet reads it (``2026-11-20 10:15:00``), in UTC."""
    from nbgrader.utils import parse_utc

    if not when:
        return ""
    try:
        when = parse_utc(when) if isinstance(when, str) else when
    except (ValueError, OverflowError, TypeError):
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.strftime("%Y-%m-%d %H:%M:%S")


def released(layout: CourseLayout, gb) -> list[str]:
    """The lessons given to the class: released to nbgrader's exchange, or handed in by someone."""
    from nbgrader.exchange.default.exchange import Exchange

    from ..publish.nbgrader import course_config

    config = course_config(layout.grading)
    outbound = (Path(config.Exchange.get("root") or Exchange.root.default_value)
                / str(config.CourseDirectory.get("course_id") or "") / "outbound")
    handed_in = {a.name for a in gb.assignments if a.submissions}
    return [lid for lid in layout.lesson_ids if lid in handed_in or (outbound / lid).is_dir()
            or any(layout.submitted.glob(f"*/{lid}"))]


def _record_for(record: dict, learner: str, lesson: str) -> tuple[dict, list[str], bool]:
    """The record of the lesson's own folder, and the problems of it and of any stray copy."""
    own = record.get(f"{learner}/{lesson}", {})
    problems, suspicious = list(own.get("problems") or ()), bool(own.get("suspicious"))
    for key, rec in record.items():
        if key.startswith(f"{learner}/") and rec.get("copy") and rec.get("lesson") == lesson:
            problems += rec.get("problems") or ()
            suspicious |= bool(rec.get("suspicious"))
    return own, problems, suspicious


def grade_rows(layout: CourseLayout) -> list[dict]:
    record = read_record(layout)
    rows = []
    with gradebook.gradebook(layout) as gb:
        given = set(released(layout, gb))
        names = {a.name for a in gb.assignments}
        assignments = {lid: gb.find_assignment(lid) for lid in layout.lesson_ids if lid in names}
        for person in sorted(gb.students, key=lambda s: s.id):
            mine = [_row(layout, gb, person, a, lid in given, record) for lid, a in assignments.items()]
            total = sum(float(r["score"] or 0) for r in mine)
            most = sum(float(r["max_score"] or 0) for r in mine)
            for row in mine:
                row.update(learner_total=_points(total), learner_max=_points(most))
            rows += mine
    return rows


def _row(layout: CourseLayout, gb, person, assignment, given: bool, record: dict) -> dict:
    """One learner's row for one lesson: a number only for a grade that can be trusted."""
    from nbgrader.api import MissingEntry

    lid = assignment.name
    rec, problems, suspicious = _record_for(record, person.id, lid)
    row = {"learner_id": person.id, "lesson": lid, "first_name": person.first_name or "",
           "last_name": person.last_name or "", "email": person.email or "", "due_utc": _date(assignment.duedate),
           "auto_score": "", "manual_score": "", "score": "", "handed_in_utc": _date(rec.get("handed_in")),
           "hours_late": "", "language": _language(layout, person.id, lid)}
    try:
        sub = gb.find_submission(lid, person.id)
    except MissingEntry:
        sub = None
    why = unclean(layout, person.id, lid) if sub is not None else ""
    if not given:
        row.update(status="not released")
    elif rec.get("status") in ("failed", "not graded"):
        row.update(status=rec["status"])
    elif sub is None:
        row.update(status="not handed in", score="0")
    elif why:
        row.update(status="grade not trusted: autograde again")
        problems.insert(0, f"NOT TRUSTED: {why}; run course autograde --learner {shlex.quote(person.id)} "
                           f"--lesson {lid}")
    else:
        auto, manual, cells = gradebook.points(sub)
        late = sub.total_seconds_late
        row.update(status="needs manual grading" if sub.needs_manual_grade else "graded", auto_score=_points(auto),
                   manual_score=_points(manual) if all(g.manual_score is not None for g in cells) else "",
                   score=_points(sub.score), handed_in_utc=_date(sub.timestamp) or row["handed_in_utc"],
                   hours_late=_points(late / 3600) if late else "")
    if suspicious and not why:
        graded = row["status"] in ("graded", "needs manual grading")
        problems.insert(0, "SUSPICIOUS: look at this hand-in" + (" (its grade used only the saved answers)"
                                                                  if graded else ""))
    auto_max, manual_max = _maxima(assignment)
    row.update(auto_max=_points(auto_max) if given else "", manual_max=_points(manual_max) if given else "",
               max_score=_points(auto_max + manual_max) if given else "", problems="; ".join(problems))
    return row


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


@dataclass
class Export:
    grades: Path
    by_learner: Path
    rows: int
    left_out: list[str]  # hand-in folders of people not in the class list
    warnings: list[str]


def export_grades(layout: CourseLayout, out: Path | None = None) -> Export:
    """Write both files, and say what a reader of them must know (rows lost, people left out)."""
    rows = grade_rows(layout)
    out = out or layout.grades_csv
    warnings = _keep_if_shrinking(out, len(rows))
    _write(out, COLUMNS, rows)
    lessons = [lid for lid in layout.lesson_ids if any(r["lesson"] == lid for r in rows)]
    wide = []
    for learner in dict.fromkeys(r["learner_id"] for r in rows):
        mine = [r for r in rows if r["learner_id"] == learner]
        line = {k: mine[0][k] for k in ("learner_id", "first_name", "last_name", "email")}
        line.update({lid: next((r["score"] or r["status"] for r in mine if r["lesson"] == lid), "")
                     for lid in lessons})
        line.update(total=mine[0]["learner_total"], max_total=mine[0]["learner_max"],
                    lessons_with_problems=sum(bool(r["problems"]) for r in mine))
        wide.append(line)
    by_learner = out.with_name(out.stem + "-by-learner" + out.suffix)
    warnings += _keep_if_shrinking(by_learner, len(wide))
    _write(by_learner, ["learner_id", "first_name", "last_name", "email", *lessons, "total", "max_total",
                        "lessons_with_problems"], wide)
    people = {r["learner_id"] for r in rows}
    left_out = sorted({key.split("/")[0] for key in read_record(layout)} - people)
    return Export(out, by_learner, len(rows), left_out, warnings)


def _keep_if_shrinking(path: Path, rows: int) -> list[str]:
    """A grades file about to lose rows is kept beside the new one, and that is said."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            before = sum(1 for _ in csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    if rows >= before:
        return []
    kept = path.with_name(path.stem + ".previous" + path.suffix)
    path.replace(kept)
    return [f"{path.name} had {before} row(s) and now has {rows}: the old file is kept as {kept.name}. Check the "
            "gradebook in use (COURSE_DB_URL) and the class list."]


def _cell(value):
    if not isinstance(value, str):
        return value
    value = one_line(value, 0)
    return "'" + value if value.startswith(FORMULA) else value


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, buf.getvalue().encode("utf-8-sig"))


class GradesExport(ExportPlugin):
    """``nbgrader export`` (``c.ExportApp.plugin_class``): the course's two grades files (``--to``
    names the first), for the whole class: nbgrader's own CSV does not quote, so "Smith, Jr."
    breaks it and an id can be read as a formula."""

    def export(self, gradebook) -> None:
        layout = CourseLayout(Path(self.parent.coursedir.root).resolve().parent)
        out = export_grades(layout, Path(self.to) if self.to else None)
        self.log.info("Wrote %d row(s) to %s and one row per learner to %s", out.rows, out.grades, out.by_learner)
        for warning in out.warnings:
            self.log.warning(warning)
