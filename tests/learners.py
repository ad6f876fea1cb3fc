"""Simulated learners: they open the student notebook in a real kernel and answer through the
widgets (set a value, press the button), exactly the path a browser takes into the kernel."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_lib.checks import grade_calls, lesson_notebook
from course_lib.content import load_lesson


def answer_key(lesson_folder: Path) -> dict[str, tuple[object, float]]:
    """question id -> (right answer, points), read from the instructor notebook's hidden tests."""
    return {kw["question_id"]: (kw["answer"], float(kw.get("points", 1)))
            for kw, _meta in grade_calls(lesson_notebook(lesson_folder))}


def wrong_answer(question, key):
    if question.kind == "single":
        return next(i for i in question.option_ids if i != key)
    if question.kind == "multiple":
        return [i for i in question.option_ids if i not in key][:1]
    cats = question.category_ids
    return {item: next(c for c in cats if c != right) for item, right in key.items()}


def run_notebook(path: Path, extra_code: str = "", timeout: int = 120) -> nbformat.NotebookNode:
    """Execute a notebook top to bottom in a fresh kernel in its own folder; return it executed."""
    nb = nbformat.read(path, as_version=4)
    if extra_code:
        nb.cells.append(nbformat.v4.new_code_cell(extra_code))
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    if extra_code:
        nb.cells.pop()
    return nb


def hand_in(release_lesson: Path, submitted: Path, learner: str, answers: dict, reflection: str | None,
            tamper: bool = False) -> Path:
    """Copy the release to ``submitted/<learner>/<lesson>/``, answer there through the widgets."""
    folder = submitted / learner / release_lesson.name
    shutil.copytree(release_lesson, folder)
    driver = (
        f"for qid, value in {json.dumps(answers)}.items():\n"
        "    view = lesson.views['questions/' + qid]\n"
        "    view.show_value(value)\n"
        "    view.submit_button.click()\n"
        "    assert 'Saved.' in view.status.value, view.status.value\n"
    )
    if reflection:
        rid = next(iter(load_lesson(release_lesson).reflections))
        driver += (f"view = lesson.views['reflections/{rid}']\n"
                   f"view.text.value = {reflection!r}\nview.save_button.click()\n")
    nb_path = folder / f"{release_lesson.name}.ipynb"
    nb = run_notebook(nb_path, driver)
    if tamper:  # the learner replaces every locked test cell with `pass`
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                cell.source = "pass"
    nbformat.write(nb, nb_path)
    return folder
