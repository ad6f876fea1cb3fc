"""Simulated learners: they open the student notebook in a real kernel and answer through the
widgets (set a value, press the button), exactly the path a browser takes into the kernel."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_lib.content import load_lesson


def answer_key(lesson_folder: Path) -> dict[str, tuple[object, float]]:
    """question id -> (right answer, points), from the lesson's source data."""
    content = load_lesson(lesson_folder)
    return {qid: (list(q.key) if isinstance(q.key, tuple) else q.key, q.points) for qid, q in content.questions.items()}


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


SAVED = {"en": "Saved.", "es": "Guardado."}


def answering(answers: dict, reflection: str | None, rid: str | None, language: str = "en") -> str:
    """Code a simulated learner runs after the lesson: answer each question through its widgets, in the
    notebook of ``language``."""
    handle = "lesson" if language == "en" else f"lesson_{language} as lesson"
    code = (
        f"from course_lib import {handle}\n"
        f"for qid, value in {json.dumps(answers)}.items():\n"
        "    view = lesson.question(qid)\n"
        "    view.choose(value)\n"
        "    assert view.submit(), view.feedback\n"
        f"    assert {SAVED[language]!r} in view.feedback, view.feedback\n"
    )
    if reflection:
        code += f"view = lesson.reflection({rid!r})\nview.write({reflection!r})\nassert view.submit()\n"
    return code


def answer_on_page(view, question, key) -> None:
    """Give ``key`` in a page (Playwright) as a parent does, by clicking the question's own widgets, and
    press Save; ``view`` is the lesson's part of the page."""
    from playwright.sync_api import expect

    card = view.locator(".course-question").filter(has_text=question.prompt.split("\n")[0][:50]).last
    if question.kind == "single":
        card.get_by_label(question.option(key).text, exact=True).check()
    elif question.kind == "multiple":
        for oid in key:
            card.get_by_label(question.option(oid).text, exact=True).check()
    else:
        for item in question.options:  # each item's choices are radio buttons under it
            group = card.locator(".course-sort-item").filter(has_text=item.text)
            group.get_by_role("radio", name=question.category(key[item.id]).text, exact=True).check()
    card.get_by_role("button", name="Save my answer", exact=True).click()
    expect(card).to_contain_text("Saved.", timeout=30_000)


def hand_in(release_lesson: Path, submitted: Path, learner: str, answers: dict, reflection: str | None,
            language: str = "en") -> Path:
    """The learner answers in their own copy of the lesson (outside the course folder, as after
    nbgrader's fetch), through the widgets of its notebook in ``language``; the copy is then handed in
    to ``submitted/<learner>/``."""
    with tempfile.TemporaryDirectory() as home:
        folder = shutil.copytree(release_lesson, Path(home) / release_lesson.name)
        rid = next(iter(load_lesson(release_lesson).reflections), None)
        name = release_lesson.name if language == "en" else f"{release_lesson.name}.{language}"
        nb_path = folder / f"{name}.ipynb"
        nb = run_notebook(nb_path, answering(answers, reflection, rid, language))
        nbformat.write(nb, nb_path)
        return Path(shutil.copytree(folder, submitted / learner / release_lesson.name))
