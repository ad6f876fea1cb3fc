"""From the thin source notebook to each edition's notebook: one function per change.

A source notebook holds prose and one call per element (``lesson.question("id")``). Everything
else a learner's or nbgrader's copy needs is generated here from the lesson data, never typed:
the import that lets any cell run on its own, hidden code, nbgrader's cell metadata, a hidden
test cell with its points after each graded question, a rubric cell after each reflection, and
navigation to the pages that exist in that edition.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import nbformat

from ..content import LessonContent
from ..i18n import DEFAULT, N_
from ..i18n import language as language_of

IMPORT = "from course_lib import lesson"
NAV_TOP, NAV_BOTTOM = "navigation-top", "navigation-bottom"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
ELEMENTS = {  # method: the part of the lesson data its id names (None: it takes no id)
    "header": None, "graded_intro": None, "check_lesson": None, "key_points": None, "glossary": None,
    "sources": None, "scenario": "scenarios", "self_check": "self_checks", "question": "questions",
    "reflection": "reflections", "picture": "pictures",
}


@dataclass(frozen=True)
class Call:
    """One ``lesson.<method>(<id>)`` call in a code cell."""

    cell: int
    method: str
    arg: str | None


def element_calls(nb) -> tuple[list[Call], list[str]]:
    """The element calls of every code cell, and a problem for each line that is not one."""
    calls, problems = [], []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            problems.append(f"cell {index + 1}: not valid Python: {cell.source[:60]!r}")
            continue
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "course_lib":
                continue
            call = node.value if isinstance(node, ast.Expr) else None
            ok = (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                  and isinstance(call.func.value, ast.Name) and call.func.value.id == "lesson"
                  and call.func.attr in ELEMENTS and not call.keywords)
            if not ok:
                problems.append(f"cell {index + 1}: only calls like lesson.question(\"some-id\") belong in a "
                                f"lesson's code cells, not {ast.get_source_segment(cell.source, node)!r}")
                continue
            needs_id = ELEMENTS[call.func.attr] is not None
            args = call.args
            if needs_id and (len(args) != 1 or not isinstance(args[0], ast.Constant) or
                             not isinstance(args[0].value, str)):
                problems.append(f"cell {index + 1}: lesson.{call.func.attr}(...) takes one id in quotes, "
                                f"like lesson.{call.func.attr}(\"some-id\")")
                continue
            if not needs_id and args:
                problems.append(f"cell {index + 1}: lesson.{call.func.attr}() takes no id")
                continue
            calls.append(Call(index, call.func.attr, args[0].value if needs_id else None))
    return calls, problems


# -- changes for every edition -----------------------------------------------------------------------
def lesson_import(language: str | None = None) -> str:
    """The line that gives a cell its lesson: in another language, the lesson in that language under
    the same name, so every element call reads the same (``from course_lib import lesson_es as lesson``)."""
    return IMPORT if not language or language == DEFAULT else f"{IMPORT}_{language} as lesson"


def self_contained(nb, language: str | None = None) -> None:
    """Every code cell imports what it uses and hides its code: any cell runs on its own, and a
    learner sees the element, not Python."""
    line = lesson_import(language)
    for cell in nb.cells:
        if cell.cell_type == "code":
            if "lesson." in cell.source and line not in cell.source:
                cell.source = f"{line}\n\n{cell.source.replace(IMPORT + chr(10), '').strip()}"
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.outputs, cell.execution_count = [], None


# The web view's own words around a page (its template and page script read them from the notebook):
PAGE_WORDS = {"loading": N_("Opening the lesson…"),
              "lost": N_("This page has lost its connection to the course, so its buttons no longer work."),
              # why, when the server said (course_lib/web/kernels.py, ENDINGS; course.js shows it):
              "lost_replaced": N_("It was ended because you opened more lessons in other tabs, and this browser "
                                  "keeps only a few open at once."),
              "lost_idle": N_("It was ended because it was not used for an hour."),
              "lost_stopping": N_("It was ended because the course server restarted."),
              "lost_failed": N_("It was ended because it ran into a problem on the server."),
              "lost_unclaimed": N_("It was ended because it took too long to connect."),
              "lost_unknown": N_("This happens when a page is left unused for a long time or the course server "
                                 "restarts."),
              "lost_again": N_("Reload the page to go on (answers given on this page are not kept)."),
              "reload": N_("Reload the page")}
# The learner's JupyterLab's own words on a course page (course_lib/learner/labextensions/course-learner reads them
# from the notebook's metadata, so they are in the page's language; its own English copy is only for a page made
# before they were there).
LAB_WORDS = {
    "ready": N_("Getting this page ready…"),
    "problem": N_("Part of this page did not load. Choose File ▸ Close and Shut Down Notebook, then open it again from "
                  "the course home."),
    "noKernel": N_("This page cannot get ready: the Python it needs was not found. Stop the course (Ctrl+C where you "
                   "started it), then start it again."),
    "nothingToSave": N_("There is nothing to save here: what you answer or type is saved when you press the page's own "
                        "buttons, such as Save my answer, Check my lesson or Make my letter."),
    "elsewhere": N_("This page is open in another browser tab or window. To use it here instead, press the button."),
    "movedAway": N_("You opened this page in another browser tab or window, so it is not in use here. To use it here "
                    "again, press the button."),
    "useHere": N_("Use it here"),
    "bringBack": N_("Bring it back here"),
    "hide": N_("Hide this message"),
    "fullLab": N_("Show the full JupyterLab (every menu and tool)"),
    "courseView": N_("Back to the course view"),
}


def mark_course_notebook(nb, language: str | None = None, **course) -> None:
    """Notebook metadata that tells the learner's JupyterLab this is a course page (run on open), and
    it and the web view the page's language and their own words in it; and every cell locked: JupyterLab neither
    edits nor deletes a cell marked so (two stray key presses once deleted a lesson's key points for good)."""
    t = language_of(language)
    # e.g. {"lesson": "01-what-is-ot", "language": "es"}: the data says the edition
    nb.metadata["course"] = {**course, "language": t.code,
                             "words": {k: t._(v) for k, v in {**PAGE_WORDS, **LAB_WORDS}.items()}}
    for cell in nb.cells:
        cell.metadata["editable"] = cell.metadata["deletable"] = False
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.setdefault("language_info", {"name": "python"})


def add_navigation(nb, text: str) -> None:
    nb.cells = [c for c in nb.cells if c.get("id") not in (NAV_TOP, NAV_BOTTOM)]
    nb.cells = [_nav(NAV_TOP, text), *nb.cells, _nav(NAV_BOTTOM, text)]


def _nav(cell_id: str, text: str):
    cell = nbformat.v4.new_markdown_cell(text, id=cell_id)
    cell.metadata["tags"] = ["navigation"]
    return cell


# -- nbgrader's instructor edition ---------------------------------------------------------------------
def grading_cells(nb, content: LessonContent) -> None:
    """After each graded question, a hidden test cell worth its points; after each reflection, a
    task cell with its rubric in a mark-scheme region (graders see it; learners never do)."""
    calls, _problems = element_calls(nb)
    after: dict[int, list] = {}
    for call in calls:
        if call.method == "question":
            q = content.questions[call.arg]
            test = nbformat.v4.new_code_cell(
                f"### BEGIN HIDDEN TESTS\n{IMPORT}\n\nlesson.grade({call.arg!r})\n### END HIDDEN TESTS",
                id=f"test-{call.arg}")
            test.metadata["nbgrader"] = _nbgrader(f"test-{call.arg}", grade=True, points=q.points)
            test.metadata["jupyter"] = {"source_hidden": True}
            after.setdefault(call.cell, []).append(test)
        elif call.method == "reflection":
            r = content.reflections[call.arg]
            said = language_of(DEFAULT)._("Your instructor reads your reflection and gives up to {points} points.",
                                          points=format(r.points, "g"))
            task = nbformat.v4.new_markdown_cell(
                f"{said}\n\n"
                f"=== BEGIN MARK SCHEME ===\n{r.rubric_for_grader()}\n=== END MARK SCHEME ===", id=f"{call.arg}-rubric")
            task.metadata["nbgrader"] = _nbgrader(f"{call.arg}-rubric", task=True, points=r.points)
            after.setdefault(call.cell, []).append(task)
    cells = []
    for index, cell in enumerate(nb.cells):
        cells.append(cell)
        cells.extend(after.get(index, ()))
    nb.cells = cells


def lock_cells(nb) -> None:
    """nbgrader metadata on every cell, all read-only: at autograde nbgrader restores any cell a
    learner changed. Grade ids are the cell ids, so they stay the same from release to release."""
    for index, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.metadata:
            cell_id = cell.get("id") or f"cell-{index:02d}"
            cell["id"] = cell_id
            cell.metadata["nbgrader"] = _nbgrader(cell_id)


def _nbgrader(grade_id: str, grade: bool = False, task: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": True, "schema_version": 3, "solution": False}
    if task:
        meta["task"] = True
    if points is not None:
        meta["points"] = points
    return meta
