"""The publishing side: from the source in ``notebooks/`` to every edition, one named step at a time.

Each command is an ordered list of steps; each step is one function in the module named for its
idea, takes the course layout, and returns one line saying what it did. A step that finds a
problem raises :class:`BuildError`, and the command stops there::

    release     = check the sources → write nbgrader's source (lessons and course pages)
                  → generate with nbgrader → withhold the keys → add the other languages
                  → scan the release for leaks
    self-paced  = check the sources → write the self-paced edition
    cohort view = check the sources → write the web view without keys → scan it for leaks

Only the command line imports this package: a lesson's kernel never does (it needs nbformat and
nbgrader, which a kernel does without).
"""

from __future__ import annotations

from collections.abc import Callable

from ..layout import COURSE_HOME, CourseLayout
from .checks import check_sources
from .editions import (
    withhold_keys,
    write_cohort_view,
    write_nbgrader_source,
    write_self_paced,
    write_translated_release,
)
from .leaks import scan_release
from .nbgrader import api_call, nbgrader_api


class BuildError(RuntimeError):
    """A step could not finish; the message says what to fix."""


Step = Callable[[CourseLayout], str]


def check_the_sources(layout: CourseLayout) -> str:
    """The sources agree with themselves (``course check`` also holds them to the editorial standard)."""
    if problems := check_sources(layout, editorial=False):
        raise BuildError("The lessons have problems to fix first:\n- " + "\n- ".join(problems))
    return f"checked {len(layout.lesson_ids)} lessons: no problems"


def generate_with_nbgrader(layout: CourseLayout) -> str:
    """nbgrader makes the student version of each lesson (solutions and hidden tests removed), and
    of the course pages' assignment: its own API, in this process (one command per lesson paid
    nbgrader's start-up each time: 28 s where this takes a few)."""
    api = nbgrader_api(layout)
    for assignment in (COURSE_HOME, *layout.lesson_ids):
        api_call(f"generate_assignment {assignment}", api.generate_assignment(assignment, force=True, create=True))
    return f"nbgrader generated {len(layout.lesson_ids)} lessons and the course pages in {layout.release}"


def scan_for_leaks(layout: CourseLayout) -> str:
    if problems := scan_release(layout):
        raise BuildError("The release is not safe to give to learners:\n- " + "\n- ".join(problems))
    return "scanned the release: no key, rubric, hidden test or answers file in it"


def scan_the_cohort_view(layout: CourseLayout) -> str:
    if problems := scan_release(layout, layout.cohort_view):
        raise BuildError("The web view without keys is not safe to serve:\n- " + "\n- ".join(problems))
    return "scanned the web view without keys: no key, rubric, hidden test or answers file in it"


RELEASE: tuple[Step, ...] = (check_the_sources, write_nbgrader_source, generate_with_nbgrader, withhold_keys,
                             write_translated_release, scan_for_leaks)
SELF_PACED: tuple[Step, ...] = (check_the_sources, write_self_paced)
COHORT_VIEW: tuple[Step, ...] = (check_the_sources, write_cohort_view, scan_the_cohort_view)


def run(steps: tuple[Step, ...], layout: CourseLayout, say: Callable[[str], None] = lambda _line: None) -> None:
    for step in steps:
        say(step(layout))


__all__ = ["COHORT_VIEW", "RELEASE", "SELF_PACED", "BuildError", "run"]
