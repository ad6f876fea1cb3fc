"""Shared helpers for the OT-in-special-education course.

A lesson notebook cell needs two lines: ``from course_lib import lesson`` and one call, such as
``lesson.question("fape-free")``; the element shows itself as the cell's output. The calls are
``header()``, ``scenario(id)``, ``self_check(id)``, ``picture(file)``, ``graded_intro()``,
``question(id)``, ``reflection(id)``, ``check_lesson()``, ``key_points()``, ``glossary()``,
``sources()``; nbgrader's test cells call ``lesson.grade(id)``. Everything a question is (its
key, points, feedback) is in the lesson's ``lesson.yaml``. See docs/authoring.md.

This is the kernel side: importing it never imports nbgrader or nbformat (the publishing side, in
:mod:`course_lib.publish`, does, and only the command line imports that).
"""

from .content import LessonContent, load_lesson
from .lessons import Here, Lesson, current_mode, open_lesson
from .questions import AnswerError
from .reader import LessonError

lesson = Here()

__all__ = ["AnswerError", "Lesson", "LessonContent", "LessonError", "current_mode", "lesson", "load_lesson",
           "open_lesson"]
__version__ = "0.2.0"
