"""The instructor's side: release, autograde, feedback and grades, over nbgrader's own API.

Each command is thin: it calls the publishing steps (:mod:`course_lib.publish`), nbgrader (its API,
in this process or in the autograde workers, with ``grading/nbgrader_config.py``: the same doors,
and the same clean intake, as nbgrader's commands and Formgrader), and writes what nbgrader does
not (the grades CSV, the checked class list, a gradebook moved to a server).
"""

from __future__ import annotations

from pathlib import Path

from ..layout import CourseLayout
from ..publish import RELEASE, run
from ..publish.nbgrader import api_call, nbgrader_api
from .autograding import Report, autograde, read_record, write_record
from .gradebook import GradebookError, db_url, move_to, where
from .grades import export_grades
from .intake import unclean
from .roster import import_class_list


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


def feedback(layout: CourseLayout, lessons: list[str] | None = None, say=print) -> list[str]:
    """nbgrader's generate_feedback for every autograded lesson, with the course's feedback page;
    returns the lessons done. A hand-in whose graded copy did not come whole from the clean intake
    is named, not turned into a page."""
    api = nbgrader_api(layout)
    done = []
    for lesson in layout.lesson_ids:
        learners = sorted(p.parent.name for p in layout.autograded.glob(f"*/{lesson}") if p.is_dir())
        if not learners or (lessons and lesson not in lessons):
            continue
        untrusted = []
        for learner in learners:
            if why := unclean(layout, learner, lesson):
                say(f"- no feedback page for {learner} · {lesson}: {why}; autograde it again first")
                untrusted.append(learner)
        if len(untrusted) == len(learners):
            continue
        api.coursedir.student_id_exclude = ",".join(untrusted)
        api_call(f"generate_feedback {lesson}", api.generate_feedback(lesson, force=True))
        done.append(lesson)
    return done


REPORTED_TABLES = ("student", "assignment", "grade", "comment")  # what a move reports having copied


def move_gradebook(layout: CourseLayout, url: str, say=print) -> None:
    """Copy the course's gradebook, and its record of hand-ins, to the empty gradebook at ``url``."""
    old = db_url(layout)
    copied = move_to(layout, url)
    write_record(layout, read_record(layout), url)
    say(f"Copied the gradebook {where(old)} to {where(url)}: " + ", ".join(
        f"{n} {table}" for table, n in copied.items() if n and table in REPORTED_TABLES))
    say("Now make the course use it, for nbgrader, Formgrader and the course's commands alike: set "
        "COURSE_DB_URL to that URL wherever they run (or write it as c.CourseDirectory.db_url in "
        f"grading/nbgrader_config.py). The old gradebook ({where(old)}) is kept as it was.")


__all__ = ["CommandError", "GradebookError", "Report", "autograde", "export_grades", "feedback", "find_course",
           "import_class_list", "move_gradebook", "release"]
