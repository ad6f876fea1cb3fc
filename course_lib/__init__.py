"""Shared helpers for the OT-in-special-education course.

A lesson notebook needs one line of set-up::

    import course_lib
    lesson = course_lib.open_lesson()

and then one call per element: ``lesson.header()``, ``lesson.scenario(id)``,
``lesson.self_check(id)``, ``lesson.question(id)``, ``lesson.reflection(id)``,
``lesson.key_points()``, ``lesson.glossary()``, ``lesson.sources()``. Instructors' hidden
tests call ``lesson.grade(id, answer=..., points=...)``. See docs/authoring.md.
"""

from .answers import AnswerError
from .content import LessonError, load_lesson
from .lesson import Lesson, current_mode, open_lesson

__all__ = ["AnswerError", "Lesson", "LessonError", "current_mode", "load_lesson", "open_lesson"]
__version__ = "0.1.0"
