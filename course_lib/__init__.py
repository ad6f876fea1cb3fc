"""Shared helpers for the OT-in-special-education course.

A lesson notebook cell needs two lines: ``from course_lib import lesson`` and one call, such as
``lesson.question("fape-free")``; the element shows itself as the cell's output. The calls are
``header()``, ``scenario(id)``, ``self_check(id)``, ``picture(file)``, ``graded_intro()``,
``question(id)``, ``reflection(id)``, ``check_lesson()``, ``key_points()``, ``glossary()``,
``sources()``; nbgrader's test cells call ``lesson.grade(id)``. A notebook in Spanish says
``from course_lib import lesson_es as lesson`` and nothing else changes. Everything a question is (its
key, points, feedback) is in the lesson's ``lesson.yaml``. See docs/authoring.md.

Importing this package loads nothing but this file: the names below are loaded on first use. So
the command line, the publishing side (:mod:`course_lib.publish`), each grading worker and the
web server never load widgets or IPython, which only a lesson's kernel needs; and the kernel side
never loads nbgrader or nbformat.
"""

from importlib import import_module

__version__ = "0.2.0"  # the one version string: pyproject.toml reads it from here
_WHERE = {  # name: the module that defines it
    "lesson": "lessons", "Lesson": "lessons", "open_lesson": "lessons",
    "current_mode": "modes", "Mode": "modes",
    "LessonContent": "content", "load_lesson": "content",
    "AnswerError": "questions", "LessonError": "reader",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    """``course_lib.lesson`` and the rest, imported when first asked for (PEP 562);
    ``course_lib.lesson_es``: the lesson in Spanish (any language with a catalog, see :mod:`course_lib.i18n`)."""
    if name.startswith("lesson_"):
        from .i18n import languages

        if name[len("lesson_"):] in languages():
            value = globals()[name] = import_module(f"{__name__}.lessons").Here(name[len("lesson_"):])
            return value
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(f"{__name__}.{_WHERE[name]}")
    value = module.HERE if name == "lesson" else getattr(module, name)
    globals()[name] = value
    return value
