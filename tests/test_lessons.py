"""Every lesson: its data and answer keys agree, it runs top to bottom in a fresh kernel in
both versions, and the student release gives nothing away."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT
from learners import run_notebook

from course_lib.checks import check_lessons, check_release, kept_back, lesson_folders, lesson_notebook

LESSONS = [p.name for p in lesson_folders(ROOT / "notebooks")]


def test_the_course_has_lessons():
    assert LESSONS, "no lesson folders found in notebooks/"


def test_lesson_data_and_answer_keys_agree():
    assert check_lessons(ROOT / "notebooks") == []


@pytest.fixture
def released(released_course):
    return released_course


def _errors_and_stderr(nb) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"):
                found.append(json.dumps(out)[:500])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_instructor_notebook_runs_top_to_bottom_in_a_fresh_kernel(tmp_path, lesson):
    folder = shutil.copytree(ROOT / "notebooks" / lesson, tmp_path / lesson,
                             ignore=shutil.ignore_patterns("my-answers*"))
    nb = run_notebook(folder / f"{lesson}.ipynb")
    assert _errors_and_stderr(nb) == []


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_student_notebook_runs_top_to_bottom_and_shows_its_widgets(released, tmp_path, lesson):
    folder = shutil.copytree(released.release / lesson, tmp_path / lesson)
    nb = run_notebook(folder / f"{lesson}.ipynb")
    assert _errors_and_stderr(nb) == []
    widgets = [o for c in nb.cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    calls = [c for c in nb.cells if c.cell_type == "code" and "lesson." in c.source]
    assert len(widgets) >= len(calls)
    assert not (folder / "my-answers.json").exists()  # opening a lesson writes nothing


@pytest.mark.slow
def test_the_release_holds_no_solution_hidden_test_or_answer_key(released):
    assert check_release(released.notebooks, released.release) == []
    for lesson in LESSONS:
        nb = json.loads((released.release / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8"))
        test_cells = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
        assert test_cells and all("".join(c["source"]).strip().startswith("#") for c in test_cells)
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
def test_the_leak_check_catches_a_planted_answer_key(released, tmp_path):
    leaky = shutil.copytree(released.release, tmp_path / "release")
    lesson = LESSONS[0]
    (leaky / lesson / "notes.txt").write_text(kept_back(lesson_notebook(ROOT / "notebooks" / lesson))[0])
    (leaky / lesson / "my-answers.json").write_text("{}")
    problems = check_release(released.notebooks, leaky)
    assert any("notes.txt" in p for p in problems)
    assert any("my-answers.json" in p for p in problems)
