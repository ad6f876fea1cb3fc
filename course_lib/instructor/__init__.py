"""The instructor's side: release, autograde, feedback and grades, over nbgrader's own commands.

Each command is thin: it calls the publishing steps (:mod:`course_lib.publish`), nbgrader (run in ``grading/``,
or through its API in the autograde workers), and writes what nbgrader does not (the grades CSV).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..layout import CourseLayout
from ..publish import RELEASE, run
from ..publish.nbgrader import run_nbgrader
from .autograding import Report, autograde
from .grades import export_grades
from .handins import SECRET, TIMESTAMP


class CommandError(RuntimeError):
    """A course command could not finish; the message says what to do."""


def find_course(root: Path | None = None) -> CourseLayout:
    """``root``, else the folder above ``course_lib`` (an editable install), else the current one."""
    candidates = [root.resolve()] if root else [Path(__file__).resolve().parents[2], Path.cwd().resolve()]
    for candidate in candidates:
        if CourseLayout.is_course(candidate):
            return CourseLayout(candidate)
    raise CommandError("Run this command inside the course folder (the one with notebooks/ and grading/).")


def release(layout: CourseLayout, say=print) -> list[str]:
    run(RELEASE, layout, say)
    return layout.lesson_ids


def feedback(layout: CourseLayout, lessons: list[str] | None = None) -> list[str]:
    """nbgrader's generate_feedback for every autograded lesson, with the course's feedback page."""
    done = sorted({p.name for p in layout.autograded.glob("*/*") if p.is_dir()
                   and p.name in layout.lesson_ids and (not lessons or p.name in lessons)})
    for lesson in done:
        run_nbgrader(layout, "generate_feedback", lesson, "--force")
        for folder in layout.feedback.glob(f"*/{lesson}"):  # nbgrader copies every file, keys too
            for path in folder.iterdir():
                if path.suffix != ".html" and path.name not in (TIMESTAMP, SECRET):  # what release_feedback reads
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
    return done


__all__ = ["CommandError", "Report", "autograde", "export_grades", "feedback", "find_course", "release"]
